"""PostgreSQL databases of the benchmarks: temporary ones, or kept ones reused across runs.

A kept database is marked complete (``COMMENT ON DATABASE``) only once its data set is fully
loaded, with a description of that data set; a later run reuses it only if the description
matches, so an interrupted or different load is rebuilt instead of measured.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.engine import URL, make_url

DEFAULT_POSTGRES_URL = os.environ.get(
    "LICGRAPH_BENCH_POSTGRES_URL",
    os.environ.get(
        "LICGRAPH_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    ),
)


@dataclass(frozen=True)
class PostgresDatabase:
    """One database on the server of ``server_url`` (any database there, for admin work)."""

    server_url: str
    name: str

    def _url(self, drivername: str, port: int | None = None) -> URL:
        url = make_url(self.server_url).set(drivername=drivername, database=self.name)
        return url if port is None else url.set(host="127.0.0.1", port=port)

    def licgraph_url(self, port: int | None = None) -> str:
        """The URL licgraph takes (``postgresql+asyncpg://``), optionally via a local port."""
        return self._url("postgresql+asyncpg", port).render_as_string(hide_password=False)

    def libpq_url(self, port: int | None = None) -> str:
        """The same database as a libpq URL (``postgresql://``), for asyncpg and Node's pg."""
        return self._url("postgresql", port).render_as_string(hide_password=False)

    @property
    def address(self) -> tuple[str, int]:
        url = make_url(self.server_url)
        return url.host or "127.0.0.1", url.port or 5432


def _admin_url(server_url: str) -> str:
    url = make_url(server_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def _run(url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(url)
    try:
        return list(await connection.fetch(sql, *args))
    finally:
        await connection.close()


def query(url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    """Run one statement on ``url`` (a libpq URL) and return its rows."""
    return asyncio.run(_run(url, sql, *args))


def _marker(server_url: str, name: str) -> str | None:
    rows = query(
        _admin_url(server_url),
        "SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1",
        name,
    )
    return None if not rows else str(rows[0]["note"] or "")


def _create(server_url: str, name: str) -> None:
    query(_admin_url(server_url), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    query(_admin_url(server_url), f'CREATE DATABASE "{name}"')


def drop(server_url: str, name: str) -> None:
    query(_admin_url(server_url), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def mark_complete(database: PostgresDatabase, description: str) -> None:
    """Record that ``database`` holds the data set ``description``, fully loaded."""
    literal = description.replace("'", "''")
    query(
        _admin_url(database.server_url), f"COMMENT ON DATABASE \"{database.name}\" IS '{literal}'"
    )


def vacuum_analyze(database: PostgresDatabase) -> None:
    """Fresh statistics and visibility maps, so plans are those of a settled database."""
    query(database.libpq_url(), "VACUUM ANALYZE")


@contextmanager
def bench_database(
    server_url: str, *, keep: str | None, description: str
) -> Iterator[tuple[PostgresDatabase, bool]]:
    """A database and whether it already holds ``description``'s data set.

    With ``keep`` the named database is reused when complete (else rebuilt) and left in
    place; without it a temporary database is created and dropped at the end.
    """
    if keep is not None:
        ready = _marker(server_url, keep) == description
        if not ready:
            _create(server_url, keep)
        yield PostgresDatabase(server_url, keep), ready
        return
    name = f"licgraph_bench_tmp_{uuid.uuid4().hex[:10]}"
    _create(server_url, name)
    try:
        yield PostgresDatabase(server_url, name), False
    finally:
        drop(server_url, name)
