"""Group benchmark: one product given to a group of N members, beside one Save of the same users.

On a fresh database of its own (PostgreSQL by default; SQLite with --engine sqlite): one
customer, N users with a usage location, two rule-free products with N seats each, and a
group holding all N users. Each round times, through the service layer in this process
(no HTTP: the figures are the use cases' own), one `setGroupLicenses` granting product A
to the group and one dropping it again, then one Save (`updateLicenses`) assigning product
B to the same N users directly and one revoking it. Reported: medians of the rounds and
the SQL statements each call sent (counted by SQLAlchemy; PostgreSQL's COPYs go through
the driver and are not among them), which stay the same whatever N. Asserts nothing.

    .venv/bin/python bench/group_bench.py [--members 50000] [--rounds 3] [--engine postgres]
        [--postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
    .venv/bin/python bench/group_bench.py --small      # 300 members, one round
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url

from licgraph.config import Settings
from licgraph.db import bulk_load
from licgraph.db.engine import Database, create_database
from licgraph.db.migrate import upgrade_database
from licgraph.domain.access import Principal, Role
from licgraph.domain.license_change import LicenseChange, LicenseToAssign
from licgraph.services.groups import GroupChangeRequest, GroupOperation, change_group
from licgraph.services.licenses import LicenseUpdateRequest, update_licenses

DEFAULT_POSTGRES_URL = os.environ.get(
    "LICGRAPH_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
# No stored token: no idempotency keys are used, so none is needed.
ADMIN = Principal(token_id=0, name="bench", role=Role.ADMIN_AGENT, customer_id=None)


async def _load(database: Database, members: int) -> tuple[int, int, int, list[int]]:
    async with database.transaction() as connection:
        customer = await bulk_load.insert_customer(connection, name="Bench", domain="bench.test")
        granted, saved = await bulk_load.insert_products(
            connection,
            customer_id=customer,
            products=[
                bulk_load.NewProduct("GROUP_SKU", "Given by the group", members),
                bulk_load.NewProduct("SAVE_SKU", "Given by a Save", members),
            ],
        )
        users = [
            bulk_load.NewUser(f"User {n:06}", f"user{n}@bench.test", "US") for n in range(members)
        ]
        user_ids = await bulk_load.insert_users(connection, customer_id=customer, users=users)
    return customer, granted, saved, user_ids


class Counted:
    """The SQL statements the database's engine sends while inside ``with``."""

    def __init__(self, database: Database) -> None:
        self.engine = database.engine.sync_engine
        self.count = 0

    def _record(self, *_: Any) -> None:
        self.count += 1

    def __enter__(self) -> Counted:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)


async def _timed(database: Database, call: Callable[[], Awaitable[Any]]) -> tuple[float, int]:
    with Counted(database) as counted:
        start = time.perf_counter()
        await call()
        elapsed = time.perf_counter() - start
    return elapsed, counted.count


async def run(url: str, members: int, rounds: int) -> list[tuple[str, float, int]]:
    database = create_database(Settings(database_url=url, max_users_per_mutation=members))
    try:
        customer, granted, saved, user_ids = await _load(database, members)

        async def group(operation: GroupOperation, **fields: Any) -> Any:
            return await change_group(
                database=database,
                principal=ADMIN,
                request=GroupChangeRequest(operation, **fields),
                request_id="bench",
                max_users=members,
            )

        async def save(change: LicenseChange) -> Any:
            request = LicenseUpdateRequest("updateLicenses", customer, tuple(user_ids), change)
            return await update_licenses(
                database=database,
                principal=ADMIN,
                request=request,
                request_id="bench",
                max_users=members,
            )

        created = await group(GroupOperation.CREATE, customer_id=customer, name="Everyone")
        group_id = created.group.id
        await group(GroupOperation.ADD_MEMBERS, group_id=group_id, user_ids=tuple(user_ids))
        grant = LicenseChange(assign=(LicenseToAssign(granted),))
        drop = LicenseChange(revoke=(granted,))
        calls = {
            "setGroupLicenses: grant": lambda: group(
                GroupOperation.SET_LICENSES, group_id=group_id, change=grant
            ),
            "setGroupLicenses: drop": lambda: group(
                GroupOperation.SET_LICENSES, group_id=group_id, change=drop
            ),
            "Save: assign": lambda: save(LicenseChange(assign=(LicenseToAssign(saved),))),
            "Save: revoke": lambda: save(LicenseChange(revoke=(saved,))),
        }
        timings: dict[str, list[tuple[float, int]]] = {name: [] for name in calls}
        for _ in range(rounds):
            for name, call in calls.items():
                timings[name].append(await _timed(database, call))
        return [
            (name, sorted(t for t, _ in got)[len(got) // 2], got[-1][1])
            for name, got in timings.items()
        ]
    finally:
        await database.dispose()


async def _postgres_database(server_url: str) -> tuple[str, Callable[[], Awaitable[None]]]:
    admin = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"licgraph_group_bench_{uuid.uuid4().hex[:8]}"
    connection = await asyncpg.connect(admin)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()

    async def drop() -> None:
        connection = await asyncpg.connect(admin)
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()

    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engine", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--small", action="store_true", help="300 members, one round")
    arguments = parser.parse_args()
    members, rounds = (300, 1) if arguments.small else (arguments.members, arguments.rounds)

    if arguments.engine == "postgres":
        url, drop = asyncio.run(_postgres_database(arguments.postgres_url))
    else:
        folder = tempfile.mkdtemp(prefix="group_bench_")
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"

        async def drop() -> None:
            return None

    try:
        upgrade_database(url)
        figures = asyncio.run(run(url, members, rounds))
    finally:
        asyncio.run(drop())
    engine = "PostgreSQL" if arguments.engine == "postgres" else "SQLite"
    print(f"{members:,} members, {rounds} round(s), {engine}, in process (service layer)\n")
    print("| call | median seconds | SQL statements |")
    print("|---|---|---|")
    for name, seconds, statements in figures:
        print(f"| {name} | {seconds:.3f} | {statements} |")


if __name__ == "__main__":
    main()
