"""The facts of one HTTP request, gathered as it runs and logged once when it ends.

The record lives in a context variable: tasks that a request starts (DataLoader batches,
SQLAlchemy's greenlets) share it, so each layer can note what it knows without passing it
down. Outside a request (the CLI, a test calling a service) there is no record and every
``note_*`` is a no-op.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# What the log says when no operation was run (refused before parsing, a page, ...).
NO_OPERATION = None
OK = "ok"
INTERNAL = "internal"


def request_id_from(given: str | None) -> str:
    """The caller's X-Request-Id if it is sane (64 safe characters at most), else a fresh one."""
    return given if given and _REQUEST_ID.match(given) else uuid.uuid4().hex


@dataclass(slots=True)
class RequestRecord:
    """What one request did; filled in by the layers, read once at the end."""

    request_id: str
    method: str
    path: str
    started: float = field(default_factory=time.perf_counter)
    operation_name: str | None = None
    operation_type: str | None = None
    persisted: bool = False
    token_name: str | None = None
    role: str | None = None
    customer_ids: list[int] = field(default_factory=list)
    sql_statements: int = 0
    sql_seconds: float = 0.0
    status: int | None = None
    outcome: str = OK

    def note_outcome(self, codes: list[str]) -> None:
        """The outcome of the request from its top-level error codes (none: ``ok``)."""
        if "INTERNAL_SERVER_ERROR" in codes:
            self.outcome = INTERNAL
        elif codes:
            self.outcome = codes[0]


_current: ContextVar[RequestRecord | None] = ContextVar("licgraph_request", default=None)


def current_record() -> RequestRecord | None:
    """The record of the request being served, if any."""
    return _current.get()


@contextmanager
def recording(record: RequestRecord) -> Iterator[RequestRecord]:
    """``record`` is the current request's inside the block (and in the tasks it starts)."""
    token = _current.set(record)
    try:
        yield record
    finally:
        _current.reset(token)


def note_customer(customer_id: int) -> None:
    """The request acted on (or read) this customer."""
    record = _current.get()
    if record is not None and customer_id not in record.customer_ids:
        record.customer_ids.append(customer_id)


def note_outcome(*codes: str) -> None:
    """The request ended with these top-level error codes (a refusal before execution, say)."""
    record = _current.get()
    if record is not None:
        record.note_outcome(list(codes))
