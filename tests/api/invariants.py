"""What must hold in the database after every write, and snapshots to prove nothing moved.

Seat counts are checked against the rows; licensing rules by tests/rule_breaches.py, which
asks the domain's own rules about each user's licenses (no copy of them here).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Table, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.engine import Database
from licgraph.db.tables import (
    group_license_error_table,
    group_license_table,
    group_member_table,
    group_table,
    idempotency_record_table,
    inherited_license_table,
    license_assignment_table,
    license_event_table,
    product_table,
    user_table,
)
from tests.rule_breaches import Breach, read_breaches

_product = product_table.c
_assignment = license_assignment_table.c
_member = group_member_table.c
_grant = group_license_table.c
_inherited = inherited_license_table.c
_open_error = group_license_error_table.c

# Tables a write may change; comparing them whole shows that a refused write changed nothing.
WRITTEN_TABLES: tuple[Table, ...] = (
    product_table,
    user_table,
    license_assignment_table,
    license_event_table,
    idempotency_record_table,
    group_table,
    group_member_table,
    group_license_table,
    inherited_license_table,
    group_license_error_table,
)

Rows = list[tuple[Any, ...]]


async def assert_invariants(database: Database) -> None:
    """Seat counts match the rows and stay within totals; no user's licenses break a rule;
    every license has a real source and every group's grant is held or has an open error."""
    assert await oversold_or_miscounted(database) == []
    assert await rule_breaches(database) == []
    assert await unsourced_licenses(database) == []
    assert await stale_group_sources(database) == []
    assert await unexplained_group_grants(database) == []


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


async def unsourced_licenses(database: Database) -> Rows:
    """Licenses held neither directly nor through any group, with no open error saying why
    the license could not go: (user id, product id)."""
    inherited = exists().where(
        _inherited.user_id == _assignment.user_id, _inherited.product_id == _assignment.product_id
    )
    open_error = exists().where(
        _open_error.user_id == _assignment.user_id,
        _open_error.product_id == _assignment.product_id,
    )
    query = select(_assignment.user_id, _assignment.product_id).where(
        _assignment.direct_disabled_service_plan_ids.is_(None), ~inherited, ~open_error
    )
    async with database.connect() as connection:
        return await _rows(connection, query)


async def stale_group_sources(database: Database) -> Rows:
    """Group sources whose user is no longer a member or whose group no longer grants the
    product: (user id, product id, group id)."""
    member = exists().where(
        _member.group_id == _inherited.group_id, _member.user_id == _inherited.user_id
    )
    grant = exists().where(
        _grant.group_id == _inherited.group_id, _grant.product_id == _inherited.product_id
    )
    query = select(_inherited.user_id, _inherited.product_id, _inherited.group_id).where(
        or_(~member, ~grant)
    )
    async with database.connect() as connection:
        return await _rows(connection, query)


async def unexplained_group_grants(database: Database) -> Rows:
    """Products a group grants a member that the member neither holds through that group nor
    has an open license error for: (group id, user id, product id)."""
    source = exists().where(
        _inherited.group_id == _member.group_id,
        _inherited.user_id == _member.user_id,
        _inherited.product_id == _grant.product_id,
    )
    open_error = exists().where(
        _open_error.group_id == _member.group_id,
        _open_error.user_id == _member.user_id,
        _open_error.product_id == _grant.product_id,
    )
    query = (
        select(_member.group_id, _member.user_id, _grant.product_id)
        .join_from(group_member_table, group_license_table, _grant.group_id == _member.group_id)
        .where(and_(~source, ~open_error))
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
