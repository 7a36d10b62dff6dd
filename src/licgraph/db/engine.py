"""Engines and transactions for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import orjson
from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from licgraph.config import Settings
from licgraph.db.notifications import PENDING_TOPICS

# Set on a connection whose transaction writes: SQLite then takes the write lock up front
# (BEGIN IMMEDIATE) instead of failing later when a reader tries to upgrade.
_WRITE_OPTION = "licgraph_write"
# What a write transaction asks of its connection: on PostgreSQL a real transaction (reads
# run in autocommit), on SQLite the write lock up front.
_WRITE_OPTIONS: dict[str, dict[str, Any]] = {
    "postgresql": {"isolation_level": "READ COMMITTED"},
    "sqlite": {_WRITE_OPTION: True},
}
# Pooled connections older than this are replaced: stale ones are renewed without a ping.
RECYCLE_SECONDS = 300


class DatabaseURLError(ValueError):
    """Raised when ``LICGRAPH_DATABASE_URL`` names no engine licgraph supports."""


def parse_database_url(url: str) -> URL:
    """Check that ``url`` is an async SQLite or PostgreSQL URL licgraph can use."""
    try:
        parsed = make_url(url)
    except Exception as error:  # SQLAlchemy raises several types for malformed URLs
        raise DatabaseURLError(f"database URL {url!r} does not parse: {error}") from None
    if parsed.drivername not in {"sqlite+aiosqlite", "postgresql+asyncpg"}:
        raise DatabaseURLError(
            f"database URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://,"
            f" got {parsed.drivername}://"
        )
    return parsed


class Database:
    """One engine and the two ways to use it: a read connection or a write transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # Told each topic a committed transaction notified (``db/notifications.py``).
        self.commit_listeners: list[Callable[[str], None]] = []

    @property
    def is_sqlite(self) -> bool:
        """Whether the engine is the embedded SQLite file."""
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """A pooled connection for reads (a batch of one request, say), handed back after.

        No ping on checkout, and on PostgreSQL no transaction (autocommit): a read costs its
        statements' round trips and no other. On SQLite its transaction (in-process, free)
        is rolled back at the end.
        """
        async with self.engine.connect() as connection:
            yield connection

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: committed when the block ends, rolled back if it raises.

        After the commit, the process's commit listeners hear the topics it notified.
        """
        async with self.engine.connect() as connection:
            await connection.execution_options(**_WRITE_OPTIONS[self.engine.dialect.name])
            try:
                async with connection.begin():
                    yield connection
            finally:  # committed or not, the next use of the connection starts afresh
                topics: list[str] = connection.info.pop(PENDING_TOPICS, [])
        for topic in dict.fromkeys(topics):  # reached only once committed
            for listener in self.commit_listeners:
                listener(topic)

    async def is_reachable(self) -> bool:
        """Whether the database answers a trivial query right now."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (OSError, SQLAlchemyError):
            return False
        return True

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


# JSON columns (disabled plans of every assignment, event details) in and out with orjson.
_JSON_CODEC: dict[str, Any] = {"json_serializer": _json_text, "json_deserializer": orjson.loads}


def create_database(settings: Settings) -> Database:
    """Build the engine for ``settings.database_url`` with engine-specific tuning."""
    url = parse_database_url(settings.database_url)
    if url.drivername.startswith("sqlite"):
        engine = create_async_engine(url, **_JSON_CODEC)
        _tune_sqlite(engine, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    else:
        engine = create_async_engine(
            url,
            **_JSON_CODEC,
            # Reads need no transaction: each statement is one round trip, with no BEGIN or
            # ROLLBACK around it. Write transactions ask for one (``transaction``).
            isolation_level="AUTOCOMMIT",
            pool_size=settings.db_pool_size,
            # A fixed pool: a busy moment queues for a connection rather than opening (and
            # on return closing) extra ones, each a TCP and TLS handshake.
            max_overflow=0,
            pool_timeout=settings.db_pool_timeout,
            # No ping before every checkout (a round trip each): a connection the server
            # dropped fails once and the pool is renewed, and none lives past the recycle.
            pool_recycle=RECYCLE_SECONDS,
        )
    return Database(engine)


def _tune_sqlite(engine: AsyncEngine, *, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own transaction handling is off).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
