"""One JSON log line per request, from a real server: the fields, and never a secret."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.flows import example, run_example
from tests.e2e.servers import Server, serving

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("engine_name", ["sqlite"])]

SECRET_KEY = "idem-key-that-must-not-be-logged-7c1f"
FIELDS = {
    "event",
    "timestamp",
    "level",
    "request_id",
    "method",
    "path",
    "operation_name",
    "operation_type",
    "persisted",
    "token_name",
    "role",
    "customer",
    "duration_ms",
    "sql_statements",
    "db_ms",
    "status",
    "outcome",
}


@pytest.fixture
def logged_server(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    server = Server.on_free_port(
        {**os.environ, "LICGRAPH_DATABASE_URL": database_url, "LICGRAPH_RATE_LIMIT_BURST": "0"}
    )
    server.cli("seed", "demo")
    log = tmp_path / "server.log"
    with serving(server, log) as running:
        yield running, log


def json_lines(log: Path) -> list[dict[str, Any]]:
    # The banner is plain text on stdout; every log line is a JSON object.
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


def request_lines(log: Path) -> dict[str, dict[str, Any]]:
    return {line["request_id"]: line for line in json_lines(log) if line["event"] == "request"}


def test_every_request_logs_one_line_with_its_facts_and_no_secret(
    logged_server: tuple[Server, Path],
) -> None:
    server, log = logged_server
    token = server.token("admin-agent", "--name", "ops-logger")
    scoped = server.token("reader", "--name", "scoped-reader", "--customer", "Q3VzdG9tZXI6MQ==")

    save = run_example(
        server.graphql,
        token,
        "SaveLicenses",
        request_id="log-save",
        input={**_save_input(), "idempotencyKey": SECRET_KEY},
    )
    viewer = run_example(server.graphql, scoped, "Viewer", request_id="log-viewer")
    anonymous = httpx.post(
        server.graphql, json={"query": "{ viewer { name } }"}, headers={"X-Request-Id": "log-401"}
    )
    broken = httpx.post(
        server.graphql,
        json={"query": "{ viewer { nope } }"},
        headers={"Authorization": f"Bearer {token}", "X-Request-Id": "log-invalid"},
    )
    made_up = httpx.post(
        server.graphql,
        json={"query": "query Real { viewer { name } }", "operationName": "Invented" * 50},
        headers={"Authorization": f"Bearer {token}", "X-Request-Id": "log-made-up"},
    )
    assert made_up.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert save["data"]["updateLicenses"]["applied"] is True
    assert "errors" not in viewer
    assert (anonymous.status_code, broken.status_code) == (401, 200)

    lines = request_lines(log)
    assert set(lines["log-save"]) >= FIELDS
    assert {
        k: lines["log-save"][k] for k in ("operation_name", "operation_type", "token_name")
    } == {
        "operation_name": "SaveLicenses",
        "operation_type": "mutation",
        "token_name": "ops-logger",
    }
    assert lines["log-save"]["role"] == "admin-agent"
    assert lines["log-save"]["customer"] == "Q3VzdG9tZXI6MQ=="
    assert lines["log-save"]["status"] == 200
    assert lines["log-save"]["outcome"] == "ok"
    assert lines["log-save"]["sql_statements"] > 0
    assert lines["log-save"]["db_ms"] > 0
    assert lines["log-save"]["duration_ms"] >= lines["log-save"]["db_ms"]
    assert lines["log-viewer"]["role"] == "reader"
    assert lines["log-viewer"]["operation_type"] == "query"
    refused = lines["log-401"]
    assert (refused["status"], refused["outcome"]) == (401, "UNAUTHENTICATED")
    assert (refused["token_name"], refused["operation_name"]) == (None, None)
    assert lines["log-invalid"]["outcome"] == "GRAPHQL_VALIDATION_FAILED"
    # A name the document does not hold is not logged (nor used as a metric label).
    assert lines["log-made-up"]["operation_name"] is None

    text = log.read_text()
    for secret in (token, scoped, SECRET_KEY, "Bearer", "Invented" * 50):
        assert secret not in text


def test_each_request_is_logged_once(logged_server: tuple[Server, Path]) -> None:
    server, log = logged_server
    token = server.token("reader")

    for number in range(5):
        run_example(server.graphql, token, "Viewer", request_id=f"once-{number}")

    ids = [line["request_id"] for line in json_lines(log) if line["event"] == "request"]
    assert sorted(i for i in ids if i.startswith("once-")) == [f"once-{n}" for n in range(5)]


def test_uvicorns_own_lines_are_json_too(logged_server: tuple[Server, Path]) -> None:
    _, log = logged_server

    uvicorn = [line for line in json_lines(log) if line.get("logger", "").startswith("uvicorn")]

    assert any("Application startup complete" in line["event"] for line in uvicorn)
    assert all(line["level"] for line in uvicorn)


def _save_input() -> dict[str, Any]:
    return dict(example("SaveLicenses")[1]["input"])
