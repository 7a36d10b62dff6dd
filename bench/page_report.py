"""The page benchmark's figures: medians per case, and issue 9's targets beside them."""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field

from loadgen import Load
from page_queries import Case
from report import median, number, ratio, table
from servers import LOAD_CPU, SERVER_CPU


@dataclass(frozen=True)
class Wire:
    """Database traffic of one request, averaged over the requests counted."""

    statements: float  # SQL that does work
    control: float  # BEGIN, COMMIT, ROLLBACK and empty pre-ping statements
    round_trips: float


NO_DATABASE = Wire(0.0, 0.0, 0.0)
Counts = dict[tuple[str, str], Wire]  # by (request, server)
SERVER_NAMES = {
    "licgraph": "licgraph",
    "postgraphile": "PostGraphile 5",
    "bare": "bare Strawberry",
}
REQUEST_NAMES = {
    "page": "page (100 users + licenses)",
    "manage": "manage-licenses (100 x products)",
    "typename": "{ __typename }",
}


@dataclass
class Figures:
    """Everything measured for one case, over all rounds."""

    loads: list[Load] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    core_use: list[float] = field(default_factory=list)
    gc_shares: list[float] = field(default_factory=list)


def figure_rows(
    all_cases: list[Case],
    figures: list[Figures],
    counts: Counts,
) -> list[list[str]]:
    """One table row per case: medians over the rounds."""
    rows = []
    for case, measured in zip(all_cases, figures, strict=True):
        wire = NO_DATABASE if case.server == "bare" else counts.get((case.request, case.server))
        rows.append(
            [
                REQUEST_NAMES[case.request],
                SERVER_NAMES[case.server],
                number(median([load.rate for load in measured.loads])),
                number(median([load.p50_ms for load in measured.loads])),
                number(median([load.p99_ms for load in measured.loads])),
                number(median(measured.cpu_ms), 2),
                f"{median(measured.core_use):.0%}",
                number(wire.statements if wire else None),
                number(wire.control if wire else None),
                number(wire.round_trips if wire else None),
                f"{median(measured.gc_shares):.0%}" if measured.gc_shares else "—",
                str(sum(load.failures for load in measured.loads)),
            ]
        )
    return rows


def _median_of(
    all_cases: list[Case], figures: list[Figures], request: str, server: str, what: str
) -> float:
    for case, measured in zip(all_cases, figures, strict=True):
        if (case.request, case.server) == (request, server):
            if what == "gc":
                return median(measured.gc_shares)
            return median([getattr(load, what) for load in measured.loads])
    return float("nan")


def target_rows(
    all_cases: list[Case],
    figures: list[Figures],
    counts: Counts,
) -> list[list[str]]:
    """Issue 9's targets for this benchmark, with the measured ratio beside each."""

    def of(request: str, server: str, what: str = "rate") -> float:
        return _median_of(all_cases, figures, request, server, what)

    page_gc = of("page", "licgraph", "gc")
    rows = [
        [
            "page req/s vs PostGraphile",
            ">= 1.0x",
            ratio(of("page", "licgraph"), of("page", "postgraphile")),
        ],
        [
            "manage-licenses req/s vs PostGraphile's page",
            ">= 0.5x",
            ratio(of("manage", "licgraph"), of("page", "postgraphile")),
        ],
        [
            "{ __typename } req/s vs bare Strawberry",
            ">= 0.5x",
            ratio(of("typename", "licgraph"), of("typename", "bare")),
        ],
        [
            "page p99 / p50 at the test's concurrency",
            "<= 4x",
            ratio(of("page", "licgraph", "p99_ms"), of("page", "licgraph", "p50_ms")),
        ],
        [
            "GC share of server CPU under the page load",
            "<= 10%",
            "—" if math.isnan(page_gc) else f"{page_gc:.0%}",
        ],
    ]
    for request in ("page", "manage", "typename"):
        wire = counts.get((request, "licgraph"))
        rows.append(
            [
                f"{request}: round trips per request vs SQL statements + 2",
                f"<= {number(wire.statements + 2 if wire else None)}",
                number(wire.round_trips if wire else None),
            ]
        )
    return rows


def print_report(
    arguments: argparse.Namespace,
    all_cases: list[Case],
    figures: list[Figures],
    counts: Counts,
    verdict: str,
) -> None:
    print(
        f"\n## page bench: {arguments.users:,} users; {arguments.connections} connections,"
        f" {arguments.rounds} interleaved rounds of {arguments.seconds:g} s; server on core"
        f" {SERVER_CPU}, wrk on core {LOAD_CPU}; medians\n"
    )
    header = [
        "request",
        "server",
        "req/s",
        "p50 ms",
        "p99 ms",
        "CPU ms/req",
        "core use",
        "SQL stmts/req",
        "BEGIN/ROLLBACK/ping per req",
        "round trips/req",
        "GC % of CPU",
        "failures",
    ]
    print(table(header, figure_rows(all_cases, figures, counts)))
    print(f"\npage bodies: {verdict}\n")
    print(
        table(["target (issue 9)", "wanted", "measured"], target_rows(all_cases, figures, counts))
    )
