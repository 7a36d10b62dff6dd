"""The HTTP face of a real server: authentication, health, GraphiQL, bad requests."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.servers import Server

pytestmark = pytest.mark.e2e

VIEWER = "{ viewer { name role partnerWide } }"
UNAUTHENTICATED = {
    "errors": [
        {
            "message": "Authentication required: send `Authorization: Bearer <token>` with a "
            "valid, unrevoked token (create one with `licgraph token create`).",
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ]
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_health_and_readiness_answer(server: Server) -> None:
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{server.url}/readyz").json() == {"status": "ready"}


def test_a_browser_gets_graphiql_without_a_token(server: Server) -> None:
    response = httpx.get(server.graphql, headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer lg_abc_def"},
    ],
)
def test_no_valid_token_gets_only_an_authentication_error(
    server: Server, headers: dict[str, str]
) -> None:
    response = httpx.post(server.graphql, json={"query": VIEWER}, headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == UNAUTHENTICATED


def test_a_token_from_the_cli_works_until_revoked(server: Server) -> None:
    token = server.token("reader", "--name", "e2e-reader")

    before = httpx.post(server.graphql, json={"query": VIEWER}, headers=bearer(token))
    server.cli("token", "revoke", "--name", "e2e-reader")
    after = httpx.post(server.graphql, json={"query": VIEWER}, headers=bearer(token))

    assert before.json()["data"] == {
        "viewer": {"name": "e2e-reader", "role": "READER", "partnerWide": True}
    }
    assert after.status_code == 401
    assert after.json() == UNAUTHENTICATED


def test_queries_work_over_get_but_mutations_do_not(server: Server) -> None:
    token = server.token("admin-agent")
    query = httpx.get(server.graphql, params={"query": VIEWER}, headers=bearer(token))
    mutation = httpx.get(
        server.graphql,
        params={
            "query": 'mutation { setUsageLocation(input: {customerId: "x", userIds: [], '
            'usageLocation: "US"}) { usageLocation } }'
        },
        headers=bearer(token),
    )

    assert query.json()["data"]["viewer"]["role"] == "ADMIN_AGENT"
    assert mutation.status_code in {400, 405}
    assert "usageLocation" not in mutation.text.replace("usageLocation: ", "")


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"query": 42}', b'{"query": "{ viewer { name }", "variables": []}'],
)
def test_malformed_requests_get_a_clear_error_without_internals(
    server: Server, body: bytes
) -> None:
    token = server.token("admin-agent")

    response = httpx.post(
        server.graphql,
        content=body,
        headers={**bearer(token), "Content-Type": "application/json"},
    )

    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert "sqlalchemy" not in response.text.lower()


def test_a_parse_error_is_readable_and_coded(server: Server) -> None:
    token = server.token("admin-agent")

    response = httpx.post(server.graphql, json={"query": "{ viewer { "}, headers=bearer(token))

    errors = response.json()["errors"]
    assert errors[0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert "Syntax Error" in errors[0]["message"]


def test_every_response_carries_a_request_id(server: Server) -> None:
    token = server.token("admin-agent")

    given = httpx.post(
        server.graphql,
        json={"query": VIEWER},
        headers={**bearer(token), "X-Request-Id": "trace-123"},
    )
    fresh = httpx.post(server.graphql, json={"query": VIEWER}, headers=bearer(token))

    assert given.headers["x-request-id"] == "trace-123"
    assert len(fresh.headers["x-request-id"]) == 32
