"""One JSON log line, metrics and (optionally) a span for every GraphQL HTTP request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from licgraph.observability.metrics import OperationLabels, observe_request
from licgraph.observability.record import (
    INTERNAL,
    RequestRecord,
    recording,
    request_id_from,
)
from licgraph.observability.tracing import RequestSpans

log = structlog.get_logger("licgraph.request")


class ObservedRequests:
    """ASGI middleware: a record per request, a log line and metrics when it ends.

    The request id is decided here (the caller's sane ``X-Request-Id`` or a fresh one), put
    in ``scope["state"]`` for the application and bound to every log line the request
    causes, uvicorn's and SQLAlchemy's included. Secrets and variables never reach it: the
    record holds names, counts and codes only.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        describe_customer: Callable[[int], str],
        metrics: bool,
        spans: RequestSpans,
    ) -> None:
        self.app = app
        self.describe_customer = describe_customer
        self.metrics = metrics
        self.spans = spans
        self.operations = OperationLabels()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        record = _record_of(scope)
        scope.setdefault("state", {})["request_id"] = record.request_id

        async def noting_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await send(message)

        with (
            recording(record),
            structlog.contextvars.bound_contextvars(request_id=record.request_id),
            self.spans.span(scope, record),
        ):
            try:
                await self.app(scope, receive, noting_status)
            except BaseException:
                record.outcome, record.status = INTERNAL, record.status or 500
                raise
            finally:
                self._finish(record)

    def _finish(self, record: RequestRecord) -> None:
        seconds = time.perf_counter() - record.started
        log.info("request", **self._fields(record, seconds))
        if self.metrics:
            observe_request(record, seconds, self.operations.of(record))

    def _fields(self, record: RequestRecord, seconds: float) -> dict[str, Any]:
        customers = [self.describe_customer(pk) for pk in record.customer_ids]
        return {
            "method": record.method,
            "path": record.path,
            "operation_name": record.operation_name,
            "operation_type": record.operation_type,
            "persisted": record.persisted,
            "token_name": record.token_name,
            "role": record.role,
            "customer": customers[0] if len(customers) == 1 else customers or None,
            "duration_ms": round(seconds * 1000, 3),
            "sql_statements": record.sql_statements,
            "db_ms": round(record.sql_seconds * 1000, 3),
            "status": record.status,
            "outcome": record.outcome,
        }


def _record_of(scope: Scope) -> RequestRecord:
    given = None
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            given = value.decode("latin-1")
            break
    return RequestRecord(
        request_id=request_id_from(given), method=scope["method"], path=scope["path"]
    )
