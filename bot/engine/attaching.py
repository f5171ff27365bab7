"""A photo or file sent outside any request: which of the person's tickets does it belong to?

The person chooses among their tickets that still take files (and, for staff, the open tickets assigned to
them), or keeps the file for a new request. Even with one such ticket the choice is asked, since a file sent
after a while may well be about something new. The question is asked once per message, for all its files (a
Teams message may carry several); files sent while the choice is pending join it (a Telegram album arrives as
one message per photo). Nothing else the person does meanwhile loses them: words typed instead describe a new
request they go with, a cancel says they were not kept, and anything else is answered and followed by the
question again (or, when it asks for a text first, by bot.engine.drafts afterwards).
"""

from __future__ import annotations

from bot import texts
from bot.engine import intake
from bot.engine.context import Turn
from bot.engine.events import AttachmentSent
from bot.engine.state import Action, Step
from storage import lookups, tickets
from storage.models import Ticket
from storage.tickets import Operation

MAX_CHOICES = 5
_TAKES_FILES = tickets.TRANSITIONS[Operation.ATTACH][0]


def offer(turn: Turn, event: AttachmentSent) -> bool:
    """Asks where the files go; False when the person has no ticket that takes files."""
    if not _targets(turn):
        return False
    turn.conv.reset()
    turn.conv.go(Step.ATTACH_TARGET, files=_pending(event))
    _ask(turn)
    return True


def another(turn: Turn, event: AttachmentSent) -> None:
    """More files while the choice is pending: they go with the others."""
    turn.conv.data.setdefault("files", []).extend(_pending(event))
    _ask(turn)


def attach_to(turn: Turn, number: str) -> None:
    files = list(turn.conv.data.get("files", []))
    turn.conv.reset()
    for item in files:
        caption = item.get("caption")
        intake.add_file(turn, number, item, str(caption) if caption else None)
    ticket = tickets.get_ticket(turn.session, number)
    turn.say(texts.files_added(ticket.number, len(files), to_requester=ticket.requester_id != turn.person.id))


def for_new_request(turn: Turn, text: str | None = None) -> None:
    """The files start a request, described by `text` (typed instead of choosing) and their captions; with
    no words at all the description is asked for, and the files wait with it."""
    files = list(turn.conv.data.get("files", []))
    captions = [str(f["caption"]) for f in files if intake.has_words(str(f.get("caption", "")))]
    description = [text, *captions] if text else captions
    turn.conv.reset()
    turn.conv.data["attachments"] = [{k: v for k, v in f.items() if k != "caption"} for f in files]
    if description:
        intake.free_text(turn, "\n".join(description))
    else:
        turn.say(texts.file_for_new_request(len(files)))


def describe(turn: Turn, raw: str) -> None:
    """Words typed instead of a choice describe a new request, which the files go with."""
    text = intake.usable_text(turn, raw)
    if text is not None:
        for_new_request(turn, text)


def discard(turn: Turn) -> None:
    """Cancelled: the files waiting for the choice, or for a new request's description, are not kept."""
    data = turn.conv.data
    count = len(data.get("files") or data.get("attachments") or [])
    turn.conv.reset()
    turn.say(texts.files_discarded(count))


def remind(turn: Turn) -> None:
    """The question again after the person did something else meanwhile, so the files are not forgotten;
    unless this turn has asked it already."""
    asked = turn.conv.offered_this_turn and any(a["do"] == "attach_new" for a in turn.conv.choices.values())
    if not asked:
        _ask(turn, reminder=True)


def _ask(turn: Turn, reminder: bool = False) -> None:
    choices: list[tuple[str, Action]] = [
        (
            texts.ticket_line(
                t.number, t.service_title, t.status.value, requester=t.requester_id == turn.person.id
            ),
            {"do": "attach_to", "ticket": t.number},
        )
        for t in _targets(turn)
    ]
    choices.append((texts.BTN_FILE_NEW_REQUEST, {"do": "attach_new"}))
    choices.append((texts.BTN_CANCEL, {"do": "cancel"}))
    turn.say(texts.which_ticket_for_files(len(turn.conv.data["files"]), reminder), choices)


def _targets(turn: Turn) -> list[Ticket]:
    """The person's own tickets that take files, then (staff) the open ones assigned to them; newest
    requests first, at most MAX_CHOICES."""
    person = turn.person
    found = [t for t in lookups.tickets_of_requester(turn.session, person.id) if t.status in _TAKES_FILES]
    if person.is_staff:
        found += [t for t in lookups.open_tickets_of_assignee(turn.session, person.id) if t not in found]
    return found[:MAX_CHOICES]


def _pending(event: AttachmentSent) -> list[dict[str, object]]:
    """The message's files as they wait for the choice; its caption, typed once, goes with the first."""
    caption = intake.clean_text(event.caption)
    files: list[dict[str, object]] = [intake.kept_file(file) for file in event.files]
    if caption:
        files[0]["caption"] = caption
    return files
