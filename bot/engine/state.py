"""A chat account's conversation: its step, the request being written, and the options last offered.

Option ids are short ("3.1": generation 3, choice 1) and resolved from this stored state, so they fit
Telegram's 64-byte callback_data and any process can serve the click. A new generation starts with each turn
that offers new choices, so a button from an older message is recognised as stale.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, Unpack

from bot.engine.events import Option

Action = dict[str, Any]  # what choosing an option means, e.g. {"do": "service", "id": "05.21.001"}


class Draft(TypedDict, total=False):
    """What a conversation keeps between messages: the request being written, or what a ticket operation
    waits with. Every key is optional: a step sets what it asks for."""

    text: str  # the description
    service: str  # the service id chosen or confirmed
    location: str | None  # None: skipped
    contact: str | None
    attachments: list[dict[str, Any]]  # files for the request (bot.engine.intake.kept_file)
    editing: bool  # "Düzenle" → "Hizmet": back to the summary once chosen
    queued: list[str]  # further problems of the same message, opened one after the other
    first_text: str  # written before identification and the notice, continued with afterwards
    ticket: str  # the ticket number a note, question, answer, reason or rating is for
    draft: dict[str, Any] | None  # what that ticket operation interrupted (bot.engine.drafts)
    files: list[dict[str, object]]  # files waiting for the "which ticket?" choice (bot.engine.attaching)


class Step:
    """The conversation's steps; the value stored in DialogState.state."""

    IDLE = "idle"
    KVKK = "kvkk"  # unknown user: share the phone (staff, employees) or read the notice (citizens)
    PICK = "pick"  # choosing among offered services / groups
    CONFIRM = "confirm"  # confirming the matched service
    DESCRIPTION = "description"
    LOCATION = "location"
    CONTACT = "contact"
    SUMMARY = "summary"
    INFO = "info"  # an information-only service answered (Living Lab)
    RESOLUTION_NOTE = "resolution_note"  # technician writing the note for "Çözüldü"
    QUESTION = "question"  # technician writing a question for the requester
    ANSWER = "answer"  # requester answering the technician's question
    REOPEN_REASON = "reopen_reason"  # requester saying why the resolution did not help
    ATTACH_TARGET = "attach_target"  # a file sent outside a request: which ticket does it belong to?
    ANSWER_WHICH = "answer_which"  # a text typed while several tickets wait for an answer: which one?
    NOTE = "note"  # requester writing a note for an open ticket ("Not ekle")
    RATING = "rating"  # the requester confirmed the resolution: the rating 1..5 is asked


# Steps stored by earlier versions, and where such a conversation continues now.
_RENAMED = {"attachment": Step.SUMMARY, "identify": Step.KVKK}


@dataclass
class Conversation:
    step: str = Step.IDLE
    data: Draft = field(default_factory=lambda: Draft())
    generation: int = 0
    choices: dict[str, Action] = field(default_factory=dict)
    prompt: str = ""  # the message that offered the choices, shown again with them when a reply is unclear
    _fresh_turn: bool = field(default=True, repr=False, compare=False)

    @classmethod
    def from_stored(cls, step: str, data: dict[str, Any]) -> Conversation:
        # A deep copy: changing nested values in place would also change the loaded row's "unchanged"
        # value, and the ORM could then see no change to save.
        data = copy.deepcopy(data)
        return cls(
            step=_RENAMED.get(step, step),
            data=data.get("request", {}),
            generation=int(data.get("generation", 0)),
            choices=data.get("choices", {}),
            prompt=str(data.get("prompt", "")),
        )

    def to_stored(self) -> dict[str, Any]:
        return {
            "request": self.data,
            "generation": self.generation,
            "choices": self.choices,
            "prompt": self.prompt,
        }

    def offer(self, text: str, choices: Sequence[tuple[str, Action]]) -> list[Option]:
        """Options for a reply `text`; the first offer of a turn invalidates the buttons of earlier messages.
        Each choice keeps its label, so a typed label or number finds it (bot.engine.typed)."""
        if self._fresh_turn:
            self.generation += 1
            self.choices = {}
            self._fresh_turn = False
        self.prompt = text
        options = []
        for label, action in choices:
            option_id = f"{self.generation}.{len(self.choices) + 1}"
            self.choices[option_id] = {**action, "label": label}
            options.append(Option(option_id, label))
        return options

    def offered(self) -> list[tuple[str, Action]]:
        """The choices on offer as (label, action), in the order shown (JSONB does not keep key order)."""
        ordered = sorted(self.choices.items(), key=lambda item: int(item[0].rpartition(".")[2]))
        return [(str(action.get("label", "")), action) for _, action in ordered]

    @property
    def offered_this_turn(self) -> bool:
        """Whether this turn has offered choices already (they replaced those of earlier messages)."""
        return not self._fresh_turn

    def take(self, option_id: str) -> Action | None:
        """The action of a pressed option; the buttons offered with it are spent (a button works once)."""
        action = self.choices.get(option_id)
        if action is not None:
            self.choices = {}
        return action

    def go(self, step: str, **updates: Unpack[Draft]) -> None:
        self.step = step
        self.data.update(updates)

    def reset(self) -> None:
        """Back to idle; the request being written and the buttons offered for it are dropped."""
        self.step = Step.IDLE
        self.data = {}
        self.choices = {}
        self.prompt = ""

    def restart(self) -> None:
        """Back to idle like reset, but files already sent for a request stay for the next one."""
        files = self.data.get("attachments")
        self.reset()
        if files:
            self.data["attachments"] = files
