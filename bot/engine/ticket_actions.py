"""Buttons that act on a ticket ("Üstlen", "Çözüldü", …) carry the ticket id and the action in their option
id, e.g. "t42:take": the ticket row in the database is the state they resolve against, so they stay valid in
a notification sent hours earlier and work in any process. Who may press them is checked on every press."""

from __future__ import annotations

import re
from enum import StrEnum

from bot import texts
from bot.engine.events import Option

PREFIX = "t"
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


def work_options(ticket_id: int, taken: bool, can_lead: bool, waiting: bool = False) -> list[Option]:
    """The technician's buttons on a ticket: take first, then resolve / hold (not while already waiting for
    the requester), forward for leads."""
    options = [] if taken else [option(ticket_id, TicketAction.TAKE, texts.BTN_TAKE)]
    options.append(option(ticket_id, TicketAction.RESOLVE, texts.BTN_RESOLVE))
    if not waiting:
        options.append(option(ticket_id, TicketAction.HOLD, texts.BTN_HOLD))
    if can_lead:
        options.append(option(ticket_id, TicketAction.FORWARD, texts.BTN_FORWARD))
    return options


def answer_options(ticket_id: int) -> list[Option]:
    """The requester's button under the technician's question."""
    return [option(ticket_id, TicketAction.ANSWER, texts.BTN_ANSWER)]


def resolution_options(ticket_id: int) -> list[Option]:
    return [
        option(ticket_id, TicketAction.CONFIRM, texts.BTN_CONFIRM_RESOLVED),
        option(ticket_id, TicketAction.REOPEN, texts.BTN_REOPEN),
    ]


def rating_options(ticket_id: int) -> list[Option]:
    return [option(ticket_id, TicketAction.RATE, texts.btn_stars(n), str(n)) for n in range(5, 0, -1)]
