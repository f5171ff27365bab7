"""Typed replies where options are on offer: which option a text names, and what to do when it names none.

Choices answer to the intents they are tagged with (`"typed": ["yes"]` in their action), to their number or
ordinal, and to their own label typed. A reply that names nothing shows the step's options again; a long
text with a new problem, typed while "Doğru mu?" waits, is asked about instead of dropping the draft.
"""

from __future__ import annotations

from bot import texts
from bot.engine import intake, typed
from bot.engine.context import Turn
from bot.engine.state import Action

NEW_PROBLEM_WORDS = 4  # a text this long at a yes/no question may be a new problem rather than an answer


def typed_choice(turn: Turn, raw: str) -> Action | None:
    """The offered choice a typed reply names (spent like a pressed button), or None."""
    offered = turn.conv.offered()
    if not offered:
        return None
    meaning = typed.intent(raw)
    chosen: Action | None = None
    if meaning is not None:
        chosen = next((a for _, a in offered if meaning in a.get("typed", ())), None)
    if chosen is None:
        number = typed.ordinal(raw, len(offered))
        if number is not None:
            chosen = offered[number - 1][1]
    if chosen is None:
        index = typed.label_match(raw, [label for label, _ in offered])
        if index is not None:
            chosen = offered[index][1]
    if chosen is not None:
        turn.conv.choices = {}  # spent, as a pressed button's are
    return chosen


def not_understood(turn: Turn) -> None:
    """The step's question and options again, after saying the reply was not understood."""
    turn.say(texts.TYPED_NOT_UNDERSTOOD)
    show_again(turn)


def show_again(turn: Turn) -> None:
    offered = turn.conv.offered()
    prompt = turn.conv.prompt
    if not offered:
        turn.say(texts.CHOOSE_FROM_OPTIONS)
        return
    turn.say(prompt or texts.CHOOSE_FROM_OPTIONS, [(label, _without_label(a)) for label, a in offered])


def confirm_or_new(turn: Turn, raw: str) -> None:
    """A text at "Doğru mu?" that is no yes or no: a long one may be a new problem, so ask; a short one is
    not understood."""
    text = intake.usable_text(turn, raw)
    if text is None:
        return
    if len(typed.words(text)) < NEW_PROBLEM_WORDS:
        not_understood(turn)
        return
    turn.say(
        texts.new_request_or_answer(text),
        [
            (texts.BTN_NEW_REQUEST_FROM_TEXT, {"do": "new_text", "text": text, "typed": [typed.Intent.YES]}),
            (texts.BTN_BACK_TO_QUESTION, {"do": "back", "typed": [typed.Intent.NO]}),
        ],
    )


def _without_label(action: Action) -> Action:
    return {k: v for k, v in action.items() if k != "label"}
