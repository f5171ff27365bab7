"""/start, recognising employees and staff, and the citizens' KVKK consent."""

from __future__ import annotations

from bot import texts
from bot.engine import drafts
from bot.engine.context import Turn
from bot.engine.events import ChannelKind, ContactShared
from bot.engine.state import Step
from storage import people, privacy
from storage.models import PersonKind


def start(turn: Turn) -> None:
    # A request half written, or files waiting, survive /start (pressed again, or sent by a console that was
    # restarted).
    kept = drafts.keep(turn)
    turn.conv.reset()
    person = turn.person
    if person.kind is not PersonKind.CITIZEN:
        turn.say(texts.welcome_known(person.name or turn.ref.display_name or "", person.is_staff))
    else:
        turn.say(texts.WELCOME)
        if turn.needs_consent():
            ask_identity(turn)
            return
    drafts.resume(turn, kept)


def ask_identity(turn: Turn, again: bool = False) -> None:
    turn.conv.go(Step.IDENTIFY)
    if turn.ref.channel is ChannelKind.TELEGRAM:  # only Telegram has a contact-sharing button
        turn.say(texts.IDENTIFY_AGAIN if again else texts.IDENTIFY, ask_contact=True)
    turn.say(texts.IDENTIFY_CITIZEN, [(texts.BTN_CITIZEN, {"do": "citizen"})])


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
        [(texts.BTN_KVKK_ACCEPT, {"do": "kvkk_accept"}), (texts.BTN_KVKK_REJECT, {"do": "kvkk_reject"})],
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
    turn.conv.reset()
    turn.say(texts.KVKK_ACCEPTED)


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
    people.link_account(turn.account, member)
    turn.conv.reset()
    turn.say(texts.verified_staff(member.name or ""))
    drafts.resume(turn, kept)
