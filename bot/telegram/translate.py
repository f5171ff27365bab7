"""Telegram Update ↔ engine Event/Reply. Pure translation: no I/O, no business rules."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus, ChatType, MessageLimit

from bot import texts
from bot.engine.events import (
    AccountRef,
    AttachmentKind,
    AttachmentSent,
    ChannelKind,
    CommandEvent,
    ContactShared,
    Event,
    OptionChosen,
    Reply,
    TextEvent,
    UnsupportedEvent,
    command_name,
)

# Message contents the bot cannot use, in the order Telegram's Message attributes are checked.
_UNSUPPORTED = (
    "sticker",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "location",
    "venue",
    "poll",
    "dice",
    "game",
)


@dataclass(frozen=True)
class Inbound:
    account: AccountRef
    chat_id: int
    event: Event
    delivery_id: str


def account_of(user: User) -> AccountRef:
    return AccountRef(ChannelKind.TELEGRAM, str(user.id), user.full_name)


def inbound(update: Update) -> Inbound | None:
    """The engine event an update carries, or None for updates the bot does not answer."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE or user.is_bot:
        return None  # the bot serves private chats only
    event: Event | None
    if update.callback_query is not None:
        data = update.callback_query.data
        event = OptionChosen(data) if data else None
    elif update.message is not None:
        event = _message_event(update.message, user)
    else:
        event = None
    if event is None:
        return None
    return Inbound(account_of(user), chat.id, event, f"tg:{update.update_id}")


def blocked_by(update: Update) -> bool:
    """The user stopped the bot in a private chat (Telegram tells with a my_chat_member update)."""
    member = update.my_chat_member
    return (
        member is not None
        and member.chat.type == ChatType.PRIVATE
        and member.new_chat_member.status == ChatMemberStatus.BANNED
    )


def _message_event(message: Message, user: User) -> Event | None:
    if message.contact is not None:
        return ContactShared(message.contact.phone_number, is_own=message.contact.user_id == user.id)
    if message.photo:
        return AttachmentSent.single(
            AttachmentKind.PHOTO, message.photo[-1].file_id, None, message.caption or ""
        )
    if message.document is not None:
        doc = message.document
        return AttachmentSent.single(
            AttachmentKind.DOCUMENT, doc.file_id, doc.file_name, message.caption or ""
        )
    for what in _UNSUPPORTED:
        if getattr(message, what, None):
            return UnsupportedEvent(what)
    if message.text is None:
        return UnsupportedEvent("other")
    text = message.text
    if text.startswith("/"):
        head, _, args = text[1:].partition(" ")
        name = command_name(head.split("@", 1)[0])
        if name:
            return CommandEvent(name, args.strip())
    return TextEvent(text)


Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


def render(reply: Reply) -> list[tuple[str, Markup | None]]:
    """The messages to send for one reply: text split at Telegram's limit, the keyboard on the last part.

    A message carries one kind of keyboard, so options and the contact button go in two messages.
    """
    markups: list[Markup] = []
    if reply.ask_contact:
        markups.append(
            ReplyKeyboardMarkup(
                [[KeyboardButton(texts.BTN_SHARE_PHONE, request_contact=True)]],
                one_time_keyboard=True,
                resize_keyboard=True,
            )
        )
    if reply.options:
        markups.append(
            InlineKeyboardMarkup(
                [[InlineKeyboardButton(option.label, callback_data=option.id)] for option in reply.options]
            )
        )
    parts = split_text(reply.text, MessageLimit.MAX_TEXT_LENGTH)
    messages: list[tuple[str, Markup | None]] = [(part, None) for part in parts]
    if markups:
        messages[-1] = (parts[-1], markups[0])
    if len(markups) == 2:
        messages.append((texts.OR_CHOOSE, markups[1]))
    return messages


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at a line break where there is one."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    parts.append(text)
    return parts
