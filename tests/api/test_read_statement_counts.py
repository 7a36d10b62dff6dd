"""The SQL cost of a read does not grow with the page size or the number of ids (no N+1)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, update

from licgraph.db.engine import Database
from licgraph.db.tables import (
    customer_table,
    license_assignment_table,
    license_event_table,
    product_table,
    user_table,
)
from licgraph.domain.directory import sort_key
from licgraph.graphql.ids import to_global_id
from tests import factories as make
from tests.api.conftest import Execute, data_of

USER_COUNT = 300
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

USERS_AND_SELECTION = """
query ($id: ID!, $first: Int!, $userIds: [ID!]!) {
  customer(id: $id) {
    users(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id displayName usageLocation
          licenses {
            assignedAt
            product { name }
            enabledServicePlans { name }
            disabledServicePlans { name }
          }
        }
      }
    }
    usersByIds(ids: $userIds) { displayName }
    products {
      name availableLicenses
      assignmentState(userIds: $userIds)
      assignedUsers(userIds: $userIds) { displayName }
      servicePlans { name requiredServicePlans { name } }
      requiredProducts { name }
      conflictingProducts { name }
    }
  }
}"""
USERS_BY_IDS = """
query ($id: ID!, $ids: [ID!]!) {
  customer(id: $id) {
    usersByIds(ids: $ids) {
      id displayName
      licenses { product { name } enabledServicePlans { name } disabledServicePlans { name } }
    }
  }
}"""
NODES = """
query ($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on User { displayName licenses { product { name } } }
    ... on Product { name servicePlans { name } }
  }
}"""
CUSTOMERS = """
query ($first: Int!) {
  customers(first: $first) {
    totalCount
    edges { node { name domain products { name availableLicenses } } }
  }
}"""
CUSTOMERS_WITH_USERS = """
query ($first: Int!) {
  customers(first: $first) {
    edges { node { name users(first: 3) { totalCount nodes { displayName } } } }
  }
}"""
EVENTS = """
query ($id: ID!, $first: Int!) {
  customer(id: $id) {
    licenseEvents(first: $first) {
      totalCount
      edges { node { action actor { name role } user { displayName } product { name } } }
    }
  }
}"""


@dataclass(frozen=True)
class Catalog:
    customer: int
    users: list[int]  # in list order
    products: list[int]


@pytest.fixture
async def catalog(database: Database) -> Catalog:
    """300 users of one customer holding licenses of four related products (bulk inserted)."""
    customer = await make.make_customer(database, "Contoso", "contoso.example.com")
    e3 = await make.make_product(database, customer, "Microsoft 365 E3", total=1000)
    e5 = await make.make_product(database, customer, "Microsoft 365 E5", total=1000)
    visio = await make.make_product(database, customer, "Visio Plan 2", total=1000)
    copilot = await make.make_product(database, customer, "Microsoft 365 Copilot", total=1000)
    exchange = await make.make_plan(database, e3, "Exchange Online")
    sharepoint = await make.make_plan(database, e3, "SharePoint Online")
    teams = await make.make_plan(database, e3, "Microsoft Teams", requires=(exchange, sharepoint))
    await make.make_plan(database, e5, "Exchange Online (Plan 2)")
    await make.make_plan(database, visio, "Visio Web")
    await make.require(database, visio, e3, e5)
    await make.require(database, copilot, e3, e5)
    await make.conflict(database, e3, e5)
    await make.unavailable_in(database, copilot, "CN")
    users = await _insert_users(database, customer)
    await _insert_licenses(database, users, e3=e3, e5=e5, visio=visio, teams=teams)
    await _insert_events(database, customer, users, [e3, e5, visio])
    order = sorted(users, key=lambda pk: (users[pk].casefold(), pk))
    return Catalog(customer=customer, users=order, products=[e3, e5, visio, copilot])


async def _insert_users(database: Database, customer: int) -> dict[int, str]:
    rows = [
        {
            "customer_id": customer,
            "display_name": f"User {index:03d}",
            "display_name_key": sort_key(f"User {index:03d}"),
            "user_principal_name": f"user{index}@contoso.example.com",
            "usage_location": "US",
        }
        for index in range(USER_COUNT)
    ]
    async with database.transaction() as connection:
        await connection.execute(insert(user_table), rows)
        stored = await connection.execute(
            user_table.select().where(user_table.c.customer_id == customer)
        )
        return {row.id: row.display_name for row in stored}


async def _insert_licenses(
    database: Database, users: dict[int, str], *, e3: int, e5: int, visio: int, teams: int
) -> None:
    """Every user holds E3 or E5 (some E3 with Teams off); every third also holds Visio."""
    rows: list[dict[str, Any]] = []
    for index, user in enumerate(sorted(users)):
        base = e3 if index % 2 == 0 else e5
        disabled = [teams] if index % 4 == 0 else []
        rows.append(_license(user, base, disabled))
        if index % 3 == 0:
            rows.append(_license(user, visio, []))
    async with database.transaction() as connection:
        await connection.execute(insert(license_assignment_table), rows)
        for product in (e3, e5, visio):
            held = sum(1 for row in rows if row["product_id"] == product)
            await connection.execute(
                update(product_table)
                .where(product_table.c.id == product)
                .values(assigned_licenses=held)
            )


def _license(user: int, product: int, disabled: list[int]) -> dict[str, Any]:
    return {
        "user_id": user,
        "product_id": product,
        "disabled_service_plan_ids": disabled,
        "assigned_at": WHEN,
    }


async def _insert_events(
    database: Database, customer: int, users: dict[int, str], products: list[int]
) -> None:
    rows = [
        {
            "customer_id": customer,
            "occurred_at": WHEN,
            "action": "ASSIGNED",
            "user_id": user,
            "product_id": products[index % len(products)],
            "actor_name": "admin",
            "actor_role": "admin-agent",
            "request_id": f"r{index}",
            "details": {},
        }
        for index, user in enumerate(sorted(users)[:120])
    ]
    async with database.transaction() as connection:
        await connection.execute(insert(license_event_table), rows)


def user_ids(pks: list[int]) -> list[str]:
    return [to_global_id("User", pk) for pk in pks]


@dataclass(frozen=True)
class Cost:
    statements: list[str]

    @property
    def total(self) -> int:
        return len(self.statements)

    @property
    def queries(self) -> int:
        """Statements but BEGIN: licgraph sends SQLite's BEGIN itself, the PostgreSQL driver not."""
        return sum(1 for statement in self.statements if statement.strip() != "BEGIN")

    @property
    def kinds(self) -> set[str]:
        """The distinct queries, whatever their id lists: what must not grow with the input."""
        return {
            re.sub(r"IN \([^)]*\)|ANY \([^)]*\)|\$\d+|\?", "…", statement)
            for statement in self.statements
        }


# A loader batches the loads made in one turn of the event loop; when one resolver's data
# arrives a moment later, its loads can form a second batch of the same query. So the
# same kinds of query must run whatever the size, and the count may vary by a split or two.
SPLIT_BATCHES = 2


def assert_same_cost(small: Cost, large: Cost) -> None:
    """The larger input runs the same kinds of query, in (nearly) as many statements."""
    assert large.kinds == small.kinds, large.kinds ^ small.kinds
    assert abs(large.queries - small.queries) <= SPLIT_BATCHES, (small.queries, large.queries)


async def cost_of(
    execute: Execute,
    count_statements: Callable[[], Any],
    query: str,
    variables: dict[str, Any],
) -> tuple[Cost, dict[str, Any]]:
    with count_statements() as statements:
        data = data_of(await execute(query, variables))
    return Cost(list(statements)), data


@pytest.fixture
async def warm(execute: Execute, catalog: Catalog) -> None:
    """One read first, so pooled connections and caches are equally warm for every count."""
    data_of(
        await execute(USERS_BY_IDS, {"id": to_global_id("Customer", catalog.customer), "ids": []})
    )


# --- a page of users with their licenses, and the "Manage licenses" panel ---------------

# The figures themselves are pinned too, so that any change is noticed and explained. The
# total counts SQLite's BEGIN of each pooled connection (one per loader batch).
PAGE_WITH_SELECTION_QUERIES = 14
PAGE_WITH_SELECTION_TOTAL_ON_SQLITE = 23
USERS_BY_IDS_QUERIES = 9
USERS_BY_IDS_TOTAL_ON_SQLITE = 14


def check_pinned(cost: Cost, database: Database, *, queries: int, sqlite_total: int) -> None:
    assert queries <= cost.queries <= queries + SPLIT_BATCHES, cost.statements
    if database.is_sqlite:
        assert sqlite_total <= cost.total <= sqlite_total + 2 * SPLIT_BATCHES, cost.statements


async def test_a_page_of_100_with_selection_costs_what_a_page_of_10_costs(
    execute: Execute,
    count_statements: Callable[[], Any],
    database: Database,
    catalog: Catalog,
    warm: None,
) -> None:
    customer = to_global_id("Customer", catalog.customer)

    small, small_data = await cost_of(
        execute,
        count_statements,
        USERS_AND_SELECTION,
        {"id": customer, "first": 10, "userIds": user_ids(catalog.users[:10])},
    )
    large, large_data = await cost_of(
        execute,
        count_statements,
        USERS_AND_SELECTION,
        {"id": customer, "first": 100, "userIds": user_ids(catalog.users[:100])},
    )

    assert len(small_data["customer"]["users"]["edges"]) == 10
    assert len(large_data["customer"]["users"]["edges"]) == 100
    assert len(large_data["customer"]["usersByIds"]) == 100
    assert all(edge["node"]["licenses"] for edge in large_data["customer"]["users"]["edges"])
    states = {p["name"]: p["assignmentState"] for p in large_data["customer"]["products"]}
    assert states == {
        "Microsoft 365 Copilot": "NONE",
        "Microsoft 365 E3": "SOME",
        "Microsoft 365 E5": "SOME",
        "Visio Plan 2": "SOME",
    }
    assert_same_cost(small, large)
    check_pinned(
        large,
        database,
        queries=PAGE_WITH_SELECTION_QUERIES,
        sqlite_total=PAGE_WITH_SELECTION_TOTAL_ON_SQLITE,
    )


# --- selections by id -------------------------------------------------------------------


async def test_users_by_300_ids_cost_what_10_ids_cost(
    execute: Execute,
    count_statements: Callable[[], Any],
    database: Database,
    catalog: Catalog,
    warm: None,
) -> None:
    customer = to_global_id("Customer", catalog.customer)

    small, small_data = await cost_of(
        execute,
        count_statements,
        USERS_BY_IDS,
        {"id": customer, "ids": user_ids(catalog.users[:10])},
    )
    large, large_data = await cost_of(
        execute, count_statements, USERS_BY_IDS, {"id": customer, "ids": user_ids(catalog.users)}
    )

    assert len(small_data["customer"]["usersByIds"]) == 10
    assert len(large_data["customer"]["usersByIds"]) == USER_COUNT
    assert_same_cost(small, large)
    check_pinned(
        large, database, queries=USERS_BY_IDS_QUERIES, sqlite_total=USERS_BY_IDS_TOTAL_ON_SQLITE
    )


async def test_nodes_of_300_ids_cost_what_10_ids_cost(
    execute: Execute, count_statements: Callable[[], Any], catalog: Catalog, warm: None
) -> None:
    products = [to_global_id("Product", pk) for pk in catalog.products]

    small, _ = await cost_of(
        execute, count_statements, NODES, {"ids": [*user_ids(catalog.users[:6]), *products]}
    )
    large, large_data = await cost_of(
        execute, count_statements, NODES, {"ids": [*user_ids(catalog.users), *products]}
    )

    assert None not in large_data["nodes"]
    assert_same_cost(small, large)


# --- other lists ------------------------------------------------------------------------


async def add_customers(database: Database, count: int) -> None:
    rows = [
        {"name": f"Customer {i:02d}", "name_key": f"customer {i:02d}", "domain": f"x{i}.example"}
        for i in range(count)
    ]
    async with database.transaction() as connection:
        await connection.execute(insert(customer_table), rows)


async def test_a_page_of_30_customers_costs_what_a_page_of_3_costs(
    execute: Execute,
    count_statements: Callable[[], Any],
    database: Database,
    catalog: Catalog,
    warm: None,
) -> None:
    await add_customers(database, 30)

    small, _ = await cost_of(execute, count_statements, CUSTOMERS, {"first": 3})
    large, large_data = await cost_of(execute, count_statements, CUSTOMERS, {"first": 30})

    assert len(large_data["customers"]["edges"]) == 30
    assert_same_cost(small, large)


async def test_nested_user_pages_in_a_customers_page_do_not_grow_with_the_page(
    execute: Execute,
    count_statements: Callable[[], Any],
    database: Database,
    catalog: Catalog,
    warm: None,
) -> None:
    await add_customers(database, 30)

    small, _ = await cost_of(execute, count_statements, CUSTOMERS_WITH_USERS, {"first": 3})
    large, _ = await cost_of(execute, count_statements, CUSTOMERS_WITH_USERS, {"first": 30})

    assert_same_cost(small, large)


async def test_a_page_of_100_events_costs_what_a_page_of_5_costs(
    execute: Execute, count_statements: Callable[[], Any], catalog: Catalog, warm: None
) -> None:
    customer = to_global_id("Customer", catalog.customer)

    small, _ = await cost_of(execute, count_statements, EVENTS, {"id": customer, "first": 5})
    large, large_data = await cost_of(
        execute, count_statements, EVENTS, {"id": customer, "first": 100}
    )

    assert len(large_data["customer"]["licenseEvents"]["edges"]) == 100
    assert_same_cost(small, large)
