"""Statement bench: the CPU one read statement costs licgraph, beside the driver's floor.

One customer by id (the first read of every page), executed one at a time on one pooled
connection, four ways, in interleaved rounds:

- **built each time**: the statement built per call and run through SQLAlchemy (how a
  repository reads when nothing is prepared);
- **built once**: the same statement object, run through SQLAlchemy;
- **PreparedRead**: ``licgraph.db.prepared`` as the repositories use it (on PostgreSQL
  outside a transaction: asyncpg's own prepared statement; on SQLite: SQLAlchemy);
- **floor**: the driver alone (asyncpg ``fetch`` of a prepared statement; stdlib sqlite3).

Prints CPU µs per execution (the process's CPU time: it includes the client side of each
round trip) and ratios to the floor; medians over rounds. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from databases import DEFAULT_POSTGRES_URL, bench_database
from dataset import seed
from report import machine, median, number, table
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from licgraph.db.prepared import PreparedRead
from licgraph.db.repositories import customers
from licgraph.db.repositories._sql import among, id_list

Read = Callable[[], Awaitable[Any]]
CUSTOMER_ID = 1
SQL = "SELECT id, name, domain FROM customer WHERE id = ANY($1::int[])"


def ways(connection: AsyncConnection, floor: Read) -> dict[str, Read]:
    dialect = connection.dialect.name
    prepared: PreparedRead = customers._BY_IDS
    built_once = select(*customers._COLUMNS).where(
        among(dialect, customers._table.c.id, [CUSTOMER_ID])
    )

    async def built_each_time() -> Any:
        statement = select(*customers._COLUMNS).where(
            among(dialect, customers._table.c.id, [CUSTOMER_ID])
        )
        return (await connection.execute(statement)).all()

    async def once() -> Any:
        return (await connection.execute(built_once)).all()

    async def prepared_read() -> Any:
        return await prepared.rows(connection, scope=None, ids=id_list(dialect, [CUSTOMER_ID]))

    return {
        "built each time": built_each_time,
        "built once": once,
        "PreparedRead": prepared_read,
        "floor (driver)": floor,
    }


async def floor_of(connection: AsyncConnection, url: str) -> Read:
    """The driver reading the same row: asyncpg's prepared statement, or stdlib sqlite3."""
    if connection.dialect.name == "postgresql":
        driver: Any = (await connection.get_raw_connection()).dbapi_connection
        statement = await driver.driver_connection.prepare(SQL)

        async def asyncpg_fetch() -> Any:
            return await statement.fetch([CUSTOMER_ID])

        return asyncpg_fetch
    database = sqlite3.connect(url.split("///", 1)[1])

    async def sqlite3_fetch() -> Any:
        sql = "SELECT id, name, domain FROM customer WHERE id IN (SELECT value FROM json_each(?))"
        return database.execute(sql, (f"[{CUSTOMER_ID}]",)).fetchall()

    return sqlite3_fetch


async def measure(url: str, *, rounds: int, executions: int) -> dict[str, float]:
    """Median CPU µs per execution of each way."""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    spent: dict[str, list[float]] = {}
    try:
        async with engine.connect() as connection:
            candidates = ways(connection, await floor_of(connection, url))
            for read in candidates.values():
                await read()  # prepare, warm the caches
            for round_number in range(rounds):
                order = list(candidates.items())
                for name, read in order if round_number % 2 == 0 else reversed(order):
                    started = time.process_time()
                    for _ in range(executions):
                        await read()
                    per_execution = (time.process_time() - started) / executions * 1e6
                    spent.setdefault(name, []).append(per_execution)
    finally:
        await engine.dispose()
    return {name: median(values) for name, values in spent.items()}


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--executions", type=int, default=2000, help="per way and round")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--small", action="store_true", help="2 rounds of 50: proves it works")
    arguments = parser.parse_args()
    if arguments.small:
        arguments.rounds, arguments.executions = 2, 50
    return arguments


def main() -> None:
    arguments = parse_arguments()
    print(machine(), "\n")
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite+aiosqlite:///{Path(folder) / 'statement-bench.db'}"
        seed(sqlite_url, users=1, products=2)
        figures["SQLite"] = asyncio.run(
            measure(sqlite_url, rounds=arguments.rounds, executions=arguments.executions)
        )
    with bench_database(arguments.postgres_url, keep=None, description="") as (database, _):
        seed(database.licgraph_url(), users=1, products=2)
        figures["PostgreSQL"] = asyncio.run(
            measure(
                database.licgraph_url(), rounds=arguments.rounds, executions=arguments.executions
            )
        )
    rows = []
    for engine, measured in figures.items():
        floor = measured["floor (driver)"]
        rows.extend(
            [engine, way, number(cpu), f"{cpu / floor:.1f}x"] for way, cpu in measured.items()
        )
    print(
        f"## statement bench: one customer by id, {arguments.rounds} interleaved rounds of "
        f"{arguments.executions}; medians\n"
    )
    print(table(["engine", "way", "CPU µs per execution", "vs the floor"], rows))


if __name__ == "__main__":
    main()
