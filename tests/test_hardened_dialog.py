"""Hardened dialog inputs (issue 14): strict ticket buttons, a bounded rating, /durum for deactivated staff,
bounded and cleaned texts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dialog_world import WEDNESDAY_10, Chat, RecordingSender, Staff, telegram, tickets_in
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_dialog_engine import (
    EMPLOYEE_ID,
    accepted_citizen,
    dispatch,
    open_printer_ticket,
    verified_employee,
)

from bot import texts
from bot.channels import Address, Unreachable
from bot.cli import main
from bot.engine import ticket_actions
from bot.engine.engine import DialogEngine
from bot.engine.events import AttachmentKind, AttachmentSent, ChannelKind, OptionChosen, Reply
from bot.engine.ticket_actions import TicketAction
from storage.models import (
    ChatAccount,
    ChatChannel,
    DialogState,
    Notification,
    Person,
    PersonKind,
    StaffRole,
    Ticket,
    TicketEvent,
)
from storage.privacy import purge_idle_citizens
from storage.tickets import unattended_tickets


@pytest.mark.parametrize(
    "option_id",
    ["t²:take", "t12345678901234567890:take", "t2147483648:take", "t0:take", "t1:take:", "t١:take", "t1:tak"],
)
def test_forged_ticket_buttons_are_not_ticket_buttons(option_id: str) -> None:
    assert ticket_actions.parse(option_id) is None


def test_ticket_buttons_we_send_parse_back() -> None:
    assert ticket_actions.parse("t42:rate:5") == (42, TicketAction.RATE, "5")
    assert ticket_actions.parse("t2147483647:take") == (2147483647, TicketAction.TAKE, None)


@pytest.mark.parametrize("option_id", ["t²:take", "t12345678901234567890:take", "t99999999999:rate:5"])
def test_a_forged_button_gets_the_expired_answer(dialog: DialogEngine, option_id: str) -> None:
    chat = verified_employee(dialog)
    chat.send(OptionChosen(option_id))
    assert "artık geçerli değil" in chat.text or "geçerli değil" in chat.text


def _resolved_ticket(dialog: DialogEngine, sessions: sessionmaker[Session]) -> Chat:
    employee = verified_employee(dialog)
    number = open_printer_ticket(employee)
    sender = RecordingSender(ChannelKind.TELEGRAM)
    dispatch(sessions, sender)
    tech = Chat(dialog, telegram(501))
    tech.press("Üstlen", [sender.to("501")[-1]])
    tech.command("coz", number)
    tech.say("Kağıt çıkarıldı.")
    dispatch(sessions, sender)
    employee.press("Sorun çözüldü", [sender.to(str(EMPLOYEE_ID))[-1]])
    return employee


def test_a_rating_changes_once_and_pings_the_technician_once(
    dialog: DialogEngine,
    sessions: sessionmaker[Session],
    staff: Staff,
) -> None:
    employee = _resolved_ticket(dialog, sessions)
    stars = employee.last
    employee.press(texts.btn_rating(5))
    assert "5/5" in employee.text
    employee.press(texts.btn_rating(3), stars)  # one change of mind
    assert "3/5" in employee.text
    employee.press(texts.btn_rating(1), stars)
    assert "değiştirdiniz" in employee.text and "artık değişmez" in employee.text
    employee.press(texts.btn_rating(2), stars)
    assert "artık değişmez" in employee.text
    with sessions() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert ticket.satisfaction == 3
        kinds = session.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)).all()
        assert kinds.count("rated") == 1 and kinds.count("rating_changed") == 1
        pings = session.scalars(select(Notification.kind).where(Notification.kind.like("rat%"))).all()
        assert pings == ["rated"]


def test_deactivated_staff_get_no_work_buttons_in_durum(
    dialog: DialogEngine,
    sessions: sessionmaker[Session],
    staff: Staff,
) -> None:
    number = open_printer_ticket(verified_employee(dialog))
    tech = Chat(dialog, telegram(501))
    tech.command("durum", number)
    assert "Üstlen" in tech.labels
    with sessions.begin() as session:
        session.scalars(select(Person).where(Person.id == staff.technician.id)).one().active = False
    tech.command("durum", number)
    assert number in tech.text and tech.labels == []


def test_nul_and_long_inputs_never_break_a_conversation(
    dialog: DialogEngine,
    sessions: sessionmaker[Session],
    staff: Staff,
) -> None:
    chat = Chat(dialog, telegram(9100, "Ad" * 150 + "\x00\x07"))  # a 300-character display name
    chat.command("start")
    chat.press(texts.BTN_KVKK_ACCEPT)
    chat.command("durum", "BIM-2026-\x00000001")
    assert "BIM-2026-" in chat.text
    chat.say("e-Belediye'de ödeme\x00 yapamıyorum\x1b[31m")
    assert "05.23.012" in chat.text
    chat.press("Evet, bu hizmet")
    chat.press("Atla")
    chat.say("0532 111 22 33")
    long_name = "rapor" * 70 + "\x00.pdf"  # 355 characters with a NUL
    chat.send(AttachmentSent.single(AttachmentKind.DOCUMENT, "file-1", file_name=long_name))
    assert any(o.label == texts.BTN_CONFIRM for r in chat.last for o in r.options)  # the summary again
    chat.press(texts.BTN_CONFIRM)
    assert "Talebiniz oluşturuldu" in chat.text
    chat.say("merhaba")  # the conversation goes on
    assert chat.last
    with sessions() as session:
        person = session.scalars(select(Person).where(Person.name.like("AdAd%"))).one()
        assert person.name is not None and len(person.name) == 200 and person.name.endswith("…")
        assert "\x00" not in person.name and "\x07" not in person.name
        ticket = session.scalars(select(Ticket)).one()
        assert "\x00" not in ticket.requester_text and "\x1b" not in ticket.requester_text
        [attachment] = ticket.attachments
        assert attachment.file_name is not None and len(attachment.file_name) <= 300
        assert "\x00" not in attachment.file_name and attachment.file_name.endswith("…")


def test_purge_deletes_citizens_without_tickets_after_the_retention_period(
    dialog: DialogEngine,
    sessions: sessionmaker[Session],
    staff: Staff,
) -> None:
    accepted_citizen(dialog, 9201)  # accepted, never opened a ticket
    with_ticket = accepted_citizen(dialog, 9202)
    with_ticket.say("e-Belediye'de ödeme yapamıyorum")
    with_ticket.press("Evet, bu hizmet")
    with_ticket.press("Atla")
    with_ticket.say("0532 111 22 33")
    with_ticket.press("Onayla")
    assert "Talebiniz oluşturuldu" in with_ticket.text
    recent = accepted_citizen(dialog, 9203)
    recent.now = WEDNESDAY_10 + timedelta(days=300)
    recent.say("merhaba")
    with sessions.begin() as session:
        assert purge_idle_citizens(session, WEDNESDAY_10 + timedelta(days=364), timedelta(days=365)) == 0
        assert purge_idle_citizens(session, WEDNESDAY_10 + timedelta(days=400), timedelta(days=365)) == 1
    with sessions() as session:
        left = session.scalars(select(ChatAccount.external_id).join(Person).where(Person.kind == "citizen"))
        assert sorted(left) == ["9202", "9203"]
        assert (
            session.scalars(
                select(DialogState).join(ChatAccount).where(ChatAccount.external_id == "9201")
            ).all()
            == []
        )

    # A citizen with a request who declines a new notice keeps the request, and is told so
    with sessions.begin() as session:
        person = session.scalars(
            select(Person).join(ChatAccount).where(ChatAccount.external_id == "9202")
        ).one()
        person.kvkk_notice_version = "old"
    with_ticket.say("merhaba")
    with_ticket.press(texts.BTN_KVKK_REJECT)
    assert "saklama süresi boyunca tutulur" in with_ticket.text
    assert len(tickets_in(sessions)) == 1


class _BlockedBy(RecordingSender):
    """Telegram as seen by the notifier when some chats blocked the bot."""

    def __init__(self, blocked: set[str]) -> None:
        super().__init__(ChannelKind.TELEGRAM)
        self.blocked = blocked

    async def receive(self, address: Address, replies: list[Reply]) -> None:
        if address.external_id in self.blocked:
            raise Unreachable("Forbidden: bot was blocked by the user")
        await super().receive(address, replies)


def test_nobody_forgotten_unassigned_and_unreachable_tickets_reach_lead_and_managers(
    dialog: DialogEngine,
    sessions: sessionmaker[Session],
    staff: Staff,
    cli_database: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with sessions.begin() as session:
        manager = Person(
            kind=PersonKind.STAFF, name="Müdür Mehmet", staff_role=StaffRole.MANAGER, created_at=WEDNESDAY_10
        )
        session.add(manager)
        session.flush()
        session.add(
            ChatAccount(
                person=manager, channel=ChatChannel.TELEGRAM, external_id="504", created_at=WEDNESDAY_10
            )
        )
        session.get(Person, staff.ebelediye_tech.id).active = False  # type: ignore[union-attr]
    printer = open_printer_ticket(verified_employee(dialog))  # assigned to 501, who blocked the bot
    citizen = accepted_citizen(dialog)
    citizen.say("e-Belediye'de ödeme yapamıyorum")
    citizen.press("Evet, bu hizmet")
    citizen.press("Atla")
    citizen.say("0532 111 22 33")
    citizen.press("Onayla")
    nobodys = citizen.text.split("Talep numaranız: ")[1].split()[0]

    sender = _BlockedBy({"501"})
    dispatch(sessions, sender)  # 501's ping fails for good; the unassigned ticket is announced
    dispatch(sessions, sender)  # the announcement of the unreachable assignee
    lead, boss = " ".join(r.text for r in sender.to("502")), " ".join(r.text for r in sender.to("504"))
    assert printer in lead and "ulaşılamıyor" in lead
    assert printer in boss and "ulaşılamıyor" in boss
    assert nobodys in boss and "görevde teknisyen bulunamadı" in boss
    assert nobodys not in lead  # another team's ticket
    assert any(o.label == "Yönlendir" for r in sender.to("502") for o in r.options)
    dispatch(sessions, sender)
    assert len([r for r in sender.to("502") if "ulaşılamıyor" in r.text]) == 1  # announced once

    with sessions() as session:
        assert [t.number for t in unattended_tickets(session)] == [nobodys, printer]
    assert main(["tickets", "list", "--unassigned"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [nobodys, printer]
    assert "unassigned" in listed[0] and "Teknisyen Tuncay" in listed[1]
