"""The channel-agnostic dialog engine: `DialogEngine.handle(account, event, now) -> list[Reply]`.

Each call is one database transaction: the redelivery check, the chat account, the stored conversation, the
ticket operations and the new conversation state commit together, or not at all. So a restart, or another
process serving the next message, continues exactly where the conversation stood.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bot import texts
from bot.engine import (
    attaching,
    commands,
    drafts,
    intake,
    onboarding,
    reading,
    stored_replies,
    ticket_actions,
    typed,
    work,
)
from bot.engine.context import Services, Turn
from bot.engine.errors import explain
from bot.engine.events import (
    AccountRef,
    AttachmentSent,
    CommandEvent,
    ContactShared,
    Event,
    OptionChosen,
    Reply,
    TextEvent,
    UnsupportedEvent,
)
from bot.engine.state import Action, Conversation, Step
from bot.engine.stored_replies import Answer
from storage import dialogs, outbox, people
from storage.bounded import clean_fields
from storage.errors import StorageError
from storage.models import ChatChannel, PersonKind

log = logging.getLogger(__name__)

_DETAIL_STEPS = {Step.DESCRIPTION, Step.LOCATION, Step.CONTACT}


class DialogEngine:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        services: Services,
        lease: timedelta = outbox.DEFAULT_LEASE,
    ) -> None:
        self._sessions = session_factory
        self.services = services
        # How long the process that served a message owns the delivery of its answer before another may.
        self.lease = lease

    def handle(
        self, account: AccountRef, event: Event, now: datetime, delivery_id: str | None = None
    ) -> Answer:
        """The replies to `event`; [] when `delivery_id` was processed before (a redelivery)."""
        account, event = clean_fields(account), clean_fields(event)  # no NUL even in a query
        try:
            return self._handle(account, event, now, delivery_id)
        except StaleDataError:
            # Another process changed this conversation at the same moment: serve the event on top of it.
            log.info("dialog state changed concurrently (%s); retrying", account.channel.value)
            return self._handle(account, event, now, delivery_id)

    def _handle(self, account: AccountRef, event: Event, now: datetime, delivery_id: str | None) -> Answer:
        channel = ChatChannel(account.channel.value)
        with self._sessions() as session:
            try:
                with session.begin():
                    if delivery_id and not dialogs.first_delivery(session, channel, delivery_id, now):
                        return Answer([])
                    turn = self._turn(session, account, now)
                    _route(turn, event)
                    if turn.forgotten:  # the person's account is gone: the adapter answers directly
                        return Answer(turn.replies)
                    dialogs.save_state(session, turn.account, turn.conv.step, turn.conv.to_stored(), now)
                    # The answer commits with the turn; the caller delivers it (bot.replies), so a crash or an
                    # outage after this commit delays it but never loses it.
                    if not turn.replies:
                        return Answer([])
                    stored = stored_replies.to_json(turn.replies)
                    row = outbox.add(session, turn.account, stored, now, self.lease)
                    return Answer(turn.replies, row.id, turn.account.id)
            except StorageError as exc:
                # Rolled back: nothing of this message is stored, and the user is told why in Turkish.
                log.info("domain error (%s): %s", account.channel.value, exc)
                return Answer([Reply(explain(exc))])

    def _turn(self, session: Session, ref: AccountRef, now: datetime) -> Turn:
        account = people.account_for(session, ChatChannel(ref.channel.value), ref.external_id, now)
        if account.blocked:  # they are writing again, so they unblocked the bot
            account.blocked = False
            account.blocked_at = None
        people.adopt_conversation_ref(account, ref.conversation_ref)
        stored = dialogs.load_state(session, account)
        conv = Conversation.from_stored(stored.state, stored.data) if stored else Conversation()
        return Turn(session, account, ref, conv, now, self.services)

    def mark_unreachable(self, account: AccountRef, now: datetime) -> None:
        """The platform refused delivery for good: notifications go to the person's other channels."""
        with self._sessions() as session, session.begin():
            found = people.account_for(session, ChatChannel(account.channel.value), account.external_id, now)
            people.mark_blocked(found, now)


def _route(turn: Turn, event: Event) -> None:
    waiting = turn.conv.step == Step.ATTACH_TARGET
    _dispatch(turn, event)
    if waiting and turn.conv.step == Step.ATTACH_TARGET:  # something else was done: files still waiting
        attaching.remind(turn)


def _dispatch(turn: Turn, event: Event) -> None:
    if isinstance(event, CommandEvent):
        commands.run(turn, event, lambda: _onboarding_input(turn, event))
    elif isinstance(event, OptionChosen):
        _option(turn, event.option_id)
    elif isinstance(event, UnsupportedEvent):
        turn.say(texts.unsupported(event.what))
    elif turn.conv.step == Step.KVKK or turn.needs_consent():
        _onboarding_input(turn, event)
    elif isinstance(event, ContactShared):
        _contact(turn, event)
    elif isinstance(event, AttachmentSent):
        _attachment(turn, event)
    elif isinstance(event, TextEvent):
        _text(turn, event.text)


def _onboarding_input(turn: Turn, event: Event) -> None:
    """Before a person is identified (and a citizen has read the notice) nothing they write is stored,
    except in the conversation: the first text, continued with once they may go on."""
    if isinstance(event, ContactShared):
        onboarding.contact_for_identity(turn, event)
        return
    if isinstance(event, TextEvent):
        action = reading.typed_choice(turn, event.text)
        if action is not None:
            _ACTIONS[str(action["do"])](turn, action)
            return
        onboarding.keep_first_text(turn, event.text)
    if turn.conv.step == Step.KVKK:
        onboarding.ask_identity(turn, again=True)
    else:
        onboarding.start(turn)


def _contact(turn: Turn, event: ContactShared) -> None:
    if turn.conv.step == Step.CONTACT:
        if not event.is_own:
            turn.say(texts.CONTACT_NOT_OWN)
            return
        intake.set_detail(turn, "contact", event.phone)
    elif turn.kind is PersonKind.CITIZEN:  # a citizen who may be an employee after all
        onboarding.contact_for_identity(turn, event)
    else:
        turn.say(texts.CHOOSE_FROM_OPTIONS)


def _attachment(turn: Turn, event: AttachmentSent) -> None:
    step = turn.conv.step
    if step in commands.TICKET_TEXT_STEPS:  # the file goes onto the ticket the awaited text is for
        work.step_file(turn, event)
    elif step == Step.ATTACH_TARGET:
        attaching.another(turn, event)
    elif step == Step.IDLE and not turn.conv.data.get("attachments") and attaching.offer(turn, event):
        pass  # asked which ticket it belongs to
    else:  # a request being written, or none to add to
        intake.attachment(turn, event)


def _text(turn: Turn, raw: str) -> None:
    """Typed text: an option named in words where options are offered, a command without its slash, an
    answer to the step's question, or a new request."""
    step = turn.conv.step
    if step in commands.TICKET_TEXT_STEPS:
        _ticket_text(turn, raw)
        return
    action = reading.typed_choice(turn, raw)
    if action is not None:
        _ACTIONS[str(action["do"])](turn, action)
        return
    command = commands.from_words(raw)
    if command is not None:
        commands.run(turn, command, lambda: None)
    elif step in _DETAIL_STEPS:
        intake.detail_text(turn, raw)
    elif step == Step.RATING:
        work.rating_text(turn, raw)
    elif step in (Step.SUMMARY, Step.ANSWER_WHICH):
        reading.not_understood(turn)
    elif step == Step.CONFIRM:
        reading.confirm_or_new(turn, raw)
    elif step == Step.ATTACH_TARGET:  # a description instead of a choice: a new request with the files
        attaching.describe(turn, raw)
    elif step == Step.IDLE and work.typed_follow_up(turn, raw):
        pass  # an answer to a technician's question, or to "Sorununuz giderildi mi?"
    else:  # idle, or a new description instead of picking from the offered services
        intake.free_text(turn, raw)


def _ticket_text(turn: Turn, raw: str) -> None:
    """The note, question, answer or reason awaited; a cancel word alone cancels it."""
    if typed.intent(raw) is typed.Intent.CANCEL and typed.is_short(raw) and len(typed.words(raw)) == 1:
        commands.cancel_conversation(turn)
        return
    text = intake.usable_text(turn, raw)
    if text is not None:
        work.step_text(turn, text)


def _option(turn: Turn, option_id: str) -> None:
    parsed = ticket_actions.parse(option_id)
    if parsed is not None:
        work.button(turn, *parsed)
        return
    action = turn.conv.take(option_id)
    if action is None:
        turn.say(texts.OPTION_EXPIRED_IDLE if turn.conv.step == Step.IDLE else texts.OPTION_EXPIRED_BUSY)
        return
    _ACTIONS[str(action["do"])](turn, action)


_ACTIONS: dict[str, Callable[[Turn, Action], None]] = {
    "kvkk_accept": lambda turn, _a: onboarding.accept(turn),
    "kvkk_reject": lambda turn, _a: onboarding.reject(turn),
    "groups": lambda turn, _a: intake.show_groups(turn),
    "group": lambda turn, a: intake.show_group(turn, str(a["code"])),
    "service": intake.choose_service,
    "retry": lambda turn, _a: drafts.new_request(turn),
    "info_done": lambda turn, _a: intake.back_to_idle(turn, texts.LIVING_LAB_DONE),
    "location": lambda turn, a: intake.set_detail(turn, "location", a["value"]),
    "contact": lambda turn, a: intake.set_detail(turn, "contact", a["value"]),
    "remembered": intake.use_remembered,
    "open": lambda turn, _a: intake.open_ticket(turn),
    "edit": lambda turn, _a: intake.edit(turn),
    "summary": lambda turn, _a: intake.show_summary(turn),
    "edit_field": lambda turn, a: intake.edit_field(turn, str(a["field"])),
    "cancel": lambda turn, _a: commands.cancel_conversation(turn),
    "forward": lambda turn, a: work.forward(turn, str(a["ticket"]), int(a["to"])),
    "attach_to": lambda turn, a: attaching.attach_to(turn, str(a["ticket"])),
    "attach_new": lambda turn, _a: attaching.for_new_request(turn),
    "answer_to": lambda turn, a: work.answer_waiting(turn, str(a["ticket"]), str(a["text"])),
    "new_text": lambda turn, a: intake.free_text(turn, str(a["text"])),
    "back": lambda turn, _a: intake.confirm_again(turn),
    "next_problem": intake.next_problem,
    "later": lambda turn, _a: intake.back_to_idle(turn, texts.NEXT_PROBLEM_LATER),
}
