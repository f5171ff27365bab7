"""Writing a request: free text → service (matcher or menu) → details → summary → ticket opened."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any, Literal, get_args

from bot import texts
from bot.engine import eligibility, typed
from bot.engine.context import Turn
from bot.engine.events import AttachmentSent, SentFile
from bot.engine.state import Action, Step
from catalog.model import Service
from storage import lookups, tickets
from storage.models import ChatChannel, PersonKind
from storage.phones import normalise_phone

MAX_CONTACT = 100
ASK_LIMIT = 3  # services offered when the matcher is unsure
# Candidates scoring under this share of the best one are noise: never offered as choices or alternatives.
PLAUSIBLE_SHARE = 0.05

# Steps where a text describes the problem; in the others it answers a question (place, phone, note …).
_DESCRIBING_STEPS = frozenset(
    {Step.IDLE, Step.PICK, Step.CONFIRM, Step.INFO, Step.DESCRIPTION, Step.ATTACH_TARGET}
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def clean_text(text: str) -> str:
    """Control and invisible formatting characters removed, whitespace trimmed."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()


def has_words(text: str) -> bool:
    """False for text with no letter or digit (emoji, punctuation only)."""
    return any(ch.isalnum() for ch in text)


def usable_text(turn: Turn, raw: str) -> str | None:
    """The text, or None after telling the user why it cannot be used."""
    text = clean_text(raw)
    describing = turn.conv.step in _DESCRIBING_STEPS
    if not has_words(text):
        turn.say(texts.TEXT_EMPTY if describing else texts.TEXT_EMPTY_ANSWER)
        return None
    if len(text) > turn.traits.text_limit:
        turn.say(texts.text_too_long(turn.traits.text_limit, describing))
        return None
    return text


# --- matching -------------------------------------------------------------------------------------------


def free_text(turn: Turn, raw: str) -> None:
    """A new request described in the user's words."""
    text = usable_text(turn, raw)
    if text is None:
        return
    turn.conv.restart()  # files sent for this request before its description stay with it
    turn.conv.data["text"] = text
    result = turn.services.matcher.match(text)
    top_score = result.candidates[0].score if result.candidates else 0.0
    services = [
        s
        for c in result.candidates
        if c.score >= PLAUSIBLE_SHARE * top_score and (s := turn.catalog.by_id(c.service_id)) is not None
    ]
    if result.decision == "none" or not services:
        not_a_request(turn, result.out_of_scope_kind)
        return
    if result.additional:  # further problems: opened one after the other, the first one now
        turn.conv.data["queued"] = [extra.text for extra in result.additional]
        turn.say(texts.several_problems(len(result.additional) + 1))
    top = services[0]
    allowed = [s for s in services if eligibility.may_request(turn.kind, s)]
    if top.id == eligibility.LIVING_LAB_ID and result.decision == "auto":
        living_lab(turn, top)  # public information: answered to anyone, a request only where allowed
    elif not eligibility.may_request(turn.kind, top):
        refuse(turn, top, allowed)
    elif result.decision == "auto":
        confirm(turn, top)
    else:
        offer(turn, texts.ASK_WHICH, allowed[:ASK_LIMIT], texts.BTN_NONE_OF_THESE)


def not_a_request(turn: Turn, kind: str | None) -> None:
    """No service matched: answer a greeting or thanks in kind, send other municipal matters to the right
    place, and otherwise admit it. Only a text that may describe an IT problem is kept as the description
    for a service picked from the list."""
    if kind == "thanks":
        back_to_idle(turn, texts.THANKS)
        return
    menu: list[tuple[str, Action]] = [(texts.BTN_CATALOG, {"do": "groups"})]
    if kind == "greeting":
        back_to_idle(turn, texts.greeting(turn.kind is PersonKind.CITIZEN, turn.person.is_staff), menu)
        return
    if kind == "non_it":
        turn.conv.data.pop("text")
        message = texts.NON_IT_CITIZEN if turn.kind is PersonKind.CITIZEN else texts.NON_IT_EMPLOYEE
    else:
        message = texts.NOT_UNDERSTOOD
    turn.conv.go(Step.PICK)
    turn.say(message, [*menu, (texts.BTN_TRY_AGAIN, {"do": "retry"})])


def back_to_idle(turn: Turn, message: str, choices: Sequence[tuple[str, Action]] = ()) -> None:
    """Nothing to request for now; files already sent for a request still wait for its description."""
    turn.conv.restart()
    turn.say(message, choices)
    files = turn.conv.data.get("attachments")
    if files:
        turn.say(texts.files_kept_for_new_request(len(files)))


def refuse(turn: Turn, service: Service, alternatives: list[Service]) -> None:
    """Explain why the matched service is not for this person; never silently pick another one."""
    if alternatives:
        turn.say(eligibility.why_not(turn.kind, service))
        offer(turn, texts.ALTERNATIVES, alternatives[:ASK_LIMIT], texts.BTN_CATALOG)
    else:
        turn.conv.go(Step.PICK)
        turn.say(
            eligibility.why_not(turn.kind, service),
            [(texts.BTN_CATALOG, {"do": "groups"}), (texts.BTN_TRY_AGAIN, {"do": "retry"})],
        )


def offer(turn: Turn, question: str, services: list[Service], fallback_label: str) -> None:
    """The services as choices, and a last one (`fallback_label`) back to the service groups."""
    turn.conv.go(Step.PICK)
    choices: list[tuple[str, Action]] = [
        (texts.service_line(s.code, s.title), {"do": "service", "id": s.id}) for s in services
    ]
    choices.append((fallback_label, {"do": "groups"}))
    turn.say(question, choices)


def confirm(turn: Turn, service: Service) -> None:
    turn.conv.go(Step.CONFIRM, service=service.id)
    turn.say(
        texts.confirm_service(service.code, service.title, turn.promise(service)),
        [
            (texts.BTN_YES, {"do": "service", "id": service.id, "typed": [typed.Intent.YES]}),
            (texts.BTN_NO_LIST, {"do": "groups", "typed": [typed.Intent.NO]}),
        ],
    )


def confirm_again(turn: Turn) -> None:
    """Back to "Doğru mu?" for the service matched earlier, after a long text turned out not to be new."""
    service = turn.catalog.by_id(str(turn.conv.data.get("service", "")))
    if service is None:
        show_groups(turn)
    else:
        confirm(turn, service)


def living_lab(turn: Turn, service: Service) -> None:
    """An information service: the catalog's answer first, a request only if still wanted (and allowed)."""
    turn.conv.go(Step.INFO)
    may_request = eligibility.may_request(turn.kind, service)
    choices: list[tuple[str, Action]] = [(texts.BTN_DONE, {"do": "info_done", "typed": [typed.Intent.NO]})]
    if may_request:
        opening: Action = {"do": "service", "id": service.id, "info_seen": True, "typed": [typed.Intent.YES]}
        choices.insert(0, (texts.BTN_OPEN_REQUEST, opening))
    citizen = turn.kind is PersonKind.CITIZEN
    scope = texts.LIVING_LAB_CITIZEN if citizen else service.scope  # the catalog's sentence is for staff
    turn.say(
        texts.living_lab_info(service.code, service.title, scope, service.contacts, may_request), choices
    )


def show_groups(turn: Turn) -> None:
    groups = eligibility.eligible_groups(turn.catalog, turn.kind)
    if not groups:
        back_to_idle(turn, texts.NO_SERVICES_FOR_YOU)
        return
    turn.conv.go(Step.PICK)
    turn.say(texts.CHOOSE_GROUP, [(f"{g.code} {g.title}", {"do": "group", "code": g.code}) for g in groups])


def show_group(turn: Turn, code: str) -> None:
    services = [s for s in eligibility.eligible_services(turn.catalog, turn.kind) if s.group.code == code]
    if not services:
        show_groups(turn)
        return
    offer(turn, texts.choose_service(services[0].group.title), services, texts.BTN_BACK)


def choose_service(turn: Turn, action: Action) -> None:
    """The person picked (or confirmed) a service: check it, then collect the details."""
    service = turn.catalog.by_id(str(action["id"]))
    if service is None or not eligibility.may_request(turn.kind, service):
        if service is not None:
            turn.say(eligibility.why_not(turn.kind, service))
        show_groups(turn)
        return
    if service.id == eligibility.LIVING_LAB_ID and not action.get("info_seen"):
        living_lab(turn, service)
        return
    turn.conv.data["service"] = service.id
    if turn.conv.data.get("editing"):
        show_summary(turn)
        return
    if turn.conv.step != Step.CONFIRM:  # the promise was not shown yet
        turn.say(f"{texts.service_line(service.code, service.title)}\n{turn.promise(service)}")
    next_detail(turn)


# --- details --------------------------------------------------------------------------------------------


def next_detail(turn: Turn) -> None:
    """Asks for the first missing detail, or shows the summary when everything is there."""
    data = turn.conv.data
    if not data.get("text"):
        turn.conv.go(Step.DESCRIPTION)
        turn.say(texts.ASK_DESCRIPTION)
    elif "location" not in data:
        ask_location(turn)
    elif "contact" not in data:
        ask_contact(turn)
    else:  # files are welcome until the summary is confirmed: no step of their own
        show_summary(turn)


_SKIP = [typed.Intent.SKIP, typed.Intent.NO]


def ask_location(turn: Turn) -> None:
    """The location; a person's last location and phone are offered as one tap (the details typed then)."""
    turn.conv.go(Step.LOCATION)
    citizen = turn.kind is PersonKind.CITIZEN
    location, phone = _remembered(turn)
    if location and phone and "contact" not in turn.conv.data:
        same: Action = {
            "do": "remembered",
            "location": location,
            "contact": phone,
            "typed": [typed.Intent.YES],
        }
        turn.say(texts.same_details(location, phone, citizen), [(texts.BTN_SAME_DETAILS, same)])
        return
    choices: list[tuple[str, Action]] = []
    if location:
        choices.append((texts.btn_last_location(location), {"do": "location", "value": location}))
    if citizen:
        choices.append((texts.BTN_SKIP, {"do": "location", "value": None, "typed": _SKIP}))
    turn.say(texts.ASK_LOCATION_CITIZEN if citizen else texts.ASK_LOCATION, choices)


def ask_contact(turn: Turn) -> None:
    turn.conv.go(Step.CONTACT)
    citizen = turn.kind is PersonKind.CITIZEN
    choices: list[tuple[str, Action]] = []
    _, phone = _remembered(turn)
    if phone:
        choices.append(
            (texts.btn_saved_phone(phone), {"do": "contact", "value": phone, "typed": [typed.Intent.YES]})
        )
    if citizen:
        choices.append((texts.BTN_SKIP, {"do": "contact", "value": None, "typed": _SKIP}))
    prompt = texts.ASK_CONTACT_CITIZEN if citizen else texts.ASK_CONTACT
    turn.say(prompt, choices, ask_contact=turn.traits.contact_button)


def _remembered(turn: Turn) -> tuple[str | None, str | None]:
    """The location and phone of the person's last request that had them (the directory's phone first)."""
    last = lookups.tickets_of_requester(turn.session, turn.person.id, limit=5)
    location = next((t.location for t in last if t.location), None)
    phone = turn.person.phone or next((t.contact for t in last if t.contact), None)
    return location, phone


def use_remembered(turn: Turn, action: Action) -> None:
    """The same location and phone as last time: straight to the summary, where files may still be sent."""
    turn.conv.data["location"] = str(action["location"])
    turn.conv.data["contact"] = str(action["contact"])
    show_summary(turn)


def detail_text(turn: Turn, raw: str) -> None:
    """Typed text while a detail is asked for."""
    text = usable_text(turn, raw)
    if text is None:
        return
    step = turn.conv.step
    if step != Step.DESCRIPTION and _is_correction(text):
        turn.say(texts.CORRECTION_NOTICED, [(texts.BTN_EDIT, {"do": "edit", "typed": [typed.Intent.EDIT]})])
        return
    skipped = typed.intent(text) in (typed.Intent.SKIP, typed.Intent.NO, typed.Intent.CONTINUE)
    if step == Step.DESCRIPTION:
        turn.conv.data["text"] = text
    elif step == Step.LOCATION:
        if not skipped and not looks_like_words(text):
            turn.say(texts.LOCATION_UNCLEAR)
            return
        turn.conv.data["location"] = None if skipped else text
    elif step == Step.CONTACT:
        if skipped and turn.kind is PersonKind.CITIZEN:
            turn.conv.data["contact"] = None
        elif skipped:  # staff requests need a number: the technician calls back
            turn.say(texts.CONTACT_REQUIRED)
            return
        elif valid_contact(text) is None:
            turn.say(
                texts.CONTACT_INVALID_CITIZEN if turn.kind is PersonKind.CITIZEN else texts.CONTACT_INVALID
            )
            return
        else:
            turn.conv.data["contact"] = text
    next_detail(turn)


_CORRECTION = ("pardon", "ozur dilerim", "yanlis yazdim", "yanlis yazmisim", "duzeltme", "hatali yazdim")
_VOWELS = frozenset("aeiou")
_CONSONANT_RUN = re.compile(r"[^aeiou\d\s]{4,}")
_EXTENSION_WORDS = frozenset(
    {"dahili", "dahilim", "dahili no", "no", "numara", "tel", "telefon", "cep", "gsm"}
)


def _is_correction(text: str) -> bool:
    said = typed.fold(text)
    return any(said.startswith(word) or f" {word}" in said[:40] for word in _CORRECTION)


def looks_like_words(text: str) -> bool:
    """A place or a name rather than keyboard mashing ("asdfg"): a number, or a word with a vowel and no run
    of four consonants, which Turkish words do not have."""
    if any(ch.isdigit() for ch in text):
        return True
    return any(
        len(word) >= 2 and _VOWELS & set(word) and not _CONSONANT_RUN.search(word)
        for word in typed.words(text)
    )


def valid_contact(text: str) -> str | None:
    """A Turkish mobile or landline number (E.164), or an extension of 3-5 digits; None for anything else."""
    words = [w for w in typed.words(text) if not w.isdigit()]
    if any(w not in _EXTENSION_WORDS for w in words) or len(text) > MAX_CONTACT:
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    if 3 <= len(digits) <= 5 and len(typed.words(text)) - len(words) == 1:
        return digits
    try:
        phone = normalise_phone("".join(ch for ch in text if ch.isdigit() or ch == "+"))
    except ValueError:
        return None
    # +90 and ten digits starting 2-4 (landline), 5 (mobile) or 8 (444/850 lines)
    return phone if phone.startswith("+90") and phone[3] in "23458" else None


def set_detail(turn: Turn, field: Literal["location", "contact"], value: object) -> None:
    """A detail chosen with a button; None when skipped."""
    turn.conv.data[field] = None if value is None else str(value)
    next_detail(turn)


def attachment(turn: Turn, event: AttachmentSent) -> None:
    """Photos or files while writing a request; sent to start one, their caption is the description."""
    step = turn.conv.step
    if step == Step.IDLE and event.caption and has_words(event.caption):
        free_text(turn, event.caption)
        if turn.conv.step != Step.IDLE:  # the request started: the file belongs to it
            _keep(turn, event)
        return
    # Files kept for a request whose description is still to come (bot.engine.attaching) gather there too.
    if step not in WRITING_STEPS and not turn.conv.data.get("attachments"):
        turn.say(texts.attachment_not_now(len(event.files)))
        return
    _keep(turn, event)
    if step == Step.SUMMARY:
        show_summary(turn)
    else:
        turn.say(texts.attachment_kept(len(event.files)))


def _keep(turn: Turn, event: AttachmentSent) -> None:
    turn.conv.data.setdefault("attachments", []).extend(kept_file(file) for file in event.files)


def kept_file(file: SentFile) -> dict[str, Any]:
    """A file as the conversation stores it until it goes onto a ticket."""
    return {"kind": file.kind.value, "file_ref": file.file_ref, "file_name": file.file_name}


WRITING_STEPS = {
    Step.PICK,
    Step.CONFIRM,
    Step.DESCRIPTION,
    Step.LOCATION,
    Step.CONTACT,
    Step.SUMMARY,
}


# --- summary and opening ----------------------------------------------------------------------------------


def show_summary(turn: Turn) -> None:
    data = turn.conv.data
    data.pop("editing", None)
    service = turn.catalog.by_id(str(data["service"]))
    assert service is not None
    turn.conv.go(Step.SUMMARY)
    turn.say(
        texts.summary(
            service.code,
            service.title,
            str(data["text"]),
            data.get("location"),
            data.get("contact"),
            len(data.get("attachments", [])),
        ),
        [
            (texts.BTN_CONFIRM, {"do": "open", "typed": [typed.Intent.CONFIRM, typed.Intent.YES]}),
            (texts.BTN_EDIT, {"do": "edit", "typed": [typed.Intent.EDIT]}),
            (texts.BTN_CANCEL, {"do": "cancel", "typed": [typed.Intent.CANCEL, typed.Intent.NO]}),
        ],
    )


def edit(turn: Turn) -> None:
    turn.say(
        texts.EDIT_WHAT,
        [
            (texts.BTN_EDIT_DESCRIPTION, {"do": "edit_field", "field": "text"}),
            (texts.BTN_EDIT_LOCATION, {"do": "edit_field", "field": "location"}),
            (texts.BTN_EDIT_CONTACT, {"do": "edit_field", "field": "contact"}),
            (texts.BTN_EDIT_SERVICE, {"do": "edit_field", "field": "service"}),
            (texts.BTN_BACK, {"do": "summary"}),
        ],
    )


EditableField = Literal["text", "location", "contact", "service"]
_EDITABLE: tuple[EditableField, ...] = get_args(EditableField)


def edit_field(turn: Turn, field: str) -> None:
    for key in _EDITABLE:
        if key == field:
            turn.conv.data.pop(key, None)
    if field == "service":
        turn.conv.data["editing"] = True
        show_groups(turn)
        return
    next_detail(turn)


def open_ticket(turn: Turn) -> None:
    data = turn.conv.data
    service = turn.catalog.by_id(str(data["service"]))
    assert service is not None
    ticket = tickets.open_ticket(
        turn.session,
        service=service,
        requester=turn.person,
        channel=turn.channel,
        text=str(data["text"]),
        now=turn.now,
        calendar=turn.services.calendar,
        location=data.get("location"),
        contact=data.get("contact"),
        attachments=[_new_attachment(turn.channel, item) for item in data.get("attachments", [])],
    )
    queued = [str(text) for text in data.get("queued", [])]
    turn.conv.reset()
    turn.say(
        texts.ticket_opened(ticket.number, turn.time(ticket.response_due), turn.time(ticket.resolution_due))
    )
    if queued:  # the next problem of the same message
        rest = {"queued": queued[1:]} if queued[1:] else {}
        turn.say(
            texts.next_problem(queued[0]),
            [
                (
                    texts.BTN_OPEN_NEXT,
                    {"do": "next_problem", "text": queued[0], **rest, "typed": [typed.Intent.YES]},
                ),
                (texts.BTN_NOT_NOW, {"do": "later", "typed": [typed.Intent.NO]}),
            ],
        )


def next_problem(turn: Turn, action: Action) -> None:
    """The next problem of a message that had several, matched like a new message; the rest still queued."""
    free_text(turn, str(action["text"]))
    if action.get("queued") and turn.conv.step != Step.IDLE:
        turn.conv.data["queued"] = list(action["queued"])


def add_file(turn: Turn, number: str, kept: dict[str, Any], caption: str | None = None) -> None:
    """A kept file onto an opened ticket (storage checks that the ticket still takes files)."""
    attachment = _new_attachment(turn.channel, kept)
    tickets.add_attachment(turn.session, number, turn.person, attachment, turn.now, caption=caption)


def _new_attachment(channel: ChatChannel, kept: dict[str, Any]) -> tickets.NewAttachment:
    """A kept file for storage: the console refers to files by path; the platforms by their own file id."""
    file_ref, file_name = str(kept["file_ref"]), kept.get("file_name")
    if channel is ChatChannel.CONSOLE:
        return tickets.NewAttachment(channel, stored_path=file_ref, file_name=file_name)
    return tickets.NewAttachment(channel, file_id=file_ref, file_name=file_name)
