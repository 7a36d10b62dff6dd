"""Browser safety: security headers, CORS by allow-list, GraphiQL and introspection switches."""

from __future__ import annotations

import re

import httpx
import pytest

from licgraph.graphql.graphiql import CONTENT_SECURITY_POLICY
from licgraph.http.security import SECURITY_HEADERS
from tests.http.conftest import BASE_URL, GRAPHQL, ClientFactory

VIEWER = {"query": "{ viewer { role } }"}
INTROSPECTION = {"query": "{ __schema { queryType { name } } }"}
PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
ALLOWED = "https://admin.example.com"
PREFLIGHT = {
    "Origin": ALLOWED,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization,content-type",
}


async def page(client: httpx.AsyncClient) -> httpx.Response:
    client.headers.pop("authorization", None)
    return await client.get(GRAPHQL, headers=PAGE)


def asset_paths(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(graphiql/[^"]+)"', html)


# --- Security headers ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/graphql", "/healthz", "/readyz", "/nowhere"])
async def test_every_response_carries_the_security_headers(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.post(f"{BASE_URL}{path}", json=VIEWER)

    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


async def test_the_graphiql_page_has_a_strict_policy_of_its_own(
    client: httpx.AsyncClient,
) -> None:
    response = await page(client)

    policy = response.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


# --- The GraphiQL page -----------------------------------------------------------------


async def test_the_page_loads_nothing_from_another_origin(client: httpx.AsyncClient) -> None:
    response = await page(client)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "//" not in re.sub(r"<!--.*?-->", "", response.text)
    assert "<script>" not in response.text  # no inline script: the policy forbids it
    assert asset_paths(response.text) == [
        "graphiql/graphiql.min.css",
        "graphiql/licgraph-graphiql.css",
        "graphiql/react.production.min.js",
        "graphiql/react-dom.production.min.js",
        "graphiql/graphiql.min.js",
        "graphiql/licgraph-graphiql.js",
    ]


async def test_every_asset_of_the_page_is_served_by_the_package(
    client: httpx.AsyncClient,
) -> None:
    html = (await page(client)).text

    for path in asset_paths(html):
        asset = await client.get(f"{BASE_URL}/{path}")
        assert asset.status_code == 200, path
        kind = "text/css" if path.endswith(".css") else "text/javascript"
        assert asset.headers["content-type"].startswith(kind), path
        assert asset.headers["x-content-type-options"] == "nosniff"


async def test_the_page_never_persists_headers(client: httpx.AsyncClient) -> None:
    script = await client.get(f"{BASE_URL}/graphiql/licgraph-graphiql.js")

    assert "shouldPersistHeaders: false" in script.text


async def test_a_get_with_a_query_is_graphql_not_the_page(client: httpx.AsyncClient) -> None:
    response = await client.get(GRAPHQL, params=VIEWER, headers=PAGE)

    assert response.json()["data"] == {"viewer": {"role": "READER"}}


async def test_graphiql_off_means_no_page_and_no_assets(client_with: ClientFactory) -> None:
    async with client_with(graphiql=False) as client:
        asset = await client.get(f"{BASE_URL}/graphiql/graphiql.min.js")
        response = await page(client)

    assert response.status_code == 404
    assert "graphiql" not in response.text.lower()
    assert asset.status_code == 404


# --- Introspection ---------------------------------------------------------------------


async def test_introspection_is_on_by_default(client: httpx.AsyncClient) -> None:
    response = await client.post(GRAPHQL, json=INTROSPECTION)

    assert response.json()["data"] == {"__schema": {"queryType": {"name": "Query"}}}


async def test_introspection_off_refuses_schema_queries_but_not_typename(
    client_with: ClientFactory,
) -> None:
    async with client_with(introspection=False) as client:
        refused = await client.post(GRAPHQL, json=INTROSPECTION)
        typename = await client.post(GRAPHQL, json={"query": "{ __typename }"})

    assert "data" not in refused.json()
    assert refused.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert typename.json()["data"] == {"__typename": "Query"}


# --- CORS ------------------------------------------------------------------------------


async def test_without_allowed_origins_there_are_no_cors_headers(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(GRAPHQL, json=VIEWER, headers={"Origin": ALLOWED})

    assert response.status_code == 200
    assert not any(name.startswith("access-control-") for name in response.headers)


async def test_without_allowed_origins_a_preflight_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.options(GRAPHQL, headers=PREFLIGHT)

    assert response.status_code == 405
    assert "access-control-allow-origin" not in response.headers


async def test_an_allowed_origin_passes_the_preflight(client_with: ClientFactory) -> None:
    async with client_with(cors_allowed_origins=(ALLOWED,)) as client:
        response = await client.options(GRAPHQL, headers=PREFLIGHT)

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in response.headers


async def test_an_allowed_origin_can_read_the_answer(client_with: ClientFactory) -> None:
    async with client_with(cors_allowed_origins=(ALLOWED,)) as client:
        response = await client.post(GRAPHQL, json=VIEWER, headers={"Origin": ALLOWED})

    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert response.headers["access-control-expose-headers"] == "X-Request-Id"


async def test_another_origin_is_refused_even_when_some_are_allowed(
    client_with: ClientFactory,
) -> None:
    evil = {**PREFLIGHT, "Origin": "https://evil.example"}
    async with client_with(cors_allowed_origins=(ALLOWED,)) as client:
        preflight = await client.options(GRAPHQL, headers=evil)
        simple = await client.post(GRAPHQL, json=VIEWER, headers={"Origin": evil["Origin"]})

    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in simple.headers


async def test_a_cross_site_form_post_is_refused_before_execution(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        GRAPHQL,
        data={"query": "mutation { __typename }"},
        headers={"Origin": "https://evil.example"},
    )

    assert response.status_code == 415
