"""Buttons that act on a ticket ("Üstlen", "Çözüldü", …) carry the ticket id and the action in their option
id, e.g. "t42:take": the ticket row in the database is the state they resolve against, so they stay valid in
a notification sent hours earlier and work in any process. Who may press them is checked on every press."""

from __future__ import annotations

import re
from enum import StrEnum

from bot import texts
from bot.engine.events import Option
from storage.models import Ticket, TicketStatus

PREFIX = "t"
UNTAKEN = frozenset({TicketStatus.NEW, TicketStatus.ASSIGNED})  # "Üstlen" comes first
MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER columns on PostgreSQL
_OPTION_ID = re.compile(
    rf"{PREFIX}(?P<id>[1-9][0-9]{{0,9}}):(?P<action>[a-z]+)(?::(?P<arg>[0-9a-z]{{1,8}}))?", re.ASCII
)


class TicketAction(StrEnum):
    TAKE = "take"
    RESOLVE = "resolve"
    HOLD = "hold"
    FORWARD = "fwd"
    ANSWER = "answer"
    CONFIRM = "ok"
    REOPEN = "reopen"
    RATE = "rate"  # followed by the score: "t42:rate:5"
    NOTE = "note"  # the requester adds a note or a file to an open ticket


def option(ticket_id: int, action: TicketAction, label: str, arg: str | None = None) -> Option:
    suffix = f":{arg}" if arg is not None else ""
    return Option(f"{PREFIX}{ticket_id}:{action.value}{suffix}", label)


def parse(option_id: str) -> tuple[int, TicketAction, str | None] | None:
    """(ticket id, action, argument) of a ticket button, or None for any other option id.

    Strict, as the data comes from the client: ASCII digits only ("²".isdigit() is true), an id that fits
    the database's integer column, a known action and a short ASCII argument.
    """
    found = _OPTION_ID.fullmatch(option_id)
    if found is None or int(found["id"]) > MAX_ID:
        return None
    try:
        action = TicketAction(found["action"])
    except ValueError:
        return None
    return int(found["id"]), action, found["arg"]


def work_options(ticket: Ticket, can_lead: bool) -> list[Option]:
    """The technician's buttons a ticket's status allows: "Üstlen" until taken, then "Çözüldü" and
    "Beklemeye al" (not while already waiting for the requester); "Yönlendir" for leads while open."""
    if not ticket.is_open:
        return []
    if ticket.status in UNTAKEN:
        options = [option(ticket.id, TicketAction.TAKE, texts.BTN_TAKE)]
    else:
        options = [option(ticket.id, TicketAction.RESOLVE, texts.BTN_RESOLVE)]
        if ticket.status is not TicketStatus.WAITING_FOR_REQUESTER:
            options.append(option(ticket.id, TicketAction.HOLD, texts.BTN_HOLD))
    if can_lead:
        options.append(option(ticket.id, TicketAction.FORWARD, texts.BTN_FORWARD))
    return options


def answer_options(ticket_id: int) -> list[Option]:
    """The requester's button under the technician's question."""
    return [option(ticket_id, TicketAction.ANSWER, texts.BTN_ANSWER)]


def note_options(ticket_id: int) -> list[Option]:
    """The requester's "Not ekle" on an open ticket."""
    return [option(ticket_id, TicketAction.NOTE, texts.BTN_ADD_NOTE)]


def resolution_options(ticket_id: int) -> list[Option]:
    return [
        option(ticket_id, TicketAction.CONFIRM, texts.BTN_CONFIRM_RESOLVED),
        option(ticket_id, TicketAction.REOPEN, texts.BTN_REOPEN),
    ]


def rating_options(ticket_id: int) -> list[Option]:
    """1 (çok kötü) to 5 (çok iyi), in that order on every channel."""
    return [option(ticket_id, TicketAction.RATE, texts.btn_rating(n), str(n)) for n in range(1, 6)]
