"""Saves under pressure: racing for the last seats, failing half-way, and growing in size."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from structlog.testing import capture_logs

from licgraph.db.engine import Database
from licgraph.graphql.ids import to_global_id
from tests import factories as make
from tests.api.conftest import Execute, data_of, error_codes
from tests.api.invariants import table_contents
from tests.api.world import World, build_world

pytestmark = pytest.mark.usefixtures("invariants_hold")

ASSIGN = """
mutation ($input: AssignLicensesInput!) {
  assignLicenses(input: $input) {
    results {
      status
      errors { __typename ... on InsufficientLicensesError { requested available } }
    }
  }
}"""
UPDATE = """
mutation ($input: UpdateLicensesInput!) {
  updateLicenses(input: $input) {
    applied
    succeededCount
    failedCount
    products { name assignedLicenses availableLicenses }
    results {
      userId
      status
      user { displayName usageLocation }
      licenses { product { name } assignedAt }
      errors { code message }
    }
  }
}"""

RACERS = 20
FREE_SEATS = 5
# The save itself takes 18 statements on SQLite (20 on PostgreSQL, which locks rows first);
# the rest resolve the payload through the request's loaders.
STATEMENT_BOUND = 25


def gid(type_name: str, pk: int) -> str:
    return to_global_id(type_name, pk)


def assign_input(customer: int, users: list[int], products: list[int]) -> dict[str, Any]:
    return {
        "input": {
            "customerId": gid("Customer", customer),
            "userIds": [gid("User", pk) for pk in users],
            "licenses": [{"productId": gid("Product", pk)} for pk in products],
        }
    }


# -- racing for seats --------------------------------------------------------------------


async def test_concurrent_saves_never_oversell_the_last_seats(
    database: Database, execute: Execute
) -> None:
    customer = await make.make_customer(database, "Northwind")
    held_seats = 3
    product = await make.make_product(database, customer, "Contested", total=held_seats + 5)
    for n in range(held_seats):
        await make.assign(
            database, await make.make_user(database, customer, f"Holder {n}"), product
        )
    racers = [await make.make_user(database, customer, f"Racer {n:02}") for n in range(RACERS)]

    responses = await asyncio.gather(
        *(execute(ASSIGN, assign_input(customer, [racer], [product])) for racer in racers)
    )

    results = [data_of(response)["assignLicenses"]["results"][0] for response in responses]
    assert Counter(result["status"] for result in results) == {
        "SUCCEEDED": FREE_SEATS,
        "FAILED": RACERS - FREE_SEATS,
    }
    refusals = [result["errors"] for result in results if result["status"] == "FAILED"]
    expected = [{"__typename": "InsufficientLicensesError", "requested": 1, "available": 0}]
    assert refusals == [expected] * (RACERS - FREE_SEATS)
    assert await make.assigned_count(database, product) == (held_seats + 5, held_seats + 5)


async def test_concurrent_twins_with_one_key_apply_once(
    database: Database, execute: Execute
) -> None:
    world = await build_world(database)
    variables = _failing_save(world)  # no trigger here: it simply succeeds

    first, second = await asyncio.gather(execute(UPDATE, variables), execute(UPDATE, variables))

    assert data_of(first) == data_of(second)
    assert await make.assigned_count(database, world.e3) == (3, 3)
    assert len((await table_contents(database))["license_event"]) == 3


async def test_concurrent_saves_of_exclusive_products_leave_one(
    database: Database, execute: Execute
) -> None:
    world = await build_world(database)

    responses = await asyncio.gather(
        execute(ASSIGN, assign_input(world.contoso, [world.emile], [world.e3])),
        execute(ASSIGN, assign_input(world.contoso, [world.emile], [world.e5])),
    )

    results = [data_of(response)["assignLicenses"]["results"][0] for response in responses]
    assert sorted(result["status"] for result in results) == ["FAILED", "SUCCEEDED"]
    # the invariant fixture proves that Émile does not hold both


async def test_a_base_revoked_while_its_add_on_is_assigned_leaves_no_orphan(
    database: Database, execute: Execute
) -> None:
    world = await build_world(database)
    await make.assign(database, world.emile, world.e3)
    revoke = {
        "input": {
            "customerId": gid("Customer", world.contoso),
            "userIds": [gid("User", world.emile)],
            "revoke": [gid("Product", world.e3)],
        }
    }

    responses = await asyncio.gather(
        execute(UPDATE, revoke),
        execute(ASSIGN, assign_input(world.contoso, [world.emile], [world.visio])),
    )

    statuses = [
        data_of(r)[name]["results"][0]["status"]
        for r, name in zip(responses, ("updateLicenses", "assignLicenses"), strict=True)
    ]
    assert sorted(statuses) == ["FAILED", "SUCCEEDED"]


# -- failing after the writes --------------------------------------------------------------


async def _fail_events_of(database: Database, user_id: int) -> None:
    """A real trigger: any change-log row for ``user_id`` aborts its statement."""
    async with database.transaction() as connection:
        if database.is_sqlite:
            await connection.execute(
                text(
                    "CREATE TRIGGER forced_failure BEFORE INSERT ON license_event "
                    f"WHEN NEW.user_id = {int(user_id)} "
                    "BEGIN SELECT RAISE(ABORT, 'forced'); END"
                )
            )
            return
        await connection.execute(
            text(
                "CREATE FUNCTION forced_failure() RETURNS trigger LANGUAGE plpgsql "
                "AS $$ BEGIN RAISE EXCEPTION 'forced'; END $$"
            )
        )
        await connection.execute(
            text(
                "CREATE TRIGGER forced_failure BEFORE INSERT ON license_event FOR EACH ROW "
                f"WHEN (NEW.user_id = {int(user_id)}) EXECUTE FUNCTION forced_failure()"
            )
        )


async def _stop_failing(database: Database) -> None:
    suffix = "" if database.is_sqlite else " ON license_event"
    async with database.transaction() as connection:
        await connection.execute(text(f"DROP TRIGGER forced_failure{suffix}"))


def _failing_save(world: World) -> dict[str, Any]:
    """Revokes, changes plans and assigns; Émile's change is written last."""
    return {
        "input": {
            "customerId": gid("Customer", world.contoso),
            "userIds": [gid("User", world.alice), gid("User", world.emile)],
            "assign": [{"productId": gid("Product", world.e3)}],
            "revoke": [gid("Product", world.visio)],
            "idempotencyKey": "half-way",
        }
    }


async def test_a_save_failing_after_its_writes_leaves_no_trace(
    database: Database, execute: Execute
) -> None:
    world = await build_world(database)
    await _fail_events_of(database, world.emile)
    before = await table_contents(database)

    with capture_logs() as logs:
        result = await execute(UPDATE, _failing_save(world))

    assert result.data is None
    assert error_codes(result) == ["INTERNAL_SERVER_ERROR"]
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "INTERNAL_SERVER_ERROR", "requestId": "test"}
    message = result.errors[0].message.lower()
    assert not any(word in message for word in ("forced", "insert", "select", "license_event"))
    # product, license_assignment, license_event, user_account and idempotency_record
    assert await table_contents(database) == before
    assert [(log["event"], log["log_level"], log["request_id"]) for log in logs] == [
        ("unexpected error", "error", "test")
    ]


async def test_a_key_is_not_spent_by_a_save_that_failed(
    database: Database, execute: Execute
) -> None:
    world = await build_world(database)
    await _fail_events_of(database, world.emile)
    with capture_logs():
        await execute(UPDATE, _failing_save(world))
    await _stop_failing(database)

    retried = data_of(await execute(UPDATE, _failing_save(world)))["updateLicenses"]

    assert retried["applied"] is True
    assert [r["status"] for r in retried["results"]] == ["SUCCEEDED", "SUCCEEDED"]


# -- statements per save -------------------------------------------------------------------


@dataclass(frozen=True)
class Crowd:
    customer: int
    users: list[int]
    to_assign: list[int]
    to_revoke: int


async def _crowd(database: Database, size: int) -> Crowd:
    """``size`` users of a fresh customer, each holding a product about to be revoked."""
    customer = await make.make_customer(database, f"Crowd of {size}")
    first = await make.make_product(database, customer, "First", total=size)
    second = await make.make_product(database, customer, "Second", total=size)
    old = await make.make_product(database, customer, "Old", total=size)
    await make.make_plan(database, first, "Plan A")
    users = [await make.make_user(database, customer, f"Member {n:03}") for n in range(size)]
    for user in users:
        await make.assign(database, user, old)
    return Crowd(customer, users, [first, second], old)


async def _statements_of_save(
    execute: Execute, count_statements: Callable[[], Any], crowd: Crowd
) -> int:
    variables = {
        "input": {
            "customerId": gid("Customer", crowd.customer),
            "userIds": [gid("User", pk) for pk in crowd.users],
            "assign": [{"productId": gid("Product", pk)} for pk in crowd.to_assign],
            "revoke": [gid("Product", crowd.to_revoke)],
        }
    }
    with count_statements() as statements:
        payload = data_of(await execute(UPDATE, variables))["updateLicenses"]
    assert payload["succeededCount"] == len(crowd.users)
    return len(statements)


async def test_a_save_costs_the_same_statements_for_10_or_200_users(
    database: Database, execute: Execute, count_statements: Callable[[], Any]
) -> None:
    small, large = await _crowd(database, 10), await _crowd(database, 200)

    for_small = await _statements_of_save(execute, count_statements, small)
    for_large = await _statements_of_save(execute, count_statements, large)

    assert for_small == for_large
    assert for_small <= STATEMENT_BOUND
