"""Every rule of a Save as a typed error from a real request (CONTRACT sections 1 and 2),
and who may save at all (section 5)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from licgraph.db.engine import Database
from licgraph.domain.access import Principal, Role
from tests import factories as make
from tests.api.conftest import Execute, data_of, error_codes
from tests.api.invariants import table_contents
from tests.api.world import World, save_input, to_assign

pytestmark = pytest.mark.usefixtures("invariants_hold")

REASON = """
fragment Reason on LicenseError {
  __typename
  code
  ... on InsufficientLicensesError { product { name } requested available }
  ... on UsageLocationRequiredError { userId }
  ... on ProductUnavailableInLocationError { product { name } usageLocation }
  ... on MissingDependencyError { product { name } requiredProducts { name } }
  ... on DependentLicenseError { product { name } dependentProducts { name } }
  ... on MutuallyExclusiveLicensesError { product { name } conflictingProducts { name } }
  ... on InvalidServicePlanError { product { name } servicePlanIds }
  ... on ServicePlanDependencyError {
    product { name }
    servicePlan { name }
    requiredServicePlans { name }
  }
  ... on UserNotFoundError { userId }
  ... on ProductNotFoundError { productId }
}"""
RESULTS = """{
  succeededCount
  failedCount
  products { name }
  results { userId status user { displayName } licenses { product { name } } errors { ...Reason } }
}"""
ASSIGN = (
    "mutation ($input: AssignLicensesInput!) { assignLicenses(input: $input) " + RESULTS + " }"
) + REASON
REVOKE = (
    "mutation ($input: RevokeLicensesInput!) { revokeLicenses(input: $input) " + RESULTS + " }"
) + REASON
UPDATE = (
    "mutation ($input: UpdateLicensesInput!) { updateLicenses(input: $input) " + RESULTS + " }"
) + REASON
NOT_FOUND_USERS = """
mutation ($input: AssignLicensesInput!) {
  assignLicenses(input: $input) {
    results { userId status user { displayName } licenses { assignedAt } errors { code message } }
  }
}"""
PURCHASE = """
mutation ($input: PurchaseLicensesInput!) {
  purchaseLicenses(input: $input) { applied product { name totalLicenses } }
}"""
SET_LOCATION = """
mutation ($input: SetUsageLocationInput!) {
  setUsageLocation(input: $input) { usageLocation results { status } }
}"""

E3 = {"name": "Microsoft 365 E3"}
E5 = {"name": "Microsoft 365 E5"}
VISIO = {"name": "Visio Plan 2"}
COPILOT = {"name": "Microsoft 365 Copilot"}
NO_SUCH_ID = 999_999


def refused(name: str, user_id: str, held: list[dict[str, str]], *errors: Any) -> dict[str, Any]:
    """The payload of a Save whose one user was refused with ``errors``."""
    return {
        "succeededCount": 0,
        "failedCount": 1,
        "results": [
            {
                "userId": user_id,
                "status": "FAILED",
                "user": {"displayName": name},
                "licenses": [{"product": product} for product in held],
                "errors": list(errors),
            }
        ],
    }


def without_products(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if key != "products"}


# -- one error type per rule -------------------------------------------------------------


async def test_no_free_seat_is_insufficient_licenses(execute: Execute, world: World) -> None:
    variables = save_input(world, [world.alice], licenses=[to_assign(world, world.copilot)])

    result = await execute(ASSIGN, variables)

    assert without_products(data_of(result)["assignLicenses"]) == refused(
        "Alice Adams",
        world.gid("User", world.alice),
        [E3, VISIO],
        {
            "__typename": "InsufficientLicensesError",
            "code": "INSUFFICIENT_LICENSES",
            "product": COPILOT,
            "requested": 1,
            "available": 0,
        },
    )


async def test_a_user_without_location_needs_one(execute: Execute, world: World) -> None:
    variables = save_input(world, [world.nobody], licenses=[to_assign(world, world.e5)])

    result = await execute(ASSIGN, variables)

    assert without_products(data_of(result)["assignLicenses"]) == refused(
        "Nobody Located",
        world.gid("User", world.nobody),
        [],
        {
            "__typename": "UsageLocationRequiredError",
            "code": "USAGE_LOCATION_REQUIRED",
            "userId": world.gid("User", world.nobody),
        },
    )


async def test_a_product_unavailable_in_the_users_location_is_refused(
    execute: Execute, world: World
) -> None:
    # Zoë (CN) holds E5, the base Copilot needs; seats are checked last, so only the
    # location error shows although no Copilot seat is free either.
    variables = save_input(world, [world.zoe], licenses=[to_assign(world, world.copilot)])

    result = await execute(ASSIGN, variables)

    assert without_products(data_of(result)["assignLicenses"]) == refused(
        "Zoë Zhang",
        world.gid("User", world.zoe),
        [E5],
        {
            "__typename": "ProductUnavailableInLocationError",
            "code": "PRODUCT_UNAVAILABLE_IN_LOCATION",
            "product": COPILOT,
            "usageLocation": "CN",
        },
    )


async def test_an_add_on_without_its_base_is_a_missing_dependency(
    execute: Execute, world: World
) -> None:
    variables = save_input(world, [world.emile], licenses=[to_assign(world, world.visio)])

    result = await execute(ASSIGN, variables)

    assert without_products(data_of(result)["assignLicenses"]) == refused(
        "Émile Dubois",
        world.gid("User", world.emile),
        [],
        {
            "__typename": "MissingDependencyError",
            "code": "MISSING_DEPENDENCY",
            "product": VISIO,
            "requiredProducts": [E3, E5],
        },
    )


async def test_a_base_assigned_in_the_same_save_meets_the_dependency(
    execute: Execute, world: World
) -> None:
    variables = save_input(
        world, [world.emile], licenses=[to_assign(world, world.visio), to_assign(world, world.e5)]
    )

    result = await execute(ASSIGN, variables)

    payload = data_of(result)["assignLicenses"]
    assert payload["results"][0]["status"] == "SUCCEEDED"
    assert payload["results"][0]["licenses"] == [{"product": E5}, {"product": VISIO}]


@pytest.mark.parametrize(
    ("user", "name", "add_on"),
    [("bob", "bob Brown", COPILOT), ("alice", "Alice Adams", VISIO)],
)
async def test_revoking_a_base_that_an_add_on_needs_is_refused(
    execute: Execute, world: World, user: str, name: str, add_on: dict[str, str]
) -> None:
    pk = getattr(world, user)
    variables = save_input(world, [pk], productIds=[world.gid("Product", world.e3)])

    result = await execute(REVOKE, variables)

    assert without_products(data_of(result)["revokeLicenses"]) == refused(
        name,
        world.gid("User", pk),
        [E3, add_on],
        {
            "__typename": "DependentLicenseError",
            "code": "DEPENDENT_LICENSE",
            "product": E3,
            "dependentProducts": [add_on],
        },
    )


async def test_revoking_a_base_with_its_add_on_in_the_same_save_succeeds(
    execute: Execute, world: World
) -> None:
    product_ids = [world.gid("Product", pk) for pk in (world.e3, world.visio)]

    result = await execute(REVOKE, save_input(world, [world.alice], productIds=product_ids))

    payload = data_of(result)["revokeLicenses"]
    assert payload["results"][0]["status"] == "SUCCEEDED"
    assert payload["results"][0]["licenses"] == []


async def test_a_product_excluded_by_a_held_one_is_refused(execute: Execute, world: World) -> None:
    variables = save_input(world, [world.alice], licenses=[to_assign(world, world.e5)])

    result = await execute(ASSIGN, variables)

    assert without_products(data_of(result)["assignLicenses"]) == refused(
        "Alice Adams",
        world.gid("User", world.alice),
        [E3, VISIO],
        {
            "__typename": "MutuallyExclusiveLicensesError",
            "code": "MUTUALLY_EXCLUSIVE_LICENSES",
            "product": E5,
            "conflictingProducts": [E3],
        },
    )


async def test_two_exclusive_products_requested_together_are_both_refused(
    execute: Execute, world: World
) -> None:
    variables = save_input(
        world, [world.emile], licenses=[to_assign(world, world.e3), to_assign(world, world.e5)]
    )

    result = await execute(ASSIGN, variables)

    assert without_products(data_of(result)["assignLicenses"]) == refused(
        "Émile Dubois",
        world.gid("User", world.emile),
        [],
        {
            "__typename": "MutuallyExclusiveLicensesError",
            "code": "MUTUALLY_EXCLUSIVE_LICENSES",
            "product": E3,
            "conflictingProducts": [E5],
        },
        {
            "__typename": "MutuallyExclusiveLicensesError",
            "code": "MUTUALLY_EXCLUSIVE_LICENSES",
            "product": E5,
            "conflictingProducts": [E3],
        },
    )


async def test_disabling_a_plan_of_another_product_is_an_invalid_service_plan(
    database: Database, execute: Execute, world: World
) -> None:
    visio_plan = await make.make_plan(database, world.visio, "Visio Web")
    disabled = (visio_plan, NO_SUCH_ID)
    variables = save_input(world, [world.emile], licenses=[to_assign(world, world.e3, *disabled)])

    result = await execute(ASSIGN, variables)

    assert without_products(data_of(result)["assignLicenses"]) == refused(
        "Émile Dubois",
        world.gid("User", world.emile),
        [],
        {
            "__typename": "InvalidServicePlanError",
            "code": "INVALID_SERVICE_PLAN",
            "product": E3,
            "servicePlanIds": [world.gid("ServicePlan", pk) for pk in sorted(disabled)],
        },
    )


async def test_disabling_a_plan_that_an_enabled_one_needs_is_refused(
    execute: Execute, world: World
) -> None:
    variables = save_input(
        world, [world.emile], licenses=[to_assign(world, world.e3, world.exchange)]
    )

    result = await execute(ASSIGN, variables)

    assert without_products(data_of(result)["assignLicenses"]) == refused(
        "Émile Dubois",
        world.gid("User", world.emile),
        [],
        {
            "__typename": "ServicePlanDependencyError",
            "code": "SERVICE_PLAN_DEPENDENCY",
            "product": E3,
            "servicePlan": {"name": "Microsoft Teams"},
            "requiredServicePlans": [{"name": "Exchange Online"}],
        },
    )


async def test_disabling_a_plan_together_with_the_plan_needing_it_is_fine(
    execute: Execute, world: World
) -> None:
    disabled = (world.exchange, world.teams)
    variables = save_input(world, [world.emile], licenses=[to_assign(world, world.e3, *disabled)])

    result = await execute(ASSIGN, variables)

    assert data_of(result)["assignLicenses"]["results"][0]["status"] == "SUCCEEDED"


async def test_unknown_and_foreign_users_are_not_found_alike(
    database: Database, execute: Execute, world: World
) -> None:
    foreign_before = await make.assigned_count(database, world.fabrikam_e3)
    variables = save_input(
        world, [NO_SUCH_ID, world.foreigner], licenses=[to_assign(world, world.e5)]
    )

    result = await execute(NOT_FOUND_USERS, variables)

    unknown, foreign = data_of(result)["assignLicenses"]["results"]
    assert unknown == {
        "userId": world.gid("User", NO_SUCH_ID),
        "status": "FAILED",
        "user": None,
        "licenses": [],
        "errors": [{"code": "USER_NOT_FOUND", "message": unknown["errors"][0]["message"]}],
    }
    assert _with_id_masked(foreign, world.foreigner) == _with_id_masked(unknown, NO_SUCH_ID)
    assert await make.assigned_count(database, world.fabrikam_e3) == foreign_before


async def test_user_not_found_is_typed_with_the_requested_id(
    execute: Execute, world: World
) -> None:
    variables = save_input(world, [world.foreigner], licenses=[to_assign(world, world.e5)])

    result = await execute(ASSIGN, variables)

    assert data_of(result)["assignLicenses"]["results"][0] == {
        "userId": world.gid("User", world.foreigner),
        "status": "FAILED",
        "user": None,
        "licenses": [],
        "errors": [
            {
                "__typename": "UserNotFoundError",
                "code": "USER_NOT_FOUND",
                "userId": world.gid("User", world.foreigner),
            }
        ],
    }


@pytest.mark.parametrize("product", ["fabrikam_e3", "no_such_product"])
async def test_a_product_the_customer_lacks_is_not_found(
    execute: Execute, world: World, product: str
) -> None:
    pk = getattr(world, product, NO_SUCH_ID)
    variables = save_input(world, [world.emile], licenses=[to_assign(world, pk)])

    result = await execute(ASSIGN, variables)

    payload = data_of(result)["assignLicenses"]
    assert payload == {
        # the foreign product's counts must not leak through `products`
        "products": [],
        **refused(
            "Émile Dubois",
            world.gid("User", world.emile),
            [],
            {
                "__typename": "ProductNotFoundError",
                "code": "PRODUCT_NOT_FOUND",
                "productId": world.gid("Product", pk),
            },
        ),
    }


async def test_revoking_another_customers_product_is_not_found(
    database: Database, execute: Execute, world: World
) -> None:
    variables = save_input(world, [world.alice], revoke=[world.gid("Product", world.fabrikam_e3)])

    result = await execute(UPDATE, variables)

    error = data_of(result)["updateLicenses"]["results"][0]["errors"]
    assert error == [
        {
            "__typename": "ProductNotFoundError",
            "code": "PRODUCT_NOT_FOUND",
            "productId": world.gid("Product", world.fabrikam_e3),
        }
    ]
    assert await make.assigned_count(database, world.fabrikam_e3) == (1, 1)


def _with_id_masked(result: dict[str, Any], pk: int) -> str:
    """A result with its own id (global and primary key) masked, to compare shapes."""
    text = json.dumps(result).replace(result["userId"], "<ID>")
    return re.sub(rf"\b{pk}\b", "<PK>", text)


# -- who may save (CONTRACT section 5) ------------------------------------------------------


def _mutations(world: World, customer: int) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every mutation with a valid input for ``customer`` (ids of Contoso's users)."""
    common = {"customerId": world.gid("Customer", customer)}
    users = {**common, "userIds": [world.gid("User", world.emile)]}
    return {
        "assignLicenses": (ASSIGN, {**users, "licenses": [to_assign(world, world.e3)]}),
        "revokeLicenses": (REVOKE, {**users, "productIds": [world.gid("Product", world.e3)]}),
        "updateLicenses": (UPDATE, {**users, "assign": [to_assign(world, world.e3)]}),
        "purchaseLicenses": (
            PURCHASE,
            {**common, "productId": world.gid("Product", world.e3), "quantity": 1},
        ),
        "setUsageLocation": (SET_LOCATION, {**users, "usageLocation": "DE"}),
    }


MUTATION_NAMES = [
    "assignLicenses",
    "revokeLicenses",
    "updateLicenses",
    "purchaseLicenses",
    "setUsageLocation",
]


@pytest.mark.parametrize("mutation", MUTATION_NAMES)
async def test_a_reader_may_not_change_anything(
    database: Database, execute: Execute, world: World, mutation: str
) -> None:
    reader = await make.make_token(database, Role.READER)
    document, variables = _mutations(world, world.contoso)[mutation]
    before = await table_contents(database)

    result = await execute(document, {"input": variables}, principal=reader)

    assert result.data is None
    assert error_codes(result) == ["FORBIDDEN"]
    assert await table_contents(database) == before


async def _as_stranger(
    execute: Execute, world: World, stranger: Principal, mutation: str, customer: int
) -> dict[str, Any]:
    document, variables = _mutations(world, customer)[mutation]
    result = await execute(document, {"input": variables}, principal=stranger)
    assert result.data is None
    assert result.errors is not None
    return {
        "codes": error_codes(result),
        "messages": [e.message.replace(str(customer), "<ID>") for e in result.errors],
        "paths": [e.path for e in result.errors],
    }


@pytest.mark.parametrize("mutation", MUTATION_NAMES)
async def test_another_customers_admin_finds_no_customer(
    database: Database, execute: Execute, world: World, mutation: str
) -> None:
    stranger = await make.make_token(database, Role.GLOBAL_ADMIN, customer_id=world.fabrikam)
    before = await table_contents(database)

    foreign = await _as_stranger(execute, world, stranger, mutation, world.contoso)
    missing = await _as_stranger(execute, world, stranger, mutation, NO_SUCH_ID)

    assert foreign["codes"] == ["NOT_FOUND"]
    assert foreign == missing
    assert await table_contents(database) == before


@pytest.mark.parametrize(
    "mutation",
    [
        *MUTATION_NAMES[:3],
        "purchaseLicenses",
        "setUsageLocation",
    ],
)
async def test_an_unknown_customer_is_not_found_for_a_partner_wide_agent(
    execute: Execute, world: World, mutation: str
) -> None:
    document, variables = _mutations(world, NO_SUCH_ID)[mutation]

    result = await execute(document, {"input": variables})

    assert result.data is None
    assert error_codes(result) == ["NOT_FOUND"]


async def test_a_helpdesk_agent_may_assign(
    database: Database, execute: Execute, world: World
) -> None:
    helpdesk = await make.make_token(database, Role.HELPDESK_AGENT)
    document, variables = _mutations(world, world.contoso)["assignLicenses"]

    result = await execute(document, {"input": variables}, principal=helpdesk)

    assert data_of(result)["assignLicenses"]["results"][0]["status"] == "SUCCEEDED"


async def test_a_helpdesk_agent_may_not_buy(
    database: Database, execute: Execute, world: World
) -> None:
    helpdesk = await make.make_token(database, Role.HELPDESK_AGENT)
    document, variables = _mutations(world, world.contoso)["purchaseLicenses"]
    before = await table_contents(database)

    result = await execute(document, {"input": variables}, principal=helpdesk)

    assert result.data is None
    assert error_codes(result) == ["FORBIDDEN"]
    assert await table_contents(database) == before


async def test_a_sales_agent_may_buy(database: Database, execute: Execute, world: World) -> None:
    sales = await make.make_token(database, Role.SALES_AGENT)
    document, variables = _mutations(world, world.contoso)["purchaseLicenses"]

    result = await execute(document, {"input": variables}, principal=sales)

    assert data_of(result)["purchaseLicenses"] == {
        "applied": True,
        "product": {"name": "Microsoft 365 E3", "totalLicenses": 11},
    }


async def test_a_customer_admin_may_save_for_their_own_customer(
    database: Database, execute: Execute, world: World
) -> None:
    own_admin = await make.make_token(
        database, Role.USER_MANAGEMENT_ADMIN, customer_id=world.contoso
    )
    document, variables = _mutations(world, world.contoso)["updateLicenses"]

    result = await execute(document, {"input": variables}, principal=own_admin)

    assert data_of(result)["updateLicenses"]["results"][0]["status"] == "SUCCEEDED"
