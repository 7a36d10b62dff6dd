"""Page benchmark: licgraph beside PostGraphile 5 and a bare Strawberry app, under wrk.

One PostgreSQL database (one customer; by default 50,000 users holding 161,500 licenses:
the synthetic seed, then three products assigned to everyone through the API) served by

- licgraph (`licgraph serve`, one uvicorn process, an admin-agent token, no rate limit),
- PostGraphile 5 (bench/postgraphile.config.mjs, Node 22 from npm, one process),
- a bare Strawberry app (bench/bare_app.py) for ``{ __typename }``: the framework's ceiling,

each pinned to core 0 while wrk runs on core 1. Requests: the first 100 users by display
name with ``licenses { product { id } }`` (licgraph and PostGraphile; their bodies are
checked equal after mapping ids), the manage-licenses query (100 selected users x every
product, licgraph only) and ``{ __typename }``. Rounds are interleaved (the order flips
every round) and medians reported, with ratios. Prints figures; asserts nothing.

Per request it reports req/s, p50, p99, server CPU (and how much of its core the server
got), SQL statements and database round trips (counted on the wire by bench/pgwire.py, in
a separate pass so the proxy does not slow the timed runs) and the share of server CPU
spent in Python's cyclic GC (timed by bench/gc_probe.py inside the server).

    .venv/bin/python bench/page_bench.py [--users 50000] [--rounds 3] [--seconds 20]
        [--reuse licgraph_bench_page] [--postgres-url postgresql+asyncpg://postgres@.../postgres]
    .venv/bin/python bench/page_bench.py --small      # a few hundred users, one short round
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import dataset
import httpx
from databases import (
    DEFAULT_POSTGRES_URL,
    PostgresDatabase,
    bench_database,
    mark_complete,
    query,
    vacuum_analyze,
)
from loadgen import check_answer, one_at_a_time, wrk
from page_queries import Case, Rows, cases, compare, licgraph_rows, postgraphile_rows
from page_report import Counts, Figures, Wire, print_report
from pgwire import WireCounter
from report import machine
from servers import (
    LOAD_CPU,
    SERVER_CPU,
    Server,
    running,
    start_bare,
    start_licgraph,
    start_postgraphile,
)

PRODUCTS, ASSIGNED_TO_EVERYONE = 20, 3


def description(users: int) -> str:
    """What a complete page data set of ``users`` users is (marks a reusable database)."""
    return f"licgraph bench page data set v1: users={users} products={PRODUCTS}"


def build(database: PostgresDatabase, users: int, log_dir: Path) -> None:
    """Seed the data set, then assign three products to every user through the API."""
    url = database.licgraph_url()
    started = time.perf_counter()
    dataset.seed(url, users=users, products=PRODUCTS)
    token = dataset.admin_token(url)
    with running(start_licgraph(url, token, log_dir=log_dir, cpu=None, probe=False)) as server:
        api = dataset.Api(server.url, token)
        tenant = dataset.tenant(api)
        ids = dataset.user_ids(url, tenant.customer_pk)
        dataset.assign_to_everyone(api, tenant, ids, ASSIGNED_TO_EVERYONE)
        api.close()
    vacuum_analyze(database)
    licenses = query(database.libpq_url(), "SELECT count(*) FROM license_assignment")
    print(
        f"built {users:,} users holding {licenses[0][0]:,} licenses"
        f" in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def count_wire(
    server: Server,
    authorization: str | None,
    server_cases: Sequence[Case],
    wire: WireCounter,
    requests: int,
) -> dict[str, Wire]:
    """Statements and round trips per request of each case, one request at a time."""
    counted = {}
    headers = {"Authorization": authorization} if authorization else {}
    with httpx.Client(headers=headers, timeout=600) as client:
        for case in server_cases:
            one_at_a_time(client, server.url, case.body, requests=2)  # warm caches and pool
            before = wire.snapshot()
            one_at_a_time(client, server.url, case.body, requests=requests)
            spent = wire.snapshot() - before
            control = spent.statements["transaction"] + spent.statements["ping"]
            counted[case.request] = Wire(
                spent.sql / requests, control / requests, spent.round_trips / requests
            )
            if spent.connections:
                print(f"note: {server.name} opened {spent.connections} connections while counted")
    return counted


def first_page(server: Server, authorization: str | None, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": authorization} if authorization else {}
    return check_answer(httpx.post(server.url, json=body, headers=headers, timeout=600))


def check_and_count(
    database: PostgresDatabase, token: str, *, postgraphile: bool, requests: int, log_dir: Path
) -> tuple[list[Case], str, Counts]:
    """Pass 1, through the counting proxy: the cases (built from licgraph's own answers),
    whether the two pages are equal, and statements and round trips per request."""
    counts: Counts = {}
    rows: dict[str, Rows] = {}
    with WireCounter(*database.address) as wire:
        with running(_start_counted("licgraph", database, wire.port, token, log_dir)) as server:
            api = dataset.Api(server.url, token)
            all_cases = cases(api, dataset.tenant(api), postgraphile=postgraphile)
            api.close()
            auth = f"Bearer {token}"
            rows["licgraph"] = _check(server, auth, all_cases, wire, requests, counts)
        if postgraphile:
            started = _start_counted("postgraphile", database, wire.port, token, log_dir)
            with running(started) as server:
                rows["postgraphile"] = _check(server, None, all_cases, wire, requests, counts)
    return all_cases, compare(rows), counts


def _check(
    server: Server,
    authorization: str | None,
    all_cases: list[Case],
    wire: WireCounter,
    requests: int,
    counts: Counts,
) -> Rows:
    """The server's page as rows; its cases' counts go into ``counts``."""
    name = "licgraph" if authorization else "postgraphile"
    mine = [case for case in all_cases if case.server == name]
    data = first_page(server, authorization, mine[0].body)
    for request, figures in count_wire(server, authorization, mine, wire, requests).items():
        counts[request, name] = figures
    return licgraph_rows(data) if name == "licgraph" else postgraphile_rows(data)


def _start_counted(
    name: str, database: PostgresDatabase, port: int, token: str, log_dir: Path
) -> Server:
    """A server of ``name`` whose database connections go through the proxy on ``port``."""
    if name == "licgraph":
        url = database.licgraph_url(port)
        return start_licgraph(url, token, log_dir=log_dir, cpu=None, probe=False)
    return start_postgraphile(database.libpq_url(port), log_dir=log_dir, cpu=None)


@contextmanager
def load_servers(
    database: PostgresDatabase, token: str, *, postgraphile: bool, log_dir: Path
) -> Iterator[dict[str, Server]]:
    """Pass 2: every server on the real database, pinned to the server core."""
    with ExitStack() as stack:
        servers = {
            "licgraph": stack.enter_context(
                running(
                    start_licgraph(database.licgraph_url(), token, log_dir=log_dir, cpu=SERVER_CPU)
                )
            ),
            "bare": stack.enter_context(running(start_bare(log_dir=log_dir, cpu=SERVER_CPU))),
        }
        if postgraphile:
            servers["postgraphile"] = stack.enter_context(
                running(start_postgraphile(database.libpq_url(), log_dir=log_dir, cpu=SERVER_CPU))
            )
        yield servers


def wait_idle(server: Server, *, quiet: float = 0.5, limit: float = 600) -> None:
    """Wait until the server stops using CPU: wrk abandons requests still in flight when it
    stops, and the server finishing them must not count in the next run."""
    deadline = time.monotonic() + limit
    last = server.cpu_seconds()
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = server.cpu_seconds()
        if now - last < 0.05 * quiet:
            return
        last = now


def run_case(
    case: Case, server: Server, authorization: str, figures: Figures, arguments: argparse.Namespace
) -> None:
    """One timed wrk run of ``case``; the server's CPU and GC time over the same requests.

    When wrk stops, ``connections`` requests are still in flight and the server finishes
    them: CPU and GC are read once it is idle again and shared over the answered requests
    plus those, so neither the unfinished tail nor the next run is mismeasured.
    """
    wait_idle(server)
    auth = authorization if case.server == "licgraph" else None
    gc_before, cpu_before = server.gc_totals(), server.cpu_seconds()
    load = wrk(
        server.url,
        case.body,
        authorization=auth,
        connections=arguments.connections,
        seconds=arguments.seconds,
        cpu=LOAD_CPU,
    )
    # How much of its core the server got while loaded: near 100% for a CPU-bound server on
    # a quiet machine; less means it waited (for the database, or for a busy neighbour).
    figures.core_use.append((server.cpu_seconds() - cpu_before) / load.seconds)
    wait_idle(server)
    cpu = server.cpu_seconds() - cpu_before
    gc_after = server.gc_totals()
    figures.loads.append(load)
    figures.cpu_ms.append(cpu * 1e3 / (load.requests + arguments.connections))
    if gc_before is not None and gc_after is not None and cpu > 0:
        figures.gc_shares.append((gc_after["gc_seconds"] - gc_before["gc_seconds"]) / cpu)
    print(
        f"  {case.request:<8} {case.server:<12} {load.rate:9.1f} req/s  p50 {load.p50_ms:8.1f} ms"
        f"  p99 {load.p99_ms:8.1f} ms  failures {load.failures}",
        flush=True,
    )


def measure(
    servers: dict[str, Server],
    all_cases: list[Case],
    authorization: str,
    arguments: argparse.Namespace,
) -> list[Figures]:
    """Warm every case up once, then interleaved rounds (the order flips every round);
    figures in the order of ``all_cases``."""
    figures = [Figures() for _ in all_cases]
    for case in all_cases if arguments.warmup > 0 else []:
        auth = authorization if case.server == "licgraph" else None
        wrk(
            servers[case.server].url,
            case.body,
            authorization=auth,
            connections=arguments.connections,
            seconds=arguments.warmup,
            cpu=LOAD_CPU,
        )
    indexed = list(enumerate(all_cases))
    for round_ in range(arguments.rounds):
        print(f"round {round_ + 1} of {arguments.rounds}", flush=True)
        for index, case in indexed if round_ % 2 == 0 else reversed(indexed):
            run_case(case, servers[case.server], authorization, figures[index], arguments)
    return figures


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("--users", type=int, default=50_000, help="users of the customer")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--seconds", type=float, default=20, help="length of each timed run")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of warm-up per case")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument(
        "--count-requests", type=int, default=10, help="requests counted on the wire"
    )
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help="a PostgreSQL server (any database on it)",
    )
    parser.add_argument(
        "--reuse", metavar="DATABASE", help="keep the data set in DATABASE and reuse it next time"
    )
    parser.add_argument(
        "--skip-postgraphile",
        action="store_true",
        help="no Node: measure licgraph and the bare app only",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="300 users, 4 connections, one 2-second round, no warm-up: proves the script works",
    )
    arguments = parser.parse_args()
    if arguments.small:
        arguments.users, arguments.rounds, arguments.seconds = 300, 1, 2
        arguments.warmup, arguments.count_requests, arguments.connections = 0, 3, 4
    return arguments


def main() -> None:
    arguments = parse_arguments()
    print(machine(), flush=True)
    postgraphile = not arguments.skip_postgraphile
    with (
        tempfile.TemporaryDirectory(prefix="licgraph-bench-") as folder,
        bench_database(
            arguments.postgres_url, keep=arguments.reuse, description=description(arguments.users)
        ) as (database, ready),
    ):
        log_dir = Path(folder)
        if ready:
            print(f"reusing the data set in database {database.name}", flush=True)
        else:
            build(database, arguments.users, log_dir)
            if arguments.reuse:
                mark_complete(database, description(arguments.users))
        token = dataset.admin_token(database.licgraph_url())
        all_cases, verdict, counts = check_and_count(
            database,
            token,
            postgraphile=postgraphile,
            requests=arguments.count_requests,
            log_dir=log_dir,
        )
        print(f"page bodies: {verdict}", flush=True)
        with load_servers(database, token, postgraphile=postgraphile, log_dir=log_dir) as servers:
            figures = measure(servers, all_cases, f"Bearer {token}", arguments)
    print_report(arguments, all_cases, figures, counts, verdict)


if __name__ == "__main__":
    main()
