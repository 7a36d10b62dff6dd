"""Subscriptions are WebSocket-only: over HTTP they get a clear 400, never a half-run query."""

from __future__ import annotations

import httpx
import pytest

from tests.http.conftest import GRAPHQL

SUBSCRIPTION = 'subscription Log { licenseEvents(customerId: "Q3VzdG9tZXI6MQ==") { id } }'
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE])
async def test_a_subscription_over_http_is_refused_with_where_to_go(
    client: httpx.AsyncClient, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    for answer in (
        await client.post(GRAPHQL, json={"query": SUBSCRIPTION}, headers=headers),
        await client.get(GRAPHQL, params={"query": SUBSCRIPTION}, headers=headers),
    ):
        assert answer.status_code == 400
        [error] = answer.json()["errors"]
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert "ws://HOST:PORT/graphql" in error["message"]
        assert "data" not in answer.json()


async def test_only_the_chosen_operation_counts(client: httpx.AsyncClient) -> None:
    document = f"{SUBSCRIPTION}\nquery Me {{ viewer {{ role }} }}"
    answer = await client.post(GRAPHQL, json={"query": document, "operationName": "Me"})
    assert answer.json() == {
        "data": {"viewer": {"role": "READER"}},
        "extensions": answer.json()["extensions"],
    }
    # A field or argument merely named "subscription" is no subscription.
    text = "{ viewer { role } } # subscription"
    assert (await client.post(GRAPHQL, json={"query": text})).json()["data"] == {
        "viewer": {"role": "READER"}
    }
