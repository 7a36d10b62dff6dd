"""Change notifications between processes: PostgreSQL NOTIFY at commit, LISTEN to hear them.

A write names a topic (``events:<customer id>``, ``job:<job id>``, ``jobs``) with ``notify``
inside its transaction; PostgreSQL delivers it when, and only if, the transaction commits,
to every process listening. The writing process's own listeners hear it too, on any engine,
right after the commit (``Database.transaction`` hands them the transaction's topics).
SQLite has no channel between processes: readers in other processes look again on a timer
(its writers are one at a time, so reading by id misses nothing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

CHANNEL = "licgraph_changes"
JOBS_TOPIC = "jobs"  # a job was started: idle runners look now
# Where a connection keeps the topics its open transaction notified (``connection.info``).
PENDING_TOPICS = "licgraph_pending_topics"
# First key of the advisory lock that orders a customer's change log (the second is the
# customer id): any constant unlikely to be used by another application on the database.
_LOG_LOCK_SPACE = 0x11C6


def events_topic(customer_id: int) -> str:
    """The topic of a customer's change log."""
    return f"events:{customer_id}"


def job_topic(job_id: int) -> str:
    """The topic of one license job's progress."""
    return f"job:{job_id}"


async def notify(connection: AsyncConnection, topic: str) -> None:
    """Tell listeners about ``topic`` when the open transaction commits."""
    connection.info.setdefault(PENDING_TOPICS, []).append(topic)
    if connection.dialect.name == "postgresql":
        await connection.execute(select(func.pg_notify(CHANNEL, topic)))


async def claim_change_log(connection: AsyncConnection, customer_id: int) -> None:
    """Before writing a customer's change log: keep its ids in commit order, and tell its
    listeners at commit (one statement on PostgreSQL).

    Ids come from a sequence when rows are inserted, not when they commit: two transactions
    could commit in the other order and a reader going by id would skip the later-committed
    lower ids. Holding a per-customer transaction lock from before the insert until commit
    makes one customer's events commit in id order. Taken last (after the products and
    users of a change), so it can't join a lock cycle. SQLite's writers are serial already.
    NOTIFY is delivered at commit wherever in the transaction it is sent.
    """
    topic = events_topic(customer_id)
    connection.info.setdefault(PENDING_TOPICS, []).append(topic)
    if connection.dialect.name == "postgresql":
        lock = func.pg_advisory_xact_lock(_LOG_LOCK_SPACE, customer_id)
        await connection.execute(select(lock, func.pg_notify(CHANNEL, topic)))


class Listener:
    """A dedicated PostgreSQL connection that LISTENs and hands each topic to ``on_topic``."""

    def __init__(self, database_url: str, on_topic: Callable[[str], None]) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._on_topic = on_topic
        self._connection: asyncpg.Connection | None = None

    async def start(self) -> None:
        """Connect and listen; raises if the database can't be reached."""
        self._connection = await asyncpg.connect(self._dsn)
        await self._connection.add_listener(CHANNEL, self._heard)

    def _heard(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._on_topic(payload)

    @property
    def is_listening(self) -> bool:
        """Whether the connection is still up (it is not re-opened: readers also poll)."""
        return self._connection is not None and not self._connection.is_closed()

    async def stop(self) -> None:
        """Stop listening and close the connection."""
        if self._connection is not None:
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                await self._connection.close()
            self._connection = None
