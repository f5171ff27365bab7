"""Issue 12: a conversation that understands what people type. Each numbered problem of the issue is
reproduced through the real engine (real matcher, catalog, storage on SQLite and PostgreSQL); buttons are
pressed through the texts module's constants."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from dialog_world import (
    WEDNESDAY_10,
    Chat,
    RecordingSender,
    dialog_services,
    telegram,
    tickets_in,
)
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from test_dialog_engine import CITIZEN_ID, EMPLOYEE_ID, accepted_citizen, verified_employee

from bot import texts
from bot.cli.chat_cmd import converse
from bot.console import ConsoleChannel, demo_account
from bot.dispatcher import dispatch_due
from bot.engine import commands, typed
from bot.engine.engine import DialogEngine
from bot.engine.events import AccountRef, ChannelKind, OptionChosen
from bot.notifier import Notifier
from bot.wiring import build_chat_service
from catalog.clock import SettableClock
from storage.db import session_factory
from storage.models import EventKind, Ticket, TicketEvent, TicketStatus

PRINTER = "yazıcı kağıt sıkıştırıyor"
OFFICE = "Hizmet binası, Mali Hizmetler, 3. kat 305"


# The engine tests' people: one way to bring a verified employee and a citizen in.
employee = verified_employee
citizen = accepted_citizen


def printer_ticket(chat: Chat) -> str:
    chat.say(PRINTER)
    chat.say("evet")
    chat.say(OFFICE)
    chat.press("Kayıtlı numaram")
    chat.say("onayla")
    assert "Talebiniz oluşturuldu" in chat.text
    return chat.text.split("Talep numaranız: ")[1].split()[0]


def dispatch(sessions: sessionmaker[Session]) -> RecordingSender:
    sender = RecordingSender(ChannelKind.TELEGRAM)
    notifier = Notifier({sender.channel: sender}, dialog_services().config.timezone)
    asyncio.run(dispatch_due(sessions, notifier, WEDNESDAY_10 + timedelta(seconds=1)))
    return sender


def technician_asks(dialog: DialogEngine, number: str, question: str) -> Chat:
    tech = Chat(dialog, telegram(501))
    tech.command("ustlen", number)
    tech.press(texts.BTN_HOLD)
    tech.say(question)
    assert "beklemede" in tech.text
    return tech


# --- the pure readings --------------------------------------------------------------------------------


def test_typed_words_mean_what_people_mean() -> None:
    for said in ("evet", "Evet.", "tamam", "olur", "doğru", "aynen", "he", "evet oldu çok teşekkürler"):
        assert typed.intent(said) is typed.Intent.YES, said
    for said in ("hayır", "yok", "hayır ikisi ayrı sorun"):
        assert typed.intent(said) is typed.Intent.NO, said
    assert [
        typed.intent(w) for w in ("onayla", "düzenle", "İPTAL", "vazgeçtim", "boşver", "atla", "geç")
    ] == [
        typed.Intent.CONFIRM,
        typed.Intent.EDIT,
        typed.Intent.CANCEL,
        typed.Intent.CANCEL,
        typed.Intent.CANCEL,
        typed.Intent.SKIP,
        typed.Intent.SKIP,
    ]
    assert typed.intent("evet ama yazıcı hâlâ kağıt sıkıştırıyor ve toner de bitti") is None  # too long
    assert [typed.ordinal(w, 3) for w in ("1", "2.", "ilki", "ikincisi", "sonuncusu", "4")] == [
        1,
        2,
        1,
        2,
        3,
        None,
    ]
    ratings = ("5", "5 yıldız", "4/5", "⭐⭐⭐", "çok iyi", "iyi", "çok kötü", "6", "harika")
    assert [typed.rating(w) for w in ratings] == [5, 5, 4, 3, 5, 4, 1, None, 5]
    assert typed.ticket_number("bim-2026-4") == "BIM-2026-000004"


# --- 1. a typed reply threw the request away ---------------------------------------------------------


@pytest.mark.parametrize("reply", ["evet", "1", "ilki", "Evet, bu hizmet"])
def test_1_a_typed_yes_at_the_confirmation_keeps_the_request(dialog: DialogEngine, reply: str) -> None:
    chat = employee(dialog)
    chat.say(PRINTER)
    assert "Doğru mu?" in chat.text
    chat.say(reply)
    assert "eşleştiremedim" not in chat.text
    assert texts.ASK_LOCATION in chat.text


def test_1_a_typed_no_at_the_confirmation_offers_the_list_and_keeps_the_description(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = employee(dialog)
    chat.say(PRINTER)
    chat.say("hayır ikisi ayrı sorun")
    assert texts.CHOOSE_GROUP in chat.text
    chat.say("05.21")  # a group typed by its label
    chat.say("ilki")  # its first service
    assert texts.ASK_LOCATION in chat.text
    chat.say(OFFICE)
    chat.press("Kayıtlı numaram")
    assert f"Açıklama: {PRINTER}" in chat.text  # the description was not lost


def test_1_onayla_at_the_summary_opens_and_unclear_words_show_the_options_again(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = employee(dialog)
    chat.say(PRINTER)
    chat.say("tamam")
    chat.say(OFFICE)
    chat.say("0532 123 45 67")
    summary = chat.labels
    chat.say("olsun bakalım")
    assert texts.TYPED_NOT_UNDERSTOOD in chat.text and chat.labels == summary
    assert "Talep özeti" in chat.text
    chat.say("onayla")
    assert "Talebiniz oluşturuldu" in chat.text
    assert len(tickets_in(sessions)) == 1


def test_1_a_long_new_problem_at_the_confirmation_is_asked_about(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = employee(dialog)
    chat.say(PRINTER)
    chat.say("aslında outlook şifremi de unuttum ne yapmalıyım")
    assert chat.labels == [texts.BTN_NEW_REQUEST_FROM_TEXT, texts.BTN_BACK_TO_QUESTION]
    chat.say("hayır")  # back to the question: the printer request is still there
    assert "Doğru mu?" in chat.text and "05.21.001" in chat.text
    chat.say("aslında outlook şifremi de unuttum ne yapmalıyım")
    chat.press(texts.BTN_NEW_REQUEST_FROM_TEXT)
    assert "05.21.001" not in chat.text


# --- 2. a typed answer to the technician's question started a new request -----------------------------


def test_2_whatever_the_requester_types_while_asked_is_the_answer(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = employee(dialog)
    number = printer_ticket(chat)
    technician_asks(dialog, number, "Yazıcının modeli nedir?")
    question = dispatch(sessions).to(str(EMPLOYEE_ID))[-1]
    chat.press(texts.BTN_ANSWER, [question])
    assert "Yazıcının modeli nedir?" in chat.text  # the prompt shows the question
    chat.command("iptal")
    chat.say("HP LaserJet 400")  # typed without pressing "Yanıtla"
    assert texts.answer_sent(number) in chat.text and texts.ASK_WHICH not in chat.text
    [ticket] = tickets_in(sessions)
    assert ticket.status is TicketStatus.IN_PROGRESS
    chat.say(f"durum {number}")
    assert "Yazıcının modeli nedir?" in chat.text and "HP LaserJet 400" in chat.text
    assert f"Açıklama: {PRINTER}" in chat.text


def test_2_with_two_tickets_waiting_the_bot_asks_which_one(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = employee(dialog)
    first = printer_ticket(chat)
    second = printer_ticket(chat)
    technician_asks(dialog, first, "Hangi kat?")
    Chat(dialog, telegram(502)).command("ustlen", second)  # the lead takes the second one
    lead = Chat(dialog, telegram(502))
    lead.command("durum", second)
    lead.press(texts.BTN_HOLD)
    lead.say("Toner var mı?")
    chat.say("3. kat, toner yok")
    assert texts.WHICH_TICKET_ANSWER in chat.text
    chat.press(second)
    with sessions() as session:
        answers = session.scalars(
            select(TicketEvent).where(TicketEvent.kind == EventKind.ANSWERED.value)
        ).all()
        assert [a.note for a in answers] == ["3. kat, toner yok"]
        assert answers[0].ticket.number == second


def test_a_requester_adds_a_note_to_an_open_ticket_and_the_technician_is_told(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = employee(dialog)
    number = printer_ticket(chat)
    Chat(dialog, telegram(501)).command("ustlen", number)
    chat.command("durum", number)
    assert chat.labels == [texts.BTN_ADD_NOTE]
    chat.press(texts.BTN_ADD_NOTE)
    chat.say("Yazıcı 3. katta, koridorun sonunda.")
    assert chat.text == texts.note_sent(number)
    ping = dispatch(sessions).to("501")[-1]
    assert "Yazıcı 3. katta, koridorun sonunda." in ping.text and number in ping.text
    chat.command("durum", number)
    assert "Talep sahibinin notu: Yazıcı 3. katta" in chat.text


# --- 3. ratings were inverted or lost --------------------------------------------------------------------


@pytest.mark.parametrize(("typed_rating", "score"), [("5", 5), ("5 yıldız", 5), ("çok iyi", 5), ("2", 2)])
def test_3_the_rating_is_typed_or_pressed_on_a_scale_from_1_to_5(
    dialog: DialogEngine, sessions: sessionmaker[Session], typed_rating: str, score: int
) -> None:
    chat = employee(dialog)
    number = printer_ticket(chat)
    tech = Chat(dialog, telegram(501))
    tech.command("ustlen", number)
    tech.command("coz", number)
    tech.say("Kağıt çıkarıldı.")
    resolved = dispatch(sessions).to(str(EMPLOYEE_ID))[-1]
    chat.press(texts.BTN_CONFIRM_RESOLVED, [resolved])
    assert "1 (çok kötü) ile 5 (çok iyi)" in chat.text
    assert chat.labels == [texts.btn_rating(n) for n in range(1, 6)]
    chat.say("bilmem")
    assert texts.RATING_AGAIN in chat.text
    chat.say(typed_rating)
    assert texts.rated(score) in chat.text
    assert tickets_in(sessions)[0].satisfaction == score
    assert texts.notify_rated(number, score) in dispatch(sessions).to("501")[-1].text


def test_3_the_console_numbers_the_stars_as_they_score() -> None:
    console = ConsoleChannel("someone", write=lambda _line: None)
    from bot.engine import ticket_actions
    from bot.engine.events import Reply

    console.show([Reply(texts.ask_rating("BIM-2026-000001"), ticket_actions.rating_options(7))])
    chosen = console.parse("5")
    assert isinstance(chosen, OptionChosen) and chosen.option_id == "t7:rate:5"


# --- 4. status, cancel and thanks in words -------------------------------------------------------------


def test_4_words_do_what_commands_do(dialog: DialogEngine, sessions: sessionmaker[Session]) -> None:
    chat = employee(dialog)
    number = printer_ticket(chat)
    chat.say("talebim ne oldu")
    assert texts.MY_TICKETS in chat.text and number in chat.text
    for asked in (f"durum {number}", number, number.lower().replace("bim-", "")):
        chat.say(asked)
        assert f"Açıklama: {PRINTER}" in chat.text, asked
    chat.say("yardım")
    assert "/durum" in chat.text
    chat.say(PRINTER)
    chat.say("iptal")
    assert chat.text == texts.CANCELLED_CONVERSATION
    chat.say(PRINTER)
    chat.say("vazgeçtim")
    assert chat.text == texts.CANCELLED_CONVERSATION
    assert len(tickets_in(sessions)) == 1


def test_4_evet_oldu_cok_tesekkurler_confirms_the_resolution(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = employee(dialog)
    number = printer_ticket(chat)
    tech = Chat(dialog, telegram(501))
    tech.command("ustlen", number)
    tech.command("coz", number)
    tech.say("Kağıt çıkarıldı.")
    chat.say("evet oldu çok teşekkürler")
    assert "kapatıldı" in chat.text
    chat.say("5")
    ticket = tickets_in(sessions)[0]
    assert (ticket.status, ticket.satisfaction) == (TicketStatus.CLOSED, 5)


def test_4_one_command_table_feeds_the_help_the_menu_and_the_words() -> None:
    names = [name for name, _ in commands.menu(staff=True)]
    assert names[: len(commands.menu(staff=False))] == [name for name, _ in commands.menu(staff=False)]
    assert "islerim" in names and "islerim" not in [name for name, _ in commands.menu(staff=False)]
    assert commands.from_words("talebim ne oldu") == commands.from_words("Taleplerim")
    assert commands.from_words("durum BIM-2026-000004") is not None
    assert commands.from_words("yazıcım bozuldu") is None
    assert texts.CMD_RESOLVE.startswith("Talebi çözüldü olarak işaretle")


# --- 5. the first message was lost ------------------------------------------------------------------


def test_5_the_first_message_is_kept_through_the_notice(dialog: DialogEngine) -> None:
    chat = Chat(dialog, telegram(CITIZEN_ID, "Veli"))
    chat.say("e-Belediye'de ödeme yapamıyorum")
    assert "AYDINLATMA METNİ" in chat.text
    chat.press(texts.BTN_KVKK_ACCEPT)
    assert texts.continuing_with("e-Belediye'de ödeme yapamıyorum") in chat.text
    assert "05.23.012" in chat.text


def test_5_a_declined_notice_discards_the_first_message(dialog: DialogEngine) -> None:
    chat = Chat(dialog, telegram(CITIZEN_ID, "Veli"))
    chat.say("e-Belediye'de ödeme yapamıyorum")
    chat.press(texts.BTN_KVKK_REJECT)
    chat.command("start")
    chat.press(texts.BTN_KVKK_ACCEPT)
    assert chat.text == texts.KVKK_ACCEPTED


def test_5_an_employee_recognised_by_phone_continues_with_the_first_message(dialog: DialogEngine) -> None:
    chat = Chat(dialog, telegram(EMPLOYEE_ID, "Ayşe"))
    chat.say(PRINTER)
    chat.share_phone("0532 123 45 67")
    assert texts.continuing_with(PRINTER) in chat.text and "05.21.001" in chat.text


# --- 6. details accepted anything ---------------------------------------------------------------------


def test_6_details_are_checked(dialog: DialogEngine, sessions: sessionmaker[Session]) -> None:
    chat = citizen(dialog)
    chat.say("e-Belediye'de ödeme yapamıyorum")
    chat.say("evet")
    chat.say("asdfg")
    assert chat.text == texts.LOCATION_UNCLEAR
    chat.say("pardon yanlış yazdım, e-Belediye değil bilet sitesi")
    assert texts.CORRECTION_NOTICED in chat.text and chat.labels == [texts.BTN_EDIT]
    chat.say("atla")
    assert texts.ASK_CONTACT_CITIZEN in chat.text
    chat.say("532123456")  # nine digits
    assert chat.text == texts.CONTACT_INVALID_CITIZEN
    chat.say("0532 111 22 33")
    assert "Konum: —" in chat.text and "İletişim: 0532 111 22 33" in chat.text


def test_6_an_extension_and_a_landline_are_phones_and_skip_words_skip(dialog: DialogEngine) -> None:
    chat = employee(dialog)
    chat.say(PRINTER)
    chat.say("evet")
    chat.say("yok")  # skip words skip
    chat.say("12")
    assert chat.text == texts.CONTACT_INVALID
    chat.say("atla")  # a staff request's number cannot be skipped, and the answer says so
    assert chat.text == texts.CONTACT_REQUIRED
    chat.say("dahili 2145")
    assert "Konum: —" in chat.text and "İletişim: dahili 2145" in chat.text
    assert commands.from_words("0212 123 45 67") is None


def test_6_the_last_location_and_phone_are_one_tap(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = employee(dialog)
    printer_ticket(chat)
    chat.say(PRINTER)
    chat.say("evet")
    assert chat.labels == [texts.BTN_SAME_DETAILS] and OFFICE in chat.text
    chat.say("evet")
    assert f"Konum: {OFFICE}" in chat.text and "Talep özeti" in chat.text


# --- 7. two problems in one message -----------------------------------------------------------------


def test_7_two_problems_in_one_message_are_opened_one_after_the_other(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = employee(dialog)
    chat.say("bilgisayarım açılmıyor bir de outlook şifremi unuttum")
    assert texts.several_problems(2) in chat.text
    chat.press(chat.labels[0])
    chat.say(OFFICE)
    chat.press("Kayıtlı numaram")
    chat.say("onayla")
    assert "Talebiniz oluşturuldu" in chat.text and "Mesajınızdaki diğer sorun" in chat.text
    chat.press(texts.BTN_OPEN_NEXT)
    chat.press(chat.labels[0])
    chat.say("evet")  # the same office and phone
    chat.say("onayla")
    first, second = tickets_in(sessions)
    assert first.service_id != second.service_id


# --- 8. a technician was offered actions that always fail -------------------------------------------


def test_8_only_legal_actions_are_offered_and_a_refusal_says_what_to_do(
    dialog: DialogEngine, sessions: sessionmaker[Session]
) -> None:
    chat = employee(dialog)
    number = printer_ticket(chat)
    [ping] = dispatch(sessions).to("501")
    assert [o.label for o in ping.options] == [texts.BTN_TAKE]
    tech = Chat(dialog, telegram(501))
    tech.command("coz", number)
    assert tech.text == texts.take_first(number) and tech.labels == [texts.BTN_TAKE]
    ticket_id = tickets_in(sessions)[0].id
    tech.send(OptionChosen(f"t{ticket_id}:resolve"))  # an old "Çözüldü" button
    assert tech.text == texts.take_first(number)
    tech.press(texts.BTN_TAKE)
    assert tech.labels == [texts.BTN_RESOLVE, texts.BTN_HOLD]
    tech.command("durum", number)
    assert tech.labels == [texts.BTN_RESOLVE, texts.BTN_HOLD]


# --- 9. the console showed a person nothing addressed to them ----------------------------------------


def test_9_each_console_shows_its_own_notifications_as_they_arrive(engine: Engine) -> None:
    sessions = session_factory(engine)
    clock = SettableClock(WEDNESDAY_10)
    services = dialog_services()
    with sessions() as session, session.begin():
        employee_id = demo_account(session, "employee", services.catalog, clock.now()).external_id
        technician_id = demo_account(session, "technician", services.catalog, clock.now()).external_id
    screens: dict[str, list[str]] = {employee_id: [], technician_id: []}

    async def main() -> None:
        consoles = {who: ConsoleChannel(who, screens[who].append) for who in screens}
        chat_services = {
            who: build_chat_service(services, sessions, clock, [consoles[who]]) for who in screens
        }
        for service in chat_services.values():
            service.notifier.records_failures = False
        lines = {employee_id: asyncio.Queue[str](), technician_id: asyncio.Queue[str]()}

        def reader(who: str) -> object:
            loop = asyncio.get_running_loop()

            def read(_prompt: str) -> str:
                line = asyncio.run_coroutine_threadsafe(lines[who].get(), loop).result()
                if line == "EOF":
                    raise EOFError
                return line

            return read

        async def type_(who: str, line: str, expect: str) -> None:
            await lines[who].put(line)
            await wait_for(who, expect)

        async def wait_for(who: str, expect: str) -> None:
            for _ in range(200):
                if any(expect in line for line in screens[who]):
                    return
                await asyncio.sleep(0.05)
            raise AssertionError(f"{expect!r} not on {who}'s screen: {screens[who][-5:]}")

        employee_task = asyncio.create_task(
            converse(
                chat_services[employee_id],
                consoles[employee_id],
                AccountRef(ChannelKind.CONSOLE, employee_id),
                reader(employee_id),  # type: ignore[arg-type]
                poll_seconds=0.05,
            )
        )
        for line in (PRINTER, "evet", OFFICE, "2145"):
            await type_(employee_id, line, "")
        await type_(employee_id, "onayla", "Talebiniz oluşturuldu")
        technician_task = asyncio.create_task(
            converse(
                chat_services[technician_id],
                consoles[technician_id],
                AccountRef(ChannelKind.CONSOLE, technician_id),
                reader(technician_id),  # type: ignore[arg-type]
                poll_seconds=0.05,
            )
        )
        await wait_for(technician_id, "Yeni iş: BIM-")  # the ping sent before this console started
        assert not any("Yeni iş" in line for line in screens[employee_id])
        await type_(technician_id, "1", "üstlendiniz")
        await wait_for(employee_id, "tarafından ele alındı")  # shown without the employee typing
        for who in screens:
            await lines[who].put("EOF")
        await asyncio.gather(employee_task, technician_task)
        for service in chat_services.values():
            await service.drain()

    asyncio.run(main())


# --- fewer messages to a ticket --------------------------------------------------------------------


def test_messages_to_a_ticket(dialog: DialogEngine, sessions: sessionmaker[Session]) -> None:
    """A returning employee with a remembered location and phone: 4 messages; a first-time citizen on
    Telegram, from /start: 7."""
    chat = employee(dialog)
    printer_ticket(chat)
    sent = 0

    def send(action: str) -> None:
        nonlocal sent
        sent += 1
        if action.startswith("press:"):
            chat.press(action[len("press:") :])
        else:
            chat.say(action)

    for action in (
        PRINTER,
        f"press:{texts.BTN_YES}",
        f"press:{texts.BTN_SAME_DETAILS}",
        f"press:{texts.BTN_CONFIRM}",
    ):
        send(action)
    assert "Talebiniz oluşturuldu" in chat.text and sent == 4

    chat = Chat(dialog, telegram(CITIZEN_ID, "Veli"))
    sent = 0
    send_command = chat.command
    send_command("start")
    sent += 1
    for action in (
        f"press:{texts.BTN_KVKK_ACCEPT}",
        "e-Belediye'de ödeme yapamıyorum",
        f"press:{texts.BTN_YES}",
        f"press:{texts.BTN_SKIP}",
        "0532 111 22 33",
        f"press:{texts.BTN_CONFIRM}",
    ):
        send(action)
    assert "Talebiniz oluşturuldu" in chat.text and sent == 7
    assert len(tickets_in(sessions)) == 3
    with sessions() as session:
        assert session.scalars(select(Ticket).where(Ticket.requester_text.like("e-Belediye%"))).one()
