"""Save benchmark: 10,000 users x 3 products through HTTP, beside each engine's floor.

For SQLite and PostgreSQL in turn: a fresh database with one synthetic customer (N users,
6 products of which 3 are rule-free, seats bought for everyone) served by `licgraph serve`
pinned to core 0, this client on core 1. Each round times one `updateLicenses` over HTTP
assigning the 3 products to all N users, one revoking them, and then the floor
(bench/floors.py: stdlib sqlite3, or asyncpg COPY) writing the same assignment and
change-log rows with the same seat guard in the same database. Reported: medians of the
rounds, ratios to the floor, the server's memory (VmRSS at start, VmHWM peak), on
PostgreSQL the statements and round trips of one save counted on the wire, and
(--per-user-calls) one-user saves in a row against the bulk save. Asserts nothing.

    .venv/bin/python bench/save_bench.py [--users 10000] [--rounds 3] [--engines sqlite,postgres]
        [--per-user-calls 100] [--postgres-url postgresql+asyncpg://postgres@.../postgres]
    .venv/bin/python bench/save_bench.py --small      # 300 users, one round
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dataset
from databases import DEFAULT_POSTGRES_URL, PostgresDatabase, bench_database
from floors import Change, postgres_floor, sqlite_floor
from pgwire import WireCounter, WireCounts
from report import machine, median, number, ratio, table
from servers import LOAD_CPU, SERVER_CPU, Server, pin_this_process, running, start_licgraph

PRODUCTS, SAVED_PRODUCTS = 6, 3
ENGINE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
FLOOR_NAMES = {"sqlite": "stdlib sqlite3", "postgres": "asyncpg COPY"}


@dataclass
class Setup:
    """A prepared engine: its server, the customer, the users and the products saved."""

    engine: str
    url: str
    postgres: PostgresDatabase | None
    server: Server
    api: dataset.Api
    tenant: dataset.Tenant
    user_pks: list[int]
    product_ids: list[str]

    @property
    def user_ids(self) -> list[str]:
        return dataset.global_user_ids(self.user_pks)

    def change(self, sign: int) -> Change:
        products = [dataset.pk(product_id) for product_id in self.product_ids]
        return Change(self.tenant.customer_pk, self.user_pks, products, sign)


@dataclass
class EngineFigures:
    """What one engine measured, over all rounds."""

    engine: str
    seconds: dict[str, list[float]] = field(default_factory=dict)
    rss_start_mib: float = 0.0
    rss_end_mib: float = 0.0
    rss_peak_mib: float = 0.0
    wire: dict[str, WireCounts] = field(default_factory=dict)
    per_user_rate: float | None = None
    bulk_rate: float | None = None

    def add(self, what: str, seconds: float) -> None:
        self.seconds.setdefault(what, []).append(seconds)

    def median(self, what: str) -> float:
        return median(self.seconds.get(what, []))


@contextmanager
def fresh_database(
    engine: str, folder: Path, postgres_url: str
) -> Iterator[tuple[str, PostgresDatabase | None]]:
    """A fresh, empty database: a temp SQLite file, or a temp PostgreSQL database."""
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{folder / 'save-bench.db'}", None
        return
    with bench_database(postgres_url, keep=None, description="") as (database, _):
        yield database.licgraph_url(), database


def prepare(
    engine: str, url: str, postgres: PostgresDatabase | None, server: Server, token: str
) -> Setup:
    """Buy seats for every user and clear the seed's licenses, through the server."""
    api = dataset.Api(server.url, token)
    tenant = dataset.tenant(api)
    pks = dataset.user_pks(url, tenant.customer_pk)
    products = tenant.rule_free_product_ids[:SAVED_PRODUCTS]
    setup = Setup(engine, url, postgres, server, api, tenant, pks, products)
    for product_id in products:
        dataset.buy_seats(api, tenant, product_id, len(pks))
    dataset.save(api, tenant, setup.user_ids, revoke=tenant.product_ids)  # what the seed gave
    return setup


def timed_save(setup: Setup, *, assign: bool) -> float:
    """Seconds for one bulk save over HTTP, as this client sees it."""
    user_ids, products = setup.user_ids, setup.product_ids
    started = time.perf_counter()
    if assign:
        dataset.save(setup.api, setup.tenant, user_ids, assign=products)
    else:
        dataset.save(setup.api, setup.tenant, user_ids, revoke=products)
    return time.perf_counter() - started


def floor(setup: Setup, *, sign: int) -> float:
    """Seconds for the engine's floor to write the same change."""
    if setup.postgres is None:
        return sqlite_floor(setup.url.split("///", 1)[1], setup.change(sign))
    return postgres_floor(setup.postgres.libpq_url(), setup.change(sign))


def run_rounds(setup: Setup, figures: EngineFigures, rounds: int) -> None:
    """Each round: licgraph assigns and revokes, then the floor does (state restored)."""
    for round_ in range(rounds):
        figures.add("assign", timed_save(setup, assign=True))
        figures.add("revoke", timed_save(setup, assign=False))
        figures.add("floor assign", floor(setup, sign=1))
        figures.add("floor revoke", floor(setup, sign=-1))
        done = ", ".join(f"{what} {values[-1]:.2f} s" for what, values in figures.seconds.items())
        print(f"  {ENGINE_NAMES[setup.engine]} round {round_ + 1}: {done}", flush=True)


def per_user_rate(setup: Setup, calls: int) -> float:
    """Users per second saving one user per call (then undone in one untimed save)."""
    chosen = setup.user_ids[:calls]
    started = time.perf_counter()
    for user_id in chosen:
        dataset.save(setup.api, setup.tenant, [user_id], assign=setup.product_ids)
    rate = calls / (time.perf_counter() - started)
    dataset.save(setup.api, setup.tenant, chosen, revoke=setup.product_ids)
    return rate


def count_on_wire(setup: Setup, postgres: PostgresDatabase, log_dir: Path) -> dict[str, WireCounts]:
    """Statements and round trips of one assign and one revoke, through the counting proxy."""
    token = setup.api.authorization.split()[1]
    with WireCounter(*postgres.address) as wire:
        url = postgres.licgraph_url(wire.port)
        with running(start_licgraph(url, token, log_dir=log_dir, cpu=None, probe=False)) as server:
            api = dataset.Api(server.url, token)
            before = wire.snapshot()
            dataset.save(api, setup.tenant, setup.user_ids, assign=setup.product_ids)
            middle = wire.snapshot()
            dataset.save(api, setup.tenant, setup.user_ids, revoke=setup.product_ids)
            counted = {"assign": middle - before, "revoke": wire.snapshot() - middle}
            api.close()
    return counted


def measure_engine(engine: str, arguments: argparse.Namespace, folder: Path) -> EngineFigures:
    """Everything for one engine, on a database of its own that is dropped afterwards."""
    figures = EngineFigures(engine)
    with fresh_database(engine, folder, arguments.postgres_url) as (url, postgres):
        dataset.seed(url, users=arguments.users, products=PRODUCTS)
        token = dataset.admin_token(url)
        server = start_licgraph(url, token, log_dir=folder, cpu=SERVER_CPU, probe=False)
        with running(server):
            figures.rss_start_mib = server.memory_mib()
            setup = prepare(engine, url, postgres, server, token)
            run_rounds(setup, figures, arguments.rounds)
            figures.rss_end_mib = setup.server.memory_mib()
            figures.rss_peak_mib = setup.server.memory_mib("VmHWM")
            if arguments.per_user_calls:
                figures.per_user_rate = per_user_rate(setup, arguments.per_user_calls)
            setup.api.close()
        if postgres is not None:
            figures.wire = count_on_wire(setup, postgres, folder)
    figures.bulk_rate = arguments.users / figures.median("assign")
    return figures


def time_rows(all_figures: list[EngineFigures], users: int) -> list[list[str]]:
    rows = []
    for figures in all_figures:
        for what in ("assign", "revoke"):
            ours, floor_ = figures.median(what), figures.median(f"floor {what}")
            wire = figures.wire.get(what)
            rows.append(
                [
                    ENGINE_NAMES[figures.engine],
                    f"{what} {users:,} users x {SAVED_PRODUCTS} products",
                    number(ours, 2),
                    f"{number(floor_, 3)} ({FLOOR_NAMES[figures.engine]})",
                    ratio(ours, floor_),
                    number(wire.sql, 0) if wire else "—",
                    number(wire.round_trips, 0) if wire else "—",
                ]
            )
    return rows


def memory_rows(all_figures: list[EngineFigures]) -> list[list[str]]:
    return [
        [
            ENGINE_NAMES[figures.engine],
            number(figures.rss_start_mib, 0),
            number(figures.rss_end_mib, 0),
            number(figures.rss_peak_mib, 0),
            number(figures.bulk_rate, 0),
            number(figures.per_user_rate, 0),
        ]
        for figures in all_figures
    ]


def target_rows(all_figures: list[EngineFigures]) -> list[list[str]]:
    """Issue 9's Save targets with the measured figure beside each."""
    rows = []
    for figures in all_figures:
        name = ENGINE_NAMES[figures.engine]
        assign, floor_ = figures.median("assign"), figures.median("floor assign")
        if figures.engine == "sqlite":
            rows.append([f"{name} save (assign)", "<= 0.5 s", f"{assign:.2f} s"])
        rows.append(
            [f"{name} save vs {FLOOR_NAMES[figures.engine]} floor", "<= 4x", ratio(assign, floor_)]
        )
        rows.append(
            [
                f"{name} server peak RSS during the saves",
                "<= 300 MB",
                f"{figures.rss_peak_mib:.0f} MiB",
            ]
        )
    return rows


def print_report(arguments: argparse.Namespace, all_figures: list[EngineFigures]) -> None:
    users = arguments.users
    print(
        f"\n## save bench: {users:,} users x {SAVED_PRODUCTS} products per save over HTTP;"
        f" {arguments.rounds} rounds, medians; server on core {SERVER_CPU}, client and floors"
        f" on core {LOAD_CPU}\n"
    )
    header = ["engine", "save", "licgraph s", "floor s", "ratio", "SQL stmts", "round trips"]
    print(table(header, time_rows(all_figures, users)))
    print()
    header = [
        "engine",
        "server RSS at start MiB",
        "RSS after MiB",
        "peak RSS (VmHWM) MiB",
        "bulk users/s",
        "one-user saves: users/s",
    ]
    print(table(header, memory_rows(all_figures)))
    print()
    print(table(["target (issue 9)", "wanted", "measured"], target_rows(all_figures)))


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("--users", type=int, default=10_000, help="users per save (at most 10,000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per engine")
    parser.add_argument("--engines", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--per-user-calls", type=int, default=100, help="one-user saves (0: none)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="a PostgreSQL server")
    parser.add_argument("--small", action="store_true", help="300 users, one round")
    arguments = parser.parse_args()
    if arguments.small:
        arguments.users, arguments.rounds, arguments.per_user_calls = 300, 1, 5
    arguments.engines = [engine.strip() for engine in arguments.engines.split(",") if engine]
    unknown = set(arguments.engines) - set(ENGINE_NAMES)
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    print(machine(), flush=True)
    pin_this_process(LOAD_CPU)  # this client and the floors; servers get core 0
    with tempfile.TemporaryDirectory(prefix="licgraph-bench-") as folder:
        all_figures = [
            measure_engine(engine, arguments, Path(folder)) for engine in arguments.engines
        ]
    print_report(arguments, all_figures)


if __name__ == "__main__":
    main()
