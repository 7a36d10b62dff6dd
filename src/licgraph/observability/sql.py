"""SQL seen from the engine: statements and their time per request, pool use, commits.

Listeners on the engine, so every statement of every repository is counted without any of
them knowing. Change-log entries are counted when their transaction commits, never when a
rolled-back (or retried) attempt wrote them.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.observability.metrics import POOL_IN_USE, count_license_events
from licgraph.observability.record import current_record

# Where a connection keeps what its open transaction wrote to the change log.
_PENDING_EVENTS = "licgraph_pending_events"
_STARTED = "_licgraph_started"


def instrument_engine(engine: Engine) -> None:
    """Count statements per request, connections in use and committed change-log entries.

    Once per engine: an app built twice on one database (tests do) must not count twice.
    """
    if event.contains(engine, "before_cursor_execute", _before_statement):
        return
    event.listen(engine, "before_cursor_execute", _before_statement)
    event.listen(engine, "after_cursor_execute", _after_statement)
    event.listen(engine, "commit", _on_commit)
    event.listen(engine, "rollback", _on_rollback)
    event.listen(engine.pool, "checkout", _on_checkout)
    event.listen(engine.pool, "checkin", _on_checkin)


def note_change_log(connection: AsyncConnection, actions: Iterable[str]) -> None:
    """The open transaction of ``connection`` wrote change-log entries with these actions."""
    pending = connection.sync_connection.info if connection.sync_connection else None
    if pending is not None:
        pending.setdefault(_PENDING_EVENTS, Counter()).update(actions)


def _before_statement(*args: Any) -> None:
    context = args[4]
    setattr(context, _STARTED, time.perf_counter())


def _after_statement(*args: Any) -> None:
    record = current_record()
    if record is None:
        return
    record.sql_statements += 1
    record.sql_seconds += time.perf_counter() - getattr(args[4], _STARTED, time.perf_counter())


def _on_commit(connection: Connection) -> None:
    pending = connection.info.pop(_PENDING_EVENTS, None)
    if pending:
        count_license_events(pending)


def _on_rollback(connection: Connection) -> None:
    connection.info.pop(_PENDING_EVENTS, None)


def _on_checkout(*_: Any) -> None:
    POOL_IN_USE.inc()


def _on_checkin(*_: Any) -> None:
    POOL_IN_USE.dec()
