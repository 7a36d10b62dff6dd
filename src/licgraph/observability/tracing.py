"""Optional OpenTelemetry tracing: one span per request and one per SQL statement.

Off unless ``LICGRAPH_OTEL=true``; then spans go to an OTLP/HTTP collector configured by
the standard ``OTEL_*`` variables (``OTEL_EXPORTER_OTLP_ENDPOINT``, ``OTEL_SERVICE_NAME``,
...). No span per GraphQL field: a per-field hook makes every field awaitable, which
costs more than the rest of a page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from sqlalchemy import event
from sqlalchemy.engine import Engine
from starlette.types import Scope

from licgraph.observability.record import RequestRecord

SERVICE_NAME = "licgraph"
_SPAN = "_licgraph_span"


class RequestSpans:
    """Makes the span of each request, or nothing when tracing is off."""

    def __init__(self, provider: TracerProvider | None = None) -> None:
        self.provider = provider
        self.tracer = provider.get_tracer("licgraph") if provider else None

    def span(self, scope: Scope, record: RequestRecord) -> Any:
        """A context manager around one request."""
        if self.tracer is None:
            return nullcontext()
        return self._span(self.tracer, scope, record)

    @contextmanager
    def _span(self, tracer: trace.Tracer, scope: Scope, record: RequestRecord) -> Iterator[None]:
        # The caller's W3C `traceparent`, if any, makes this span a child of theirs.
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        with tracer.start_as_current_span(
            f"{record.method} {record.path}",
            context=propagate.extract(carrier),
            kind=trace.SpanKind.SERVER,
        ) as span:
            try:
                yield
            finally:
                span.set_attributes(_attributes(record))


def _attributes(record: RequestRecord) -> dict[str, Any]:
    found = {
        "http.request.method": record.method,
        "url.path": record.path,
        "http.response.status_code": record.status,
        "graphql.operation.name": record.operation_name,
        "graphql.operation.type": record.operation_type,
        "licgraph.request_id": record.request_id,
        "licgraph.outcome": record.outcome,
        "licgraph.sql_statements": record.sql_statements,
    }
    return {key: value for key, value in found.items() if value is not None}


def start_tracing(engine: Engine) -> RequestSpans:
    """Export spans over OTLP/HTTP (set up from ``OTEL_*``) and trace ``engine``'s statements.

    Once per engine and process: ``licgraph serve`` builds one app per worker.
    """
    # Our name unless OTEL_SERVICE_NAME says otherwise (attributes given here would win).
    name = os.environ.get("OTEL_SERVICE_NAME") or SERVICE_NAME
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    _trace_statements(engine, provider.get_tracer("licgraph.sql"))
    return RequestSpans(provider)


def _trace_statements(engine: Engine, tracer: trace.Tracer) -> None:
    """A client span per SQL statement, child of the request's span.

    Our own two listeners rather than opentelemetry-instrumentation-sqlalchemy: that one
    declares no support for SQLAlchemy 2.1 (it instruments nothing unless told to skip the
    check) and adds a span per connection checkout, which is not a statement.
    """
    system = "postgresql" if engine.dialect.name == "postgresql" else engine.dialect.name

    def start(*args: Any) -> None:
        statement, context = args[2], args[4]
        # The statement's text only, with placeholders: values never reach a span.
        span = tracer.start_span(
            statement.split(None, 1)[0].upper() if statement else "SQL",
            kind=trace.SpanKind.CLIENT,
            attributes={"db.system.name": system, "db.query.text": statement},
        )
        setattr(context, _SPAN, span)

    def end(*args: Any) -> None:
        span = getattr(args[4], _SPAN, None)
        if span is not None:
            span.end()

    def fail(exception_context: Any) -> None:
        span = getattr(exception_context.execution_context, _SPAN, None)
        if span is not None:
            span.set_status(
                trace.StatusCode.ERROR, type(exception_context.original_exception).__name__
            )
            span.end()

    event.listen(engine, "before_cursor_execute", start)
    event.listen(engine, "after_cursor_execute", end)
    event.listen(engine, "handle_error", fail)


def stop_tracing(spans: RequestSpans) -> None:
    """Send the spans still buffered (at shutdown)."""
    if spans.provider is not None:
        spans.provider.shutdown()
