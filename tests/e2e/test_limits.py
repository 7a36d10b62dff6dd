"""Abuse limits over a real socket: every one of them answers with a clear code."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.e2e.servers import Server
from tests.limit_queries import EVERYONE_EVERYWHERE, aliased, nested, tokens

pytestmark = pytest.mark.e2e

FOUR_MIB = 4 * 1024 * 1024


def test_each_limit_refuses_just_over_it_and_passes_at_it(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.token('reader')}"}

    def post(query: str) -> httpx.Response:
        return httpx.post(server.graphql, json={"query": query}, headers=headers, timeout=30)

    for passing, refused, code in [
        (nested(12), nested(13), "GRAPHQL_VALIDATION_FAILED"),
        (aliased(30), aliased(31), "GRAPHQL_VALIDATION_FAILED"),
        (tokens(5_000), tokens(5_001), "GRAPHQL_PARSE_FAILED"),
        ("{ viewer { name } }", EVERYONE_EVERYWHERE, "QUERY_TOO_COMPLEX"),
    ]:
        assert "errors" not in post(passing).json()
        assert post(refused).json()["errors"][0]["extensions"]["code"] == code


def test_a_body_over_4_mib_gets_413_before_it_is_read(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.token('reader')}"}
    body = json.dumps({"query": "{ viewer { name } }", "pad": "x" * FOUR_MIB}).encode()

    response = httpx.post(
        server.graphql,
        content=body,
        headers={**headers, "Content-Type": "application/json"},
        timeout=30,
    )

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
