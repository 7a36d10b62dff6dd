"""License job benchmark: a job of N users x 1 product beside the Save's own rate, and the
time from a change-log commit to a subscriber receiving it.

For SQLite and PostgreSQL in turn: a fresh database with one synthetic customer (N users,
two products, seats of a rule-free one bought for everyone) served by `licgraph serve`
(which works jobs in the background) pinned to core 0, this client on core 1. Measured:

- a job revoking the products from every user (`target: {filter: {}}`), then one assigning
  the rule-free one to every user: users per second from the job's own `createdAt` to
  `finishedAt` (so including the runner's pick-up, up to `LICGRAPH_JOB_POLL_SECONDS`), in
  chunks of `LICGRAPH_JOB_CHUNK_SIZE` (default 500);
- the Save in the same run: one `updateLicenses` revoking, then one assigning, for 10,000 of
  the users (its cap), users per second as this client sees it;
- commit to subscriber: a `licenseEvents` subscription over WebSocket (graphql-transport-ws)
  on the server, and this process committing one change-log entry at a time through
  licgraph's own repository (the write path a Save uses: commit-order lock and NOTIFY); the
  time from the commit returning to the event arriving, p50/p99 over E events.

    .venv/bin/python bench/job_bench.py [--users 100000] [--events 1000]
        [--engines sqlite,postgres] [--postgres-url postgresql+asyncpg://postgres@.../postgres]
    .venv/bin/python bench/job_bench.py --small     # 2,000 users, 50 events

Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dataset
from databases import DEFAULT_POSTGRES_URL
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport
from report import machine, number, table
from save_bench import fresh_database
from servers import LOAD_CPU, SERVER_CPU, pin_this_process, running, start_licgraph

from licgraph.config import Settings
from licgraph.db.engine import create_database
from licgraph.db.repositories.events import LicenseEventRepository
from licgraph.domain.access import Role
from licgraph.domain.events import Actor, EventAction, LicenseEvent

ENGINE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
SAVE_USERS = 10_000
START = """
mutation ($input: StartLicenseJobInput!) { startLicenseJob(input: $input) { job { id } } }"""
JOB = """
query ($id: ID!) { node(id: $id) { ... on LicenseJob {
  status totalUsers processedUsers failedCount createdAt finishedAt } } }"""
EVENTS = """
subscription ($customer: ID!) { licenseEvents(customerId: $customer) { id requestId } }"""


@dataclass
class Figures:
    """What one engine measured."""

    engine: str
    job_revoke_rate: float = 0.0
    job_assign_rate: float = 0.0
    save_revoke_rate: float = 0.0
    save_assign_rate: float = 0.0
    latencies_ms: tuple[float, ...] = ()


def run_job(api: dataset.Api, tenant: dataset.Tenant, change: dict[str, Any]) -> float:
    """Start a job over every user and wait for it; users per second by the job's clock."""
    variables = {"input": {"customerId": tenant.customer_id, "target": {"filter": {}}, **change}}
    job_id = api(START, variables)["startLicenseJob"]["job"]["id"]
    while True:
        job = api(JOB, {"id": job_id})["node"]
        if job["status"] not in {"QUEUED", "RUNNING"}:
            break
        time.sleep(0.2)
    if job["status"] != "SUCCEEDED" or job["failedCount"]:
        raise RuntimeError(f"job ended {job}")
    took = datetime.fromisoformat(job["finishedAt"]) - datetime.fromisoformat(job["createdAt"])
    return float(job["totalUsers"]) / took.total_seconds()


def save_rate(
    api: dataset.Api, tenant: dataset.Tenant, user_ids: list[str], **change: Any
) -> float:
    """Users per second of one Save for ``user_ids``, as this client sees it."""
    started = time.perf_counter()
    dataset.save(api, tenant, user_ids, **change)
    return len(user_ids) / (time.perf_counter() - started)


async def commit_to_subscriber(
    database_url: str, graphql_url: str, token: str, customer_pk: int, customer_id: str, events: int
) -> tuple[float, ...]:
    """Milliseconds from each committed change-log entry to its arrival at a subscriber."""
    database = create_database(Settings(database_url=database_url))
    transport = WebsocketsTransport(
        url=graphql_url.replace("http://", "ws://"),  # the GraphQL endpoint
        init_payload={"Authorization": f"Bearer {token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    latencies: list[float] = []
    try:
        async with Client(transport=transport) as session:
            request = GraphQLRequest(EVENTS, variable_values={"customer": customer_id})
            stream = session.subscribe(request)
            first = asyncio.ensure_future(anext(stream))
            await asyncio.sleep(1)  # the subscription is in place before the first commit
            for n in range(events):
                arrival = first if n == 0 else asyncio.ensure_future(anext(stream))
                async with database.transaction() as connection:
                    await LicenseEventRepository(connection).add_all([_event(customer_pk, n)])
                committed = time.perf_counter()
                received = await asyncio.wait_for(arrival, timeout=30)
                latencies.append((time.perf_counter() - committed) * 1000)
                assert received["licenseEvents"]["requestId"] == f"bench-{n}"
            await stream.aclose()
    finally:
        await database.dispose()
    return tuple(latencies)


def _event(customer_pk: int, n: int) -> LicenseEvent:
    return LicenseEvent(
        customer_id=customer_pk,
        occurred_at=datetime.now(UTC),
        action=EventAction.PURCHASED,
        actor=Actor(name="job-bench", role=Role.ADMIN_AGENT),
        request_id=f"bench-{n}",
        details={"quantity": 0},
    )


def measure_engine(engine: str, arguments: argparse.Namespace, folder: Path) -> Figures:
    """Everything for one engine, on a database of its own that is dropped afterwards."""
    figures = Figures(engine)
    with fresh_database(engine, folder, arguments.postgres_url) as (url, _postgres):
        dataset.seed(url, users=arguments.users, products=2)  # the seed's smallest catalog
        token = dataset.admin_token(url)
        server = start_licgraph(
            url, token, log_dir=folder, cpu=SERVER_CPU, probe=False, job_runner=True
        )
        with running(server):
            api = dataset.Api(server.url, token)
            tenant = dataset.tenant(api)
            product = tenant.rule_free_product_ids[0]
            dataset.buy_seats(api, tenant, product, arguments.users)
            # Both products: the other may depend on this one (its holders would fail).
            figures.job_revoke_rate = run_job(api, tenant, {"revoke": tenant.product_ids})
            figures.job_assign_rate = run_job(api, tenant, {"assign": [{"productId": product}]})
            some = dataset.user_ids(url, tenant.customer_pk)[:SAVE_USERS]
            figures.save_revoke_rate = save_rate(api, tenant, some, revoke=[product])
            figures.save_assign_rate = save_rate(api, tenant, some, assign=[product])
            figures.latencies_ms = asyncio.run(
                commit_to_subscriber(
                    url, server.url, token, tenant.customer_pk, tenant.customer_id, arguments.events
                )
            )
            api.close()
    print(f"  {ENGINE_NAMES[engine]} done", flush=True)
    return figures


def percentile(values: tuple[float, ...], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(all_figures: list[Figures], arguments: argparse.Namespace) -> str:
    users, save_users = arguments.users, min(SAVE_USERS, arguments.users)
    rates = [
        [
            ENGINE_NAMES[f.engine],
            number(f.job_revoke_rate, 0),
            number(f.job_assign_rate, 0),
            number(f.save_revoke_rate, 0),
            number(f.save_assign_rate, 0),
        ]
        for f in all_figures
    ]
    latency = [
        [
            ENGINE_NAMES[f.engine],
            str(len(f.latencies_ms)),
            number(statistics.median(f.latencies_ms), 1),
            number(percentile(f.latencies_ms, 0.99), 1),
            number(max(f.latencies_ms), 1),
        ]
        for f in all_figures
    ]
    return "\n\n".join(
        [
            f"## License jobs ({machine()})",
            f"Users per second: a job over {users:,} users x 1 product (by the job's own"
            f" clock), beside one Save of {save_users:,} users (as the client sees it).",
            table(["engine", "job revoke", "job assign", "Save revoke", "Save assign"], rates),
            "Commit to subscriber (`licenseEvents` over WebSocket), milliseconds:",
            table(["engine", "events", "p50", "p99", "max"], latency),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--small", action="store_true", help="2,000 users, 50 events")
    arguments = parser.parse_args()
    if arguments.small:
        arguments.users, arguments.events = 2_000, 50
    pin_this_process(LOAD_CPU)
    with tempfile.TemporaryDirectory(prefix="job-bench-") as folder:
        figures = [
            measure_engine(engine, arguments, Path(folder))
            for engine in arguments.engines.split(",")
        ]
    print(report(figures, arguments))


if __name__ == "__main__":
    main()
