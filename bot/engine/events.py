"""What a channel adapter hands the dialog engine, and what it gets back.

Adapters translate platform objects into these and render the replies; they know nothing about tickets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ChannelKind(StrEnum):
    TELEGRAM = "telegram"
    TEAMS = "teams"
    CONSOLE = "console"


@dataclass(frozen=True)
class ChannelTraits:
    """What a channel can do, declared once: the engine asks these instead of naming channels."""

    text_limit: int  # the longest text a person can send and the engine keeps
    contact_button: bool  # a button that shares the person's own phone number


# Telegram's limit is 4096 characters; Teams and the console get the same, so a text fits every channel.
TRAITS = {
    ChannelKind.TELEGRAM: ChannelTraits(text_limit=4096, contact_button=True),
    ChannelKind.TEAMS: ChannelTraits(text_limit=4096, contact_button=False),
    ChannelKind.CONSOLE: ChannelTraits(text_limit=4096, contact_button=False),
}


@dataclass(frozen=True)
class AccountRef:
    """Who wrote, as the channel knows them: the engine resolves it to a stored chat account."""

    channel: ChannelKind
    external_id: str  # Telegram user id, Teams AAD object id / user id, console user name
    display_name: str = ""
    # Teams only: what `continue_conversation` needs for proactive messages later.
    conversation_ref: dict[str, object] | None = None
    email: str | None = None  # Teams users' UPN, when the channel knows it


@dataclass(frozen=True)
class TextEvent:
    text: str


@dataclass(frozen=True)
class OptionChosen:
    """A button press: `option_id` is the short opaque id of an `Option` the engine sent earlier."""

    option_id: str


@dataclass(frozen=True)
class ContactShared:
    phone: str
    # False when someone forwards another person's contact card instead of sharing their own number.
    is_own: bool = True


class AttachmentKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True)
class SentFile:
    kind: AttachmentKind
    file_ref: str  # platform file id (Telegram file_id, Teams file id or picture URL) or a stored path
    file_name: str | None = None


@dataclass(frozen=True)
class AttachmentSent:
    """One message carrying photos or files, answered once: Teams sends several files in one message, while
    Telegram sends one per message (an album arrives as several messages). The caption is the text typed
    with them."""

    files: tuple[SentFile, ...]
    caption: str = ""

    @classmethod
    def single(
        cls, kind: AttachmentKind, file_ref: str, file_name: str | None = None, caption: str = ""
    ) -> AttachmentSent:
        return cls((SentFile(kind, file_ref, file_name),), caption)


@dataclass(frozen=True)
class CommandEvent:
    name: str  # without the slash, as command_name() gives it: "start", "durum"
    args: str = ""


# Typed commands may use Turkish letters and capitals: /Yardım, /üstlen, /ÇÖZ.
_ASCII = str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")


def command_name(typed: str) -> str:
    """A typed command's name as the engine knows it: "Yardım" → "yardim", "İPTAL" → "iptal"."""
    return typed.translate(_ASCII).lower()


@dataclass(frozen=True)
class UnsupportedEvent:
    """Something the bot cannot use (sticker, voice, location, …): answered politely."""

    what: str


Event = TextEvent | OptionChosen | ContactShared | AttachmentSent | CommandEvent | UnsupportedEvent


@dataclass(frozen=True)
class Option:
    id: str  # short and opaque; fits Telegram's 64-byte callback_data
    label: str


@dataclass(frozen=True)
class SharedFile:
    """A stored attachment passed on with a message: a channel that knows the file's platform id (the
    channel it came in on) sends the file itself; the others show only the text, which names it."""

    channel: ChannelKind
    file_ref: str
    kind: AttachmentKind
    file_name: str | None = None


@dataclass(frozen=True)
class Reply:
    text: str
    options: list[Option] = field(default_factory=list)
    ask_contact: bool = False
    file: SharedFile | None = None
    no_preview: bool = False  # a one-time link: a chat app's link preview must not open (and spend) it
