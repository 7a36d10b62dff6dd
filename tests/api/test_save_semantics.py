"""What one Save means (CONTRACT section 3): per-user atomicity, seats in request order,
atomic saves, no-ops, dry runs, idempotency keys, and the input a Save refuses."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry.types import ExecutionResult

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal, Role
from licgraph.graphql.context import build_context
from licgraph.graphql.schema import create_schema
from tests import factories as make
from tests.api.conftest import Execute, data_of, error_codes
from tests.api.invariants import held_licenses, table_contents
from tests.api.world import World, save_input, to_assign

pytestmark = pytest.mark.usefixtures("invariants_hold")

PAYLOAD = """
fragment Payload on LicenseUpdatePayload {
  applied
  dryRun
  succeededCount
  failedCount
  products { name totalLicenses assignedLicenses availableLicenses }
  results {
    userId
    status
    user { displayName }
    licenses { product { name } disabledServicePlans { name } assignedAt }
    errors {
      __typename
      code
      ... on InsufficientLicensesError { product { name } requested available }
    }
  }
}"""
ASSIGN = (
    "mutation ($input: AssignLicensesInput!) { assignLicenses(input: $input) { ...Payload } }"
    + PAYLOAD
)
REVOKE = (
    "mutation ($input: RevokeLicensesInput!) { revokeLicenses(input: $input) { ...Payload } }"
    + PAYLOAD
)
UPDATE = (
    "mutation ($input: UpdateLicensesInput!) { updateLicenses(input: $input) { ...Payload } }"
    + PAYLOAD
)
PRODUCTS = """
query ($id: ID!) {
  customer(id: $id) { products { name totalLicenses assignedLicenses availableLicenses } }
}"""

KEY = "save-1"
USER_LICENSES = """
query ($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on User { licenses { product { name } disabledServicePlans { name } assignedAt } }
  }
}"""
SEEDED_AT = "2026-01-02T03:04:05+00:00"  # when tests.factories.assign gives a license
E3 = "Microsoft 365 E3"
E5 = "Microsoft 365 E5"
VISIO = "Visio Plan 2"
COPILOT = "Microsoft 365 Copilot"


def statuses(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["user"]["displayName"], r["status"]) for r in payload["results"]]


def held(result: dict[str, Any]) -> list[str]:
    return [license_["product"]["name"] for license_ in result["licenses"]]


def counts(name: str, total: int, assigned: int) -> dict[str, Any]:
    return {
        "name": name,
        "totalLicenses": total,
        "assignedLicenses": assigned,
        "availableLicenses": total - assigned,
    }


def insufficient(product: str, requested: int, available: int) -> dict[str, Any]:
    return {
        "__typename": "InsufficientLicensesError",
        "code": "INSUFFICIENT_LICENSES",
        "product": {"name": product},
        "requested": requested,
        "available": available,
    }


def without_dates(value: Any) -> Any:
    """``value`` with every ``assignedAt`` dropped (new licenses are dated "now")."""
    if isinstance(value, dict):
        return {k: without_dates(v) for k, v in value.items() if k != "assignedAt"}
    if isinstance(value, list):
        return [without_dates(item) for item in value]
    return value


def refused_without_writes(result: ExecutionResult, code: str) -> None:
    assert result.data is None
    assert error_codes(result) == [code]
    assert result.errors is not None
    assert "Traceback" not in result.errors[0].message


# -- a user is the unit of change -------------------------------------------------------


async def test_a_user_gets_all_their_licenses_or_none(
    database: Database, execute: Execute, world: World
) -> None:
    licenses = [to_assign(world, world.visio), to_assign(world, world.copilot)]

    result = await execute(ASSIGN, save_input(world, [world.zoe, world.bob], licenses=licenses))

    zoe, bob = data_of(result)["assignLicenses"]["results"]
    assert (zoe["status"], held(zoe)) == ("FAILED", [E5])
    assert [error["code"] for error in zoe["errors"]] == ["PRODUCT_UNAVAILABLE_IN_LOCATION"]
    # Bob already holds Copilot, so only Visio is new for him.
    assert (bob["status"], held(bob)) == ("SUCCEEDED", [E3, VISIO, COPILOT])
    mine = {(u, p) for u, p in await held_licenses(database) if u in (world.zoe, world.bob)}
    assert mine == {
        (world.zoe, world.e5),
        (world.bob, world.e3),
        (world.bob, world.visio),
        (world.bob, world.copilot),
    }


@pytest.mark.parametrize(("first", "second"), [("bob", "zoe"), ("zoe", "bob")])
async def test_the_last_seat_goes_to_the_user_named_first(
    execute: Execute, world: World, first: str, second: str
) -> None:
    users = [getattr(world, first), getattr(world, second)]

    result = await execute(
        ASSIGN, save_input(world, users, licenses=[to_assign(world, world.visio)])
    )

    payload = data_of(result)["assignLicenses"]
    winner, loser = payload["results"]
    assert (winner["status"], winner["errors"]) == ("SUCCEEDED", [])
    assert (loser["status"], loser["errors"]) == ("FAILED", [insufficient(VISIO, 2, 1)])
    assert payload["products"] == [counts(VISIO, 2, 2)]


async def test_users_later_in_the_list_run_out_of_seats(
    database: Database, execute: Execute, world: World
) -> None:
    newcomers = [await make.make_user(database, world.contoso, f"New {n}", "US") for n in range(6)]

    result = await execute(
        ASSIGN, save_input(world, newcomers, licenses=[to_assign(world, world.e5)])
    )

    payload = data_of(result)["assignLicenses"]
    assert [r["status"] for r in payload["results"]] == ["SUCCEEDED"] * 4 + ["FAILED"] * 2
    assert [r["errors"] for r in payload["results"][4:]] == [[insufficient(E5, 6, 4)]] * 2
    assert (payload["succeededCount"], payload["failedCount"]) == (4, 2)
    assert payload["products"] == [counts(E5, 5, 5)]


async def test_a_user_refused_for_another_reason_takes_no_seat(
    execute: Execute, world: World
) -> None:
    users = [world.emile, world.zoe]  # Émile lacks a base suite for Visio; Zoë holds E5

    result = await execute(
        ASSIGN, save_input(world, users, licenses=[to_assign(world, world.visio)])
    )

    payload = data_of(result)["assignLicenses"]
    assert statuses(payload) == [("Émile Dubois", "FAILED"), ("Zoë Zhang", "SUCCEEDED")]
    assert [e["code"] for e in payload["results"][0]["errors"]] == ["MISSING_DEPENDENCY"]
    assert payload["products"] == [counts(VISIO, 2, 2)]


# -- atomic saves ----------------------------------------------------------------------


async def test_an_atomic_save_with_one_failing_user_writes_nothing(
    database: Database, execute: Execute, world: World
) -> None:
    before = await table_contents(database)
    variables = save_input(
        world, [world.emile, world.nobody], licenses=[to_assign(world, world.e5)], atomic=True
    )

    result = await execute(ASSIGN, variables)

    payload = data_of(result)["assignLicenses"]
    assert (payload["applied"], payload["dryRun"]) == (False, False)
    assert statuses(payload) == [("Émile Dubois", "SUCCEEDED"), ("Nobody Located", "FAILED")]
    assert held(payload["results"][0]) == [E5]  # what would have happened
    assert [e["code"] for e in payload["results"][1]["errors"]] == ["USAGE_LOCATION_REQUIRED"]
    assert (payload["succeededCount"], payload["failedCount"]) == (1, 1)
    assert payload["products"] == [counts(E5, 5, 2)]  # as they would be
    assert await table_contents(database) == before


async def test_an_atomic_save_where_everyone_succeeds_writes_everything(
    database: Database, execute: Execute, world: World
) -> None:
    licenses = [to_assign(world, world.e3, world.teams)]
    variables = save_input(world, [world.emile, world.alice], licenses=licenses, atomic=True)

    result = await execute(ASSIGN, variables)

    payload = data_of(result)["assignLicenses"]
    assert payload["applied"] is True
    assert statuses(payload) == [("Émile Dubois", "SUCCEEDED"), ("Alice Adams", "UNCHANGED")]
    assert (world.emile, world.e3) in await held_licenses(database)
    assert payload["products"] == [counts(E3, 10, 3)]


# -- no-ops ------------------------------------------------------------------------------


async def test_assigning_a_held_product_with_the_same_plans_is_unchanged(
    database: Database, execute: Execute, world: World
) -> None:
    before = await table_contents(database)
    licenses = [to_assign(world, world.e3, world.teams)]  # exactly what Alice holds

    result = await execute(ASSIGN, save_input(world, [world.alice], licenses=licenses))

    payload = data_of(result)["assignLicenses"]
    assert statuses(payload) == [("Alice Adams", "UNCHANGED")]
    assert (payload["succeededCount"], payload["failedCount"]) == (0, 0)
    assert payload["products"] == [counts(E3, 10, 2)]
    assert await table_contents(database) == before  # no seat, no event


async def test_assigning_a_held_product_with_other_plans_changes_only_the_plans(
    database: Database, execute: Execute, world: World
) -> None:
    licenses = [to_assign(world, world.e3, world.exchange, world.teams)]

    result = await execute(ASSIGN, save_input(world, [world.alice], licenses=licenses))

    payload = data_of(result)["assignLicenses"]
    assert statuses(payload) == [("Alice Adams", "SUCCEEDED")]
    assert payload["results"][0]["licenses"][0] == {
        "product": {"name": E3},
        "disabledServicePlans": [{"name": "Exchange Online"}, {"name": "Microsoft Teams"}],
        "assignedAt": SEEDED_AT,  # the license is kept, not given anew
    }
    assert payload["products"] == [counts(E3, 10, 2)]
    assert await make.assigned_count(database, world.e3) == (2, 2)


async def test_a_held_product_needs_no_free_seat(
    database: Database, execute: Execute, world: World
) -> None:
    chat = await make.make_plan(database, world.copilot, "Copilot Chat")  # no seat is free
    same = save_input(world, [world.bob], licenses=[to_assign(world, world.copilot)])
    other = save_input(world, [world.bob], licenses=[to_assign(world, world.copilot, chat)])

    unchanged = data_of(await execute(ASSIGN, same))["assignLicenses"]
    replanned = data_of(await execute(ASSIGN, other))["assignLicenses"]

    assert statuses(unchanged) == [("bob Brown", "UNCHANGED")]
    assert statuses(replanned) == [("bob Brown", "SUCCEEDED")]
    assert replanned["products"] == [counts(COPILOT, 1, 1)]


async def test_revoking_over_a_partly_holding_selection_just_works(
    execute: Execute, world: World
) -> None:
    users = [world.alice, world.bob, world.emile]  # only Alice holds Visio: state SOME

    result = await execute(
        REVOKE, save_input(world, users, productIds=[world.gid("Product", world.visio)])
    )

    payload = data_of(result)["revokeLicenses"]
    assert statuses(payload) == [
        ("Alice Adams", "SUCCEEDED"),
        ("bob Brown", "UNCHANGED"),
        ("Émile Dubois", "UNCHANGED"),
    ]
    assert [r["errors"] for r in payload["results"]] == [[], [], []]
    assert (payload["succeededCount"], payload["failedCount"]) == (1, 0)
    assert payload["products"] == [counts(VISIO, 2, 0)]


# -- dry runs ----------------------------------------------------------------------------


def _mixed_save(world: World, **options: Any) -> dict[str, Any]:
    """Assigns, revokes, changes plans, no-ops and a failure, all in one Save."""
    users = [world.emile, world.alice, world.nobody, world.bob]
    return save_input(
        world,
        users,
        assign=[to_assign(world, world.e3)],
        revoke=[world.gid("Product", world.visio)],
        **options,
    )


async def test_a_dry_run_answers_what_the_real_run_does_and_writes_nothing(
    database: Database, execute: Execute, world: World
) -> None:
    before = await table_contents(database)

    dry = data_of(await execute(UPDATE, _mixed_save(world, dryRun=True)))["updateLicenses"]
    after_dry_run = await table_contents(database)
    real = data_of(await execute(UPDATE, _mixed_save(world)))["updateLicenses"]

    assert after_dry_run == before
    assert (dry["dryRun"], dry["applied"]) == (True, False)
    assert (real["dryRun"], real["applied"]) == (False, True)
    ignored = ("dryRun", "applied")
    assert without_dates({k: v for k, v in dry.items() if k not in ignored}) == without_dates(
        {k: v for k, v in real.items() if k not in ignored}
    )
    assert statuses(real) == [
        ("Émile Dubois", "SUCCEEDED"),
        ("Alice Adams", "SUCCEEDED"),
        ("Nobody Located", "FAILED"),
        ("bob Brown", "UNCHANGED"),
    ]


# -- idempotency keys ------------------------------------------------------------------


async def test_a_retry_with_the_same_key_replays_the_first_answer(
    database: Database, execute: Execute, world: World
) -> None:
    variables = _mixed_save(world, idempotencyKey=KEY)
    first = data_of(await execute(UPDATE, variables))
    after_first = await table_contents(database)

    again = data_of(await execute(UPDATE, variables))

    assert again == first
    assert await table_contents(database) == after_first


def _other_input(world: World, difference: str) -> tuple[str, dict[str, Any]]:
    """The mixed Save under the same key, with one thing changed."""
    first = _mixed_save(world, idempotencyKey=KEY)["input"]
    if difference == "users":
        return UPDATE, {"input": {**first, "userIds": [world.gid("User", world.zoe)]}}
    if difference == "licenses":
        return UPDATE, {"input": {**first, "assign": [to_assign(world, world.e3, world.teams)]}}
    if difference == "atomic":
        return UPDATE, {"input": {**first, "atomic": True}}
    revoke = save_input(world, [world.alice], productIds=first["revoke"], idempotencyKey=KEY)
    return REVOKE, revoke


@pytest.mark.parametrize("difference", ["users", "licenses", "atomic", "operation"])
async def test_the_same_key_with_another_input_is_refused(
    database: Database, execute: Execute, world: World, difference: str
) -> None:
    data_of(await execute(UPDATE, _mixed_save(world, idempotencyKey=KEY)))
    before = await table_contents(database)
    document, variables = _other_input(world, difference)

    result = await execute(document, variables)

    refused_without_writes(result, "IDEMPOTENCY_KEY_REUSED")
    assert await table_contents(database) == before


@pytest.mark.parametrize("key", ["", "k" * 256])
async def test_an_unusable_key_is_refused(
    database: Database, execute: Execute, world: World, key: str
) -> None:
    before = await table_contents(database)

    result = await execute(UPDATE, _mixed_save(world, idempotencyKey=key))

    refused_without_writes(result, "BAD_USER_INPUT")
    assert await table_contents(database) == before


async def test_keys_belong_to_one_caller(
    database: Database, execute: Execute, world: World
) -> None:
    other_admin = await make.make_token(database, Role.ADMIN_AGENT, name="other admin")
    mine = save_input(
        world, [world.emile], licenses=[to_assign(world, world.e3)], idempotencyKey=KEY
    )
    theirs = save_input(
        world, [world.zoe], licenses=[to_assign(world, world.visio)], idempotencyKey=KEY
    )
    data_of(await execute(ASSIGN, mine))

    result = await execute(ASSIGN, theirs, principal=other_admin)

    assert statuses(data_of(result)["assignLicenses"]) == [("Zoë Zhang", "SUCCEEDED")]
    assert (world.zoe, world.visio) in await held_licenses(database)


async def test_a_dry_run_does_not_spend_a_key(
    database: Database, execute: Execute, world: World
) -> None:
    data_of(await execute(UPDATE, _mixed_save(world, dryRun=True, idempotencyKey=KEY)))

    real = data_of(await execute(UPDATE, _mixed_save(world, idempotencyKey=KEY)))["updateLicenses"]

    assert real["applied"] is True
    assert (world.emile, world.e3) in await held_licenses(database)


# -- the shape of a request ------------------------------------------------------------


async def test_duplicate_user_ids_count_once_in_first_seen_order(
    database: Database, execute: Execute, world: World
) -> None:
    users = [world.bob, world.emile, world.bob, world.alice, world.emile]
    licenses = [to_assign(world, world.e3, world.teams)]

    result = await execute(ASSIGN, save_input(world, users, licenses=licenses))

    payload = data_of(result)["assignLicenses"]
    assert statuses(payload) == [
        ("bob Brown", "SUCCEEDED"),  # plans changed
        ("Émile Dubois", "SUCCEEDED"),  # one new seat, however often named
        ("Alice Adams", "UNCHANGED"),
    ]
    assert payload["products"] == [counts(E3, 10, 3)]


async def _execute_with_user_limit(
    database: Database, settings: Settings, admin: Principal, variables: dict[str, Any]
) -> ExecutionResult:
    limited = Settings(database_url=settings.database_url, max_users_per_mutation=3)
    context = build_context(principal=admin, database=database, settings=limited, request_id="test")
    return await create_schema(limited).execute(
        ASSIGN, variable_values=variables, context_value=context
    )


async def test_more_users_than_the_limit_are_refused(
    database: Database, settings: Settings, admin: Principal, world: World
) -> None:
    users = [world.alice, world.bob, world.emile, world.zoe]
    before = await table_contents(database)

    result = await _execute_with_user_limit(
        database, settings, admin, save_input(world, users, licenses=[to_assign(world, world.e3)])
    )

    refused_without_writes(result, "BAD_USER_INPUT")
    assert await table_contents(database) == before


async def test_the_limit_counts_distinct_users(
    database: Database, settings: Settings, admin: Principal, world: World
) -> None:
    users = [world.emile, world.zoe, world.emile, world.nobody]

    result = await _execute_with_user_limit(
        database, settings, admin, save_input(world, users, licenses=[to_assign(world, world.e3)])
    )

    assert len(data_of(result)["assignLicenses"]["results"]) == 3


@pytest.mark.parametrize(
    ("document", "change"),
    [
        pytest.param(UPDATE, {}, id="update-without-lists"),
        pytest.param(UPDATE, {"assign": [], "revoke": []}, id="update-with-empty-lists"),
        pytest.param(ASSIGN, {"licenses": []}, id="assign-nothing"),
        pytest.param(REVOKE, {"productIds": []}, id="revoke-nothing"),
    ],
)
async def test_a_change_of_nothing_is_refused(
    database: Database, execute: Execute, world: World, document: str, change: dict[str, Any]
) -> None:
    before = await table_contents(database)

    result = await execute(document, save_input(world, [world.alice], **change))

    refused_without_writes(result, "BAD_USER_INPUT")
    assert await table_contents(database) == before


async def test_a_save_for_no_user_is_refused(execute: Execute, world: World) -> None:
    result = await execute(ASSIGN, save_input(world, [], licenses=[to_assign(world, world.e3)]))

    refused_without_writes(result, "BAD_USER_INPUT")


@pytest.mark.parametrize(
    ("assign", "revoke"),
    [
        pytest.param(["e5"], ["e5"], id="assign-and-revoke"),
        pytest.param(["e5", "e5"], [], id="assign-twice"),
        pytest.param([], ["visio", "visio"], id="revoke-twice"),
    ],
)
async def test_a_self_contradicting_change_is_refused(
    database: Database, execute: Execute, world: World, assign: list[str], revoke: list[str]
) -> None:
    before = await table_contents(database)
    variables = save_input(
        world,
        [world.alice],
        assign=[to_assign(world, getattr(world, name)) for name in assign],
        revoke=[world.gid("Product", getattr(world, name)) for name in revoke],
    )

    result = await execute(UPDATE, variables)

    refused_without_writes(result, "BAD_USER_INPUT")
    assert await table_contents(database) == before


@pytest.mark.parametrize(
    "field",
    ["userIds", "userIds-product", "customerId", "productId", "disabledPlan", "revoke"],
)
async def test_malformed_ids_are_refused(
    database: Database, execute: Execute, world: World, field: str
) -> None:
    variables = save_input(world, [world.emile], assign=[to_assign(world, world.e3)])
    change = variables["input"]
    product_id = world.gid("Product", world.e3)
    user_id = world.gid("User", world.emile)
    if field == "userIds":
        change["userIds"] = [user_id, "!!!"]
    elif field == "userIds-product":
        change["userIds"] = [user_id, product_id]
    elif field == "customerId":
        change["customerId"] = user_id
    elif field == "productId":
        change["assign"] = [{"productId": user_id}]
    elif field == "disabledPlan":
        change["assign"] = [{"productId": product_id, "disabledServicePlanIds": [product_id]}]
    else:
        change["revoke"] = ["VXNlcjoxMg==x"]
    before = await table_contents(database)

    result = await execute(UPDATE, variables)

    refused_without_writes(result, "BAD_USER_INPUT")
    assert await table_contents(database) == before


# -- assign and revoke in one Save -------------------------------------------------------


async def test_a_swap_revokes_and_assigns_in_one_save(
    database: Database, execute: Execute, world: World
) -> None:
    # Bob holds E3 and Copilot: E5 conflicts with E3, and Copilot needs E3 or E5.
    variables = save_input(
        world,
        [world.bob],
        assign=[to_assign(world, world.e5)],
        revoke=[world.gid("Product", world.e3)],
    )

    result = await execute(UPDATE, variables)

    payload = data_of(result)["updateLicenses"]
    assert statuses(payload) == [("bob Brown", "SUCCEEDED")]
    assert held(payload["results"][0]) == [E5, COPILOT]
    assert payload["products"] == [counts(E5, 5, 2), counts(E3, 10, 1)]
    bobs = {product for user, product in await held_licenses(database) if user == world.bob}
    assert bobs == {world.e5, world.copilot}


async def test_touched_products_show_their_counts_after_the_save(
    execute: Execute, world: World
) -> None:
    variables = save_input(
        world,
        [world.bob],
        assign=[to_assign(world, world.visio)],
        revoke=[world.gid("Product", world.copilot)],
    )

    payload = data_of(await execute(UPDATE, variables))["updateLicenses"]
    read_back = data_of(await execute(PRODUCTS, {"id": world.gid("Customer", world.contoso)}))

    assert payload["products"] == [counts(VISIO, 2, 2), counts(COPILOT, 1, 0)]
    stored = {p["name"]: p for p in read_back["customer"]["products"]}
    assert payload["products"] == [stored[VISIO], stored[COPILOT]]


async def test_result_licenses_are_what_the_user_holds_afterwards(
    execute: Execute, world: World
) -> None:
    payload = data_of(await execute(UPDATE, _mixed_save(world)))["updateLicenses"]
    user_ids = [result["userId"] for result in payload["results"]]

    read_back = data_of(await execute(USER_LICENSES, {"ids": user_ids}))

    assert [result["licenses"] for result in payload["results"]] == [
        node["licenses"] for node in read_back["nodes"]
    ]


async def test_counts_tell_succeeded_and_failed_users_apart_from_unchanged_ones(
    execute: Execute, world: World
) -> None:
    users = [world.emile, world.nobody, world.alice, world.zoe]
    licenses = [to_assign(world, world.e3, world.teams)]

    result = await execute(ASSIGN, save_input(world, users, licenses=licenses))

    payload = data_of(result)["assignLicenses"]
    assert statuses(payload) == [
        ("Émile Dubois", "SUCCEEDED"),
        ("Nobody Located", "FAILED"),
        ("Alice Adams", "UNCHANGED"),
        ("Zoë Zhang", "FAILED"),  # E3 conflicts with her E5
    ]
    assert (payload["succeededCount"], payload["failedCount"]) == (1, 2)


@pytest.mark.parametrize("user", ["nobody", "alice"])
async def test_a_save_that_changes_no_user_says_nothing_was_applied(
    database: Database, execute: Execute, world: World, user: str
) -> None:
    before = await table_contents(database)
    licenses = [to_assign(world, world.e3, world.teams)]  # Nobody: fails; Alice: holds it

    result = await execute(ASSIGN, save_input(world, [getattr(world, user)], licenses=licenses))

    assert await table_contents(database) == before
    assert data_of(result)["assignLicenses"]["applied"] is False


async def test_a_repeated_product_is_named_by_its_public_id(execute: Execute, world: World) -> None:
    e3 = world.gid("Product", world.e3)
    document = """
    mutation ($input: RevokeLicensesInput!) { revokeLicenses(input: $input) { applied } }"""
    variables = {
        "input": {
            "customerId": world.gid("Customer", world.contoso),
            "userIds": [world.gid("User", world.alice)],
            "productIds": [e3, e3],
        }
    }

    result = await execute(document, variables)

    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "BAD_USER_INPUT", "productIds": [e3]}
    assert str(world.e3) not in result.errors[0].message
