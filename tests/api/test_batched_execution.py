"""The level-by-level executor answers exactly what graphql-core answers, or lets it answer."""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionResult

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal, Role
from licgraph.graphql.context import build_context
from licgraph.graphql.schema import create_schema
from tests.api.world import World
from tests.factories import make_token

PAGE = """
query Page($customer: ID!, $first: Int, $after: String, $withPlans: Boolean = true) {
  customer(id: $customer) {
    id name
    users(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        cursor
        node {
          __typename id displayName userPrincipalName usageLocation
          licenses {
            assignedAt
            product { id name availableLicenses }
            enabledServicePlans @include(if: $withPlans) { id name }
            disabledServicePlans @skip(if: $withPlans) { name }
          }
        }
      }
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
      held: assignedUsers(userIds: $selected) { displayName }
      servicePlans { id name requiredServicePlans { name } }
      requiredProducts { name } conflictingProducts { name } unavailableUsageLocations
    }
  }
}"""
NODES = """
query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on User { displayName licenses { product { name } } }
    ... on Product { name servicePlans { name } }
    ... on ServicePlan { name }
    ...customerFields
  }
}
fragment customerFields on Customer { name users(last: 2) { nodes { displayName } } }"""
EVERYTHING_ELSE = """
{
  viewer { name role partnerWide customer { id } }
  customers(first: 5) {
    totalCount
    edges { node { name domain users(first: 2) { totalCount nodes { displayName } } } }
  }
  again: customers(last: 1) { nodes { name } }
}"""


async def both_ways(
    database: Database, settings: Settings, principal: Principal, query: str, **variables: Any
) -> tuple[ExecutionResult, ExecutionResult]:
    """The same request run by our schema and by one executing through graphql-core alone."""
    batched = create_schema(settings)
    plain = create_schema(settings)
    plain.execution_context_class = StrawberryGraphQLCoreExecutionContext
    results = []
    for schema in (batched, plain):
        context = build_context(
            principal=principal, database=database, settings=settings, request_id="both"
        )
        results.append(await schema.execute(query, variables, context_value=context))
    return results[0], results[1]


def body(result: ExecutionResult) -> str:
    errors = [error.formatted for error in result.errors or ()]
    return json.dumps({"data": result.data, "errors": errors})


@pytest.fixture
async def admin(database: Database) -> Principal:
    return await make_token(database, Role.ADMIN_AGENT, name="batched-admin")


@pytest.fixture(params=["partner-wide", "scoped"])
async def caller(request: pytest.FixtureRequest, database: Database, world: World) -> Principal:
    """A partner-wide admin agent, or Contoso's global admin (Fabrikam's rows are absent)."""
    if request.param == "partner-wide":
        return await make_token(database, Role.ADMIN_AGENT, name="batched-partner")
    return await make_token(
        database, Role.GLOBAL_ADMIN, name="batched-scoped", customer_id=world.contoso
    )


def cases(world: World) -> list[tuple[str, dict[str, Any]]]:
    contoso = world.gid("Customer", world.contoso)
    users = [world.gid("User", pk) for pk in (world.zoe, world.alice, world.bob, world.nobody)]
    return [
        (PAGE, {"customer": contoso, "first": 100}),
        (PAGE, {"customer": contoso, "first": 2, "withPlans": False}),
        (MANAGE, {"customer": contoso, "selected": users}),
        (MANAGE, {"customer": contoso, "selected": []}),
        (
            NODES,
            {
                "ids": [
                    *users,
                    world.gid("Product", world.e3),
                    world.gid("ServicePlan", world.teams),
                    world.gid("Customer", world.contoso),
                    world.gid("User", world.foreigner),
                    world.gid("Product", 999_999),
                ]
            },
        ),
        (EVERYTHING_ELSE, {}),
    ]


async def test_answers_match_graphql_core_byte_for_byte(
    database: Database, settings: Settings, world: World, caller: Principal
) -> None:
    for query, variables in cases(world):
        batched, plain = await both_ways(database, settings, caller, query, **variables)

        assert body(batched) == body(plain)
        assert batched.errors is None


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": 101}, "BAD_USER_INPUT"),  # over the page cap, raised in a resolver
        ({"first": 2, "after": "not-a-cursor"}, "BAD_USER_INPUT"),
    ],
)
async def test_errors_are_graphql_cores_own(
    database: Database,
    settings: Settings,
    world: World,
    admin: Principal,
    variables: dict[str, Any],
    code: str,
) -> None:
    contoso = world.gid("Customer", world.contoso)

    batched, plain = await both_ways(database, settings, admin, PAGE, customer=contoso, **variables)

    assert body(batched) == body(plain)
    assert [error.extensions["code"] for error in batched.errors or ()] == [code]
    assert batched.errors is not None
    assert batched.errors[0].path


async def test_a_page_never_reaches_graphql_cores_executor(
    database: Database,
    settings: Settings,
    world: World,
    admin: Principal,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("executed by graphql-core")

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "execute_operation", refuse)
    context = build_context(principal=admin, database=database, settings=settings, request_id="x")

    result = await create_schema(settings).execute(
        PAGE, {"customer": world.gid("Customer", world.contoso)}, context_value=context
    )

    assert result.errors is None
    assert len(result.data["customer"]["users"]["edges"]) == 5  # type: ignore[index]


async def test_a_mutation_payload_matches_graphql_core(
    database: Database, settings: Settings, world: World, caller: Principal
) -> None:
    mutation = """
    mutation ($input: UpdateLicensesInput!) {
      updateLicenses(input: $input) {
        applied dryRun succeededCount failedCount
        products { name assignedLicenses availableLicenses }
        results {
          userId status user { displayName }
          licenses { product { name } enabledServicePlans { name } }
          errors {
            __typename code message
            ... on InsufficientLicensesError { product { name } requested available }
            ... on MutuallyExclusiveLicensesError { product { name } conflictingProducts { name } }
            ... on UsageLocationRequiredError { userId }
            ... on UserNotFoundError { userId }
          }
        }
      }
    }"""
    users = [world.alice, world.bob, world.emile, world.zoe, world.nobody, world.foreigner]
    variables = {
        "input": {
            "customerId": world.gid("Customer", world.contoso),
            "userIds": [world.gid("User", pk) for pk in users],
            "assign": [{"productId": world.gid("Product", world.e5)}],
            "revoke": [world.gid("Product", world.visio)],
            "dryRun": True,
        }
    }

    batched, plain = await both_ways(database, settings, caller, mutation, **variables)

    assert body(batched) == body(plain)
    assert batched.data is not None
    assert batched.data["updateLicenses"]["failedCount"] > 0


async def test_mutations_run_in_graphql_core_and_their_payloads_in_levels(
    database: Database,
    settings: Settings,
    world: World,
    admin: Principal,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []
    original = StrawberryGraphQLCoreExecutionContext.execute_operation

    def spy(self: StrawberryGraphQLCoreExecutionContext, *args: Any) -> Any:
        seen.append(self.operation.operation.value)
        return original(self, *args)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("payload completed by graphql-core")

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "execute_operation", spy)
    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "complete_value", refuse)
    context = build_context(principal=admin, database=database, settings=settings, request_id="x")
    mutation = """
    mutation ($input: RevokeLicensesInput!) {
      revokeLicenses(input: $input) { applied results { status } }
    }"""
    variables = {
        "input": {
            "customerId": world.gid("Customer", world.contoso),
            "userIds": [world.gid("User", world.bob)],
            "productIds": [world.gid("Product", world.copilot)],
            "dryRun": True,
        }
    }

    result = await create_schema(settings).execute(mutation, variables, context_value=context)

    assert result.errors is None
    assert seen == ["mutation"]


async def test_a_request_leaves_its_rows_to_reference_counting(
    database: Database, settings: Settings, world: World, admin: Principal
) -> None:
    """graphql-core's execution context is a reference cycle that reaches the request's
    loaders; once the operation ends they hold nothing, so no row waits for the collector."""
    schema = create_schema(settings)
    variables = {"customer": world.gid("Customer", world.contoso), "first": 100}
    context = build_context(principal=admin, database=database, settings=settings, request_id="gc")
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = await schema.execute(PAGE, variables, context_value=context)
        del context
        gc.collect()
        kept = {type(thing).__name__ for thing in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert result.errors is None
    assert kept.isdisjoint({"User", "LicenseAssignment", "Product", "LoaderTask"}), kept
