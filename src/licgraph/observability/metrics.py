"""Prometheus metrics (``licgraph_*``), correct across worker processes.

With ``PROMETHEUS_MULTIPROC_DIR`` set (``licgraph serve --workers N`` sets it for N > 1)
prometheus-client keeps each process's values in files there, and a scrape of any worker
reads them all. The variable must be set before this module is imported: the workers are
fresh processes that inherit it.
"""

from __future__ import annotations

import os
from collections import Counter as Tally
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

from licgraph.observability.record import RequestRecord

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
# Operation names come from clients: past this many distinct names a process labels the
# rest "other", so a client inventing names can't grow the metrics without bound.
MAX_OPERATION_LABELS = 100
OTHER_OPERATION = "other"
NO_OPERATION = "none"
ANONYMOUS_OPERATION = "anonymous"

_SECONDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
_STATEMENTS = (0, 1, 2, 3, 5, 8, 13, 20, 30, 50, 100)

REQUESTS = Counter(
    "licgraph_requests", "GraphQL HTTP requests by operation and outcome.", ["operation", "outcome"]
)
LATENCY = Histogram(
    "licgraph_request_duration_seconds",
    "Time to answer a GraphQL HTTP request.",
    ["operation"],
    buckets=_SECONDS,
)
SQL_STATEMENTS = Histogram(
    "licgraph_request_sql_statements",
    "SQL statements one GraphQL HTTP request sent.",
    ["operation"],
    buckets=_STATEMENTS,
)
DATABASE_TIME = Histogram(
    "licgraph_request_database_seconds",
    "Time one GraphQL HTTP request spent waiting for SQL statements.",
    ["operation"],
    buckets=_SECONDS,
)
LICENSES_ASSIGNED = Counter(
    "licgraph_licenses_assigned", "Licenses assigned (committed change-log entries ASSIGNED)."
)
LICENSES_REVOKED = Counter(
    "licgraph_licenses_revoked", "Licenses revoked (committed change-log entries REVOKED)."
)
SAVES = Counter(
    "licgraph_saves",
    "License updates (Saves) by status: applied, unchanged (nothing to write), failed "
    "(nothing written, some user failed), dry_run.",
    ["status"],
)
SAVE_RESULTS = Counter(
    "licgraph_save_user_results",
    "Per-user results of Saves by status (SUCCEEDED, FAILED, UNCHANGED).",
    ["status"],
)
RATE_LIMITED = Counter("licgraph_rate_limited", "Requests refused with 429 (RATE_LIMITED).")
POOL_IN_USE = Gauge(
    "licgraph_db_pool_connections_in_use",
    "Database connections checked out of the pools right now (summed over live processes).",
    multiprocess_mode="livesum",
)


class OperationLabels:
    """The ``operation`` label of a request: its name, bounded in number per process."""

    def __init__(self, limit: int = MAX_OPERATION_LABELS) -> None:
        self.limit = limit
        self.seen: set[str] = set()

    def of(self, record: RequestRecord) -> str:
        """The label for ``record``'s operation."""
        name = record.operation_name
        if name is None:
            return ANONYMOUS_OPERATION if record.operation_type else NO_OPERATION
        if name in self.seen:
            return name
        if len(self.seen) >= self.limit:
            return OTHER_OPERATION
        self.seen.add(name)
        return name


def observe_request(record: RequestRecord, seconds: float, operation: str) -> None:
    """Count one finished request."""
    REQUESTS.labels(operation, record.outcome).inc()
    LATENCY.labels(operation).observe(seconds)
    SQL_STATEMENTS.labels(operation).observe(record.sql_statements)
    DATABASE_TIME.labels(operation).observe(record.sql_seconds)


def count_license_events(actions: Mapping[str, int]) -> None:
    """Count committed change-log entries (their ``action`` values)."""
    LICENSES_ASSIGNED.inc(actions.get("ASSIGNED", 0))
    LICENSES_REVOKED.inc(actions.get("REVOKED", 0))


def count_save(status: str, user_statuses: Iterable[str]) -> None:
    """Count one Save and the status of each of its users."""
    SAVES.labels(status).inc()
    for user_status, count in Tally(user_statuses).items():
        SAVE_RESULTS.labels(user_status).inc(count)


def count_rate_limited() -> None:
    """Count one request refused for its token's rate."""
    RATE_LIMITED.inc()


@dataclass(frozen=True, slots=True)
class Seats:
    """One product's seats, for the optional gauges: labels and the two counts."""

    customer: str
    product: str
    total: int
    assigned: int


class _SeatGauges(Collector):
    """Seat gauges read from the database at scrape time (a fact of the data, not a process)."""

    def __init__(self, seats: Sequence[Seats]) -> None:
        self.seats = seats

    def collect(self) -> Iterator[GaugeMetricFamily]:
        labels = ["customer", "product"]
        total = GaugeMetricFamily("licgraph_product_seats", "Seats a product owns.", labels=labels)
        assigned = GaugeMetricFamily(
            "licgraph_product_seats_assigned", "Seats of a product in use.", labels=labels
        )
        for seat in self.seats:
            total.add_metric([seat.customer, seat.product], seat.total)
            assigned.add_metric([seat.customer, seat.product], seat.assigned)
        yield total
        yield assigned


def render(seats: Sequence[Seats] = ()) -> bytes:
    """Every metric in the Prometheus text format, from every process when there are many."""
    directory = os.environ.get(MULTIPROCESS_DIR)
    if directory:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]  # untyped upstream
    else:
        registry = REGISTRY
    text = generate_latest(registry)
    if seats:
        extra = CollectorRegistry()
        extra.register(_SeatGauges(seats))
        text += generate_latest(extra)
    return text


def forget_this_process() -> None:
    """Drop this process's live gauges from the shared files (a worker shutting down)."""
    if os.environ.get(MULTIPROCESS_DIR):
        mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]  # untyped upstream
