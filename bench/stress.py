"""Many `licgraph serve` processes on one database, thousands of racing Saves over HTTP.

The script version of tests/stress/test_many_servers.py, with bigger numbers: it seeds the
contested world, starts the servers, fires the saves from many concurrent clients, then
checks with SQL that nothing is oversold, no user holds exclusive products together, the
change log replays to the rows and every answer matches the log. Prints figures and
PASS or FAIL (exit status 1 on FAIL); asserts nothing else.

    .venv/bin/python bench/stress.py [--servers 4] [--saves 5000] [--concurrency 32]
        [--users 80] [--seed N]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

Without --database-url it uses a temporary SQLite file. Given a PostgreSQL URL it creates
a database of its own on that server (and drops it afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

# The harness lives with the tests; run from anywhere, import it from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.stress.checks import (
    SaveRecord,
    Tally,
    invariant_problems,
    read_snapshot,
    replay_problems,
    response_problems,
)
from tests.stress.harness import Fleet, build_stress_world, drive, stress_saves

from licgraph.config import Settings
from licgraph.db.engine import create_database
from licgraph.db.migrate import upgrade_database


async def run(arguments: argparse.Namespace, database_url: str, log_dir: Path) -> bool:
    """Seed, start the fleet, fire the saves, check; print figures; True if every check held."""
    database = create_database(Settings(database_url=database_url))
    world = await build_stress_world(database, users=arguments.users)
    await database.dispose()
    before = await read_snapshot(database_url)
    servers = arguments.servers or (2 if database_url.startswith("sqlite") else 4)
    with Fleet.running(database_url, servers, log_dir) as fleet:
        customer = world.gid("Customer", world.customer)
        tokens = [
            fleet.cli.token("admin-agent", "--name", "stress-admin"),
            fleet.cli.token("global-admin", "--customer", customer, "--name", "stress-global"),
        ]
        rng = random.Random(arguments.seed)
        specs = stress_saves(world, requests=arguments.saves, rng=rng, callers=len(tokens))
        started = time.perf_counter()
        records = await drive(
            specs,
            urls=fleet.urls,
            tokens=tokens,
            concurrency=arguments.concurrency,
            tag=uuid.uuid4().hex[:8],
        )
        elapsed = time.perf_counter() - started
        log_problems = fleet.log_problems()
    checked = time.perf_counter()
    after = await read_snapshot(database_url)
    replay, replay_issues = replay_problems(before, after)
    problems = [
        *invariant_problems(after),
        *replay_issues,
        *response_problems(records, replay),
        *log_problems,
    ]
    check_seconds = time.perf_counter() - checked
    _report(arguments, servers, records, elapsed, len(after.events) - len(before.events))
    print(f"checks: {check_seconds:.1f} s; {len(problems)} problems")
    for problem in problems[:20]:
        print(f"  {problem}")
    print("PASS" if not problems else "FAIL")
    return not problems


def _report(
    arguments: argparse.Namespace,
    servers: int,
    records: list[SaveRecord],
    elapsed: float,
    events: int,
) -> None:
    tally = Tally.of(records)
    users = sum(tally.statuses.values())
    print(
        f"{servers} servers, {arguments.concurrency} in flight, {arguments.users} users,"
        f" seed {arguments.seed}"
    )
    print(
        f"saves: {tally.requests} requests in {elapsed:.1f} s = {tally.requests / elapsed:,.0f}"
        f" saves/s, {users / elapsed:,.0f} users/s; {tally.describe_latency()}"
    )
    print(f"answers: {tally.answered} payloads ({tally.applied} applied); {tally.describe()}")
    print(f"top-level errors: {dict(tally.top_level) or 'none'}; change log: {events} events")


@contextmanager
def own_database(database_url: str | None, folder: Path) -> Iterator[str]:
    """A fresh, migrated database: a temp SQLite file, or a new one on a PostgreSQL server."""
    if database_url is None:
        url = f"sqlite+aiosqlite:///{folder / 'stress.db'}"
        upgrade_database(url)
        yield url
        return
    parsed = make_url(database_url)
    if parsed.get_backend_name() != "postgresql":
        upgrade_database(database_url)
        yield database_url
        return
    name = f"licgraph_stress_{uuid.uuid4().hex[:12]}"
    admin = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))
    try:
        url = parsed.set(database=name).render_as_string(hide_password=False)
        upgrade_database(url)
        yield url
    finally:
        asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(url: str, sql: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=None, help="2 on SQLite, 4 otherwise")
    parser.add_argument("--saves", type=int, default=5_000, help="HTTP requests in all")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight")
    parser.add_argument("--users", type=int, default=80, help="users competing")
    parser.add_argument("--seed", type=int, default=random.randrange(1 << 32))
    parser.add_argument("--database-url", default=None, help="default: a temp SQLite file")
    arguments = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        own_database(arguments.database_url, Path(folder)) as url,
    ):
        passed = asyncio.run(run(arguments, url, Path(folder)))
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
