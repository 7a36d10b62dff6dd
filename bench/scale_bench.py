"""Scale benchmark: one customer of 1,000,000 users, the requests that must not grow with it.

`licgraph seed synthetic` loads one customer of N users (default 1,000,000; about 40 s)
into PostgreSQL; `licgraph serve` runs pinned to core 0 and this client, on core 1, sends
each request below one at a time, interleaved, N times (after two warm-ups each):

- the first page of 100 users (with their licenses), by display name;
- a page ~90% deep (user 900,000 of 1,000,000), reached with a cursor built in the API's
  own cursor format (licgraph.domain.paging) from that user's sort key read with SQL, and
  checked against SQL: the page must start with the next user in list order;
- the last page (``last: 100``), checked to end with the last user;
- a prefix search (``search: "sven"``, a first name) and ``totalCount`` alone;
- the tri-state of every product for 1,000 selected users (every Nth user by id).

Reports p50 and p99 per request, ratios to the first page, and the server's RSS at start,
after the requests, and at its peak (VmHWM). Prints figures; asserts nothing.

    .venv/bin/python bench/scale_bench.py [--users 1000000] [--requests 50]
        [--reuse licgraph_bench_scale] [--postgres-url postgresql+asyncpg://postgres@.../postgres]
    .venv/bin/python bench/scale_bench.py --small      # 2,000 users, 5 requests each
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
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
from loadgen import Latencies, check_answer, one_at_a_time
from report import machine, number, ratio, table
from servers import LOAD_CPU, SERVER_CPU, Server, pin_this_process, running, start_licgraph

from licgraph.db.repositories.users import USERS as USER_LIST
from licgraph.domain.paging import encode_cursor

PRODUCTS, DEPTH, SELECTED, SEARCH = 20, 0.9, 1_000, "sven"
USERS = """
query Users($customer: ID!, $first: Int, $after: String, $last: Int, $search: String) {
  customer(id: $customer) {
    users(first: $first, after: $after, last: $last, search: $search) {
      nodes { id displayName licenses { product { id } } }
    }
  }
}"""
TOTAL = """
query Total($customer: ID!) { customer(id: $customer) { users { totalCount } } }"""
TRI_STATE = """
query TriState($customer: ID!, $selected: [ID!]!) {
  customer(id: $customer) { products { id assignmentState(userIds: $selected) } }
}"""
ORDERED = (
    "SELECT display_name_key, id FROM user_account WHERE customer_id = $1"
    " ORDER BY display_name_key {direction}, id {direction} OFFSET $2 LIMIT 2"
)


@dataclass(frozen=True)
class Request:
    """One measured request and what its answer must show."""

    name: str
    body: dict[str, Any]
    first_user_pk: int | None = None  # the page must start with this user
    last_user_pk: int | None = None  # ... or end with this one


def description(users: int) -> str:
    return f"licgraph bench scale data set v1: users={users} products={PRODUCTS}"


def build(database: PostgresDatabase, users: int) -> None:
    started = time.perf_counter()
    dataset.seed(database.licgraph_url(), users=users, products=PRODUCTS)
    vacuum_analyze(database)
    print(f"seeded {users:,} users in {time.perf_counter() - started:.0f} s", flush=True)


def _user_at(database: PostgresDatabase, customer_pk: int, position: int, direction: str) -> Any:
    sql = ORDERED.format(direction=direction)
    return query(database.libpq_url(), sql, customer_pk, position)


def requests(database: PostgresDatabase, tenant: dataset.Tenant, users: int) -> list[Request]:
    """The measured requests, with the users SQL says their pages start or end with."""
    customer = tenant.customer_id
    depth = int(users * DEPTH)
    before_deep, deep_first = _user_at(database, tenant.customer_pk, depth - 1, "ASC")
    last = _user_at(database, tenant.customer_pk, 0, "DESC")[0]
    cursor = encode_cursor(USER_LIST.name, (before_deep["display_name_key"], before_deep["id"]))
    pks = dataset.user_pks(database.licgraph_url(), tenant.customer_pk)
    selected = dataset.global_user_ids(pks[:: max(1, len(pks) // SELECTED)])
    page = {"customer": customer, "first": 100}
    return [
        Request("first page", _body(USERS, page)),
        Request(
            f"page {depth:,} deep (cursor)",
            _body(USERS, {**page, "after": cursor}),
            first_user_pk=deep_first["id"],
        ),
        Request(
            "last page (last: 100)",
            _body(USERS, {"customer": customer, "last": 100}),
            last_user_pk=last["id"],
        ),
        Request(f'prefix search "{SEARCH}"', _body(USERS, {**page, "search": SEARCH})),
        Request("totalCount", _body(TOTAL, {"customer": customer})),
        Request(
            f"tri-state, {len(selected[:SELECTED]):,} users x products",
            _body(TRI_STATE, {"customer": customer, "selected": selected[:SELECTED]}),
        ),
    ]


def _body(document: str, variables: dict[str, Any]) -> dict[str, Any]:
    return {"query": document, "variables": variables}


def check(client: httpx.Client, server: Server, request: Request) -> None:
    """The page starts or ends with the user SQL says it must (exits otherwise)."""
    if request.first_user_pk is None and request.last_user_pk is None:
        return
    data = check_answer(client.post(server.url, json=request.body))
    nodes = data["customer"]["users"]["nodes"]
    found = [dataset.pk(node["id"]) for node in nodes]
    wanted_first = request.first_user_pk in (None, found[0] if found else None)
    wanted_last = request.last_user_pk in (None, found[-1] if found else None)
    if not (wanted_first and wanted_last and len(found) == 100):
        raise SystemExit(f"{request.name}: the page is not where SQL says it is: {found[:3]}...")


def measure(server: Server, token: str, all_requests: list[Request], count: int) -> list[Latencies]:
    """Two warm-ups each, then ``count`` rounds of one request of each kind."""
    samples: list[list[float]] = [[] for _ in all_requests]
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(headers=headers, timeout=600) as client:
        for request in all_requests:
            check(client, server, request)
            one_at_a_time(client, server.url, request.body, requests=2)
        for _ in range(count):
            for index, request in enumerate(all_requests):
                timed = one_at_a_time(client, server.url, request.body, requests=1)
                samples[index].extend(timed.samples)
    return [Latencies(values) for values in samples]


def print_report(
    arguments: argparse.Namespace,
    all_requests: list[Request],
    latencies: list[Latencies],
    memory: dict[str, float],
) -> None:
    first = latencies[0].p50_ms
    rows = [
        [request.name, number(lat.p50_ms), number(lat.p99_ms), ratio(lat.p50_ms, first)]
        for request, lat in zip(all_requests, latencies, strict=True)
    ]
    print(
        f"\n## scale bench: one customer of {arguments.users:,} users; {arguments.requests}"
        f" requests of each kind, one at a time, interleaved; server on core {SERVER_CPU},"
        f" client on core {LOAD_CPU}\n"
    )
    print(table(["request", "p50 ms", "p99 ms", "p50 vs first page"], rows))
    print()
    print(table(["server memory", "MiB"], [[k, number(v, 0)] for k, v in memory.items()]))
    print()
    targets = [
        ["deep page p50 vs first page p50", "<= 1.25x", ratio(latencies[1].p50_ms, first)],
        ["last page p50 vs first page p50", "<= 1.25x", ratio(latencies[2].p50_ms, first)],
        ["tri-state for 1,000 users p50", "<= 20 ms", f"{latencies[5].p50_ms:.1f} ms"],
        ["server RSS idle", "<= 120 MB", f"{memory['RSS after the requests']:.0f} MiB"],
    ]
    print(table(["target (issue 9)", "wanted", "measured"], targets))


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("--users", type=int, default=1_000_000, help="users of the customer")
    parser.add_argument("--requests", type=int, default=50, help="timed requests of each kind")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="a PostgreSQL server")
    parser.add_argument("--reuse", metavar="DATABASE", help="keep the data set in DATABASE")
    parser.add_argument("--small", action="store_true", help="2,000 users, 5 requests each")
    arguments = parser.parse_args()
    if arguments.small:
        arguments.users, arguments.requests = 2_000, 5
    return arguments


def main() -> None:
    arguments = parse_arguments()
    print(machine(), flush=True)
    pin_this_process(LOAD_CPU)  # this client; the server gets the other core
    described = description(arguments.users)
    with (
        tempfile.TemporaryDirectory(prefix="licgraph-bench-") as folder,
        bench_database(arguments.postgres_url, keep=arguments.reuse, description=described) as (
            database,
            ready,
        ),
    ):
        if ready:
            print(f"reusing the data set in database {database.name}", flush=True)
        else:
            build(database, arguments.users)
            if arguments.reuse:
                mark_complete(database, described)
        token = dataset.admin_token(database.licgraph_url())
        server = start_licgraph(
            database.licgraph_url(), token, log_dir=Path(folder), cpu=SERVER_CPU, probe=False
        )
        with running(server):
            memory = {"RSS at start": server.memory_mib()}
            api = dataset.Api(server.url, token)
            all_requests = requests(database, dataset.tenant(api), arguments.users)
            api.close()
            latencies = measure(server, token, all_requests, arguments.requests)
            memory["RSS after the requests"] = server.memory_mib()
            memory["peak RSS (VmHWM)"] = server.memory_mib("VmHWM")
    print_report(arguments, all_requests, latencies, memory)


if __name__ == "__main__":
    main()
