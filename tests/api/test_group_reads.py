"""Reading groups: Customer.groups, Group.members, licenses and licenseErrors, User.groups;
exact data, paging both ways, and a statement count that does not grow with the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal
from licgraph.graphql.ids import to_global_id
from tests import factories as make
from tests.api.conftest import Execute, data_of
from tests.api.test_group_changes import Groups
from tests.api.test_read_statement_counts import SPLIT_BATCHES, assert_same_cost, cost_of
from tests.api.world import World

pytestmark = pytest.mark.usefixtures("invariants_hold")

GROUP_PAGE_QUERIES = 16

GROUPS = """
query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $search: String) {
  customer(id: $id) {
    groups(first: $first, after: $after, last: $last, before: $before, search: $search) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        name memberCount
        licenses { product { name } enabledServicePlans { name } }
        members(first: 10) { totalCount nodes { displayName groups { name } } }
        licenseErrors(first: 10) {
          totalCount
          nodes { user { displayName } product { name } errors { code } since }
        }
      }
    }
  }
}"""


@pytest.fixture
def groups(database: Database, settings: Settings, admin: Principal) -> Groups:
    return Groups(database, settings, admin)


def page(world: World, **arguments: Any) -> dict[str, Any]:
    return {"id": world.gid("Customer", world.contoso), **arguments}


async def test_groups_read_with_members_licenses_and_open_errors(
    execute: Execute, groups: Groups, world: World
) -> None:
    designers = await groups.create(world.contoso, "designers")
    await groups.create(world.contoso, "Accounting")
    await groups.license(designers, world.visio)
    await groups.add(designers, world.zoe, world.bob)  # one Visio seat: Zoë waits

    data = data_of(await execute(GROUPS, page(world, first=10)))["customer"]["groups"]

    accounting, design = data["nodes"]
    assert data["totalCount"] == 2
    assert accounting == {
        "name": "Accounting",
        "memberCount": 0,
        "licenses": [],
        "members": {"totalCount": 0, "nodes": []},
        "licenseErrors": {"totalCount": 0, "nodes": []},
    }
    waiting = design["licenseErrors"]["nodes"]
    assert design["memberCount"] == 2
    assert design["licenses"] == [{"product": {"name": "Visio Plan 2"}, "enabledServicePlans": []}]
    assert design["members"] == {
        "totalCount": 2,
        "nodes": [
            {"displayName": "bob Brown", "groups": [{"name": "designers"}]},
            {"displayName": "Zoë Zhang", "groups": [{"name": "designers"}]},
        ],
    }
    assert [{k: v for k, v in item.items() if k != "since"} for item in waiting] == [
        {
            "user": {"displayName": "Zoë Zhang"},
            "product": {"name": "Visio Plan 2"},
            "errors": [{"code": "INSUFFICIENT_LICENSES"}],
        }
    ]
    assert waiting[0]["since"].endswith("+00:00")


async def test_groups_page_both_ways_and_search(
    execute: Execute, groups: Groups, world: World
) -> None:
    for name in ("delta", "Alpha", "charlie", "Bravo"):
        await groups.create(world.contoso, name)

    def names(data: dict[str, Any]) -> list[str]:
        return [node["name"] for node in data["customer"]["groups"]["nodes"]]

    first = data_of(await execute(GROUPS, page(world, first=2)))
    cursor = first["customer"]["groups"]["pageInfo"]["endCursor"]
    second = data_of(await execute(GROUPS, page(world, first=2, after=cursor)))
    back = second["customer"]["groups"]["pageInfo"]["startCursor"]
    before = data_of(await execute(GROUPS, page(world, last=2, before=back)))
    found = data_of(await execute(GROUPS, page(world, first=5, search="ARL")))

    assert names(first) == ["Alpha", "Bravo"]
    assert names(second) == ["charlie", "delta"]
    assert second["customer"]["groups"]["pageInfo"]["hasNextPage"] is False
    assert names(before) == ["Alpha", "Bravo"]
    assert names(found) == ["charlie"]
    assert found["customer"]["groups"]["totalCount"] == 1


async def test_a_page_of_30_groups_costs_what_a_page_of_3_costs(
    execute: Execute,
    groups: Groups,
    database: Database,
    count_statements: Callable[[], Any],
) -> None:
    customer = await make.make_customer(database, "Northwind")
    product = await make.make_product(database, customer, "Suite", total=40)
    users = [await make.make_user(database, customer, f"User {n:02}", "US") for n in range(30)]
    for n in range(30):
        group = await groups.create(customer, f"Group {n:02}")
        await groups.license(group, product)
        await groups.add(group, users[n], users[(n + 1) % 30])
    variables = {"id": to_global_id("Customer", customer)}
    data_of(await execute(GROUPS, {**variables, "first": 1}))  # warm the pool

    small, _ = await cost_of(execute, count_statements, GROUPS, {**variables, "first": 3})
    large, data = await cost_of(execute, count_statements, GROUPS, {**variables, "first": 30})

    assert len(data["customer"]["groups"]["nodes"]) == 30
    assert_same_cost(small, large)
    # Pinned, so a change is noticed: the customer, the groups page and its count, then
    # one batch per nested field (licenses, their products and plans, member counts,
    # members' pages and counts, their groups, open errors' pages, counts and users).
    queries = large.queries
    assert GROUP_PAGE_QUERIES <= queries <= GROUP_PAGE_QUERIES + SPLIT_BATCHES, large.statements
