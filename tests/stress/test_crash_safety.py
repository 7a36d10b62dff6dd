"""A server killed (SIGKILL) in the middle of large Saves leaves each Save whole or absent:
after a restart, seats add up, no user is half-changed, and the change log matches the rows."""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from licgraph.db.engine import Database
from licgraph.db.tables import user_table
from licgraph.domain.directory import sort_key
from licgraph.graphql.ids import pk_of, to_global_id
from tests import factories as make
from tests.e2e.servers import Server
from tests.stress.checks import (
    Replay,
    SaveRecord,
    Snapshot,
    Tally,
    invariant_problems,
    read_snapshot,
    response_problems,
    shape_problems,
)
from tests.stress.harness import SaveSpec, ServerProcess

pytestmark = pytest.mark.e2e

ROUNDS = 8
GROUPS = 3  # concurrent saves per round, one per group of users
GROUP_SIZE = 2_000
SEATS = 3_000  # per product: fewer than two groups, so some saves run out
# Kills are spread evenly over this window after the saves were sent: early ones land
# while the requests are parsed or the first save writes, late ones after some commits.
KILL_WINDOW = 2.0

PRODUCTS_QUERY = """
query ($id: ID!) { customer(id: $id) { products { id totalLicenses assignedLicenses } } }"""


@dataclass(frozen=True)
class CrashWorld:
    """Groups of users, and two pairs of products, (A, B) and (C, D), to switch them between.

    Every Save moves a whole group to A+B or to C+D, or clears it, so each user must hold
    exactly A+B, C+D or neither: anything else is a half-applied change.
    """

    customer: int
    groups: tuple[tuple[int, ...], ...]
    pairs: tuple[tuple[int, int], tuple[int, int]]

    @property
    def products(self) -> set[int]:
        return {product for pair in self.pairs for product in pair}

    @property
    def allowed(self) -> set[frozenset[int]]:
        return {frozenset(), *(frozenset(pair) for pair in self.pairs)}

    @property
    def users(self) -> list[int]:
        return [user for group in self.groups for user in group]

    def save(self, group: int, rng: random.Random) -> SaveSpec:
        """A Save for one whole group: switch it to one pair (revoking the other), or clear it."""
        gid = to_global_id
        users = self.groups[group]
        common = {
            "customerId": gid("Customer", self.customer),
            "userIds": [gid("User", user) for user in users],
            "atomic": rng.random() < 0.3,
        }
        if rng.random() < 0.2:
            products = [gid("Product", product) for product in sorted(self.products)]
            return SaveSpec("revokeLicenses", {**common, "productIds": products}, users)
        give, take = rng.sample(self.pairs, 2)
        change = {
            "assign": [{"productId": gid("Product", product)} for product in give],
            "revoke": [gid("Product", product) for product in take],
        }
        return SaveSpec("updateLicenses", {**common, **change}, users)


async def build_crash_world(database: Database) -> CrashWorld:
    """Products with :data:`SEATS` seats each, and the users inserted in bulk."""
    customer = await make.make_customer(database, "Crash Co", "crash.example.com")
    a, b, c, d = [
        await make.make_product(database, customer, name, total=SEATS)
        for name in ("Suite A", "Suite A add-on", "Suite C", "Suite C add-on")
    ]
    names = [f"Crash User {n:05}" for n in range(GROUPS * GROUP_SIZE)]
    rows = [
        {
            "customer_id": customer,
            "display_name": name,
            "display_name_key": sort_key(name),
            "user_principal_name": f"crash{n}@crash.example.com",
            "usage_location": "US",
        }
        for n, name in enumerate(names)
    ]
    async with database.transaction() as connection:
        await connection.execute(insert(user_table), rows)
        ids = await connection.scalars(
            select(user_table.c.id).where(user_table.c.customer_id == customer).order_by("id")
        )
        users = list(ids)
    groups = tuple(tuple(users[n : n + GROUP_SIZE]) for n in range(0, len(users), GROUP_SIZE))
    return CrashWorld(customer, groups, ((a, b), (c, d)))


async def wait_until_no_other_sessions(database_url: str, *, within: float = 30) -> None:
    """On PostgreSQL, wait until a killed server's sessions are gone (so none can commit later)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return
    connection = await asyncpg.connect(
        url.set(drivername="postgresql").render_as_string(hide_password=False)
    )
    others = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    try:
        deadline = time.monotonic() + within
        while await connection.fetchval(others):
            assert time.monotonic() < deadline, "a killed server's sessions did not go away"
            await asyncio.sleep(0.05)
    finally:
        await connection.close()


async def writes_in_flight(database_url: str) -> int:
    """How many uncommitted write transactions the database has right now.

    PostgreSQL: sessions that hold a transaction id (they wrote something). SQLite: 1 if a
    writer holds the lock, which a ``BEGIN IMMEDIATE`` that may not wait finds out.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        connection = await asyncpg.connect(
            url.set(drivername="postgresql").render_as_string(hide_password=False)
        )
        try:
            found = await connection.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
            )
        finally:
            await connection.close()
        return int(found)
    probe = sqlite3.connect(str(url.database), timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError:
        return 1
    finally:
        probe.close()
    return 0


@dataclass
class SentSave:
    """A Save written whole to the server's socket; its answer is read later, if any came."""

    record: SaveRecord
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    sent_at: float = field(default_factory=time.perf_counter)

    @classmethod
    async def send(cls, port: int, token: str, spec: SaveSpec, request_id: str) -> SentSave:
        """Write the request and wait until the kernel has taken all of it."""
        body = json.dumps(spec.body()).encode()
        headers = {
            **spec.headers(token, request_id),
            "Host": f"127.0.0.1:{port}",
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
            "Connection": "close",
        }
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"POST /graphql HTTP/1.1\r\n{head}\r\n".encode() + body)
        await writer.drain()
        return cls(spec.record(request_id), reader, writer)

    async def outcome(self) -> SaveRecord:
        """The record, with the answer if the server sent one whole before it died."""
        try:
            raw = await asyncio.wait_for(self.reader.read(), timeout=30)
        except ConnectionError as error:
            raw, self.record.transport_error = b"", repr(error)
        finally:
            self.writer.close()
        head, _, body = raw.partition(b"\r\n\r\n")
        try:
            self.record.body = json.loads(body)
            self.record.status_code = int(head.split(b" ", 2)[1])
        except (ValueError, IndexError):
            self.record.transport_error = self.record.transport_error or "killed before answering"
        return self.record


@dataclass
class Rounds:
    """Counts over all rounds, for the summary line."""

    answered: int = 0
    committed_unanswered: int = 0
    lost: int = 0
    mid_write: int = 0  # kills that cut off an open write transaction

    def count(self, records: list[SaveRecord], replay: Replay) -> None:
        for record in records:
            if record.status_code is not None:
                self.answered += 1
            elif record.request_id in replay.request_ids:
                self.committed_unanswered += 1
            else:
                self.lost += 1


async def test_a_killed_server_leaves_every_save_whole_or_absent(
    database_url: str, engine_name: str, database: Database, tmp_path: Path
) -> None:
    # Given a server on a database with thousands of users
    world = await build_crash_world(database)
    await database.dispose()
    replay = Replay.starting_from(await read_snapshot(database_url))
    env = {**os.environ, "LICGRAPH_DATABASE_URL": database_url}
    server = ServerProcess(env, tmp_path / "server.log")
    token = Server(url=server.url, env=env).token("admin-agent")
    seed = random.randrange(1 << 32)  # noqa: S311 - test data, printed to replay a run
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    records: list[SaveRecord] = []
    rounds = Rounds()
    tag = uuid.uuid4().hex[:8]
    server.spawn()
    started = time.perf_counter()
    try:
        server.wait_ready()
        for round_number in range(ROUNDS):
            # When large saves are sent and the server is killed at some moment during them
            specs = [world.save(group, rng) for group in range(GROUPS)]
            sent = [
                await SentSave.send(server.port, token, spec, f"{tag}-{round_number}-{n}")
                for n, spec in enumerate(specs)
            ]
            delay = rng.uniform(round_number, round_number + 1) * KILL_WINDOW / ROUNDS
            await asyncio.sleep(delay)
            rounds.mid_write += await writes_in_flight(database_url) > 0
            server.kill()
            outcomes = [await save.outcome() for save in sent]
            records.extend(outcomes)
            await wait_until_no_other_sessions(database_url)

            # Then a restarted server answers, and the database holds whole saves only
            server.spawn()
            server.wait_ready()
            snapshot = await read_snapshot(database_url)
            replay.apply(event for event in snapshot.events if event.id > replay.last_event_id)
            problems = [
                *await _restarted_problems(server, token, world, snapshot),
                *invariant_problems(snapshot),
                *shape_problems(
                    snapshot, user_ids=world.users, products=world.products, allowed=world.allowed
                ),
                *replay.final_problems(snapshot),
                *response_problems(records, replay, allow_lost=True),
            ]
            rounds.count(outcomes, replay)
            assert problems == [], f"round {round_number} (seed {seed}, delay {delay:.3f} s)"
    finally:
        server.stop()
    elapsed = time.perf_counter() - started
    print(
        f"\n[{engine_name}] {ROUNDS} kills ({rounds.mid_write} during a write), seed {seed}:"
        f" {len(records)} saves of {GROUP_SIZE} users; answered {rounds.answered},"
        f" committed but unanswered {rounds.committed_unanswered}, rolled back {rounds.lost};"
        f" {Tally.of(records).describe()}; {len(replay.request_ids)} saves in the log;"
        f" {elapsed:.1f} s"
    )


async def _restarted_problems(
    server: ServerProcess, token: str, world: CrashWorld, snapshot: Snapshot
) -> list[str]:
    """The restarted server is ready and reports the counts the rows hold."""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        ready = await client.get("/readyz")
        answer = await client.post(
            "/graphql",
            json={
                "query": PRODUCTS_QUERY,
                "variables": {"id": to_global_id("Customer", world.customer)},
            },
            headers={"Authorization": f"Bearer {token}"},
        )
    if ready.json() != {"status": "ready"}:
        return [f"restarted server not ready: {ready.text}"]
    products = answer.json()["data"]["customer"]["products"]
    return [
        f"restarted server reports {product}, the rows {snapshot.assigned[pk]}"
        for product in products
        if product["assignedLicenses"] != snapshot.assigned[pk := pk_of(product["id"], "Product")]
    ]
