"""Hardened dialog inputs (issue 14): strict ticket buttons, a bounded rating, /durum for deactivated staff,
bounded and cleaned texts."""

from __future__ import annotations

import pytest
from dialog_world import Chat, RecordingSender, Staff, telegram
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_dialog_engine import (  # noqa: F401  (dialog, sessions and staff are fixtures)
    EMPLOYEE_ID,
    dialog,
    dispatch,
    open_printer_ticket,
    sessions,
    staff,
    verified_employee,
)

from bot.engine import ticket_actions
from bot.engine.engine import DialogEngine
from bot.engine.events import ChannelKind, OptionChosen
from bot.engine.ticket_actions import TicketAction
from storage.models import Notification, Person, Ticket, TicketEvent


@pytest.mark.parametrize(
    "option_id",
    ["t²:take", "t12345678901234567890:take", "t2147483648:take", "t0:take", "t1:take:", "t١:take", "t1:tak"],
)
def test_forged_ticket_buttons_are_not_ticket_buttons(option_id: str) -> None:
    assert ticket_actions.parse(option_id) is None


def test_ticket_buttons_we_send_parse_back() -> None:
    assert ticket_actions.parse("t42:rate:5") == (42, TicketAction.RATE, "5")
    assert ticket_actions.parse("t2147483647:take") == (2147483647, TicketAction.TAKE, None)


@pytest.mark.parametrize("option_id", ["t²:take", "t12345678901234567890:take", "t99999999999:rate:5"])
def test_a_forged_button_gets_the_expired_answer(dialog: DialogEngine, option_id: str) -> None:  # noqa: F811
    chat = verified_employee(dialog)
    chat.send(OptionChosen(option_id))
    assert "artık geçerli değil" in chat.text or "geçerli değil" in chat.text


def _resolved_ticket(dialog: DialogEngine, sessions: sessionmaker[Session]) -> Chat:  # noqa: F811
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    sender = RecordingSender(ChannelKind.TELEGRAM)
    dispatch(sessions, sender)
    tech = Chat(dialog, telegram(501))
    tech.press("Üstlen", [sender.to("501")[-1]])
    tech.command("coz", number)
    tech.say("Kağıt çıkarıldı.")
    dispatch(sessions, sender)
    employee.press("Sorun çözüldü", [sender.to(str(EMPLOYEE_ID))[-1]])
    return employee


def test_a_rating_changes_once_and_pings_the_technician_once(
    dialog: DialogEngine,  # noqa: F811
    sessions: sessionmaker[Session],  # noqa: F811
    staff: Staff,  # noqa: F811
) -> None:
    employee = _resolved_ticket(dialog, sessions)
    stars = employee.last
    employee.press("⭐⭐⭐⭐⭐")
    assert "5/5" in employee.text
    employee.press("⭐⭐⭐", stars)  # one change of mind
    assert "3/5" in employee.text
    employee.press("⭐", stars)
    assert "değiştirdiniz" in employee.text and "artık değişmez" in employee.text
    employee.press("⭐⭐", stars)
    assert "artık değişmez" in employee.text
    with sessions() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert ticket.satisfaction == 3
        kinds = session.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)).all()
        assert kinds.count("rated") == 1 and kinds.count("rating_changed") == 1
        pings = session.scalars(select(Notification.kind).where(Notification.kind.like("rat%"))).all()
        assert pings == ["rated"]


def test_deactivated_staff_get_no_work_buttons_in_durum(
    dialog: DialogEngine,  # noqa: F811
    sessions: sessionmaker[Session],  # noqa: F811
    staff: Staff,  # noqa: F811
) -> None:
    number = open_printer_ticket(verified_employee(dialog))
    tech = Chat(dialog, telegram(501))
    tech.command("durum", number)
    assert "Üstlen" in tech.labels
    with sessions.begin() as session:
        session.scalars(select(Person).where(Person.id == staff.technician.id)).one().active = False
    tech.command("durum", number)
    assert number in tech.text and tech.labels == []
