"""Test data builders: insert rows with SQLAlchemy Core and return their ids."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, literal, select, update

from licgraph.db.engine import Database
from licgraph.db.tables import (
    api_token_table,
    customer_table,
    group_license_table,
    group_member_table,
    group_table,
    inherited_license_table,
    license_assignment_table,
    product_conflict_table,
    product_requirement_table,
    product_table,
    product_unavailable_location_table,
    service_plan_requirement_table,
    service_plan_table,
    user_table,
)
from licgraph.domain.access import Principal, Role
from licgraph.domain.directory import sort_key

_serial = itertools.count(1)


async def _insert(database: Database, table: Any, **values: Any) -> int:
    async with database.transaction() as connection:
        result = await connection.execute(insert(table).values(**values))
        return int(result.inserted_primary_key[0]) if result.inserted_primary_key else 0


async def make_customer(
    database: Database, name: str = "Contoso", domain: str | None = None
) -> int:
    domain = domain or f"c{next(_serial)}.example.com"
    return await _insert(
        database, customer_table, name=name, name_key=sort_key(name), domain=domain
    )


async def make_user(
    database: Database, customer_id: int, display_name: str, usage_location: str | None = "US"
) -> int:
    return await _insert(
        database,
        user_table,
        customer_id=customer_id,
        display_name=display_name,
        display_name_key=sort_key(display_name),
        user_principal_name=f"u{next(_serial)}@example.com",
        usage_location=usage_location,
    )


async def make_product(
    database: Database, customer_id: int, name: str = "Microsoft 365 E3", total: int = 10
) -> int:
    return await _insert(
        database,
        product_table,
        customer_id=customer_id,
        sku_part_number=f"SKU_{next(_serial)}",
        name=name,
        total_licenses=total,
        assigned_licenses=0,
    )


async def make_plan(
    database: Database, product_id: int, name: str, requires: tuple[int, ...] = ()
) -> int:
    plan_id = await _insert(database, service_plan_table, product_id=product_id, name=name)
    for required in requires:
        await _insert(
            database,
            service_plan_requirement_table,
            service_plan_id=plan_id,
            required_service_plan_id=required,
        )
    return plan_id


async def require(database: Database, product_id: int, *required: int) -> None:
    for required_id in required:
        await _insert(
            database,
            product_requirement_table,
            product_id=product_id,
            required_product_id=required_id,
        )


async def conflict(database: Database, a: int, b: int) -> None:
    low, high = sorted((a, b))
    await _insert(database, product_conflict_table, product_id=low, conflicting_product_id=high)


async def unavailable_in(database: Database, product_id: int, *locations: str) -> None:
    for location in locations:
        await _insert(
            database,
            product_unavailable_location_table,
            product_id=product_id,
            usage_location=location,
        )


async def assign(
    database: Database, user_id: int, product_id: int, disabled: tuple[int, ...] = ()
) -> None:
    """Give a license directly, keeping the product's assigned count in step."""
    async with database.transaction() as connection:
        await connection.execute(
            insert(license_assignment_table).values(
                user_id=user_id,
                product_id=product_id,
                disabled_service_plan_ids=list(disabled),
                direct_disabled_service_plan_ids=list(disabled),
                assigned_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            )
        )
        await connection.execute(
            update(product_table)
            .where(product_table.c.id == product_id)
            .values(assigned_licenses=product_table.c.assigned_licenses + 1)
        )


async def assigned_count(database: Database, product_id: int) -> tuple[int, int]:
    """(assigned_licenses on the product, number of assignment rows) for invariant checks."""
    async with database.connect() as connection:
        stored = await connection.scalar(
            select(product_table.c.assigned_licenses).where(product_table.c.id == product_id)
        )
        rows = await connection.scalar(
            select(func.count()).where(license_assignment_table.c.product_id == product_id)
        )
    return int(stored or 0), int(rows or 0)


async def make_token(
    database: Database, role: Role, customer_id: int | None = None, name: str | None = None
) -> Principal:
    """A stored token row (no usable secret) and the principal that stands for it."""
    name = name or f"{role.value}-{next(_serial)}"
    token_id = await _insert(
        database,
        api_token_table,
        name=name,
        public_id=f"pub{next(_serial)}",
        secret_hash="0" * 64,
        role=role.value,
        customer_id=customer_id,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return Principal(token_id=token_id, name=name, role=role, customer_id=customer_id)


async def make_group(
    database: Database, customer_id: int, name: str, members: tuple[int, ...] = ()
) -> int:
    """A group row with these members (no licenses reconciled: grant none, or reconcile)."""
    group_id = await _insert(
        database, group_table, customer_id=customer_id, name=name, name_key=sort_key(name)
    )
    for user_id in members:
        await _insert(database, group_member_table, group_id=group_id, user_id=user_id)
    return group_id


async def grant(database: Database, group_id: int, product_id: int) -> None:
    """Make the group grant a product its members all hold already (it becomes a source)."""
    await _insert(
        database,
        group_license_table,
        group_id=group_id,
        product_id=product_id,
        disabled_service_plan_ids=[],
    )
    members = select(group_member_table.c.user_id).where(group_member_table.c.group_id == group_id)
    async with database.transaction() as connection:
        await connection.execute(
            insert(inherited_license_table).from_select(
                ["user_id", "product_id", "group_id"],
                select(
                    license_assignment_table.c.user_id, literal(product_id), literal(group_id)
                ).where(
                    license_assignment_table.c.product_id == product_id,
                    license_assignment_table.c.user_id.in_(members),
                ),
            )
        )


async def buy(database: Database, product_id: int, quantity: int) -> None:
    """Raise a product's total, as a purchase does (no change-log entry)."""
    async with database.transaction() as connection:
        await connection.execute(
            update(product_table)
            .where(product_table.c.id == product_id)
            .values(total_licenses=product_table.c.total_licenses + quantity)
        )
