"""License jobs under crashes and many processes: real `licgraph serve` / `licgraph worker`
processes killed with SIGKILL mid-job and restarted, or several of them on one job. Every
user must be processed exactly once, results, counters, change log and licenses must agree,
and the seat invariant must hold."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, select

from licgraph.config import Settings
from licgraph.db.engine import Database, create_database
from licgraph.db.tables import (
    license_assignment_table,
    license_event_table,
    license_job_error_table,
    license_job_table,
    license_job_user_table,
    user_table,
)
from licgraph.domain.directory import sort_key
from licgraph.graphql.ids import to_global_id
from tests import factories as make
from tests.e2e.servers import LICGRAPH, Server
from tests.stress.checks import invariant_problems, read_snapshot
from tests.stress.harness import ServerProcess, logged_errors
from tests.stress.test_crash_safety import wait_until_no_other_sessions

pytestmark = pytest.mark.e2e

USERS = 4_000
SEATS = 3_000  # fewer than the users: seats run out mid-job
KILLS = 4
WAIT_SECONDS = 120
JOB_SETTINGS = {
    "LICGRAPH_RATE_LIMIT_PER_SECOND": "0",
    "LICGRAPH_JOB_CHUNK_SIZE": "50",
    "LICGRAPH_JOB_LEASE_SECONDS": "2",
    "LICGRAPH_JOB_POLL_SECONDS": "0.1",
}
START = """
mutation ($input: StartLicenseJobInput!) {
  startLicenseJob(input: $input) { job { id status totalUsers } }
}"""


@dataclass(frozen=True)
class JobWorld:
    customer: int
    product: int
    users: tuple[int, ...]


async def build_job_world(database: Database) -> JobWorld:
    customer = await make.make_customer(database, "Jobs Co", "jobs.example.com")
    product = await make.make_product(database, customer, "Suite", total=SEATS)
    rows = [
        {
            "customer_id": customer,
            "display_name": f"Job User {n:05}",
            "display_name_key": sort_key(f"Job User {n:05}"),
            "user_principal_name": f"job{n}@jobs.example.com",
            "usage_location": "US",
        }
        for n in range(USERS)
    ]
    async with database.transaction() as connection:
        await connection.execute(insert(user_table), rows)
        ids = await connection.scalars(
            select(user_table.c.id).where(user_table.c.customer_id == customer).order_by("id")
        )
        users = tuple(ids)
    return JobWorld(customer, product, users)


def start_job(server_url: str, token: str, world: JobWorld) -> str:
    answer = httpx.post(
        f"{server_url}/graphql",
        json={
            "query": START,
            "variables": {
                "input": {
                    "customerId": to_global_id("Customer", world.customer),
                    "target": {"search": "job user"},
                    "assign": [{"productId": to_global_id("Product", world.product)}],
                }
            },
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    ).json()
    job = answer["data"]["startLicenseJob"]["job"]
    assert job["totalUsers"] == USERS, answer
    return str(job["id"])


async def job_row(database_url: str) -> Any:
    database = create_database(Settings(database_url=database_url))
    try:
        async with database.connect() as connection:
            return (await connection.execute(select(license_job_table))).one()
    finally:
        await database.dispose()


async def wait_for_job(database_url: str, *, ended: bool = False, beyond: int = 0) -> Any:
    """The job row once it has processed more than ``beyond`` users (or once it ended)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        row = await job_row(database_url)
        if (
            (row.status in {"SUCCEEDED", "FAILED", "CANCELLED"})
            if ended
            else (row.processed_users > beyond)
        ):
            return row
        await asyncio.sleep(0.02)
    raise TimeoutError(f"job still {row.status} after {WAIT_SECONDS} s")


async def exactly_once_problems(database_url: str, world: JobWorld) -> list[str]:
    """Every selected user processed once; results, counters, events and licenses agree."""
    database = create_database(Settings(database_url=database_url))
    try:
        async with database.connect() as connection:
            job = (await connection.execute(select(license_job_table))).one()
            members = (await connection.execute(select(license_job_user_table))).all()
            codes = (await connection.execute(select(license_job_error_table))).all()
            events = (
                await connection.execute(
                    select(license_event_table.c.user_id, license_event_table.c.action)
                )
            ).all()
            holders = set(
                await connection.scalars(
                    select(license_assignment_table.c.user_id).where(
                        license_assignment_table.c.product_id == world.product
                    )
                )
            )
    finally:
        await database.dispose()
    statuses = Counter(member.status for member in members)
    succeeded = {member.user_id for member in members if member.status == "SUCCEEDED"}
    in_order = [member.user_id for member in sorted(members, key=lambda m: m.position)]
    assigned_events = Counter(user for user, action in events if action == "ASSIGNED")
    checks = {
        "job succeeded": job.status == "SUCCEEDED",
        "each user selected once, in list order": in_order == list(world.users),
        "every user processed": statuses[None] == 0,
        "seats went first-come": statuses == {"SUCCEEDED": SEATS, "FAILED": USERS - SEATS},
        "counters match results": (
            job.processed_users,
            job.succeeded_count,
            job.failed_count,
            job.unchanged_count,
        )
        == (USERS, SEATS, USERS - SEATS, 0),
        "first users got the seats": succeeded == set(world.users[:SEATS]),
        "one event per success, none else": assigned_events == Counter(succeeded),
        "licenses are the successes": holders == succeeded,
        "each failure has its code once": Counter(code.code for code in codes)
        == {"INSUFFICIENT_LICENSES": USERS - SEATS},
    }
    return [name for name, holds in checks.items() if not holds]


async def test_a_job_survives_its_server_being_killed_mid_job(
    database_url: str, engine_name: str, database: Database, tmp_path: Path
) -> None:
    # Given a server and a job of 4,000 users in chunks of 50 on 3,000 seats
    world = await build_job_world(database)
    await database.dispose()
    env = {**os.environ, **JOB_SETTINGS, "LICGRAPH_DATABASE_URL": database_url}
    server = ServerProcess(env, tmp_path / "server.log")
    token = Server(url=server.url, env=env).token("admin-agent")
    rng = random.Random()  # noqa: S311 - kill moments, not secrets
    progress: list[int] = []
    try:
        server.spawn()
        server.wait_ready()
        start_job(server.url, token, world)
        # When the server is killed (SIGKILL) at random moments while it works the job
        for _ in range(KILLS):
            # (right after a chunk commits, or some way into the next ones)
            await wait_for_job(database_url, beyond=progress[-1] if progress else 0)
            await asyncio.sleep(rng.uniform(0, 0.1))
            server.kill()
            progress.append((await job_row(database_url)).processed_users)
            await wait_until_no_other_sessions(database_url)
            server.spawn()
            server.wait_ready()
        # Then a restarted server takes the job over (after the lease) and finishes it
        row = await wait_for_job(database_url, ended=True)
    finally:
        server.stop()
    assert max(progress) < USERS, f"the job ended before the last kill: {progress}"
    assert logged_errors(server.log_path) == []
    assert await exactly_once_problems(database_url, world) == []
    assert invariant_problems(await read_snapshot(database_url)) == []
    print(f"\n[{engine_name}] processed when killed: {progress}; final {row.processed_users}")


def spawn_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603 - our own console script
            [LICGRAPH, "worker"], env=env, stdout=output, stderr=subprocess.STDOUT
        )


@pytest.mark.parametrize("workers", [2, 4])
async def test_many_workers_on_one_job_process_each_user_once(
    database_url: str, engine_name: str, database: Database, tmp_path: Path, workers: int
) -> None:
    if engine_name != "postgres":
        pytest.skip("many processes on one job: PostgreSQL (SQLite serialises writers)")
    # Given a job, an API server that does not work jobs, and several `licgraph worker`s
    world = await build_job_world(database)
    await database.dispose()
    env = {**os.environ, **JOB_SETTINGS, "LICGRAPH_DATABASE_URL": database_url}
    api = ServerProcess({**env, "LICGRAPH_JOB_RUNNER": "false"}, tmp_path / "api.log")
    token = Server(url=api.url, env=env).token("admin-agent")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        api.spawn()
        api.wait_ready()
        processes = [spawn_worker(env, tmp_path / f"worker-{n}.log") for n in range(workers)]
        start_job(api.url, token, world)
        # When the worker holding the job is killed halfway
        await wait_for_job(database_url)
        holder = (await job_row(database_url)).lease_owner
        done_when_killed = (await job_row(database_url)).processed_users
        pid = int(holder.split(":")[1])
        os.kill(pid, signal.SIGKILL)
        # Then another worker takes it over after the lease, and each user is processed once
        await wait_for_job(database_url, ended=True)
    finally:
        for process in processes:
            process.kill()
            process.wait(timeout=15)
        api.stop()
    assert done_when_killed < USERS, "the job ended before its worker was killed"
    logs = [api.log_path, *(tmp_path / f"worker-{n}.log" for n in range(workers))]
    assert [error for log in logs for error in logged_errors(log)] == []
    assert await exactly_once_problems(database_url, world) == []
    assert invariant_problems(await read_snapshot(database_url)) == []
    print(f"\n[{engine_name}] {workers} workers; killed {holder} at {done_when_killed} users")
