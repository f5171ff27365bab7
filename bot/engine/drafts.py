"""What a person was in the middle of, kept aside while something else is done, and continued afterwards.

Answering the technician's question, /start, or being recognised as staff in the middle of a new request
must not throw the request away, nor the files sent without one: those waiting for the "which ticket?"
choice, or kept for a request whose description is still to come.
"""

from __future__ import annotations

from typing import Any, cast

from bot import texts
from bot.engine import attaching, intake
from bot.engine.context import Turn
from bot.engine.state import Draft, Step

Kept = dict[str, Any]  # {"step": the step it stood at, "data": its conversation data}

# Steps whose request continues with the next missing detail; before them the text is matched again.
_DETAIL_STEPS = frozenset({Step.DESCRIPTION, Step.LOCATION, Step.CONTACT, Step.SUMMARY})


def keep(turn: Turn) -> Kept | None:
    """What the conversation holds that must survive what comes next; None when there is nothing."""
    conv = turn.conv
    if "ticket" in conv.data:  # already inside a ticket operation: what it kept aside, if anything
        kept: Kept | None = conv.data.get("draft")
        return kept
    data = conv.data
    writing = conv.step in intake.WRITING_STEPS and (data.get("text") or data.get("service"))
    if writing or conv.step == Step.ATTACH_TARGET or data.get("attachments"):
        return {"step": conv.step, "data": data}
    return None


def resume(turn: Turn, kept: Kept | None) -> None:
    """Back to what was kept, where it stood: the request, or the files still waiting."""
    if kept is None:
        return
    step, data = str(kept["step"]), as_draft(kept)
    if step == Step.ATTACH_TARGET:
        turn.conv.go(step)
        turn.conv.data = data
        attaching.remind(turn)
    elif step in _DETAIL_STEPS:
        turn.say(texts.DRAFT_RESUMED)
        turn.conv.go(step)
        turn.conv.data = data
        intake.next_detail(turn)
    else:
        files = data.get("attachments")
        if files:
            turn.conv.data["attachments"] = files
        if data.get("text"):
            turn.say(texts.DRAFT_RESUMED)
            intake.free_text(turn, str(data["text"]))
        elif files:
            turn.say(texts.files_kept_for_new_request(len(files)))


def as_draft(kept: Kept) -> Draft:
    """The conversation data `keep` set aside (a Draft when kept, stored as JSON since)."""
    return cast(Draft, dict(kept["data"]))


def new_request(turn: Turn) -> None:
    """/yeni: what was being written is dropped, but files already sent stay for the new request (files
    waiting for the "which ticket?" choice go as if "Yeni talep oluştur" was chosen)."""
    kept = keep(turn)
    turn.conv.reset()
    if kept is not None and kept["step"] == Step.ATTACH_TARGET:
        turn.conv.go(Step.ATTACH_TARGET)
        turn.conv.data = as_draft(kept)
        attaching.for_new_request(turn)
        return
    files = kept["data"].get("attachments") if kept else None
    if files:
        turn.conv.data["attachments"] = files
    intake.back_to_idle(turn, texts.NEW_REQUEST)
