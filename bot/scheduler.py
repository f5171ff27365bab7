"""The SLA scheduler: wakes the dispatcher at the instants the database says something falls due.

Nothing lives only in memory. The notification rows (storage.notifications, storage.sla_plan) and the
resolved tickets' auto-close times are the plan; the scheduler holds one APScheduler date job at the earliest
of them, re-armed after each wake-up and whenever a ticket changed (`poke`), plus a periodic safety tick. At
start-up the first tick rebuilds that job from the database, so what fell due while no process ran goes out
at once, and a restart with nothing due sends nothing.

Several processes: only the leader wakes the dispatcher. On PostgreSQL leadership is a session-level
`pg_try_advisory_lock` held on a dedicated connection for as long as the process leads; a standby tries again
on every tick and takes over when the leader's connection ends (the server releases the lock when the
process dies). Even without the lock two dispatchers never send the same row: each claims its rows before
sending (storage.notifications.claim_due). SQLite: one process is the documented limit.

Time comes from the injected Clock; tests call `wake()` (or bot.dispatcher.dispatch_due) while moving a
SettableClock instead of waiting for the date job.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot.dispatcher import dispatch_due
from bot.notifier import Notifier
from catalog.clock import Clock
from storage import notifications, sla_plan, tickets

log = logging.getLogger(__name__)

# The advisory lock's key: "talepbot" in ASCII, so other applications on the server do not collide.
LEADER_LOCK_KEY = int.from_bytes(b"talepbot", "big") & 0x7FFF_FFFF_FFFF_FFFF
DEFAULT_TICK = timedelta(seconds=30)
AUTO_CLOSE_BATCH = 100
_WAKE_JOB = "sla-wake"
_TICK_JOB = "sla-tick"


class Leadership(Protocol):
    def acquire(self) -> bool:
        """True while this process leads: takes the lead if free, checks it is still held if taken."""
        ...

    def release(self) -> None: ...


class SingleProcess:
    """SQLite: the one process always leads."""

    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None


class AdvisoryLock:
    """PostgreSQL leadership: a session advisory lock on a connection kept out of the pool while leading."""

    def __init__(self, engine: Engine, key: int = LEADER_LOCK_KEY) -> None:
        self._engine = engine
        self._key = key
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        if self._conn is not None:
            return self._still_held(self._conn)
        try:
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except DBAPIError as exc:
            log.warning("leadership: cannot reach the database: %s", exc)
            return False
        if conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}).scalar():
            self._conn = conn
            return True
        conn.close()
        return False

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
            conn.close()
        except DBAPIError:
            conn.invalidate()  # the server already ended the session, and with it the lock

    def _still_held(self, conn: Connection) -> bool:
        try:
            conn.execute(text("SELECT 1"))
            return True
        except DBAPIError as exc:
            log.warning("leadership lost with the database connection: %s", exc)
            conn.invalidate()
            self._conn = None
            return False


def leadership_for(engine: Engine) -> Leadership:
    return AdvisoryLock(engine) if engine.dialect.name == "postgresql" else SingleProcess()


class SlaScheduler:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        notifier: Notifier,
        clock: Clock,
        leadership: Leadership,
        *,
        tick: timedelta = DEFAULT_TICK,
        lease: timedelta = notifications.CLAIM_LEASE,
    ) -> None:
        self._sessions = sessions
        self._lease = lease  # how long a claimed notification is this process's
        self._notifier = notifier
        self._clock = clock
        self._leadership = leadership
        self._tick_interval = tick
        self._aps = AsyncIOScheduler(timezone=UTC)
        self._wake_lock = asyncio.Lock()
        self._pokes: set[asyncio.Task[datetime | None]] = set()
        self.is_leader = False
        self.armed_at: datetime | None = None  # the instant the date job will wake the dispatcher

    @property
    def role(self) -> Literal["leader", "standby"] | None:
        """None while not running; a running scheduler leads or stands by (another process leads)."""
        if not self._aps.running:
            return None
        return "leader" if self.is_leader else "standby"

    async def start(self) -> None:
        """Starts the timer and runs the first tick: takes the lead if free and catches up from the DB."""
        self._aps.start()
        self._aps.add_job(
            self.tick,
            IntervalTrigger(seconds=self._tick_interval.total_seconds()),
            id=_TICK_JOB,
            max_instances=1,
            coalesce=True,
        )
        await self.tick()

    async def stop(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)
        for task in list(self._pokes):
            task.cancel()
        await asyncio.to_thread(self._leadership.release)
        self.is_leader = False

    async def tick(self) -> None:
        """The safety tick: keeps or takes the lead, and wakes the dispatcher when leading."""
        leading = await asyncio.to_thread(self._leadership.acquire)
        if leading != self.is_leader:
            log.info("SLA scheduler: %s", "leading" if leading else "standing by (another process leads)")
            self.is_leader = leading
        if leading:
            await self.wake()
        else:
            self._disarm()

    async def wake(self) -> int:
        """Auto-closes what is due, sends what is due, and re-arms for the next instant; returns how many
        notifications went out."""
        if not self.is_leader:
            return 0
        async with self._wake_lock:
            now = self._clock.now()
            await asyncio.to_thread(self._auto_close, now)
            sent = await dispatch_due(self._sessions, self._notifier, now, self._lease)
            await self.rearm()
            return sent

    async def rearm(self) -> datetime | None:
        """Points the date job at the earliest pending instant in the database."""
        if not self.is_leader:
            return None
        at = await asyncio.to_thread(self._next_wake)
        self.armed_at = at
        if at is None:
            self._disarm()
        else:
            self._aps.add_job(
                self._wake_job,
                DateTrigger(run_date=at),
                id=_WAKE_JOB,
                replace_existing=True,
                misfire_grace_time=None,  # a past instant (e.g. after a pause of the loop) still runs
            )
        return at

    def poke(self) -> None:
        """Deadlines may have changed (a ticket operation committed): re-arm soon, without waiting."""
        if not self.is_leader or len(self._pokes) >= 2:
            return
        task = asyncio.get_running_loop().create_task(self.rearm())
        self._pokes.add(task)
        task.add_done_callback(self._pokes.discard)

    async def _wake_job(self) -> None:
        try:
            await self.wake()
        except Exception:  # the tick retries; the rows are still pending in the database
            log.exception("SLA scheduler: wake-up failed; retrying on the next tick")

    def _disarm(self) -> None:
        self.armed_at = None
        if self._aps.running and self._aps.get_job(_WAKE_JOB) is not None:
            self._aps.remove_job(_WAKE_JOB)

    def _auto_close(self, now: datetime) -> None:
        while True:
            with self._sessions() as session, session.begin():
                closed = tickets.auto_close_due(session, now, AUTO_CLOSE_BATCH)
            for ticket in closed:
                log.info("ticket %s closed: no answer to the resolution", ticket.number)
            if len(closed) < AUTO_CLOSE_BATCH:
                return

    def _next_wake(self) -> datetime | None:
        with self._sessions() as session:
            return sla_plan.next_wake(session)
