"""LICGRAPH_OTEL=true: spans reach a real OTLP/HTTP receiver, one per request and per statement."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from tests.e2e.flows import run_example
from tests.e2e.otlp_receiver import OtlpReceiver, attributes
from tests.e2e.servers import Server, serving

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("engine_name", ["sqlite"])]


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    opened = OtlpReceiver()
    yield opened
    opened.close()


@pytest.fixture
def traced_server(database_url: str, tmp_path: Path, receiver: OtlpReceiver) -> Iterator[Server]:
    server = Server.on_free_port(
        {
            **os.environ,
            "LICGRAPH_DATABASE_URL": database_url,
            "LICGRAPH_OTEL": "true",
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
            "OTEL_SERVICE_NAME": "licgraph-under-test",
            "OTEL_BSP_SCHEDULE_DELAY": "100",
        }
    )
    server.cli("seed", "demo")
    with serving(server, tmp_path / "server.log") as running:
        yield running


def wait_for(receiver: OtlpReceiver, request_id: str, timeout: float = 15) -> Span:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for span in receiver.spans:
            if attributes(span).get("licgraph.request_id") == request_id:
                return span
        time.sleep(0.1)
    raise AssertionError(f"no span for request {request_id}")


def test_a_request_is_one_server_span_with_one_child_per_sql_statement(
    traced_server: Server, receiver: OtlpReceiver
) -> None:
    token = traced_server.token("admin-agent")

    answer = run_example(traced_server.graphql, token, "UsersPage", request_id="traced-page")
    request = wait_for(receiver, "traced-page")
    time.sleep(0.5)  # children end before their parent, but may travel in another batch

    assert "errors" not in answer
    facts = attributes(request)
    assert request.kind == Span.SPAN_KIND_SERVER
    assert request.name == "POST /graphql"
    assert facts["graphql.operation.name"] == "UsersPage"
    assert facts["http.response.status_code"] == 200
    children = [
        span
        for span in receiver.spans
        if span.trace_id == request.trace_id and span.span_id != request.span_id
    ]
    assert children
    assert all(child.parent_span_id == request.span_id for child in children)
    assert all(child.kind == Span.SPAN_KIND_CLIENT for child in children)
    assert "SELECT" in {child.name for child in children}
    assert all(child.name.isalpha() and child.name.isupper() for child in children)
    assert all(attributes(child)["db.system.name"] == "sqlite" for child in children)
    # One span per statement and nothing else: no span per GraphQL field.
    assert len(children) == facts["licgraph.sql_statements"]
    assert receiver.service_names == {"licgraph-under-test"}


def test_the_callers_trace_context_is_continued(
    traced_server: Server, receiver: OtlpReceiver
) -> None:
    token = traced_server.token("reader")
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    httpx.post(
        traced_server.graphql,
        json={"query": "{ viewer { name } }"},
        headers={
            "Authorization": f"Bearer {token}",
            "X-Request-Id": "traced-child",
            "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01",
        },
    )

    span = wait_for(receiver, "traced-child")

    assert span.trace_id.hex() == trace_id
    assert span.parent_span_id.hex() == "00f067aa0ba902b7"
