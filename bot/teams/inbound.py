"""Teams activities as engine events: who wrote, and what they did.

Teams sends a typed message as text, a button press on one of our cards as `value` = {"option": id}, pictures
pasted into the chat as image attachments and uploaded files as file download links.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationReference

from bot.engine import commands
from bot.engine.events import (
    AccountRef,
    AttachmentKind,
    AttachmentSent,
    ChannelKind,
    CommandEvent,
    Event,
    OptionChosen,
    SentFile,
    TextEvent,
    UnsupportedEvent,
    command_name,
)
from bot.teams.cards import OPTION_KEY

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
COMMAND_NAMES = frozenset(name for name, _ in commands.menu(staff=True))


def conversation_reference(activity: Activity) -> dict[str, Any]:
    """The JSON that `continue_conversation` needs to message this user later, even after a restart.

    The activity id is left out: a proactive message starts a new message rather than answering an old one.
    """
    reference: ConversationReference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    serialized: dict[str, Any] = reference.serialize()
    return serialized


def tenant_id(activity: Activity) -> str | None:
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant")
    if isinstance(tenant, dict) and tenant.get("id"):
        return str(tenant["id"])
    conversation = activity.conversation
    return getattr(conversation, "tenant_id", None) if conversation else None


def account_ref(activity: Activity, email: str | None = None) -> AccountRef:
    """The sender, known by their Entra (AAD) object id, which the staff directory records for staff."""
    sender = activity.from_property
    external_id = getattr(sender, "aad_object_id", None) or sender.id
    return AccountRef(
        channel=ChannelKind.TEAMS,
        external_id=str(external_id),
        display_name=sender.name or "",
        conversation_ref=conversation_reference(activity),
        email=email.lower() if email else None,
    )


def is_install(activity: Activity) -> bool:
    """The bot was added to the conversation (the user installed the app): time to say hello."""
    if activity.type != ActivityTypes.conversation_update or not activity.members_added:
        return False
    bot_id = activity.recipient.id if activity.recipient else None
    return any(member.id == bot_id for member in activity.members_added)


def is_uninstall(activity: Activity) -> bool:
    """The user removed the app ("remove", or "remove-upgrade" when an update removed the bot)."""
    return activity.type == ActivityTypes.installation_update and str(activity.action or "").startswith(
        "remove"
    )


def message_event(activity: Activity) -> Event:
    """The one event a message activity is: a submitted option, its files (all of them, with the text typed
    with them as their caption), or its text."""
    value = activity.value
    if isinstance(value, dict) and OPTION_KEY in value:
        return OptionChosen(option_id=str(value[OPTION_KEY]))
    text = _text_without_mention(activity)
    files = tuple(file for file in map(_sent_file, activity.attachments or []) if file is not None)
    if files:
        return AttachmentSent(files, caption=text)
    if _has_unusable_attachment(activity):
        return UnsupportedEvent(what="attachment")
    return parse_text(text)


def parse_text(text: str) -> Event:
    """Commands as in Telegram ("/durum BIM-2026-000001"), and as Teams' command menu sends them: the bare
    title, possibly followed by a ticket number ("durum BIM-2026-000001"). A bare word followed by other
    words is an ordinary sentence ("yeni yazıcı istiyorum")."""
    stripped = text.strip()
    head, _, rest = stripped.partition(" ")
    rest = rest.strip()
    if head.startswith("/") and len(head) > 1:
        return CommandEvent(name=_command_name(head[1:]), args=rest)
    name = _command_name(head)
    if name in COMMAND_NAMES and (not rest or (" " not in rest and any(c.isdigit() for c in rest))):
        return CommandEvent(name=name, args=rest)
    return TextEvent(text=text)


def _command_name(word: str) -> str:
    # Telegram-style "/cmd@botname" loses the suffix.
    return command_name(word.split("@", 1)[0])


def _text_without_mention(activity: Activity) -> str:
    text = TurnContext.remove_recipient_mention(activity) if activity.entities else activity.text
    return str(text or "")


def _sent_file(attachment: Any) -> SentFile | None:
    content_type = attachment.content_type or ""
    if content_type == FILE_DOWNLOAD_INFO and isinstance(attachment.content, dict):
        # The download URL expires within the hour; the file's OneDrive id is what stays valid.
        unique_id = attachment.content.get("uniqueId")
        return SentFile(AttachmentKind.DOCUMENT, f"teams:{unique_id}", attachment.name) if unique_id else None
    if content_type.startswith("image/") and attachment.content_url:
        return SentFile(AttachmentKind.PHOTO, attachment.content_url, attachment.name)
    return None


def _has_unusable_attachment(activity: Activity) -> bool:
    # Teams repeats formatted text as a text/html attachment; that one is just the message itself.
    return (
        any((a.content_type or "") not in ("text/html", "text/plain") for a in activity.attachments or [])
        and not (activity.text or "").strip()
    )
