"""The inbound inbox on both databases: an update delivered again while its first delivery is still being
stored is kept once, and neither delivery fails (a webhook answers 503 to a failure, and Telegram retries)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import Engine

from storage import inbox
from storage.db import session_factory
from storage.models import ChatChannel

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
UPDATE = ("4711", "telegram:42", {"update_id": 4711, "message": {"text": "/start"}})


def test_an_update_stored_twice_at_once_is_kept_once_without_an_error(engine: Engine) -> None:
    sessions = session_factory(engine)
    failures: list[BaseException] = []

    def second_delivery() -> None:
        try:
            with sessions() as session, session.begin():
                inbox.keep(session, ChatChannel.TELEGRAM, [UPDATE], NOW)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    with sessions() as first, first.begin():
        inbox.keep(first, ChatChannel.TELEGRAM, [UPDATE, UPDATE], NOW)  # twice in one batch, too
        first.flush()  # the row is written, not yet committed: the second delivery sees nothing
        thread = threading.Thread(target=second_delivery)
        thread.start()
        time.sleep(0.5)  # the second delivery waits on the first's uncommitted row (or write lock)
    thread.join(timeout=30)
    assert not thread.is_alive() and failures == []
    with sessions() as session:
        assert inbox.kept(session, ChatChannel.TELEGRAM) == [UPDATE]
