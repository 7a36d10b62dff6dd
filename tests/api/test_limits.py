"""Abuse limits at their boundaries: each one lets the request at its setting through and
refuses the next one up, with a clear code. In process, then over HTTP (the ASGI app)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from strawberry.types import ExecutionResult

from licgraph.app import create_app
from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal, Role
from licgraph.graphql.context import build_context
from licgraph.graphql.schema import create_schema
from licgraph.services.tokens import create_token
from tests.api.conftest import data_of, error_codes
from tests.api.world import World
from tests.limit_queries import EVERYONE_EVERYWHERE, aliased, nested, tokens, user_ids

Run = Callable[..., Awaitable[ExecutionResult]]

VIEWER = "{ viewer { name } }"
CUSTOMERS = "query ($n: Int!) { customers(first: $n) { nodes { id } } }"
NODES = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }"
USERS_BY_IDS = "query ($c: ID!, $ids: [ID!]!) { customer(id: $c) { usersByIds(ids: $ids) { id } } }"
ASSIGNED_USERS = """query ($c: ID!, $ids: [ID!]!) {
  customer(id: $c) { products { assignedUsers(userIds: $ids) { id } } }
}"""
SET_LOCATION = """mutation ($input: SetUsageLocationInput!) {
  setUsageLocation(input: $input) { usageLocation results { status } }
}"""
DRY_RUN_SAVE = """mutation ($input: UpdateLicensesInput!) {
  updateLicenses(input: $input) { applied failedCount }
}"""
# The README's screens, as the admin UI sends them.
USERS_PAGE_AND_TRI_STATE = """
query ($customer: ID!, $selected: [ID!]!) {
  customer(id: $customer) {
    users(first: 100) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id displayName userPrincipalName usageLocation
              licenses { product { name } disabledServicePlans { name } } }
    }
    products {
      id name totalLicenses assignedLicenses availableLicenses
      assignmentState(userIds: $selected)
    }
  }
}"""
MANAGE = """
query Manage($customer: ID!, $selected: [ID!]!) {
  customer(id: $customer) {
    usersByIds(ids: $selected) { id displayName }
    products {
      id name totalLicenses assignedLicenses availableLicenses
      assignmentState(userIds: $selected)
      assignedUsers(userIds: $selected) { displayName }
      servicePlans { id name requiredServicePlans { name } }
      requiredProducts { name } conflictingProducts { name } unavailableUsageLocations
    }
  }
}"""


@pytest.fixture
def run(database: Database, settings: Settings, admin: Principal) -> Run:
    """Execute in process with a schema built from ``settings`` changed by ``overrides``."""

    async def execute(
        query: str, variables: dict[str, Any] | None = None, **overrides: Any
    ) -> ExecutionResult:
        changed = settings.model_copy(update=overrides)
        context = build_context(
            principal=admin, database=database, settings=changed, request_id="limits"
        )
        schema = create_schema(changed)
        return await schema.execute(query, variable_values=variables, context_value=context)

    return execute


def only_error(result: ExecutionResult) -> dict[str, Any]:
    assert result.data is None
    assert result.errors is not None
    assert len(result.errors) == 1
    return result.errors[0].formatted


# --- depth, aliases, tokens --------------------------------------------------------------------


@pytest.mark.parametrize("max_depth", [12, 5])
async def test_depth_at_the_limit_passes_and_one_more_is_refused(run: Run, max_depth: int) -> None:
    at_limit = await run(nested(max_depth), max_query_depth=max_depth)
    over = await run(nested(max_depth + 1), max_query_depth=max_depth)

    assert data_of(at_limit) == {"nodes": []}
    error = only_error(over)
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert f"exceeds maximum operation depth of {max_depth}" in error["message"]


async def test_the_default_depth_limit_is_12(run: Run) -> None:
    assert data_of(await run(nested(12)))
    assert error_codes(await run(nested(13))) == ["GRAPHQL_VALIDATION_FAILED"]


@pytest.mark.parametrize("max_aliases", [30, 3])
async def test_aliases_at_the_limit_pass_and_one_more_is_refused(
    run: Run, max_aliases: int
) -> None:
    at_limit = await run(aliased(max_aliases), max_aliases=max_aliases)
    over = await run(aliased(max_aliases + 1), max_aliases=max_aliases)

    assert len(data_of(at_limit)) == max_aliases
    error = only_error(over)
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "alias" in error["message"].lower()


async def test_the_default_alias_limit_is_30(run: Run) -> None:
    assert data_of(await run(aliased(30)))
    assert error_codes(await run(aliased(31))) == ["GRAPHQL_VALIDATION_FAILED"]


@pytest.mark.parametrize("max_tokens", [5_000, 100])
async def test_tokens_at_the_limit_pass_and_one_more_is_refused(run: Run, max_tokens: int) -> None:
    at_limit = await run(tokens(max_tokens), max_tokens=max_tokens)
    over = await run(tokens(max_tokens + 1), max_tokens=max_tokens)

    assert len(data_of(at_limit)["nodes"]) == max_tokens - 12
    error = only_error(over)
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert f"more than {max_tokens} tokens" in error["message"]


async def test_the_default_token_limit_is_5000(run: Run) -> None:
    assert data_of(await run(tokens(5_000)))
    assert error_codes(await run(tokens(5_001))) == ["GRAPHQL_PARSE_FAILED"]


# --- query cost --------------------------------------------------------------------------------


async def test_cost_at_the_limit_passes_and_one_more_is_refused(run: Run, world: World) -> None:
    # `customers(first: n) { nodes { id } }` costs 1 + n
    at_limit = await run(CUSTOMERS, {"n": 10}, max_query_cost=11)
    over = await run(CUSTOMERS, {"n": 11}, max_query_cost=11)

    assert len(data_of(at_limit)["customers"]["nodes"]) == 2
    assert at_limit.extensions == {"cost": {"requested": 11, "limit": 11}}
    error = only_error(over)
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 12, "maxCost": 11}
    assert "estimated cost is 12, over the limit of 11" in error["message"]


async def test_a_refused_operation_runs_no_sql(
    run: Run, world: World, count_statements: Callable[[], Any]
) -> None:
    with count_statements() as statements:
        result = await run(CUSTOMERS, {"n": 50}, max_query_cost=10)

    assert error_codes(result) == ["QUERY_TOO_COMPLEX"]
    assert statements == []


async def test_every_accepted_operation_reports_its_cost(run: Run) -> None:
    result = await run(VIEWER)

    assert result.extensions == {"cost": {"requested": 1, "limit": 150_000}}


async def test_a_mutation_costs_one_per_user_up_to_the_limit(run: Run, world: World) -> None:
    def location(count: int) -> dict[str, Any]:
        ids = user_ids(count)
        customer = world.gid("Customer", world.contoso)
        return {"input": {"customerId": customer, "userIds": ids, "usageLocation": "DE"}}

    at_limit = await run(SET_LOCATION, location(5), max_query_cost=5)
    over = await run(SET_LOCATION, location(6), max_query_cost=5)

    assert len(data_of(at_limit)["setUsageLocation"]["results"]) == 5
    assert at_limit.extensions == {"cost": {"requested": 5, "limit": 5}}
    assert only_error(over)["extensions"]["cost"] == 6


async def test_the_admin_screens_pass_with_10000_selected_users(run: Run, world: World) -> None:
    selected = [world.gid("User", world.alice), *user_ids(9_999)]
    variables = {"customer": world.gid("Customer", world.contoso), "selected": selected}

    page = await run(USERS_PAGE_AND_TRI_STATE, variables)
    manage = await run(MANAGE, variables)

    assert len(data_of(page)["customer"]["users"]["nodes"]) == 5
    assert [user["id"] for user in data_of(manage)["customer"]["usersByIds"]] == selected[:1]
    assert page.extensions == {"cost": {"requested": 12_113, "limit": 150_000}}
    assert manage.extensions == {"cost": {"requested": 111_311, "limit": 150_000}}


async def test_every_customers_users_with_licenses_is_too_complex(run: Run, world: World) -> None:
    error = only_error(await run(EVERYONE_EVERYWHERE))

    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 210_201, "maxCost": 150_000}


async def test_a_page_over_the_maximum_is_bad_input_not_too_complex(run: Run, world: World) -> None:
    assert data_of(await run(CUSTOMERS, {"n": 100}))
    assert error_codes(await run(CUSTOMERS, {"n": 101})) == ["BAD_USER_INPUT"]
    assert error_codes(await run(CUSTOMERS, {"n": 10**9})) == ["BAD_USER_INPUT"]


# --- list arguments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", [NODES, USERS_BY_IDS, ASSIGNED_USERS], ids=["nodes", "usersByIds", "assignedUsers"]
)
async def test_id_lists_at_the_cap_pass_and_one_more_is_refused(
    run: Run, world: World, query: str
) -> None:
    customer = world.gid("Customer", world.contoso)

    at_cap = await run(query, {"c": customer, "ids": user_ids(10_000)})
    over = await run(query, {"c": customer, "ids": user_ids(10_001)})

    assert at_cap.errors is None
    assert error_codes(over) == ["BAD_USER_INPUT"]
    assert "at most 10000 ids, got 10001" in str(over.errors)


async def test_a_save_of_10000_users_passes_and_10001_is_refused(run: Run, world: World) -> None:
    def save(count: int) -> dict[str, Any]:
        return {
            "input": {
                "customerId": world.gid("Customer", world.contoso),
                "userIds": user_ids(count),
                "revoke": [world.gid("Product", world.e3)],
                "dryRun": True,
            }
        }

    at_cap = await run(DRY_RUN_SAVE, save(10_000))
    over = await run(DRY_RUN_SAVE, save(10_001))

    assert data_of(at_cap)["updateLicenses"] == {"applied": False, "failedCount": 10_000}
    assert at_cap.extensions == {"cost": {"requested": 10_000, "limit": 150_000}}
    assert error_codes(over) == ["BAD_USER_INPUT"]


# --- over HTTP (the ASGI app, in process) -------------------------------------------------------


@pytest.fixture
async def bearer(database: Database) -> str:
    _, text = await create_token(database=database, role=Role.ADMIN_AGENT, name="http")
    return text


@pytest.fixture
def client(database: Database, settings: Settings, bearer: str) -> Callable[..., Any]:
    """An HTTP client of the app built from ``settings`` changed by ``overrides``."""

    def make(**overrides: Any) -> httpx.AsyncClient:
        app = create_app(settings.model_copy(update=overrides), database=database)
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://licgraph.test",
            headers={"Authorization": f"Bearer {bearer}"},
        )

    return make


@pytest.fixture
async def http(client: Callable[..., httpx.AsyncClient]) -> AsyncIterator[httpx.AsyncClient]:
    async with client() as default:
        yield default


def padded(query: str, size: int) -> bytes:
    """A JSON body holding ``query``, padded with spaces to exactly ``size`` bytes."""
    body = json.dumps({"query": query}).encode()
    assert len(body) <= size
    return body[:-1] + b" " * (size - len(body)) + b"}"


def chunks(body: bytes, size: int = 1000) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_http_reports_the_cost_and_refuses_too_complex(
    http: httpx.AsyncClient, world: World
) -> None:
    accepted = await http.post("/graphql", json={"query": VIEWER})
    refused = await http.post("/graphql", json={"query": EVERYONE_EVERYWHERE})

    assert accepted.json()["extensions"] == {"cost": {"requested": 1, "limit": 150_000}}
    assert refused.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "data" not in refused.json()


async def test_http_refuses_depth_aliases_and_tokens_over_their_limits(
    http: httpx.AsyncClient,
) -> None:
    for query, code in [
        (nested(13), "GRAPHQL_VALIDATION_FAILED"),
        (aliased(31), "GRAPHQL_VALIDATION_FAILED"),
        (tokens(5_001), "GRAPHQL_PARSE_FAILED"),
    ]:
        response = await http.post("/graphql", json={"query": query})
        assert response.json()["errors"][0]["extensions"]["code"] == code
    for query in (nested(12), aliased(30), tokens(5_000)):
        response = await http.post("/graphql", json={"query": query})
        assert "errors" not in response.json()


async def test_a_body_at_the_size_limit_passes_and_one_byte_more_is_413(
    client: Callable[..., httpx.AsyncClient],
) -> None:
    async with client(max_body_bytes=2048) as http:
        at_limit = await http.post("/graphql", content=padded(VIEWER, 2048), headers=JSON_BODY)
        over = await http.post("/graphql", content=padded(VIEWER, 2049), headers=JSON_BODY)

    assert at_limit.status_code == 200
    assert over.status_code == 413
    assert over.json() == {
        "errors": [
            {
                "message": "The request body is over 2048 bytes.",
                "extensions": {"code": "PAYLOAD_TOO_LARGE", "maxBytes": 2048},
            }
        ]
    }


async def test_a_body_without_a_length_is_held_to_the_limit_too(
    client: Callable[..., httpx.AsyncClient],
) -> None:
    async def stream(body: bytes) -> AsyncIterator[bytes]:
        for chunk in chunks(body):
            yield chunk

    async with client(max_body_bytes=2048) as http:
        at_limit = await http.post(
            "/graphql", content=stream(padded(VIEWER, 2048)), headers=JSON_BODY
        )
        over = await http.post("/graphql", content=stream(padded(VIEWER, 2049)), headers=JSON_BODY)

    assert at_limit.status_code == 200
    assert at_limit.json()["data"]["viewer"]["name"] == "http"
    assert over.status_code == 413


async def test_the_default_body_limit_is_4_mib_and_holds_a_10000_user_save(
    http: httpx.AsyncClient, world: World
) -> None:
    save = {
        "query": DRY_RUN_SAVE,
        "variables": {
            "input": {
                "customerId": world.gid("Customer", world.contoso),
                "userIds": user_ids(10_000),
                "revoke": [world.gid("Product", world.e3)],
                "dryRun": True,
            }
        },
    }

    response = await http.post("/graphql", json=save)
    too_large = await http.post(
        "/graphql", content=padded(VIEWER, 4 * 1024 * 1024 + 1), headers=JSON_BODY
    )

    assert len(json.dumps(save)) < 4 * 1024 * 1024 // 10
    assert response.json()["data"]["updateLicenses"]["failedCount"] == 10_000
    assert too_large.status_code == 413


async def test_batches_are_refused_by_default(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json=[{"query": VIEWER}, {"query": VIEWER}])

    assert response.status_code == 400
    assert "Batching is not enabled" in response.text


async def test_a_batch_at_the_configured_size_runs_and_one_more_is_refused(
    client: Callable[..., httpx.AsyncClient],
) -> None:
    async with client(max_batch_size=2) as http:
        at_limit = await http.post(
            "/graphql", json=[{"query": VIEWER}, {"query": "{ __typename }"}]
        )
        over = await http.post("/graphql", json=[{"query": VIEWER}] * 3)

    assert at_limit.status_code == 200
    assert [item["data"] for item in at_limit.json()] == [
        {"viewer": {"name": "http"}},
        {"__typename": "Query"},
    ]
    assert over.status_code == 400
    assert "Too many operations" in over.text


async def test_a_token_over_its_rate_gets_429_with_retry_after(
    client: Callable[..., httpx.AsyncClient],
) -> None:
    async with client(rate_limit_per_second=0.5, rate_limit_burst=2) as http:
        admitted = [await http.post("/graphql", json={"query": VIEWER}) for _ in range(2)]
        refused = await http.post("/graphql", json={"query": VIEWER})

    assert [response.status_code for response in admitted] == [200, 200]
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"
    assert refused.headers["x-request-id"]
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 1.9 < error["extensions"]["retryAfterSeconds"] <= 2.0


JSON_BODY = {"Content-Type": "application/json"}
