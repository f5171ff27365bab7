"""End to end through the real python-telegram-bot stack (polling, AIORateLimiter, handlers) against a fake
Bot API server on 127.0.0.1, with the real engine, storage, matcher and dispatcher."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from dialog_world import WEDNESDAY_10, Staff, dialog_services, seed_directory, tickets_in
from fake_telegram import TOKEN, ApiCall, FakeBotApi, FakeUser
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot import texts
from bot.app import TelegramStarter
from bot.health import Health
from bot.service import ChatService
from bot.settings import Settings
from bot.telegram.channel import TelegramChannel, TelegramConfig
from bot.wiring import build_chat_service
from catalog.clock import SettableClock
from storage.db import session_factory
from storage.models import (
    ChatAccount,
    ChatChannel,
    Notification,
    NotificationStatus,
    OutboundReply,
    Ticket,
    TicketEvent,
    TicketStatus,
)

CITIZEN = FakeUser(7001, "Veli")
EMPLOYEE = FakeUser(7002, "Ayşe", phone="+90 532 123 45 67")
TECHNICIAN = FakeUser(501, "Tuncay")
EBELEDIYE_TECH = FakeUser(503, "Yasemin")


@dataclass
class Bot:
    api: FakeBotApi
    sessions: sessionmaker[Session]
    service: ChatService
    channel: TelegramChannel
    staff: Staff

    async def reply(self, user: FakeUser, contains: str) -> int:
        """Waits for the bot's message to `user` containing `contains`; returns the index after it."""
        call = await self.api.wait_message(user.id, contains)
        return self.api.calls.index(call) + 1

    async def tell(self, user: FakeUser, text: str, expect: str) -> None:
        mark = len(self.api.calls)
        self.api.send_text(user, text)
        await self.api.wait_message(user.id, expect, after=mark)

    async def click(self, user: FakeUser, label: str, expect: str) -> None:
        """Presses `label` on the latest bot message to `user` that has it, then waits for `expect`."""
        await self.api.wait_for(
            lambda c: c.method == "sendMessage" and c.chat_id == user.id and _has_button(c, label)
        )
        message = next(c for c in reversed(self.api.sent(user.id)) if _has_button(c, label))
        mark = len(self.api.calls)
        self.api.click(user, message, label)
        await self.api.wait_message(user.id, expect, after=mark)


def _has_button(call: ApiCall, label: str) -> bool:
    return any(text.startswith(label) for text, _ in call.buttons)


async def start_channel(api: FakeBotApi, service: ChatService, **settings: Any) -> TelegramChannel:
    """The channel on `api`; `settings` override TelegramConfig's defaults."""
    config = TelegramConfig(TOKEN, api_base_url=api.base_url, poll_timeout=timedelta(seconds=1), **settings)
    channel = TelegramChannel(config, service, service.staff_telegram_chats)
    service.notifier.add_sender(channel)
    await channel.start()
    return channel


def new_service(sessions: sessionmaker[Session]) -> ChatService:
    return build_chat_service(dialog_services(), sessions, SettableClock(WEDNESDAY_10))


@asynccontextmanager
async def running_bot(engine: Engine, api: FakeBotApi | None = None, **settings: Any) -> AsyncIterator[Bot]:
    api = api or FakeBotApi()
    await api.start()
    sessions = session_factory(engine)
    staff = seed_directory(sessions)
    service = new_service(sessions)
    channel = await start_channel(api, service, **settings)
    bot = Bot(api, sessions, service, channel, staff)
    try:
        yield bot
    finally:
        await bot.channel.stop()
        await bot.service.drain()
        await api.stop()


def run(
    engine: Engine, scenario: Callable[[Bot], Awaitable[None]], api: FakeBotApi | None = None, **settings: Any
) -> None:
    async def main() -> None:
        async with running_bot(engine, api, **settings) as bot:
            await scenario(bot)

    asyncio.run(main())


async def citizen_accepts(bot: Bot) -> None:
    bot.api.send_text(CITIZEN, "/start")
    await bot.reply(CITIZEN, "AYDINLATMA METNİ")
    await bot.click(CITIZEN, texts.BTN_KVKK_ACCEPT, texts.KVKK_ACCEPTED)


async def employee_verifies(bot: Bot) -> None:
    bot.api.send_text(EMPLOYEE, "/start")
    call = await bot.api.wait_message(EMPLOYEE.id, "telefon numaranızı paylaşın")
    assert call.asks_contact
    mark = len(bot.api.calls)
    bot.api.send_contact(EMPLOYEE, EMPLOYEE.phone)
    await bot.api.wait_message(
        EMPLOYEE.id, "Ayşe Çalışkan, kimliğiniz personel rehberiyle doğrulandı", after=mark
    )


async def employee_opens_printer_ticket(bot: Bot) -> str:
    await bot.tell(EMPLOYEE, "yazıcı kağıt sıkıştırıyor", "Ele alma: 1 saat, tamamlanma: 2 iş günü.")
    await bot.click(EMPLOYEE, texts.BTN_YES, "Sorun nerede?")
    await bot.tell(EMPLOYEE, "Hizmet binası, Mali Hizmetler, oda 305", "telefon numarası")
    await bot.click(EMPLOYEE, "Kayıtlı numaram", "Talep özeti")
    mark = len(bot.api.calls)
    bot.api.send_photo(EMPLOYEE, "AgADphoto", caption="")  # files are welcome at the summary
    await bot.api.wait_message(EMPLOYEE.id, "Ek: 1 dosya", after=mark)
    await bot.click(EMPLOYEE, texts.BTN_CONFIRM, "Talebiniz oluşturuldu")
    return tickets_in(bot.sessions)[-1].number


# --- the full flows ------------------------------------------------------------------------------------


def test_citizen_opens_an_ebelediye_request(engine: Engine) -> None:
    async def scenario(bot: Bot) -> None:
        await citizen_accepts(bot)
        await bot.tell(CITIZEN, "e-Belediye'de ödeme yapamıyorum", "05.23.012")
        await bot.click(CITIZEN, texts.BTN_YES, "adres veya yer")
        await bot.click(CITIZEN, texts.BTN_SKIP, "telefon numaranızı")
        await bot.tell(CITIZEN, "0532 111 22 33", "Talep özeti")
        await bot.click(CITIZEN, "Onayla", "BIM-2026-000001")
        ping = await bot.api.wait_message(EBELEDIYE_TECH.id, "Yeni iş: BIM-2026-000001")
        assert "e-Belediye'de ödeme yapamıyorum" in ping.text
        assert [label for label, _ in ping.buttons] == [texts.BTN_TAKE]  # the only action before taking it
        assert all(len(data.encode()) <= 64 for _, data in ping.buttons)

    run(engine, scenario)


def test_employee_verifies_opens_printer_request_technician_resolves_and_requester_rates(
    engine: Engine,
) -> None:
    async def scenario(bot: Bot) -> None:
        await employee_verifies(bot)
        number = await employee_opens_printer_ticket(bot)
        ping = await bot.api.wait_message(TECHNICIAN.id, f"Yeni iş: {number}")
        assert "Mali Hizmetler, oda 305" in ping.text and "yazıcı kağıt sıkıştırıyor" in ping.text
        await bot.click(TECHNICIAN, "Üstlen", "üstlendiniz")
        await bot.reply(EMPLOYEE, "Teknisyen Tuncay tarafından ele alındı")
        await bot.click(TECHNICIAN, "Çözüldü", "kısa bir notla")
        await bot.tell(TECHNICIAN, "Sıkışan kağıt çıkarıldı.", "çözüldü olarak işaretlendi")
        await bot.reply(EMPLOYEE, "Yapılan işlem: Sıkışan kağıt çıkarıldı.")
        await bot.click(EMPLOYEE, texts.BTN_CONFIRM_RESOLVED, "5 (çok iyi) arasında")
        await bot.click(EMPLOYEE, texts.btn_rating(5), "(5/5)")
        await bot.reply(TECHNICIAN, "hizmeti 5/5 olarak değerlendirdi")
        with bot.sessions() as session:
            ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
            assert ticket.status is TicketStatus.CLOSED and ticket.satisfaction == 5
            assert [a.file_id for a in ticket.attachments] == ["AgADphoto"]
        # The spent keyboards were removed, and every button press was answered.
        assert any(c.method == "editMessageReplyMarkup" for c in bot.api.calls)
        assert any(c.method == "answerCallbackQuery" for c in bot.api.calls)
        # The command menu: everyone's by default, with the staff commands in the technicians' chats.
        menus = {
            str(c.params["scope"].get("chat_id", "default")): [cmd["command"] for cmd in c.params["commands"]]
            for c in bot.api.calls
            if c.method == "setMyCommands"
        }
        assert "islerim" not in menus["default"] and "islerim" in menus[str(TECHNICIAN.id)]
        assert str(EMPLOYEE.id) not in menus

    run(engine, scenario)


def test_the_whole_typed_path_without_a_button_from_the_requester(engine: Engine) -> None:
    """Issue 12: open a request, answer the technician's question, confirm and rate 5, all typed."""

    async def scenario(bot: Bot) -> None:
        await employee_verifies(bot)
        await bot.tell(EMPLOYEE, "yazıcı kağıt sıkıştırıyor", "Doğru mu?")
        await bot.tell(EMPLOYEE, "evet", "Sorun nerede?")
        await bot.tell(EMPLOYEE, "Hizmet binası, oda 305", "telefon")
        await bot.tell(EMPLOYEE, "0532 123 45 67", "Talep özeti")
        await bot.tell(EMPLOYEE, "onayla", "Talebiniz oluşturuldu")
        number = tickets_in(bot.sessions)[-1].number
        await bot.click(TECHNICIAN, texts.BTN_TAKE, "üstlendiniz")
        await bot.click(TECHNICIAN, texts.BTN_HOLD, "sormak istediğiniz")
        await bot.tell(TECHNICIAN, "Yazıcının modeli nedir?", "beklemede")
        await bot.reply(EMPLOYEE, "Yazıcının modeli nedir?")
        await bot.tell(EMPLOYEE, "HP LaserJet 400", texts.answer_sent(number))
        await bot.reply(TECHNICIAN, "HP LaserJet 400")
        await bot.click(TECHNICIAN, texts.BTN_RESOLVE, "kısa bir notla")
        await bot.tell(TECHNICIAN, "Silindir temizlendi.", "çözüldü olarak işaretlendi")
        await bot.reply(EMPLOYEE, "Yapılan işlem: Silindir temizlendi.")
        await bot.tell(EMPLOYEE, "evet oldu çok teşekkürler", "5 (çok iyi) arasında")
        await bot.tell(EMPLOYEE, "5", texts.rated(5))
        await bot.reply(TECHNICIAN, texts.notify_rated(number, 5))
        with bot.sessions() as session:
            ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
            assert (ticket.status, ticket.satisfaction) == (TicketStatus.CLOSED, 5)
            notes = [e.note for e in ticket.events if e.kind == "answered"]
            assert notes == ["HP LaserJet 400"]

    run(engine, scenario)


def test_files_added_to_an_opened_ticket_reach_the_technician_as_files(engine: Engine) -> None:
    async def scenario(bot: Bot) -> None:
        await employee_verifies(bot)
        number = await employee_opens_printer_ticket(bot)
        await bot.reply(TECHNICIAN, f"Yeni iş: {number}")
        await bot.click(TECHNICIAN, "Üstlen", "üstlendiniz")
        await bot.click(TECHNICIAN, "Beklemeye al", "sormak istediğiniz")
        await bot.tell(TECHNICIAN, "Ekranda hangi hata yazıyor?", "beklemede")
        await bot.click(EMPLOYEE, texts.BTN_ANSWER, "Yanıtınızı yazın")
        mark = len(bot.api.calls)
        bot.api.send_photo(EMPLOYEE, "AgADerror")  # the error screen, no words
        await bot.api.wait_message(EMPLOYEE.id, "Yanıtınız teknisyene iletildi", after=mark)
        await bot.api.wait_message(
            TECHNICIAN.id, f"{number} numaralı talebe yeni bir fotoğraf eklendi", after=mark
        )
        photo = await bot.api.wait_for(lambda c: c.method == "sendPhoto", after=mark)
        assert (photo.chat_id, photo.params["photo"]) == (TECHNICIAN.id, "AgADerror")
        await bot.api.wait_message(TECHNICIAN.id, "Yanıt olarak fotoğraf gönderildi", after=mark)

        mark = len(bot.api.calls)  # later, outside any conversation: a screenshot as a file
        bot.api.send_document(EMPLOYEE, "BQADlog", "ekran.png", caption="Yine aynı hata")
        await bot.api.wait_message(EMPLOYEE.id, "hangi talebe ekleyeyim", after=mark)
        await bot.click(EMPLOYEE, number, "talebe eklendi ve ilgili teknisyene iletildi")
        ping = await bot.api.wait_message(TECHNICIAN.id, "yeni bir dosya eklendi: ekran.png", after=mark)
        assert ping.text.endswith("Açıklama: Yine aynı hata")
        document = await bot.api.wait_for(lambda c: c.method == "sendDocument", after=mark)
        assert (document.chat_id, document.params["document"]) == (TECHNICIAN.id, "BQADlog")
        with bot.sessions() as session:
            ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
            assert [a.file_id for a in ticket.attachments] == ["AgADphoto", "AgADerror", "BQADlog"]
            assert ticket.status is TicketStatus.IN_PROGRESS

    run(engine, scenario)


def test_an_outage_between_a_notifications_text_and_its_file_sends_the_file_only(engine: Engine) -> None:
    """The technician's "a file was added" notice is a text and then the file: a retry after an outage
    that cut it short sends the file, not the text again."""
    notice = "yeni bir dosya eklendi: ekran.png"

    async def scenario(bot: Bot) -> None:
        await employee_verifies(bot)
        number = await employee_opens_printer_ticket(bot)
        await bot.reply(TECHNICIAN, f"Yeni iş: {number}")
        mark = len(bot.api.calls)
        bot.api.send_document(EMPLOYEE, "BQADlog", "ekran.png")
        await bot.api.wait_message(EMPLOYEE.id, "hangi talebe ekleyeyim", after=mark)

        def outage_after(call: ApiCall) -> None:
            if call.chat_id == TECHNICIAN.id and notice in call.text:
                bot.api.failing_until = time.monotonic() + 3600

        bot.api.on_call = outage_after
        message = next(c for c in reversed(bot.api.sent(EMPLOYEE.id)) if _has_button(c, number))
        bot.api.click(EMPLOYEE, message, number)
        await _eventually(lambda: _notice_cut_short(bot.sessions), "the notice's text counted as delivered")
        bot.api.on_call, bot.api.failing_until = None, 0.0
        assert isinstance(bot.service.clock, SettableClock)
        bot.service.clock.advance(timedelta(minutes=5))  # past the retry's wait
        await bot.service.replies.sweep()
        await bot.service.dispatch()
        document = await bot.api.wait_for(lambda c: c.method == "sendDocument", after=mark)
        assert document.chat_id == TECHNICIAN.id
        assert len([c for c in bot.api.sent(TECHNICIAN.id) if notice in c.text]) == 1
        await bot.api.wait_message(EMPLOYEE.id, "talebe eklendi", after=mark)

    run(engine, scenario)


def _notice_cut_short(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        cut = (Notification.delivered == 1) & (Notification.attempts == 1)
        return session.scalar(select(Notification).where(cut)) is not None


def test_refusal_out_of_scope_and_cancel(engine: Engine) -> None:
    async def scenario(bot: Bot) -> None:
        await citizen_accepts(bot)
        await bot.tell(CITIZEN, "yazıcı kağıt sıkıştırıyor", "yalnızca belediye personelinin")
        await bot.tell(CITIZEN, "çöp toplanmadı", "Alo 153")
        await bot.click(CITIZEN, "Hizmet listesinden seç", "Hangi alanda")
        await bot.tell(CITIZEN, "/iptal", "iptal edildi")
        await bot.tell(CITIZEN, "/yardım", "/taleplerim")

    run(engine, scenario)
    assert tickets_in(session_factory(engine)) == []


def test_stickers_voice_location_get_polite_replies_and_commands_failure_is_ignored(engine: Engine) -> None:
    api = FakeBotApi(fail_methods={"setMyCommands"})

    async def scenario(bot: Bot) -> None:
        await citizen_accepts(bot)
        bot.api.send_sticker(CITIZEN)
        await bot.reply(CITIZEN, "Çıkartmanız için teşekkürler")
        bot.api.send_voice(CITIZEN)
        await bot.reply(CITIZEN, "Sesli mesajları dinleyemiyorum")
        bot.api.send_location(CITIZEN)
        await bot.reply(CITIZEN, "Konum paylaşımını kullanamıyorum")
        await bot.tell(CITIZEN, "🙂🙂", "okuyabildiğim bir metin yok")

    run(engine, scenario, api)
    assert any(c.method == "setMyCommands" for c in api.calls)


def test_text_over_the_limit_is_refused(engine: Engine) -> None:
    async def scenario(bot: Bot) -> None:
        await citizen_accepts(bot)
        await bot.tell(CITIZEN, "x" * 5000, "çok uzun")

    run(engine, scenario)


def test_duplicate_update_is_processed_once(engine: Engine) -> None:
    async def scenario(bot: Bot) -> None:
        await employee_verifies(bot)
        await bot.tell(EMPLOYEE, "yazıcı kağıt sıkıştırıyor", "Doğru mu?")
        await bot.click(EMPLOYEE, texts.BTN_YES, "Sorun nerede?")
        await bot.tell(EMPLOYEE, "Oda 305", "telefon numarası")
        await bot.click(EMPLOYEE, "Kayıtlı numaram", "Talep özeti")
        summary = bot.api.sent(EMPLOYEE.id)[-1]
        bot.api.redeliver(bot.api.click(EMPLOYEE, summary, "Onayla"))  # both in the same getUpdates batch
        await bot.reply(EMPLOYEE, "Talebiniz oluşturuldu")
        await bot.tell(EMPLOYEE, "/taleplerim", "Talepleriniz")
        opened = [c for c in bot.api.sent(EMPLOYEE.id) if "Talebiniz oluşturuldu" in c.text]
        assert len(opened) == 1
        assert len(tickets_in(bot.sessions)) == 1

    run(engine, scenario)


def test_blocked_user_is_marked_and_not_retried(engine: Engine) -> None:
    async def scenario(bot: Bot) -> None:
        await citizen_accepts(bot)
        bot.api.blocked_chats.add(CITIZEN.id)
        bot.api.send_text(CITIZEN, "merhaba")
        for _ in range(200):
            with bot.sessions() as session:
                account = session.scalars(
                    select(ChatAccount).where(ChatAccount.external_id == str(CITIZEN.id))
                ).one()
                if account.blocked:
                    break
            await asyncio.sleep(0.02)
        assert account.blocked and account.blocked_at is not None
        await asyncio.sleep(0.2)  # room for a retry loop, if there were one
        refused = [c for c in bot.api.calls if c.method == "sendMessage" and c.chat_id == CITIZEN.id]
        assert sum("hoş geldiniz" in c.text for c in refused) == 1

    run(engine, scenario)


def test_technician_who_blocked_the_bot_is_marked_and_the_failure_recorded(engine: Engine) -> None:
    api = FakeBotApi(blocked_chats={TECHNICIAN.id})

    async def scenario(bot: Bot) -> None:
        await employee_verifies(bot)
        number = await employee_opens_printer_ticket(bot)
        for _ in range(200):
            with bot.sessions() as session:
                ping = session.scalars(
                    select(Notification).where(
                        Notification.recipient_id == bot.staff.technician.id, Notification.kind == "assigned"
                    )
                ).one()
                if ping.status is not NotificationStatus.PENDING:
                    break
            await asyncio.sleep(0.02)
        assert ping.status is NotificationStatus.FAILED and "blocked" in (ping.last_error or "")
        with bot.sessions() as session:
            account = session.scalars(select(ChatAccount).where(ChatAccount.external_id == "501")).one()
            assert account.blocked
            ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
            failures = session.scalars(
                select(TicketEvent).where(
                    TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "delivery_failed"
                )
            ).all()
            assert len(failures) == 1

    run(engine, scenario, api)


# A deprecation warning from PTB's flood-control path is an error: it must not come back.
@pytest.mark.filterwarnings("error::DeprecationWarning")
def test_flood_control_is_waited_out(engine: Engine) -> None:
    api = FakeBotApi(flood_once={"sendMessage": 1})

    async def scenario(bot: Bot) -> None:
        bot.api.send_text(EMPLOYEE, "/start")
        await bot.reply(EMPLOYEE, "telefon numaranızı paylaşın")

    run(engine, scenario, api)
    assert [c.method for c in api.calls].count("sendMessage") >= 2


def test_an_outage_between_the_two_messages_of_one_answer_repeats_neither(engine: Engine) -> None:
    """The phone question and its choices are two Telegram messages (a message takes one kind of keyboard):
    the delivery resumes at the second, as the outbox counts platform messages, not answers."""
    phone_question = "Size ulaşabileceğimiz telefon numaranızı"

    async def scenario(bot: Bot) -> None:
        await citizen_accepts(bot)
        await bot.tell(CITIZEN, "e-Belediye'de ödeme yapamıyorum", "05.23.012")
        await bot.click(CITIZEN, texts.BTN_YES, "adres veya yer")

        def outage_after(call: ApiCall) -> None:
            if call.chat_id == CITIZEN.id and phone_question in call.text:
                bot.api.failing_until = time.monotonic() + 3600

        bot.api.on_call = outage_after
        await bot.click(CITIZEN, texts.BTN_SKIP, phone_question)
        await _eventually(lambda: _retry_planned(bot.sessions), "the answer's retry planned")
        bot.api.on_call, bot.api.failing_until = None, 0.0
        assert isinstance(bot.service.clock, SettableClock)
        bot.service.clock.advance(timedelta(minutes=1))  # past the retry's wait
        await bot.service.replies.sweep()
        await bot.api.wait_message(CITIZEN.id, texts.OR_CHOOSE)
        questions = [c for c in bot.api.sent(CITIZEN.id) if phone_question in c.text]
        assert len(questions) == 1
        assert bot.api.failed_calls >= 1

    run(engine, scenario)


async def _eventually(condition: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        await asyncio.sleep(0.05)


def _retry_planned(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        return session.scalar(select(OutboundReply).where(OutboundReply.attempts > 0)) is not None


def test_every_step_survives_a_restart(engine: Engine) -> None:
    async def restart(bot: Bot) -> None:
        """The process stops: a new Application, engine and service take over the same database."""
        await bot.channel.stop()
        await bot.service.drain()
        bot.service = new_service(bot.sessions)
        bot.channel = await start_channel(bot.api, bot.service)

    async def main() -> None:
        async with running_bot(engine) as bot:
            await employee_verifies(bot)
            await bot.tell(EMPLOYEE, "yazıcı kağıt sıkıştırıyor", "Doğru mu?")
            await bot.click(EMPLOYEE, texts.BTN_YES, "Sorun nerede?")
            await bot.tell(EMPLOYEE, "Oda 305", "telefon numarası")
            await restart(bot)
            await bot.click(EMPLOYEE, "Kayıtlı numaram", "Talep özeti")
            await bot.click(EMPLOYEE, "Onayla", "Talebiniz oluşturuldu")
            await bot.api.wait_message(TECHNICIAN.id, "Yeni iş")
            await restart(bot)
            await bot.click(TECHNICIAN, "Üstlen", "üstlendiniz")  # the ping sent before the restart
            await bot.click(TECHNICIAN, "Çözüldü", "kısa bir notla")
            await restart(bot)
            await bot.tell(TECHNICIAN, "Kağıt yolu temizlendi.", "çözüldü olarak işaretlendi")
            await bot.reply(EMPLOYEE, "Yapılan işlem: Kağıt yolu temizlendi.")
            await restart(bot)
            await bot.click(EMPLOYEE, texts.BTN_CONFIRM_RESOLVED, "5 (çok iyi) arasında")
            await restart(bot)
            await bot.click(EMPLOYEE, texts.btn_rating(4), "(4/5)")

    asyncio.run(main())
    [ticket] = tickets_in(session_factory(engine))
    assert (ticket.location, ticket.status, ticket.satisfaction) == ("Oda 305", TicketStatus.CLOSED, 4)


def test_a_press_kept_by_the_previous_run_pings_the_technician_at_once_at_start(engine: Engine) -> None:
    """The previous run kept the "Onayla" press and stopped before processing it. `talepbot run`'s start
    processes it before anything new, while the rest of the start is slow: the ping it creates finds the
    channel's sender already there and goes out at once, not after a retry or never."""

    async def main() -> None:
        api = FakeBotApi(answer_delay={"deleteWebhook": 1.0})
        async with running_bot(engine, api) as bot:
            await employee_verifies(bot)
            await bot.tell(EMPLOYEE, "yazıcı kağıt sıkıştırıyor", "Doğru mu?")
            await bot.click(EMPLOYEE, texts.BTN_YES, "Sorun nerede?")
            await bot.tell(EMPLOYEE, "Oda 305", "telefon numarası")
            await bot.click(EMPLOYEE, "Kayıtlı numaram", "Talep özeti")
            await bot.channel.stop()
            await bot.service.drain()
            summary = next(c for c in reversed(api.sent(EMPLOYEE.id)) if _has_button(c, texts.BTN_CONFIRM))
            update = api.take(api.click(EMPLOYEE, summary, texts.BTN_CONFIRM))
            service = new_service(bot.sessions)
            await service.keep_updates(
                ChatChannel.TELEGRAM, [(str(update["update_id"]), str(EMPLOYEE.id), update)]
            )
            settings = Settings(_env_file=None, telegram_api_base_url=api.base_url)  # type: ignore[call-arg]  # no developer .env
            starter = TelegramStarter(settings, TOKEN, service, Health(bot.sessions, lambda: None))
            await starter.start()
            try:
                await api.wait_message(TECHNICIAN.id, "Yeni iş", timeout=10)
            finally:
                await starter.stop()
                await service.drain()

    asyncio.run(main())


def test_one_flooding_user_does_not_hold_up_another(engine: Engine) -> None:
    flooder_messages = 30

    async def scenario(bot: Bot) -> None:
        await citizen_accepts(bot)
        for _ in range(flooder_messages):
            bot.api.send_text(CITIZEN, "merhaba")
        bot.api.send_text(TECHNICIAN, "/yardim")
        await bot.reply(TECHNICIAN, "/islerim")
        answered_to_flooder = sum("hoş geldiniz" in c.text for c in bot.api.sent(CITIZEN.id))
        assert answered_to_flooder < flooder_messages
        for _ in range(500):
            if sum("hoş geldiniz" in c.text for c in bot.api.sent(CITIZEN.id)) == flooder_messages:
                break
            await asyncio.sleep(0.02)
        assert sum("hoş geldiniz" in c.text for c in bot.api.sent(CITIZEN.id)) == flooder_messages

    # The flood's answers beyond the chat's burst are paced (test_fairness); a quick pace keeps this short.
    run(engine, scenario, chat_interval=timedelta(milliseconds=50))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_webhook_mode_verifies_the_secret_token(engine: Engine) -> None:
    async def main() -> None:
        api = FakeBotApi()
        await api.start()
        port = _free_port()
        config = TelegramConfig(
            TOKEN,
            api_base_url=api.base_url,
            webhook_url=f"http://127.0.0.1:{port}/telegram",
            webhook_secret="s3cret",
            webhook_port=port,
            webhook_listen="127.0.0.1",
        )
        service = new_service(session_factory(engine))
        channel = TelegramChannel(config, service)
        service.notifier.add_sender(channel)
        await channel.start()
        try:
            [set_webhook] = [c for c in api.calls if c.method == "setWebhook"]
            assert set_webhook.params["secret_token"] == "s3cret"
            update = {
                "update_id": 1,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": CITIZEN.id, "type": "private"},
                    "from": CITIZEN.as_json(),
                    "text": "/start",
                    "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                },
            }
            url = f"http://127.0.0.1:{port}/telegram"
            async with aiohttp.ClientSession() as http:
                forged = await http.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
                )
                assert forged.status == 403
                await asyncio.sleep(0.1)
                assert api.sent(CITIZEN.id) == []
                genuine = await http.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
                )
                assert genuine.status == 200
            await api.wait_message(CITIZEN.id, "Bilgi İşlem Müdürlüğü'nün talep asistanı")
        finally:
            await channel.stop()
            await service.drain()
            await api.stop()

    asyncio.run(main())
