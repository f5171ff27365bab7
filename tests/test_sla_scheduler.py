"""The SLA scheduler end to end on SQLite and PostgreSQL, moving a SettableClock instead of sleeping: the
operator's catalog drives the deadlines, reminders and breaches go out once across a restart, quiet hours
hold, a blocked channel falls back to the other one, failures are retried and recorded, and auto-close."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sla_world import TEAMS_REQUESTER, TEAMS_TECH, World, at, fake_channels, rows
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import dispatcher
from bot.dispatcher import RETRY_DELAYS
from catalog.clock import SettableClock, SystemClock
from storage import tickets
from storage.models import (
    ChatAccount,
    ChatChannel,
    EventKind,
    Notification,
    NotificationStatus,
    Person,
    Ticket,
    TicketEvent,
)
from storage.notifications import plan


def _status(found: list[Notification], kind: str) -> list[tuple[int, NotificationStatus]]:
    return [(n.recipient_id, n.status) for n in found if n.kind == kind]


def test_a_process_stopped_before_the_breach_sends_it_exactly_once_after_a_restart(world: World) -> None:
    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            first = world.sessions()
            people = world.seed(first)
            clock = SettableClock(at(1, 11, 10))  # Monday 11 January 2027, 10:00
            number = world.open(first, "05.21.001", people.requester, clock.now())
            with first() as session:
                ticket = tickets.get_ticket(session, number)
                # CATALOG_PATH: the operator's 2-hour response, not the bundled catalog's 1 hour
                assert (ticket.response_due, ticket.resolution_due) == (at(1, 11, 12), at(1, 12, 10))

            running = world.scheduler(first, channels.notifier(world.calendar), clock)
            await running.start()  # sends the technician's ping
            assert running.armed_at == at(1, 11, 11)  # 50 % of the response window
            clock.set(at(1, 11, 11))
            assert await running.wake() == 1  # the 50 % reminder
            await running.stop()  # stopped at 11:00; 80 % (11:36) and the breach (12:00) fall while down

            clock.set(at(1, 11, 12, 30))
            before = {chat: len(channels.telegram_texts(chat)) for chat in (501, 502, 503)}
            restarted = world.scheduler(world.sessions(), channels.notifier(world.calendar), clock)
            await restarted.start()
            new = {chat: channels.telegram_texts(chat)[before[chat] :] for chat in (501, 502, 503)}
            assert [len(new[501]), len(new[502]), len(new[503])] == [1, 1, 0]
            for text in new[501] + new[502]:
                assert text.startswith(f"SLA aşıldı: {number}")
            assert restarted.armed_at == at(1, 11, 14)  # the manager's 200 % escalation
            await restarted.stop()

            again = world.scheduler(world.sessions(), channels.notifier(world.calendar), clock)
            await again.start()  # nothing due: nothing sent
            assert sum(len(channels.telegram_texts(c)) for c in (501, 502, 503)) == sum(before.values()) + 2
            await again.stop()

            found = rows(first, number)
            assert sorted(_status(found, "breach:response:100")) == [
                (people.tech.id, NotificationStatus.SENT),
                (people.lead.id, NotificationStatus.SENT),
            ]
            assert sorted(_status(found, "reminder:response:80")) == [
                (people.tech.id, NotificationStatus.SKIPPED),  # made stale by the breach, not sent late
                (people.lead.id, NotificationStatus.SKIPPED),
            ]

    asyncio.run(main())


def test_quiet_hours_hold_for_business_hours_and_7_24_reaches_on_call_staff_at_night(world: World) -> None:
    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            sessions = world.sessions()
            people = world.seed(sessions)
            clock = SettableClock(at(1, 11, 16, 30))  # Monday 16:30: 1 working hour left today
            printer = world.open(sessions, "05.21.001", people.requester, clock.now())
            scheduler = world.scheduler(sessions, channels.notifier(world.calendar), clock)
            await scheduler.start()
            assert len(channels.telegram_texts(501)) == 1  # the ping
            # 50 % of 2 working hours falls at 17:30, the closing instant: held until Tuesday 08:30
            assert scheduler.armed_at == at(1, 12, 8, 30)
            clock.set(at(1, 11, 23))
            await scheduler.wake()
            assert len(channels.telegram_texts(501)) == 1

            # 23:00: the switchboard (7/24, 30 minutes) breaches at 23:30 for its on-call technician
            world.open(sessions, "05.22.001", people.requester, clock.now())
            clock.set(at(1, 11, 23, 30))
            await scheduler.wake()
            night = channels.telegram_texts(505)
            assert len(night) == 2  # the ping and the breach; 50 % and 80 % made stale by it
            assert night[-1].startswith("SLA aşıldı:")
            assert len(channels.telegram_texts(501)) == 1  # the printer ticket keeps quiet

            clock.set(at(1, 12, 8, 30))  # Tuesday's opening: the held 50 % reminder goes out
            await scheduler.wake()
            assert channels.telegram_texts(501)[-1].startswith(f"Hatırlatma: {printer}")
            held = next(n for n in rows(sessions, printer) if n.kind == "reminder:response:50")
            assert (held.status, held.sent_at) == (NotificationStatus.SENT, at(1, 12, 8, 30))
            await scheduler.stop()

    asyncio.run(main())


def test_a_blocked_telegram_user_is_reached_on_teams_and_a_removed_teams_app_on_telegram(
    world: World,
) -> None:
    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            sessions = world.sessions()
            people = world.seed(sessions, channels)
            channels.telegram.blocked_chats.add(504)  # the requester blocked the bot on Telegram
            channels.teams.gone_conversations.add(TEAMS_TECH.conversation_id)
            clock = SettableClock(at(1, 11, 10))
            number = world.open(sessions, "05.21.001", people.requester, clock.now())
            with sessions() as session, session.begin():
                tickets.take(session, number, session.get_one(Person, people.tech.id), clock.now())
            scheduler = world.scheduler(sessions, channels.notifier(world.calendar), clock)
            await scheduler.start()

            # the requester asked on Telegram, which refuses: the "taken" update reaches them on Teams
            assert [number in sent.text for sent in channels.teams.sent_to(TEAMS_REQUESTER)] == [True]
            # the technician's Teams app is gone: the ping goes out on Telegram instead
            assert [number in text for text in channels.telegram_texts(501)] == [True]
            with sessions() as session:
                blocked = session.scalars(select(ChatAccount).where(ChatAccount.blocked.is_(True))).all()
                assert {(a.person_id, a.channel) for a in blocked} == {
                    (people.requester.id, ChatChannel.TELEGRAM),
                    (people.tech.id, ChatChannel.TEAMS),
                }
                reroutes = _events(session, number, EventKind.DELIVERY_REROUTED)
                assert sorted(str((e.data or {}).get("channel")) for e in reroutes) == ["teams", "telegram"]
            await scheduler.stop()

    asyncio.run(main())


def _events(session: Session, number: str, kind: EventKind) -> list[TicketEvent]:
    ticket = tickets.get_ticket(session, number)
    return list(
        session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == kind)
        )
    )


def test_failures_are_retried_with_backoff_and_recorded_on_the_ticket(world: World) -> None:
    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            sessions = world.sessions()
            people = world.seed(sessions)
            clock = SettableClock(at(1, 11, 10))
            channels.telegram.fail_methods.add("sendMessage")  # every Telegram send fails for now
            number = world.open(sessions, "05.21.001", people.requester, clock.now())
            scheduler = world.scheduler(sessions, channels.notifier(world.calendar), clock)
            await scheduler.start()
            ping = next(n for n in rows(sessions, number) if n.kind == "assigned")
            assert (ping.status, ping.attempts) == (NotificationStatus.PENDING, 1)
            assert ping.due_at == clock.now() + RETRY_DELAYS[0] and ping.last_error
            assert scheduler.armed_at == ping.due_at
            with sessions() as session:
                [attempt] = _events(session, number, EventKind.DELIVERY_FAILED)
                assert datetime.fromisoformat((attempt.data or {})["retry_at"]) == ping.due_at

            channels.telegram.fail_methods.clear()
            clock.advance(RETRY_DELAYS[0])
            await scheduler.wake()
            ping = next(n for n in rows(sessions, number) if n.kind == "assigned")
            assert (ping.status, ping.attempts, ping.channel) == (
                NotificationStatus.SENT,
                1,
                ChatChannel.TELEGRAM,
            )

            # the requester blocked the bot and has no other channel: given up, and the ticket says so
            channels.telegram.blocked_chats.add(504)
            with sessions() as session, session.begin():
                tickets.take(session, number, session.get_one(Person, people.tech.id), clock.now())
            await scheduler.wake()
            taken = next(n for n in rows(sessions, number) if n.kind == "taken")
            assert taken.status is NotificationStatus.FAILED
            with sessions() as session:
                failures = _events(session, number, EventKind.DELIVERY_FAILED)
                assert [(e.data or {}).get("recipient") for e in failures] == [
                    people.tech.id,
                    people.requester.id,
                ]
                assert "retry_at" not in (failures[-1].data or {})  # given up: no next attempt
            await scheduler.stop()

    asyncio.run(main())


def test_resolution_cancels_what_is_pending_and_auto_close_follows_three_working_days_later(
    world: World,
) -> None:
    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            sessions = world.sessions()
            people = world.seed(sessions)
            clock = SettableClock(at(1, 11, 10))
            number = world.open(sessions, "05.21.001", people.requester, clock.now())
            scheduler = world.scheduler(sessions, channels.notifier(world.calendar), clock)
            await scheduler.start()
            clock.set(at(1, 11, 10, 30))
            with sessions() as session, session.begin():
                tech = session.get_one(Person, people.tech.id)
                tickets.take(session, number, tech, clock.now())
                tickets.resolve(session, number, tech, "Silindir temizlendi", clock.now(), world.calendar)
            scheduler.poke()
            await asyncio.sleep(0.1)
            assert all(
                n.status is not NotificationStatus.PENDING for n in rows(sessions, number) if ":" in n.kind
            )
            # Monday 10:30 + 3 working days: Thursday 10:30 (the requester's "resolved" update goes first)
            await scheduler.wake()
            assert scheduler.armed_at == at(1, 14, 10, 30)
            tech_messages = len(channels.telegram_texts(501))
            clock.set(at(1, 14, 10, 30))
            await scheduler.wake()
            with sessions() as session:
                assert session.scalars(select(Ticket.status).where(Ticket.number == number)).one() == "closed"
            assert "yanıt alınamadığı için kapatıldı" in channels.telegram_texts(504)[-1]
            assert len(channels.telegram_texts(501)) == tech_messages + 1  # told of the auto-close only
            await scheduler.stop()

    asyncio.run(main())


def test_a_batch_of_only_stale_rows_does_not_end_the_dispatch(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dispatcher, "BATCH", 2)  # the first batch: the stale 50 % and an 80 % reminder

    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            sessions = world.sessions()
            people = world.seed(sessions)
            clock = SettableClock(at(1, 11, 10))
            number = world.open(sessions, "05.21.001", people.requester, clock.now())
            notifier = channels.notifier(world.calendar)
            assert await dispatcher.dispatch_due(sessions, notifier, clock.now()) == 1  # the ping
            clock.set(at(1, 11, 12, 5))
            assert await dispatcher.dispatch_due(sessions, notifier, clock.now()) == 2  # both breaches
            assert {(n.kind, n.status) for n in rows(sessions, number) if "response" in n.kind} == {
                ("reminder:response:50", NotificationStatus.SKIPPED),
                ("reminder:response:80", NotificationStatus.SKIPPED),
                ("breach:response:100", NotificationStatus.SENT),
                ("escalation:response:200", NotificationStatus.PENDING),
            }

    asyncio.run(main())


def test_the_date_job_wakes_the_dispatcher_at_the_armed_instant(world: World) -> None:
    """The one real-time test: APScheduler's date job, armed for a row due in half a second, sends it."""

    async def main() -> None:
        async with fake_channels(world.settings) as channels:
            sessions = world.sessions()
            people = world.seed(sessions)
            clock = SystemClock()
            number = world.open(sessions, "05.21.001", people.requester, clock.now())
            scheduler = world.scheduler(sessions, channels.notifier(world.calendar), clock)
            await scheduler.start()  # sends the ping; the reminders are hours away
            with sessions() as session, session.begin():
                ticket = tickets.get_ticket(session, number)
                soon = clock.now() + timedelta(seconds=0.5)
                plan(session, ticket, "note", people.tech.id, soon, clock.now(), key="date-job-test")
            scheduler.poke()

            def sent_row() -> Notification:
                return next(n for n in rows(sessions, number) if n.key == "date-job-test")

            # The outcome is recorded just after the sending: wait for both, up to 5 s on a loaded machine.
            for _ in range(100):
                await asyncio.sleep(0.05)
                if len(channels.telegram_texts(501)) == 2 and sent_row().status is NotificationStatus.SENT:
                    break
            assert len(channels.telegram_texts(501)) == 2
            sent = sent_row()
            assert (
                sent.status is NotificationStatus.SENT and sent.sent_at is not None and sent.sent_at >= soon
            )
            await scheduler.stop()

    asyncio.run(main())
