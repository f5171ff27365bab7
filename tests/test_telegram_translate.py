"""Telegram Update ↔ Event/Reply translation, on real PTB objects parsed from Bot API JSON."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, Update

from bot.engine.events import (
    AttachmentKind,
    AttachmentSent,
    CommandEvent,
    ContactShared,
    Option,
    OptionChosen,
    Reply,
    TextEvent,
    UnsupportedEvent,
)
from bot.telegram.translate import blocked_by, inbound, render

USER = {"id": 77, "is_bot": False, "first_name": "Deniz", "last_name": "Kaya"}


def _update(chat_type: str = "private", **message: Any) -> Update:
    payload = {
        "update_id": 5,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 77, "type": chat_type},
            "from": USER,
            **message,
        },
    }
    update = Update.de_json(payload, None)
    assert update is not None
    return update


def test_text_command_contact_and_files() -> None:
    text = inbound(_update(text="yazıcım bozuk"))
    assert text is not None and text.event == TextEvent("yazıcım bozuk")
    command = inbound(_update(text="/Durum@talep_bot BIM-2026-000001"))
    assert command is not None and command.event == CommandEvent("durum", "BIM-2026-000001")
    assert command.delivery_id == "tg:5" and command.account.display_name == "Deniz Kaya"
    dotted = inbound(_update(text="/İPTAL"))  # str.lower() alone would give "i̇ptal", with a combining dot
    assert dotted is not None and dotted.event == CommandEvent("iptal")
    own = inbound(_update(contact={"phone_number": "+905321234567", "first_name": "D", "user_id": 77}))
    other = inbound(_update(contact={"phone_number": "+905321234567", "first_name": "D", "user_id": 78}))
    assert own is not None and own.event == ContactShared("+905321234567", is_own=True)
    assert other is not None and other.event == ContactShared("+905321234567", is_own=False)
    photo = [
        {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
        {"file_id": "large", "file_unique_id": "l", "width": 900, "height": 900},
    ]
    sent = inbound(_update(photo=photo, caption="toner"))
    assert sent is not None and sent.event == AttachmentSent.single(
        AttachmentKind.PHOTO, "large", None, "toner"
    )
    document = {"file_id": "doc", "file_unique_id": "d", "file_name": "hata.pdf"}
    sent = inbound(_update(document=document))
    assert sent is not None and sent.event == AttachmentSent.single(
        AttachmentKind.DOCUMENT, "doc", "hata.pdf", ""
    )


def test_unusable_messages_and_group_chats() -> None:
    location = inbound(_update(location={"latitude": 41.0, "longitude": 28.9}))
    assert location is not None and location.event == UnsupportedEvent("location")
    assert inbound(_update(chat_type="group", text="merhaba")) is None


def test_button_press_and_bot_blocked() -> None:
    update = Update.de_json(
        {
            "update_id": 6,
            "callback_query": {
                "id": "q",
                "from": USER,
                "chat_instance": "c",
                "data": "3.1",
                "message": {"message_id": 2, "date": 0, "chat": {"id": 77, "type": "private"}},
            },
        },
        None,
    )
    assert update is not None
    pressed = inbound(update)
    assert pressed is not None and pressed.event == OptionChosen("3.1")
    kicked = Update.de_json(
        {
            "update_id": 7,
            "my_chat_member": {
                "chat": {"id": 77, "type": "private"},
                "from": USER,
                "date": 0,
                "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True, "first_name": "b"}},
                "new_chat_member": {
                    "status": "kicked",
                    "until_date": 0,
                    "user": {"id": 1, "is_bot": True, "first_name": "b"},
                },
            },
        },
        None,
    )
    assert kicked is not None and blocked_by(kicked) and inbound(kicked) is None


def test_long_reply_is_split_with_the_keyboard_on_the_last_part() -> None:
    text = "\n".join(f"satır {i} " + "x" * 90 for i in range(100))  # about 10,000 characters
    parts = render(Reply(text, [Option("1.1", "Onayla")]))
    assert len(parts) == 3 and all(len(part) <= 4096 for part, _ in parts)
    assert "".join(part for part, _ in parts).replace("\n", "") == text.replace("\n", "")
    assert [markup is None for _, markup in parts] == [True, True, False]
    assert isinstance(parts[-1][1], InlineKeyboardMarkup)


def test_contact_request_keyboard() -> None:
    [(_, markup)] = render(Reply("Telefonunuzu paylaşın", ask_contact=True))
    assert isinstance(markup, ReplyKeyboardMarkup) and markup.keyboard[0][0].request_contact


def test_options_and_contact_button_go_in_two_messages() -> None:
    [(text, contact), (more, choices)] = render(Reply("Telefon?", [Option("4.1", "Atla")], ask_contact=True))
    assert text == "Telefon?" and isinstance(contact, ReplyKeyboardMarkup)
    assert more == "Ya da seçin:" and isinstance(choices, InlineKeyboardMarkup)
