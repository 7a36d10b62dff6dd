"""Database round trips per request, counted on the wire and pinned (PostgreSQL).

A read costs its SQL statements and nothing else (no BEGIN/ROLLBACK, no pre-ping), and a
Save costs the same number of round trips for 10 users as for 200. The figures are pinned
so that any change is seen and explained; bench/page_bench.py reports the same counts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL
from tests.e2e.servers import Server, serving

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
from pgwire import WireCounter, WireCounts

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="set LICGRAPH_TEST_POSTGRES_URL"),
    pytest.mark.parametrize("engine_name", ["postgres"]),
]

PAGE = """
query ($customer: ID!) {
  customer(id: $customer) {
    users(first: 100) { nodes { id displayName licenses { product { id name } } } }
  }
}"""
CUSTOMERS = '{ customers(first: 1, search: "contoso") { nodes { id products { id name } } } }'
HOLDERS = """
query ($c: ID!, $p: ID!) {
  customer(id: $c) { users(first: 100, filter: { holdingProduct: $p }) { nodes { id } } }
}"""
SAVE = """
mutation ($input: UpdateLicensesInput!) {
  updateLicenses(input: $input) { succeededCount failedCount results { status } }
}"""
# The page: the token, the customer, its users page, their licenses, the products held.
PAGE_ROUND_TRIPS = 5
# A revoke Save: the token; BEGIN; the customer; product and user row locks; the snapshot
# (users, products, five kinds of catalog fact, licenses, their group sources); the delete,
# the seat move, the direct assignments' update, the change log's commit-order lock with its
# NOTIFY (subscriptions) and its COPY; COMMIT. The same for any number of users.
SAVE_ROUND_TRIPS = 21


@pytest.fixture
def counted(database_url: str, tmp_path: Path) -> Iterator[tuple[WireCounter, Server, str]]:
    """The demo data, served by a server whose every PostgreSQL byte passes a counter."""
    real = make_url(database_url)
    with WireCounter(real.host or "127.0.0.1", real.port or 5432) as counter:
        url = real.set(port=counter.port).render_as_string(hide_password=False)
        env = {
            **os.environ,
            "LICGRAPH_DATABASE_URL": url,
            "LICGRAPH_RATE_LIMIT_PER_SECOND": "0",
            # The job runner's idle poll (a statement a second) would land in the counts.
            "LICGRAPH_JOB_RUNNER": "false",
        }
        server = Server.on_free_port(env)
        server.cli("seed", "demo")
        token = server.token("admin-agent")
        with serving(server, tmp_path / "server.log") as running:
            yield counter, running, token


def post(server: Server, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    answer = httpx.post(
        server.graphql,
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    body: dict[str, Any] = answer.json()
    assert "errors" not in body, body
    return body["data"]


def counts_of(counter: WireCounter, send: Any) -> WireCounts:
    before = counter.snapshot()
    send()
    return counter.snapshot() - before


def test_a_page_costs_its_statements_and_no_more(
    counted: tuple[WireCounter, Server, str],
) -> None:
    counter, server, token = counted
    contoso = post(server, token, CUSTOMERS, {})["customers"]["nodes"][0]["id"]
    for _ in range(2):  # pooled connections opened, statements prepared
        post(server, token, PAGE, {"customer": contoso})

    page = counts_of(counter, lambda: post(server, token, PAGE, {"customer": contoso}))

    assert page.statements["transaction"] == page.statements["ping"] == 0
    assert page.round_trips == page.sql == PAGE_ROUND_TRIPS
    assert page.connections == 0


def test_a_save_costs_the_same_round_trips_for_few_or_many_users(
    counted: tuple[WireCounter, Server, str],
) -> None:
    counter, server, token = counted
    contoso = post(server, token, CUSTOMERS, {})["customers"]["nodes"][0]
    product = next(p["id"] for p in contoso["products"] if p["name"] == "Power BI Pro")
    found = post(server, token, HOLDERS, {"c": contoso["id"], "p": product})
    users = [node["id"] for node in found["customer"]["users"]["nodes"]]
    assert len(users) > 40

    def save(ids: list[str]) -> None:
        revoke = {"customerId": contoso["id"], "userIds": ids, "revoke": [product]}
        post(server, token, SAVE, {"input": revoke})

    save(users[:2])  # warm: statements prepared
    small = counts_of(counter, lambda: save(users[2:7]))
    large = counts_of(counter, lambda: save(users[7:]))

    assert small.round_trips == large.round_trips == SAVE_ROUND_TRIPS
    assert small.sql == large.sql
