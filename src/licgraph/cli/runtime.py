"""What every command needs: settings, a database for one run, and output helpers."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import typer

from licgraph.config import Settings
from licgraph.db.engine import Database, create_database
from licgraph.graphql.ids import to_global_id

T = TypeVar("T")

SQLITE_WORKER = "(_connection_worker_thread)"  # how Python names aiosqlite's threads
SQLITE_WORKER_GRACE_SECONDS = 2.0


def settings_from(
    *, host: str | None = None, port: int | None = None, workers: int | None = None
) -> Settings:
    # Flags win over LICGRAPH_* variables; a flag left out leaves the variable in charge.
    overrides: dict[str, Any] = {"host": host, "port": port, "workers": workers}
    return Settings(**{key: value for key, value in overrides.items() if value is not None})


def with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        database = create_database(settings)
        try:
            return await work(database)
        finally:
            await database.dispose()
            await _let_driver_threads_finish()

    return asyncio.run(run())


async def _let_driver_threads_finish() -> None:
    # aiosqlite stops a connection that failed to open without waiting for its worker thread
    # (omnilib/aiosqlite#389); if asyncio.run closed the loop first, that thread would print
    # a traceback under our one-line error. Closed connections' threads are done already.
    for thread in threading.enumerate():
        if thread.name.endswith(SQLITE_WORKER):
            await asyncio.to_thread(thread.join, SQLITE_WORKER_GRACE_SECONDS)


def customer_api_id(pk: int) -> str:
    return to_global_id("Customer", pk)


def moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def note(message: str) -> None:
    typer.echo(message, err=True)
