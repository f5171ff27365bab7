"""Files sent in Teams, over real HTTP through botbuilder to the real engine: a Teams message may carry
several files, and it is answered as the one message it is."""

from __future__ import annotations

from typing import Any

from dialog_world import Staff
from fake_bot_connector import FakeBotConnector
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from teams_world import employee, open_printer_ticket, run, teams_app, texts_of

from storage.models import Ticket

SCREENSHOT = {
    "contentType": "image/png",
    "contentUrl": "https://smba.trafficmanager.net/emea/v3/attachments/0-weu-2/views/original",
    "name": "hata-ekrani.png",
}
LOG_FILE = {  # an uploaded file: Teams sends its download info, whose uniqueId stays valid
    "contentType": "application/vnd.microsoft.teams.file.download.info",
    "contentUrl": "https://belediye-my.sharepoint.com/personal/elif/Documents/hata.log",
    "name": "hata.log",
    "content": {
        "downloadUrl": "https://belediye-my.sharepoint.com/download/1",
        "uniqueId": "1f2e3d",
        "fileType": "log",
    },
}


def test_a_message_with_several_files_is_asked_about_once(
    sessions: sessionmaker[Session], staff: Staff
) -> None:
    async def scenario(connector: FakeBotConnector) -> None:
        user = employee(connector)
        async with teams_app(sessions, connector) as app:
            number = await open_printer_ticket(app, user)
            before = len(connector.sent_to(user))
            message: dict[str, Any] = connector.activity(
                user, text="Yine aynı hata", attachments=[SCREENSHOT, LOG_FILE]
            )
            assert await app.post(message) == 201
            [question] = connector.sent_to(user)[before:]
            assert question.text.startswith("Bu 2 dosyayı hangi talebe ekleyeyim?")

            sent = await app.press(user, number)
            assert (
                texts_of(sent)
                == f"2 dosyanız {number} numaralı talebe eklendi ve ilgili teknisyene iletildi."
            )

        with sessions() as session:
            ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
            assert [(a.file_id, a.file_name) for a in ticket.attachments] == [
                (
                    "https://smba.trafficmanager.net/emea/v3/attachments/0-weu-1/views/original",
                    "yazici.png",
                ),
                (SCREENSHOT["contentUrl"], "hata-ekrani.png"),
                ("teams:1f2e3d", "hata.log"),
            ]

    run(scenario)
