"""Bulk inserts for seeding: Core ``insert`` with lists of rows, so drivers use executemany.

Every function expects a write transaction (``Database.transaction()``): ids are reserved
up front, which on SQLite relies on the write lock that ``BEGIN IMMEDIATE`` takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.tables import (
    customer_table,
    license_assignment_table,
    product_conflict_table,
    product_requirement_table,
    product_table,
    product_unavailable_location_table,
    service_plan_requirement_table,
    service_plan_table,
    user_table,
)
from licgraph.domain.directory import sort_key

# Rows per executemany call: large enough to amortise round trips, small enough to keep a
# statement's memory flat whatever the caller hands in.
BATCH_SIZE = 10_000


class NewProduct(NamedTuple):
    """A product entitlement to insert; its assigned count starts at zero."""

    sku_part_number: str
    name: str
    total_licenses: int


class NewUser(NamedTuple):
    """A user to insert."""

    display_name: str
    user_principal_name: str
    usage_location: str | None


class NewAssignment(NamedTuple):
    """A license to insert for an existing user."""

    user_id: int
    product_id: int
    disabled_service_plan_ids: tuple[int, ...]


async def count_customers(connection: AsyncConnection) -> int:
    """How many customers the database holds."""
    return int(await connection.scalar(select(func.count()).select_from(customer_table)) or 0)


async def max_customer_id(connection: AsyncConnection) -> int:
    """The highest customer id so far, 0 when there is none."""
    return int(await connection.scalar(select(func.max(customer_table.c.id))) or 0)


async def lock_customers(connection: AsyncConnection) -> None:
    """Make concurrent seeders of one database wait for each other until commit."""
    # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs a table lock so
    # that two servers started with --demo can't both see an empty database and both seed.
    if connection.dialect.name == "postgresql":
        await connection.execute(text("LOCK TABLE customer IN SHARE ROW EXCLUSIVE MODE"))


async def insert_customer(connection: AsyncConnection, *, name: str, domain: str) -> int:
    """Insert one customer and return its id."""
    row = {"name": name, "name_key": sort_key(name), "domain": domain}
    [customer_id] = await _insert_with_ids(connection, customer_table, [row])
    return customer_id


async def insert_products(
    connection: AsyncConnection, *, customer_id: int, products: Sequence[NewProduct]
) -> list[int]:
    """Insert a customer's products and return their ids in the given order."""
    rows = [
        {**product._asdict(), "customer_id": customer_id, "assigned_licenses": 0}
        for product in products
    ]
    return await _insert_with_ids(connection, product_table, rows)


async def insert_service_plans(
    connection: AsyncConnection, plans: Sequence[tuple[int, str]]
) -> list[int]:
    """Insert ``(product_id, name)`` service plans and return their ids in the given order."""
    rows = [{"product_id": product_id, "name": name} for product_id, name in plans]
    return await _insert_with_ids(connection, service_plan_table, rows)


async def insert_service_plan_requirements(
    connection: AsyncConnection, pairs: Iterable[tuple[int, int]]
) -> None:
    """Insert ``(plan_id, required_plan_id)``: the second must stay enabled with the first."""
    rows = [{"service_plan_id": p, "required_service_plan_id": r} for p, r in pairs]
    await _insert(connection, service_plan_requirement_table, rows)


async def insert_product_requirements(
    connection: AsyncConnection, pairs: Iterable[tuple[int, int]]
) -> None:
    """Insert ``(product_id, required_product_id)``: the product needs any one of its set."""
    rows = [{"product_id": p, "required_product_id": r} for p, r in pairs]
    await _insert(connection, product_requirement_table, rows)


async def insert_product_conflicts(
    connection: AsyncConnection, pairs: Iterable[tuple[int, int]]
) -> None:
    """Insert mutually exclusive product pairs, given in either order or twice."""
    # The table stores each pair once, lower id first (a CHECK enforces it).
    ordered = sorted({(min(pair), max(pair)) for pair in pairs})
    rows = [{"product_id": low, "conflicting_product_id": high} for low, high in ordered]
    await _insert(connection, product_conflict_table, rows)


async def insert_unavailable_locations(
    connection: AsyncConnection, pairs: Iterable[tuple[int, str]]
) -> None:
    """Insert ``(product_id, usage_location)`` pairs where a product can't be assigned."""
    rows = [{"product_id": p, "usage_location": location} for p, location in pairs]
    await _insert(connection, product_unavailable_location_table, rows)


async def insert_users(
    connection: AsyncConnection, *, customer_id: int, users: Sequence[NewUser]
) -> list[int]:
    """Insert a customer's users and return their ids in the given order."""
    rows = [
        {
            "customer_id": customer_id,
            "display_name": user.display_name,
            "display_name_key": sort_key(user.display_name),
            "user_principal_name": user.user_principal_name,
            "usage_location": user.usage_location,
        }
        for user in users
    ]
    return await _insert_with_ids(connection, user_table, rows)


async def insert_assignments(
    connection: AsyncConnection, assignments: Sequence[NewAssignment], *, assigned_at: datetime
) -> None:
    """Insert direct license rows; the caller adds them to the products' assigned counts."""
    rows = [
        {
            "user_id": assignment.user_id,
            "product_id": assignment.product_id,
            "disabled_service_plan_ids": list(assignment.disabled_service_plan_ids),
            "direct_disabled_service_plan_ids": list(assignment.disabled_service_plan_ids),
            "assigned_at": assigned_at,
        }
        for assignment in assignments
    ]
    await _insert(connection, license_assignment_table, rows)


async def add_assigned_licenses(connection: AsyncConnection, counts: Mapping[int, int]) -> None:
    """Raise each product's assigned count by the seats given for it (a CHECK caps totals)."""
    statement = (
        update(product_table)
        .where(product_table.c.id == bindparam("product_id"))
        .values(assigned_licenses=product_table.c.assigned_licenses + bindparam("seats"))
    )
    rows = [{"product_id": p, "seats": seats} for p, seats in sorted(counts.items()) if seats]
    if rows:
        await connection.execute(statement, rows)


async def _insert(
    connection: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
) -> None:
    # An empty parameter list would insert one row of defaults: skip it.
    for chunk in _chunks(rows):
        await connection.execute(insert(table), chunk)


async def _insert_with_ids(
    connection: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    # RETURNING in parameter order makes SQLite insert row by row (25x slower); reserving
    # the ids first keeps plain executemany and still tells us which row got which id.
    ids = await _reserve_ids(connection, table, len(rows))
    await _insert(
        connection, table, [{**row, "id": id_} for row, id_ in zip(rows, ids, strict=True)]
    )
    return ids


async def _reserve_ids(connection: AsyncConnection, table: Table, count: int) -> list[int]:
    if count == 0:
        return []
    if connection.dialect.name == "postgresql":
        return await _next_sequence_values(connection, table, count)
    # The transaction holds SQLite's write lock, so nobody else can take these ids.
    highest = int(await connection.scalar(select(func.max(table.c.id))) or 0)
    return list(range(highest + 1, highest + 1 + count))


async def _next_sequence_values(connection: AsyncConnection, table: Table, count: int) -> list[int]:
    # Draw from the column's own sequence, so later ordinary inserts never collide.
    sequence = func.pg_get_serial_sequence(table.name, "id")
    query = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
    return sorted(int(value) for value in (await connection.scalars(query)))


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]
