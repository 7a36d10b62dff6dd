"""What must hold in the database after every write, and snapshots to prove nothing moved."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Select, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.engine import Database
from licgraph.db.tables import (
    idempotency_record_table,
    license_assignment_table,
    license_event_table,
    product_conflict_table,
    product_requirement_table,
    product_table,
    product_unavailable_location_table,
    user_table,
)

_product = product_table
_assignment = license_assignment_table
_user = user_table

# Tables a write may change; comparing them whole shows that a refused write changed nothing.
WRITTEN_TABLES: tuple[Table, ...] = (
    product_table,
    user_table,
    license_assignment_table,
    license_event_table,
    idempotency_record_table,
)

Rows = list[tuple[Any, ...]]


async def assert_invariants(database: Database) -> None:
    """Seat counts, conflicts, dependencies and locations are consistent for every user."""
    licenses = select(_assignment.c.user_id, _assignment.c.product_id, _user.c.usage_location)
    async with database.connect() as connection:
        products = await _rows(
            connection,
            select(_product.c.id, _product.c.total_licenses, _product.c.assigned_licenses),
        )
        held_rows = await _rows(
            connection,
            licenses.select_from(_assignment.join(_user, _user.c.id == _assignment.c.user_id)),
        )
        conflicts = await _rows(connection, select(product_conflict_table))
        requirements = await _rows(connection, select(product_requirement_table))
        unavailable = await _rows(connection, select(product_unavailable_location_table))

    _assert_seats_counted(products, held_rows)
    held: dict[int, set[int]] = defaultdict(set)
    location: dict[int, str | None] = {}
    for user_id, product_id, usage_location in held_rows:
        held[user_id].add(product_id)
        location[user_id] = usage_location
    _assert_no_conflicts(held, conflicts)
    _assert_requirements_met(held, requirements)
    _assert_locations_allow(held, location, unavailable)


async def _rows(connection: AsyncConnection, query: Select[Any]) -> Rows:
    return [tuple(row) for row in await connection.execute(query)]


def _assert_seats_counted(products: Rows, held_rows: Rows) -> None:
    rows_per_product = Counter(product_id for _, product_id, _ in held_rows)
    for product_id, total, assigned in products:
        assert assigned == rows_per_product[product_id], f"product {product_id}: count != rows"
        assert 0 <= assigned <= total, f"product {product_id}: {assigned} of {total} assigned"


def _assert_no_conflicts(held: dict[int, set[int]], conflicts: Rows) -> None:
    for user_id, products in held.items():
        for a, b in conflicts:
            assert not {a, b} <= products, f"user {user_id} holds conflicting {a} and {b}"


def _assert_requirements_met(held: dict[int, set[int]], requirements: Rows) -> None:
    required: dict[int, set[int]] = defaultdict(set)
    for product_id, required_id in requirements:
        required[product_id].add(required_id)
    for user_id, products in held.items():
        for product_id in products & required.keys():
            assert required[product_id] & products, f"user {user_id}: {product_id} lacks a base"


def _assert_locations_allow(
    held: dict[int, set[int]], location: dict[int, str | None], unavailable: Rows
) -> None:
    blocked = {(product_id, where) for product_id, where in unavailable}
    for user_id, products in held.items():
        where = location[user_id]
        assert where is not None, f"user {user_id} holds licenses without a usage location"
        for product_id in products:
            assert (product_id, where) not in blocked, f"user {user_id}: {product_id} in {where}"


async def table_contents(
    database: Database, tables: tuple[Table, ...] = WRITTEN_TABLES
) -> dict[str, Rows]:
    """Every row of ``tables``, ordered, to compare a database before and after a request."""
    contents: dict[str, Rows] = {}
    async with database.connect() as connection:
        for table in tables:
            query = select(table).order_by(*table.primary_key.columns)
            contents[table.name] = [tuple(row) for row in await connection.execute(query)]
    return contents


async def held_licenses(database: Database) -> set[tuple[int, int]]:
    """Every (user id, product id) license in the database."""
    async with database.connect() as connection:
        rows = await connection.execute(select(_assignment.c.user_id, _assignment.c.product_id))
        return {(user_id, product_id) for user_id, product_id in rows}
