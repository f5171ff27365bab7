"""/start, recognising employees and staff, and the citizens' KVKK consent."""

from __future__ import annotations

from bot import texts
from bot.engine import drafts, intake, typed
from bot.engine.context import Turn
from bot.engine.events import ContactShared
from bot.engine.state import Step
from storage import people, privacy
from storage.models import PersonKind


def start(turn: Turn) -> None:
    # A request half written, or files waiting, survive /start (pressed again, or sent by a console that was
    # restarted); so does a first message written before identification.
    kept = drafts.keep(turn)
    first = turn.conv.data.get("first_text")
    turn.conv.reset()
    if first:
        turn.conv.data["first_text"] = first
    person = turn.person
    if person.kind is not PersonKind.CITIZEN:
        turn.say(texts.welcome_known(person.name or turn.ref.display_name or "", person.is_staff))
    else:
        turn.say(texts.WELCOME)
        if turn.needs_consent():
            ask_identity(turn)
            return
    drafts.resume(turn, kept)


def keep_first_text(turn: Turn, raw: str) -> None:
    """A problem written before identification and the notice: continued with afterwards (only in the
    conversation until then; a declined notice discards it). A greeting or thanks is no problem to keep,
    and a later problem replaces an earlier one."""
    text = intake.clean_text(raw)
    if not intake.has_words(text) or len(text) > turn.traits.text_limit:
        return
    if turn.services.matcher.match(text).decision != "none":
        turn.conv.data["first_text"] = text


def continue_with(turn: Turn, first: str | None) -> None:
    """After identification: the problem written first, as if it was written now."""
    if first:
        turn.say(texts.continuing_with(first))
        intake.free_text(turn, first)


def ask_identity(turn: Turn, again: bool = False) -> None:
    """Staff and employees share their phone (only Telegram has the button); citizens read the notice and
    go on with "Okudum, anladım", one tap for both."""
    if turn.traits.contact_button:
        turn.say(texts.IDENTIFY_AGAIN if again else texts.IDENTIFY, ask_contact=True)
    if again:
        remind_notice(turn)
    else:
        show_notice(turn)


def remind_notice(turn: Turn) -> None:
    """Consent asked again with its buttons, without sending the whole notice once more."""
    _ask_consent(turn, texts.KVKK_REQUIRED)


def show_notice(turn: Turn) -> None:
    turn.say(texts.KVKK_INTRO)
    _ask_consent(turn, _notice(turn))


def _ask_consent(turn: Turn, text: str) -> None:
    turn.conv.go(Step.KVKK)
    turn.say(
        text,
        [
            (texts.BTN_KVKK_ACCEPT, {"do": "kvkk_accept", "typed": [typed.Intent.YES]}),
            (texts.BTN_KVKK_REJECT, {"do": "kvkk_reject", "typed": [typed.Intent.NO]}),
        ],
    )


def _notice(turn: Turn) -> str:
    config = turn.services.config
    return texts.kvkk_notice(config.kvkk_version, config.kvkk_controller)


def kvkk_command(turn: Turn) -> None:
    """/kvkk: the notice, with the consent buttons for a citizen who has not accepted this version."""
    if turn.needs_consent():
        show_notice(turn)
    else:
        turn.say(_notice(turn))
        if turn.kind is PersonKind.CITIZEN:
            turn.say(texts.KVKK_ALREADY_ACCEPTED)


def accept(turn: Turn) -> None:
    people.record_kvkk_acceptance(turn.person, turn.services.config.kvkk_version, turn.now)
    if turn.ref.display_name and not turn.person.name:
        people.set_personal_data(turn.person, name=turn.ref.display_name)
    first = turn.conv.data.get("first_text")
    turn.conv.reset()
    turn.say(texts.KVKK_ACCEPTED_CONTINUING if first else texts.KVKK_ACCEPTED)
    continue_with(turn, first)


def reject(turn: Turn) -> None:
    """A citizen without requests is deleted with their account and dialog; one with requests keeps them
    (and their contact details) for the retention period, as the notice they accepted then said."""
    turn.conv.reset()
    if privacy.forget_declined(turn.session, turn.person):
        turn.forgotten = True
        turn.say(texts.KVKK_REJECTED)
    else:
        turn.say(texts.KVKK_REJECTED_WITH_REQUESTS)


def contact_for_identity(turn: Turn, contact: ContactShared) -> None:
    """A shared phone number matched against the staff directory; no match means a citizen."""
    if not contact.is_own:
        turn.say(texts.CONTACT_NOT_OWN)
        return
    member = people.directory_person_by_phone(turn.session, contact.phone)
    if member is None:
        turn.say(texts.CONTACT_NOT_IN_DIRECTORY)
        if turn.needs_consent():
            show_notice(turn)
        return
    kept = drafts.keep(turn)  # a citizen recognised as staff in the middle of something
    first = turn.conv.data.get("first_text")
    people.link_account(turn.account, member)
    turn.conv.reset()
    turn.say(texts.verified_staff(member.name or ""))
    drafts.resume(turn, kept)
    if turn.conv.step == Step.IDLE:
        continue_with(turn, first)
