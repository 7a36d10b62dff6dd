"""Around the Save: buying more licenses and fixing users' usage locations."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry.types import ExecutionResult

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal
from licgraph.graphql.context import build_context
from licgraph.graphql.schema import create_schema
from tests.api.conftest import Execute, data_of, error_codes
from tests.api.invariants import table_contents
from tests.api.world import World

pytestmark = pytest.mark.usefixtures("invariants_hold")

PURCHASE = """
mutation ($input: PurchaseLicensesInput!) {
  purchaseLicenses(input: $input) {
    applied
    product { name totalLicenses assignedLicenses availableLicenses }
    errors { __typename code ... on ProductNotFoundError { productId } }
  }
}"""
PRODUCT = """
query ($c: ID!, $p: ID!) {
  customer(id: $c) { product(id: $p) { name totalLicenses assignedLicenses availableLicenses } }
}"""
EVENTS = """
query ($id: ID!, $filter: LicenseEventFilter) {
  customer(id: $id) {
    licenseEvents(first: 10, filter: $filter) {
      totalCount
      nodes { action user { displayName } product { name } actor { name role } requestId details }
    }
  }
}"""
SET_LOCATION = """
mutation ($input: SetUsageLocationInput!) {
  setUsageLocation(input: $input) {
    usageLocation
    results {
      userId
      status
      user { displayName usageLocation }
      errors {
        __typename
        code
        ... on UserNotFoundError { userId }
        ... on ProductUnavailableInLocationError { product { name } usageLocation }
      }
    }
  }
}"""
ASSIGN = """
mutation ($input: AssignLicensesInput!) {
  assignLicenses(input: $input) { results { status errors { code } } }
}"""

COPILOT = "Microsoft 365 Copilot"
NO_SUCH_ID = 999_999


def purchase_input(world: World, product: int, quantity: int, **options: Any) -> dict[str, Any]:
    return {
        "input": {
            "customerId": world.gid("Customer", world.contoso),
            "productId": world.gid("Product", product),
            "quantity": quantity,
            **options,
        }
    }


def location_input(world: World, users: list[int], location: str) -> dict[str, Any]:
    return {
        "input": {
            "customerId": world.gid("Customer", world.contoso),
            "userIds": [world.gid("User", pk) for pk in users],
            "usageLocation": location,
        }
    }


def refused(result: ExecutionResult, code: str) -> None:
    assert result.data is None
    assert error_codes(result) == [code]


async def events_of(execute: Execute, world: World, **event_filter: str) -> dict[str, Any]:
    variables = {"id": world.gid("Customer", world.contoso), "filter": event_filter}
    events: dict[str, Any] = data_of(await execute(EVENTS, variables))["customer"]["licenseEvents"]
    return events


# -- purchaseLicenses --------------------------------------------------------------------


async def test_buying_raises_the_total_and_what_is_available(
    execute: Execute, world: World
) -> None:
    result = await execute(PURCHASE, purchase_input(world, world.copilot, 3))

    bought = {
        "name": COPILOT,
        "totalLicenses": 4,
        "assignedLicenses": 1,
        "availableLicenses": 3,
    }
    assert data_of(result)["purchaseLicenses"] == {"applied": True, "product": bought, "errors": []}
    read_back = await execute(
        PRODUCT,
        {"c": world.gid("Customer", world.contoso), "p": world.gid("Product", world.copilot)},
    )
    assert data_of(read_back)["customer"]["product"] == bought


async def test_a_purchase_is_recorded_in_the_change_log(execute: Execute, world: World) -> None:
    data_of(await execute(PURCHASE, purchase_input(world, world.copilot, 3)))

    events = await events_of(execute, world, action="PURCHASED")

    assert events["totalCount"] == 1
    event = events["nodes"][0]
    assert event["details"]["quantity"] == 3
    assert {k: v for k, v in event.items() if k != "details"} == {
        "action": "PURCHASED",
        "user": None,
        "product": {"name": COPILOT},
        "actor": {"name": "admin", "role": "ADMIN_AGENT"},
        "requestId": "test",
    }


async def test_a_retried_purchase_buys_once(
    database: Database, execute: Execute, world: World
) -> None:
    variables = purchase_input(world, world.copilot, 3, idempotencyKey="buy-1")
    first = data_of(await execute(PURCHASE, variables))
    after_first = await table_contents(database)

    again = data_of(await execute(PURCHASE, variables))

    assert again == first
    assert first["purchaseLicenses"]["product"]["totalLicenses"] == 4
    assert await table_contents(database) == after_first


async def test_a_purchase_key_reused_for_another_quantity_is_refused(
    database: Database, execute: Execute, world: World
) -> None:
    data_of(await execute(PURCHASE, purchase_input(world, world.copilot, 3, idempotencyKey="k")))
    before = await table_contents(database)

    result = await execute(PURCHASE, purchase_input(world, world.copilot, 4, idempotencyKey="k"))

    refused(result, "IDEMPOTENCY_KEY_REUSED")
    assert await table_contents(database) == before


@pytest.mark.parametrize("quantity", [0, 10_001, -1])
async def test_a_quantity_out_of_range_is_refused(
    database: Database, execute: Execute, world: World, quantity: int
) -> None:
    before = await table_contents(database)

    result = await execute(PURCHASE, purchase_input(world, world.copilot, quantity))

    refused(result, "BAD_USER_INPUT")
    assert await table_contents(database) == before


async def test_ten_thousand_is_the_largest_purchase(execute: Execute, world: World) -> None:
    result = await execute(PURCHASE, purchase_input(world, world.copilot, 10_000))

    assert data_of(result)["purchaseLicenses"]["product"]["totalLicenses"] == 10_001


async def test_another_customers_product_cannot_be_bought(
    database: Database, execute: Execute, world: World
) -> None:
    before = await table_contents(database)

    result = await execute(PURCHASE, purchase_input(world, world.fabrikam_e3, 3))

    assert data_of(result)["purchaseLicenses"] == {
        "applied": False,
        "product": None,
        "errors": [
            {
                "__typename": "ProductNotFoundError",
                "code": "PRODUCT_NOT_FOUND",
                "productId": world.gid("Product", world.fabrikam_e3),
            }
        ],
    }
    assert await table_contents(database) == before


async def test_a_purchase_of_a_user_id_is_refused(execute: Execute, world: World) -> None:
    variables = purchase_input(world, world.copilot, 3)
    variables["input"]["productId"] = world.gid("User", world.alice)

    result = await execute(PURCHASE, variables)

    refused(result, "BAD_USER_INPUT")


# -- setUsageLocation ----------------------------------------------------------------------


async def test_a_location_is_set_in_canonical_form(execute: Execute, world: World) -> None:
    result = await execute(SET_LOCATION, location_input(world, [world.emile, world.nobody], "de"))

    assert data_of(result)["setUsageLocation"] == {
        "usageLocation": "DE",
        "results": [
            {
                "userId": world.gid("User", pk),
                "status": "SUCCEEDED",
                "user": {"displayName": name, "usageLocation": "DE"},
                "errors": [],
            }
            for pk, name in ((world.emile, "Émile Dubois"), (world.nobody, "Nobody Located"))
        ],
    }
    events = await events_of(execute, world, action="USAGE_LOCATION_SET")
    assert [(e["user"]["displayName"], e["product"]) for e in events["nodes"]] == [
        ("Nobody Located", None),
        ("Émile Dubois", None),
    ]


async def test_the_same_location_again_is_unchanged(
    database: Database, execute: Execute, world: World
) -> None:
    before = await table_contents(database)

    result = await execute(SET_LOCATION, location_input(world, [world.alice], "us"))

    assert data_of(result)["setUsageLocation"]["results"] == [
        {
            "userId": world.gid("User", world.alice),
            "status": "UNCHANGED",
            "user": {"displayName": "Alice Adams", "usageLocation": "US"},
            "errors": [],
        }
    ]
    assert await table_contents(database) == before


async def test_foreign_and_unknown_users_are_not_found(
    database: Database, execute: Execute, world: World
) -> None:
    before = await table_contents(database)
    users = [world.foreigner, NO_SUCH_ID]

    result = await execute(SET_LOCATION, location_input(world, users, "DE"))

    assert data_of(result)["setUsageLocation"]["results"] == [
        {
            "userId": world.gid("User", pk),
            "status": "FAILED",
            "user": None,
            "errors": [
                {
                    "__typename": "UserNotFoundError",
                    "code": "USER_NOT_FOUND",
                    "userId": world.gid("User", pk),
                }
            ],
        }
        for pk in users
    ]
    assert await table_contents(database) == before  # the foreigner is still in the US


@pytest.mark.parametrize("location", ["XX", "USA", "", "1"])
async def test_a_code_that_is_no_country_is_refused(
    database: Database, execute: Execute, world: World, location: str
) -> None:
    before = await table_contents(database)

    result = await execute(SET_LOCATION, location_input(world, [world.emile], location))

    refused(result, "BAD_USER_INPUT")
    assert await table_contents(database) == before


async def test_a_user_holding_a_product_unavailable_there_is_not_moved(
    execute: Execute, world: World
) -> None:
    result = await execute(SET_LOCATION, location_input(world, [world.bob, world.emile], "CN"))

    bob, emile = data_of(result)["setUsageLocation"]["results"]
    assert bob == {
        "userId": world.gid("User", world.bob),
        "status": "FAILED",
        "user": {"displayName": "bob Brown", "usageLocation": "GB"},
        "errors": [
            {
                "__typename": "ProductUnavailableInLocationError",
                "code": "PRODUCT_UNAVAILABLE_IN_LOCATION",
                "product": {"name": COPILOT},
                "usageLocation": "CN",
            }
        ],
    }
    assert (emile["status"], emile["user"]["usageLocation"]) == ("SUCCEEDED", "CN")


async def test_a_user_given_a_location_can_then_be_assigned(execute: Execute, world: World) -> None:
    assign = {
        "input": {
            "customerId": world.gid("Customer", world.contoso),
            "userIds": [world.gid("User", world.nobody)],
            "licenses": [{"productId": world.gid("Product", world.e5)}],
        }
    }
    before = data_of(await execute(ASSIGN, assign))["assignLicenses"]["results"]

    data_of(await execute(SET_LOCATION, location_input(world, [world.nobody], "DE")))
    after = data_of(await execute(ASSIGN, assign))["assignLicenses"]["results"]

    assert before == [{"status": "FAILED", "errors": [{"code": "USAGE_LOCATION_REQUIRED"}]}]
    assert after == [{"status": "SUCCEEDED", "errors": []}]


async def test_setting_a_location_for_no_user_is_refused(execute: Execute, world: World) -> None:
    result = await execute(SET_LOCATION, location_input(world, [], "DE"))

    refused(result, "BAD_USER_INPUT")


async def test_setting_a_location_for_more_users_than_the_limit_is_refused(
    database: Database, settings: Settings, admin: Principal, world: World
) -> None:
    limited = Settings(database_url=settings.database_url, max_users_per_mutation=3)
    context = build_context(principal=admin, database=database, settings=limited, request_id="test")
    users = [world.alice, world.bob, world.emile, world.zoe]
    before = await table_contents(database)

    result = await create_schema(limited).execute(
        SET_LOCATION, variable_values=location_input(world, users, "DE"), context_value=context
    )

    refused(result, "BAD_USER_INPUT")
    assert await table_contents(database) == before
