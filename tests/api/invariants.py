"""What must hold in the database after every write, and snapshots to prove nothing moved.

Seat counts are checked against the rows; licensing rules are checked by asking the domain's
own rules (``holding_errors``) about each user's licenses, never by a copy of them here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import Select, Table, func, or_, select
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
    service_plan_requirement_table,
    service_plan_table,
    user_table,
)
from licgraph.domain.catalog import ProductRules, ServicePlan
from licgraph.domain.directory import User
from licgraph.domain.license_errors import LicenseError
from licgraph.domain.license_rules import holding_errors
from licgraph.domain.outcomes import Holdings

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


class Breach(NamedTuple):
    """A licensing rule a user's licenses break; ``product_id`` is None for a user-wide one."""

    user_id: int
    product_id: int | None
    error: LicenseError


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
        holdings = await _holdings(connection)
        users = await _users(connection, holdings.keys())
        rules = await _catalog_rules(connection)
    return [
        Breach(user_id, getattr(error, "product_id", None), error)
        for user_id, licenses in sorted(holdings.items())
        for error in holding_errors(users[user_id], licenses, rules)
    ]


async def _rows(connection: AsyncConnection, query: Select[Any]) -> Rows:
    return [tuple(row) for row in await connection.execute(query)]


async def _holdings(connection: AsyncConnection) -> dict[int, Holdings]:
    query = select(
        _assignment.user_id, _assignment.product_id, _assignment.disabled_service_plan_ids
    )
    holdings: dict[int, dict[int, frozenset[int]]] = defaultdict(dict)
    for user_id, product_id, disabled in await _rows(connection, query):
        holdings[user_id][product_id] = frozenset(disabled)
    return dict(holdings)


async def _users(connection: AsyncConnection, ids: Iterable[int]) -> dict[int, User]:
    user = user_table.c
    query = select(
        user.id, user.customer_id, user.display_name, user.user_principal_name, user.usage_location
    ).where(user.id.in_(list(ids)))
    return {row.id: User(**row._asdict()) for row in await connection.execute(query)}


async def _catalog_rules(connection: AsyncConnection) -> dict[int, ProductRules]:
    """Every product's catalog facts, read plainly from their tables."""
    plan, needs = service_plan_table.c, service_plan_requirement_table.c
    required_plans: dict[int, set[int]] = defaultdict(set)
    for plan_id, required_id in await _rows(
        connection, select(needs.service_plan_id, needs.required_service_plan_id)
    ):
        required_plans[plan_id].add(required_id)
    plans: dict[int, list[ServicePlan]] = defaultdict(list)
    for plan_id, product_id, name in await _rows(
        connection, select(plan.id, plan.product_id, plan.name)
    ):
        plans[product_id].append(
            ServicePlan(plan_id, product_id, name, frozenset(required_plans[plan_id]))
        )
    requires = await _pairs(connection, product_requirement_table)
    conflicts = await _pairs(connection, product_conflict_table)
    unavailable = await _pairs(connection, product_unavailable_location_table)
    product_ids = [row[0] for row in await _rows(connection, select(_product.id))]
    return {
        id_: ProductRules(
            product_id=id_,
            required_product_ids=frozenset(requires[id_]),
            conflicting_product_ids=frozenset(conflicts[id_]),
            unavailable_usage_locations=frozenset(unavailable[id_]),
            service_plans=tuple(plans[id_]),
        )
        for id_ in product_ids
    }


async def _pairs(connection: AsyncConnection, table: Table) -> defaultdict[int, set[Any]]:
    """A two-column rules table as a map from its first column to the set of its second."""
    grouped: defaultdict[int, set[Any]] = defaultdict(set)
    for key, value in await _rows(connection, select(*table.columns)):
        grouped[key].add(value)
    return grouped


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
