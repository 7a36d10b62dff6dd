"""The change log (CONTRACT section 3): every real change, newest first, in cursor pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from licgraph.db.engine import Database
from licgraph.domain.access import Principal, Role
from licgraph.graphql.ids import from_global_id
from tests import factories as make
from tests.api.conftest import Execute, data_of, error_codes
from tests.api.world import World, build_world

pytestmark = pytest.mark.usefixtures("invariants_hold")

LOG = """
query (
  $id: ID!, $first: Int, $after: String, $last: Int, $before: String,
  $filter: LicenseEventFilter
) {
  customer(id: $id) {
    licenseEvents(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        cursor
        node {
          id
          occurredAt
          action
          user { displayName }
          product { name }
          actor { name role }
          requestId
        }
      }
    }
  }
}"""
EVENT_NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on LicenseEvent { action user { displayName } product { name } }
  }
}"""
PURCHASE = """
mutation ($input: PurchaseLicensesInput!) { purchaseLicenses(input: $input) { applied } }"""
SET_LOCATION = """
mutation ($input: SetUsageLocationInput!) {
  setUsageLocation(input: $input) { results { status } }
}"""
UPDATE = """
mutation ($input: UpdateLicensesInput!) {
  updateLicenses(input: $input) { results { status } }
}"""

HELPDESK = {"name": "Hana at the helpdesk", "role": "HELPDESK_AGENT"}
ADMIN = {"name": "admin", "role": "ADMIN_AGENT"}
E3 = {"name": "Microsoft 365 E3"}
VISIO = {"name": "Visio Plan 2"}
COPILOT = {"name": "Microsoft 365 Copilot"}


@pytest.fixture
async def world(database: Database, execute: Execute) -> World:
    """The world after five changes: a purchase, a new location, then one Save by the
    helpdesk that revokes, changes plans, assigns, and refuses a user without location."""
    world = await build_world(database)
    helpdesk = await make.make_token(database, Role.HELPDESK_AGENT, name=HELPDESK["name"])
    contoso = world.gid("Customer", world.contoso)
    purchase = {"customerId": contoso, "productId": world.gid("Product", world.copilot)}
    data_of(await execute(PURCHASE, {"input": {**purchase, "quantity": 2}}))
    location = {"customerId": contoso, "userIds": [world.gid("User", world.emile)]}
    data_of(await execute(SET_LOCATION, {"input": {**location, "usageLocation": "DE"}}))
    save = {
        "customerId": contoso,
        "userIds": [world.gid("User", pk) for pk in (world.alice, world.emile, world.nobody)],
        "assign": [{"productId": world.gid("Product", world.e3)}],
        "revoke": [world.gid("Product", world.visio)],
    }
    statuses = data_of(await execute(UPDATE, {"input": save}, principal=helpdesk))
    assert statuses["updateLicenses"]["results"] == [
        {"status": "SUCCEEDED"},
        {"status": "SUCCEEDED"},
        {"status": "FAILED"},
    ]
    return world


def event(action: str, user: str | None, product: Any, actor: Any) -> dict[str, Any]:
    return {
        "action": action,
        "user": {"displayName": user} if user else None,
        "product": product,
        "actor": actor,
        "requestId": "test",
    }


NEWEST_FIRST = [
    event("ASSIGNED", "Émile Dubois", E3, HELPDESK),
    event("PLANS_CHANGED", "Alice Adams", E3, HELPDESK),
    event("REVOKED", "Alice Adams", VISIO, HELPDESK),
    event("USAGE_LOCATION_SET", "Émile Dubois", None, ADMIN),
    event("PURCHASED", None, COPILOT, ADMIN),
]


async def log_page(
    execute: Execute, world: World, *, principal: Principal | None = None, **arguments: Any
) -> dict[str, Any]:
    variables = {"id": world.gid("Customer", world.contoso), **arguments}
    customer = data_of(await execute(LOG, variables, principal=principal))["customer"]
    assert customer is not None
    connection: dict[str, Any] = customer["licenseEvents"]
    return connection


def described(connection: dict[str, Any]) -> list[dict[str, Any]]:
    """The events of a page without their id and time."""
    return [
        {k: v for k, v in edge["node"].items() if k not in ("id", "occurredAt")}
        for edge in connection["edges"]
    ]


def ids_of(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


async def test_events_are_listed_newest_first(execute: Execute, world: World) -> None:
    connection = await log_page(execute, world, first=10)

    assert described(connection) == NEWEST_FIRST
    assert connection["totalCount"] == 5
    assert connection["pageInfo"]["hasNextPage"] is False
    assert connection["pageInfo"]["hasPreviousPage"] is False


async def test_the_events_of_one_save_share_their_time(execute: Execute, world: World) -> None:
    connection = await log_page(execute, world, first=3)

    times = {edge["node"]["occurredAt"] for edge in connection["edges"]}
    assert len(times) == 1
    assert datetime.fromisoformat(times.pop()).utcoffset() is not None
    assert {from_global_id(pk)[0] for pk in ids_of(connection)} == {"LicenseEvent"}


async def test_first_and_after_visit_every_event_once(execute: Execute, world: World) -> None:
    everything = ids_of(await log_page(execute, world, first=10))
    visited: list[str] = []
    page = await log_page(execute, world, first=2)
    pages = 1
    while True:
        visited += ids_of(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        page = await log_page(execute, world, first=2, after=page["pageInfo"]["endCursor"])
        pages += 1

    assert visited == everything
    assert pages == 3


async def test_last_and_before_visit_every_event_once(execute: Execute, world: World) -> None:
    everything = ids_of(await log_page(execute, world, first=10))
    pages: list[list[str]] = []
    page = await log_page(execute, world, last=2)
    while True:
        pages.insert(0, ids_of(page))
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        page = await log_page(execute, world, last=2, before=page["pageInfo"]["startCursor"])

    assert [len(ids) for ids in pages] == [1, 2, 2]
    assert [pk for ids in pages for pk in ids] == everything


@pytest.mark.parametrize(
    ("event_filter", "expected"),
    [
        pytest.param({"userId": "alice"}, NEWEST_FIRST[1:3], id="by-user"),
        pytest.param({"productId": "e3"}, NEWEST_FIRST[0:2], id="by-product"),
        pytest.param({"action": "ASSIGNED"}, NEWEST_FIRST[0:1], id="by-action"),
        pytest.param(
            {"userId": "emile", "action": "USAGE_LOCATION_SET"}, NEWEST_FIRST[3:4], id="both"
        ),
        pytest.param({"userId": "nobody"}, [], id="failed-user"),
    ],
)
async def test_events_can_be_filtered(
    execute: Execute, world: World, event_filter: dict[str, str], expected: list[Any]
) -> None:
    types = {"userId": "User", "productId": "Product"}
    resolved = {
        key: world.gid(types[key], getattr(world, value)) if key in types else value
        for key, value in event_filter.items()
    }

    connection = await log_page(execute, world, first=10, filter=resolved)

    assert described(connection) == expected
    assert connection["totalCount"] == len(expected)


async def test_an_event_id_resolves_as_a_node(execute: Execute, world: World) -> None:
    newest = ids_of(await log_page(execute, world, first=1))[0]

    result = await execute(EVENT_NODE, {"id": newest})

    assert data_of(result) == {
        "node": {
            "__typename": "LicenseEvent",
            "id": newest,
            "action": "ASSIGNED",
            "user": {"displayName": "Émile Dubois"},
            "product": E3,
        }
    }


async def test_another_customers_admin_sees_no_log(
    database: Database, execute: Execute, world: World
) -> None:
    newest = ids_of(await log_page(execute, world, first=1))[0]
    stranger = await make.make_token(database, Role.GLOBAL_ADMIN, customer_id=world.fabrikam)
    variables = {"id": world.gid("Customer", world.contoso), "first": 10}

    log = await execute(LOG, variables, principal=stranger)
    node = await execute(EVENT_NODE, {"id": newest}, principal=stranger)

    assert data_of(log) == {"customer": None}
    assert data_of(node) == {"node": None}


async def test_changes_of_another_customer_stay_in_their_log(
    execute: Execute, world: World
) -> None:
    save = {
        "customerId": world.gid("Customer", world.fabrikam),
        "userIds": [world.gid("User", world.foreigner)],
        "revoke": [world.gid("Product", world.fabrikam_e3)],
    }
    data_of(await execute(UPDATE, {"input": save}))

    contoso = await log_page(execute, world, first=10)
    fabrikam = data_of(
        await execute(LOG, {"id": world.gid("Customer", world.fabrikam), "first": 10})
    )["customer"]["licenseEvents"]

    assert contoso["totalCount"] == 5
    assert described(fabrikam) == [event("REVOKED", "Foreign User", E3, ADMIN)]


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param({"first": 101}, id="too-many"),
        pytest.param({"first": 2, "after": "not-a-cursor"}, id="bad-cursor"),
    ],
)
async def test_bad_paging_of_the_log_is_refused(
    execute: Execute, world: World, arguments: dict[str, Any]
) -> None:
    result = await execute(LOG, {"id": world.gid("Customer", world.contoso), **arguments})

    assert error_codes(result) == ["BAD_USER_INPUT"]
