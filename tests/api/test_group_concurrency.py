"""Group changes under pressure, on both engines: racing each other for the last seats and
racing a Save over the same users (the invariants, sources included, run after each test)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal
from licgraph.domain.outcomes import OutcomeStatus
from licgraph.services.groups import GroupOperation
from tests import factories as make
from tests.api.conftest import Execute, data_of
from tests.api.test_group_changes import Groups, open_errors
from tests.api.test_save_concurrency import ASSIGN, assign_input

pytestmark = pytest.mark.usefixtures("invariants_hold")

MEMBERS_PER_GROUP = 4
FREE_SEATS = 5


@pytest.fixture
def groups(database: Database, settings: Settings, admin: Principal) -> Groups:
    return Groups(database, settings, admin)


async def test_two_groups_racing_for_the_last_seats_never_oversell(
    database: Database, groups: Groups
) -> None:
    customer = await make.make_customer(database, "Northwind")
    product = await make.make_product(database, customer, "Contested", total=FREE_SEATS)
    racing = []
    for name in ("Red", "Blue"):
        group = await groups.create(customer, name)
        members = [
            await make.make_user(database, customer, f"{name} {n}", "US")
            for n in range(MEMBERS_PER_GROUP)
        ]
        await groups.add(group, *members)
        racing.append(group)

    results = await asyncio.gather(*(groups.license(group, product) for group in racing))

    statuses = Counter(item.status for result in results for item in result.update.results)
    assert statuses == {
        OutcomeStatus.SUCCEEDED: FREE_SEATS,
        OutcomeStatus.FAILED: 2 * MEMBERS_PER_GROUP - FREE_SEATS,
    }
    assert await make.assigned_count(database, product) == (FREE_SEATS, FREE_SEATS)
    waiting = [len(await open_errors(database, group)) for group in racing]
    assert sum(waiting) == 2 * MEMBERS_PER_GROUP - FREE_SEATS


async def test_a_save_and_a_group_change_on_the_same_users_lose_no_update(
    database: Database, groups: Groups, execute: Execute
) -> None:
    customer = await make.make_customer(database, "Northwind")
    granted = await make.make_product(database, customer, "By the group", total=10)
    assigned = await make.make_product(database, customer, "By the Save", total=10)
    users = [await make.make_user(database, customer, f"User {n}", "US") for n in range(5)]
    group = await groups.create(customer, "Everyone")
    await groups.add(group, *users)

    group_change, save = await asyncio.gather(
        groups.license(group, granted),
        execute(ASSIGN, assign_input(customer, users, [granted, assigned])),
    )

    # Whichever ran first, both changes hold: everyone has both products, one seat each.
    assert {item.status for item in group_change.update.results} <= {
        OutcomeStatus.SUCCEEDED,
        OutcomeStatus.UNCHANGED,
    }
    assert {result["status"] for result in data_of(save)["assignLicenses"]["results"]} <= {
        "SUCCEEDED",
        "UNCHANGED",
    }
    assert await make.assigned_count(database, granted) == (5, 5)
    assert await make.assigned_count(database, assigned) == (5, 5)
    reprocessed = await groups(GroupOperation.REPROCESS, group_id=group.id)
    assert {item.status for item in reprocessed.update.results} == {OutcomeStatus.UNCHANGED}


# -- cost --------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["license", "add", "remove", "reprocess"])
async def test_a_group_change_costs_the_same_statements_for_5_or_40_members(
    database: Database,
    groups: Groups,
    count_statements: Callable[[], Any],
    operation: str,
) -> None:
    async def statements_for(size: int) -> int:
        customer = await make.make_customer(database, f"Size {size}")
        base = await make.make_product(database, customer, "Base", total=size)
        product = await make.make_product(database, customer, "Granted", total=size // 2)
        users = [await make.make_user(database, customer, f"U{n}", "US") for n in range(size)]
        group = await groups.create(customer, "Everyone")
        await groups.license(group, base)
        change: Callable[[], Awaitable[object]]
        if operation == "license":
            await groups.add(group, *users)
            change = lambda: groups.license(group, product)  # noqa: E731
        elif operation == "add":
            await groups.license(group, product)
            change = lambda: groups.add(group, *users)  # noqa: E731
        elif operation == "remove":
            await groups.add(group, *users)
            await groups.license(group, product)
            change = lambda: groups.remove(group, *users)  # noqa: E731
        else:
            await groups.add(group, *users)
            await groups.license(group, product)  # half the members wait for seats
            await make.buy(database, product, size - size // 2)  # enough for all of them
            change = lambda: groups(GroupOperation.REPROCESS, group_id=group.id)  # noqa: E731
        with count_statements() as statements:
            await change()
        return len(statements)

    assert await statements_for(5) == await statements_for(40)
