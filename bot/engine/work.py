"""Working on tickets: the technician's buttons and commands, and the requester's follow-up answers.

The storage lifecycle checks every right and transition; its domain errors become Turkish messages in
bot.engine.engine. Here only the conversation around each operation lives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot import texts
from bot.engine import drafts, intake, ticket_actions, typed
from bot.engine.context import Turn
from bot.engine.errors import explain
from bot.engine.events import AttachmentSent, Option, SentFile
from bot.engine.state import Step
from bot.engine.ticket_actions import TicketAction
from storage import lookups, tickets
from storage.errors import IllegalTransition, NotAuthorised, StorageError
from storage.models import EventKind, Person, Ticket, TicketStatus
from storage.tickets import Operation


def button(turn: Turn, ticket_id: int, action: TicketAction, arg: str | None) -> None:
    ticket = turn.session.get(Ticket, ticket_id)
    if ticket is None:
        turn.say(texts.OPTION_EXPIRED_IDLE)
        return
    person = turn.person
    if action is TicketAction.TAKE:
        take(turn, ticket)
    elif action is TicketAction.RESOLVE:
        start_resolution(turn, ticket)
    elif action is TicketAction.HOLD:
        _expect_staff(ticket, person)
        if _taken_first(turn, ticket):
            _expect_status(ticket, Operation.ASK)
            _await_text(turn, ticket, Step.QUESTION, texts.ask_question)
    elif action is TicketAction.FORWARD:
        forward_choices(turn, ticket)
    elif action is TicketAction.ANSWER:
        _expect_requester(ticket, person)
        _expect_status(ticket, Operation.ANSWER)
        question = last_question(ticket)
        _await_text(turn, ticket, Step.ANSWER, lambda number: texts.ask_answer(number, question))
    elif action is TicketAction.CONFIRM:
        confirm_resolution(turn, ticket)
    elif action is TicketAction.NOTE:
        _expect_requester(ticket, person)
        _expect_status(ticket, Operation.NOTE)
        _await_text(turn, ticket, Step.NOTE, texts.ask_note)
    elif action is TicketAction.REOPEN:
        _expect_requester(ticket, person)
        _expect_status(ticket, Operation.REOPEN)
        _await_text(turn, ticket, Step.REOPEN_REASON, texts.ask_reopen_reason)
    elif arg is not None and arg.isdigit():  # TicketAction.RATE with its score
        rate(turn, ticket, int(arg))
    else:
        turn.say(texts.OPTION_EXPIRED_IDLE)


def confirm_resolution(turn: Turn, ticket: Ticket) -> None:
    """The requester confirms: closed, and the rating asked, by buttons or typed ("5", "çok iyi")."""
    tickets.confirm(turn.session, ticket, turn.person, turn.now)
    kept = drafts.keep(turn)
    turn.conv.reset()
    turn.conv.go(Step.RATING, ticket=ticket.number, draft=kept)
    turn.say(texts.ask_rating(ticket.number), buttons=ticket_actions.rating_options(ticket.id))


def rate(turn: Turn, ticket: Ticket, score: int) -> None:
    person = turn.person
    double_tap = ticket.requester_id == person.id and ticket.satisfaction == score
    if not double_tap:  # the same stars again would record and ping the technician twice
        tickets.rate(turn.session, ticket, person, score, turn.now)
    turn.say(texts.rated(score))
    if turn.conv.step == Step.RATING and turn.conv.data.get("ticket") == ticket.number:
        kept = drafts.keep(turn)
        turn.conv.reset()
        drafts.resume(turn, kept)


def rating_text(turn: Turn, raw: str) -> None:
    """A typed rating while it is asked; anything else asks again with the scale."""
    ticket = tickets.get_ticket(turn.session, str(turn.conv.data["ticket"]))
    score = typed.rating(raw)
    if score is not None:
        rate(turn, ticket, score)
    elif typed.intent(raw) in (typed.Intent.SKIP, typed.Intent.NO, typed.Intent.CANCEL):
        kept = drafts.keep(turn)
        turn.conv.reset()
        turn.say(texts.RATING_SKIPPED)
        drafts.resume(turn, kept)
    else:
        turn.say(texts.RATING_AGAIN, buttons=ticket_actions.rating_options(ticket.id))


def take(turn: Turn, ticket: Ticket | str) -> None:
    taken = tickets.take(turn.session, ticket, turn.person, turn.now)
    turn.say(
        texts.taken_by_you(taken.number), buttons=ticket_actions.work_options(taken, turn.person.can_lead)
    )


def start_resolution(turn: Turn, ticket: Ticket | str) -> None:
    """ "Çözüldü", or /coz NUMARA: the note is asked for once the ticket is taken."""
    found = ticket if isinstance(ticket, Ticket) else tickets.get_ticket(turn.session, ticket)
    _expect_staff(found, turn.person)
    if _taken_first(turn, found):
        _expect_status(found, Operation.RESOLVE)
        _await_text(turn, found, Step.RESOLUTION_NOTE, texts.ask_resolution_note)


def _taken_first(turn: Turn, ticket: Ticket) -> bool:
    """False, after saying to press "Üstlen" first (with the button), for a ticket nobody has taken."""
    if ticket.status in ticket_actions.UNTAKEN:
        turn.say(
            texts.take_first(ticket.number), buttons=ticket_actions.work_options(ticket, turn.person.can_lead)
        )
        return False
    return True


def last_question(ticket: Ticket) -> str | None:
    questions = [e.note for e in ticket.events if e.kind == EventKind.QUESTION.value and e.note]
    return questions[-1] if questions else None


def typed_follow_up(turn: Turn, raw: str) -> bool:
    """A text typed outside any request by a requester whose ticket waits for them: the answer to the
    technician's question (which ticket asked when several wait), or a yes / no to "Sorununuz giderildi
    mi?" when one ticket waits for that. False when it is none of these."""
    person = turn.person
    mine = lookups.tickets_of_requester(turn.session, person.id)
    waiting = [t for t in mine if t.status is TicketStatus.WAITING_FOR_REQUESTER]
    resolved = [t for t in mine if t.status is TicketStatus.RESOLVED]
    meaning = typed.intent(raw)
    if len(resolved) == 1 and not waiting and meaning in (typed.Intent.YES, typed.Intent.NO):
        if meaning is typed.Intent.YES:
            confirm_resolution(turn, resolved[0])
        else:
            _expect_status(resolved[0], Operation.REOPEN)
            _await_text(turn, resolved[0], Step.REOPEN_REASON, texts.ask_reopen_reason)
        return True
    if not waiting:
        return False
    text = intake.usable_text(turn, raw)
    if text is None:
        return True
    if len(waiting) == 1:
        answer_waiting(turn, waiting[0].number, text)
        return True
    turn.conv.go(Step.ANSWER_WHICH)
    turn.say(
        texts.WHICH_TICKET_ANSWER,
        [
            (
                texts.ticket_line(t.number, t.service_title, t.status.value),
                {"do": "answer_to", "ticket": t.number, "text": text},
            )
            for t in waiting
        ],
    )
    return True


def answer_waiting(turn: Turn, number: str, text: str) -> None:
    turn.conv.reset()
    turn.conv.go(Step.ANSWER, ticket=number)
    step_text(turn, text)


def _await_text(turn: Turn, ticket: Ticket, step: str, prompt: Callable[[str], str]) -> None:
    """The operation needs a text (note, question, answer, reason): ask for it and wait in `step`; a request
    being written waits meanwhile."""
    kept = drafts.keep(turn)
    turn.conv.reset()
    turn.conv.go(step, ticket=ticket.number, draft=kept)
    turn.say(prompt(ticket.number))


def forward_choices(turn: Turn, ticket: Ticket) -> None:
    if not turn.person.can_lead:
        turn.say(texts.LEAD_ONLY)
        return
    targets = [p for p in lookups.active_staff(turn.session, ticket.team_id) if p.id != ticket.assignee_id]
    if not targets:
        turn.say(texts.NO_FORWARD_TARGETS)
        return
    turn.say(
        texts.choose_forward_target(ticket.number),
        [(p.name or str(p.id), {"do": "forward", "ticket": ticket.number, "to": p.id}) for p in targets],
    )


def forward(turn: Turn, number: str, to_id: int) -> None:
    assignee = turn.session.get(Person, to_id)
    if assignee is None:
        turn.say(texts.OPTION_EXPIRED_IDLE)
        return
    ticket = tickets.reassign(turn.session, number, turn.person, assignee, turn.now)
    turn.say(texts.forwarded(ticket.number, assignee.name or str(assignee.id)))


def step_text(turn: Turn, text: str, files: Sequence[SentFile] = ()) -> None:
    """Text typed while a ticket operation waits for it (a note, a question, an answer, a reason), or the
    caption of files sent then, the files going onto the ticket with it.

    The conversation moves on either way: if the operation fails (the ticket changed meanwhile), only the
    operation is rolled back and the person is told why, instead of being asked the same thing again. The
    files stay on the ticket if the ticket still takes files (an answer that came too late is still
    evidence). A request the operation interrupted continues afterwards.
    """
    number = str(turn.conv.data["ticket"])
    step = turn.conv.step
    kept = drafts.keep(turn)
    turn.conv.reset()
    attached = bool(files) and _attempt(turn, lambda: _attach(turn, number, files))
    if not files or attached:  # a ticket refusing the files would refuse the text too: told once
        done = _attempt(turn, lambda: _complete(turn, step, number, text))
        if attached:
            turn.say(texts.files_added_too(len(files)) if done else texts.file_added(number, len(files)))
    drafts.resume(turn, kept)


def _attempt(turn: Turn, operation: Callable[[], None]) -> bool:
    """Runs a ticket operation in a savepoint; a domain error rolls back only it and is explained."""
    try:
        with turn.session.begin_nested():
            operation()
    except StorageError as exc:
        turn.say(explain(exc))
        return False
    return True


def step_file(turn: Turn, event: AttachmentSent) -> None:
    """Photos or files sent while a ticket operation waits for its text: they go onto that ticket. Their
    caption is the text; without one, an answer is the files themselves, and anything else is still asked
    for."""
    caption = intake.clean_text(event.caption)
    files = event.files
    if intake.has_words(caption):
        step_text(turn, caption, files)
    elif turn.conv.step == Step.ANSWER:
        step_text(turn, texts.answer_by_files([f.file_name for f in files]), files)
    elif turn.conv.step == Step.NOTE:  # the files are the note: the technician is told of each
        number = str(turn.conv.data["ticket"])
        kept = drafts.keep(turn)
        turn.conv.reset()
        _attach(turn, number, files)
        turn.say(texts.file_added(number, len(files)))
        drafts.resume(turn, kept)
    else:  # a refusal rolls the whole turn back: the note, question or reason is still awaited
        number = str(turn.conv.data["ticket"])
        _attach(turn, number, files)
        turn.say(texts.file_added_awaiting_text(number, turn.conv.step, len(files)))


def _attach(turn: Turn, number: str, files: Sequence[SentFile]) -> None:
    for file in files:
        intake.add_file(turn, number, intake.kept_file(file))


def _complete(turn: Turn, step: str, number: str, text: str) -> None:
    if step == Step.RESOLUTION_NOTE:
        ticket = tickets.resolve(turn.session, number, turn.person, text, turn.now, turn.services.calendar)
        turn.say(texts.resolved_by_you(ticket.number))
    elif step == Step.QUESTION:
        ticket = tickets.ask(turn.session, number, turn.person, text, turn.now)
        turn.say(texts.question_sent(ticket.number))
    elif step == Step.ANSWER:
        ticket = tickets.answer(turn.session, number, turn.person, text, turn.now, turn.services.calendar)
        turn.say(texts.answer_sent(ticket.number))
    elif step == Step.REOPEN_REASON:
        ticket = tickets.reopen(turn.session, number, turn.person, text, turn.now)
        turn.say(texts.reopened(ticket.number))
    elif step == Step.NOTE:
        ticket = tickets.add_note(turn.session, number, turn.person, text, turn.now)
        turn.say(texts.note_sent(ticket.number))


def my_tickets(turn: Turn) -> None:
    found = lookups.tickets_of_requester(turn.session, turn.person.id)
    if not found:
        turn.say(texts.NO_TICKETS)
        return
    lines = [texts.ticket_line(t.number, t.service_title, t.status.value) for t in found]
    turn.say("\n".join([texts.MY_TICKETS, *lines]))


def my_work(turn: Turn) -> None:
    found = lookups.open_tickets_of_assignee(turn.session, turn.person.id)
    if not found:
        turn.say(texts.NO_ASSIGNED)
        return
    turn.say(texts.MY_WORK)
    for t in found:
        turn.say(
            f"{texts.ticket_line(t.number, t.service_title, t.status.value, requester=False)}\n"
            f"{t.requester_text}",
            buttons=_work_buttons(t, turn.person),
        )


def status(turn: Turn, number: str) -> None:
    ticket = tickets.get_ticket(turn.session, number)
    person = turn.person
    if ticket.requester_id != person.id and not person.is_staff:
        raise NotAuthorised(ticket.number, person.id, "status")
    requester = ticket.requester_id == person.id
    head = texts.ticket_status(
        ticket.number,
        ticket.service_code,
        ticket.service_title,
        ticket.status.value,
        turn.time(ticket.response_due),
        turn.time(ticket.resolution_due),
        ticket.assignee.name if ticket.assignee else None,
        requester=requester,
    )
    history = [
        texts.history_line(turn.time(e.at), e.kind, e.note or "", e.actor_id == ticket.requester_id)
        for e in ticket.events
        if e.kind in _SHOWN_EVENTS and e.note
    ]
    turn.say(
        texts.ticket_conversation(head, ticket.requester_text, history),
        buttons=_status_buttons(ticket, person),
    )


# The events whose note belongs to the ticket's conversation as /durum shows it.
_SHOWN_EVENTS = frozenset(
    kind.value
    for kind in (
        EventKind.QUESTION,
        EventKind.ANSWERED,
        EventKind.RESOLVED,
        EventKind.REOPENED,
        EventKind.NOTE,
    )
)


def _status_buttons(ticket: Ticket, person: Person) -> list[Option]:
    """What the person can do about the ticket now, so a missed notification is never a dead end."""
    if ticket.requester_id == person.id:
        if ticket.status is TicketStatus.RESOLVED:
            return ticket_actions.resolution_options(ticket.id)
        if ticket.status is TicketStatus.WAITING_FOR_REQUESTER:
            return ticket_actions.answer_options(ticket.id)
        return ticket_actions.note_options(ticket.id) if ticket.is_open else []
    # Staff taken out of the directory keep reading what they may, but no longer work on tickets.
    if ticket.is_open and person.active and (person.id == ticket.assignee_id or person.can_lead):
        return _work_buttons(ticket, person)
    return []


def _work_buttons(ticket: Ticket, person: Person) -> list[Option]:
    return ticket_actions.work_options(ticket, person.can_lead)


def cancel(turn: Turn, number: str) -> None:
    ticket = tickets.cancel(turn.session, number, turn.person, turn.now)
    turn.say(texts.ticket_cancelled(ticket.number))


def _expect_staff(ticket: Ticket, person: Person) -> None:
    """An early, friendly refusal; storage checks the right again when the operation happens."""
    if not person.is_staff:
        raise NotAuthorised(ticket.number, person.id, "work")


def _expect_status(ticket: Ticket, operation: Operation) -> None:
    """Refuses before asking for a text the operation could not use (e.g. a question on an untaken ticket)."""
    allowed_from, _ = tickets.TRANSITIONS[operation]
    if ticket.status not in allowed_from:
        raise IllegalTransition(ticket.number, ticket.status.value, operation.value)


def _expect_requester(ticket: Ticket, person: Person) -> None:
    if ticket.requester_id != person.id:
        raise NotAuthorised(ticket.number, person.id, "follow up")
