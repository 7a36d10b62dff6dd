"""What must hold in the database after every write, and snapshots to prove nothing moved.

Seat counts are checked against the rows; licensing rules by tests/rule_breaches.py, which
asks the domain's own rules about each user's licenses (no copy of them here).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.engine import Database
from licgraph.db.tables import (
    idempotency_record_table,
    license_assignment_table,
    license_event_table,
    product_table,
    user_table,
)
from tests.rule_breaches import Breach, read_breaches

_product = product_table.c
_assignment = license_assignment_table.c

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
    """Seat counts match the rows and stay within totals; no user's licenses break a rule."""
    assert await oversold_or_miscounted(database) == []
    assert await rule_breaches(database) == []


async def oversold_or_miscounted(database: Database) -> Rows:
    """Products whose assigned count differs from their licenses or exceeds their total."""
    held = (
        select(func.count())
        .where(_assignment.product_id == _product.id)
        .correlate(product_table)
        .scalar_subquery()
    )
    query = select(_product.id, _product.assigned_licenses, _product.total_licenses, held).where(
        or_(
            _product.assigned_licenses != held,
            _product.assigned_licenses > _product.total_licenses,
            _product.assigned_licenses < 0,
        )
    )
    async with database.connect() as connection:
        return await _rows(connection, query)


async def rule_breaches(database: Database) -> list[Breach]:
    """Every licensing rule that what a user holds breaks, as the domain's rules judge it."""
    async with database.connect() as connection:
        return await read_breaches(connection)


async def _rows(connection: AsyncConnection, query: Select[Any]) -> Rows:
    return [tuple(row) for row in await connection.execute(query)]


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
        rows = await connection.execute(select(_assignment.user_id, _assignment.product_id))
        return {(user_id, product_id) for user_id, product_id in rows}
