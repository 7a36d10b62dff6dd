"""The licensing rules that stored licenses break, judged by the domain's own rules.

Test helpers read the rows plainly (no rule in SQL) and ask ``holding_errors`` about each
user's licenses, so the rules exist once, in the domain, for the code and for the checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.tables import (
    license_assignment_table,
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


class Breach(NamedTuple):
    """A licensing rule a user's licenses break; ``product_id`` is None for a user-wide one."""

    user_id: int
    product_id: int | None
    error: LicenseError


async def read_breaches(connection: AsyncConnection) -> list[Breach]:
    """Every rule that what a user holds breaks, read on ``connection``, by user id."""
    holdings = await _holdings(connection)
    users = await _users(connection, holdings.keys())
    rules = await _catalog_rules(connection)
    return [
        Breach(user_id, getattr(error, "product_id", None), error)
        for user_id, licenses in sorted(holdings.items())
        for error in holding_errors(users[user_id], licenses, rules)
    ]


async def _holdings(connection: AsyncConnection) -> dict[int, Holdings]:
    assignment = license_assignment_table.c
    query = select(assignment.user_id, assignment.product_id, assignment.disabled_service_plan_ids)
    holdings: dict[int, dict[int, frozenset[int]]] = defaultdict(dict)
    for user_id, product_id, disabled in await connection.execute(query):
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
    plans = await _service_plans(connection)
    requires = await _pairs(connection, product_requirement_table)
    conflicts = await _pairs(connection, product_conflict_table)
    unavailable = await _pairs(connection, product_unavailable_location_table)
    return {
        id_: ProductRules(
            product_id=id_,
            required_product_ids=frozenset(requires[id_]),
            conflicting_product_ids=frozenset(conflicts[id_]),
            unavailable_usage_locations=frozenset(unavailable[id_]),
            service_plans=tuple(plans[id_]),
        )
        for id_ in await connection.scalars(select(product_table.c.id))
    }


async def _service_plans(connection: AsyncConnection) -> defaultdict[int, list[ServicePlan]]:
    plan = service_plan_table.c
    required = await _pairs(connection, service_plan_requirement_table)
    plans: defaultdict[int, list[ServicePlan]] = defaultdict(list)
    for plan_id, product_id, name in await connection.execute(
        select(plan.id, plan.product_id, plan.name)
    ):
        plans[product_id].append(
            ServicePlan(plan_id, product_id, name, frozenset(required[plan_id]))
        )
    return plans


async def _pairs(connection: AsyncConnection, table: Table) -> defaultdict[int, set[Any]]:
    """A two-column rules table as a map from its first column to the set of its second."""
    grouped: defaultdict[int, set[Any]] = defaultdict(set)
    for key, value in await connection.execute(select(*table.columns)):
        grouped[key].add(value)
    return grouped
