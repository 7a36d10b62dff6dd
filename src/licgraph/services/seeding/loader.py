"""Writes a described data set through the bulk inserts of ``db.bulk_load``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db import bulk_load
from licgraph.db.bulk_load import NewAssignment, NewProduct, NewUser
from licgraph.services.seeding.dataset import CustomerSpec, LicenseSpec, ProductSpec, UserSpec


@dataclass(frozen=True, slots=True)
class LoadedCatalog:
    """The ids a loaded customer's products and plans received, by SKU and plan name."""

    customer_id: int
    product_ids: Mapping[str, int]
    plan_ids: Mapping[tuple[str, str], int]


async def load_customer(connection: AsyncConnection, spec: CustomerSpec) -> LoadedCatalog:
    """Insert a customer, its products (none assigned yet), their plans and rules."""
    customer_id = await bulk_load.insert_customer(connection, name=spec.name, domain=spec.domain)
    new_products = [
        NewProduct(product.sku_part_number, product.name, product.total_licenses)
        for product in spec.products
    ]
    ids = await bulk_load.insert_products(
        connection, customer_id=customer_id, products=new_products
    )
    product_ids = {
        product.sku_part_number: id_ for product, id_ in zip(spec.products, ids, strict=True)
    }
    plan_ids = await _load_plans(connection, spec.products, product_ids)
    await _load_rules(connection, spec.products, product_ids)
    return LoadedCatalog(customer_id, product_ids, plan_ids)


async def load_users(
    connection: AsyncConnection,
    catalog: LoadedCatalog,
    users: Sequence[UserSpec],
    *,
    assigned_at: datetime,
) -> int:
    """Insert users with their licenses, counting the seats in; returns the licenses written."""
    new_users = [NewUser(u.display_name, u.user_principal_name, u.usage_location) for u in users]
    user_ids = await bulk_load.insert_users(
        connection, customer_id=catalog.customer_id, users=new_users
    )
    assignments = [
        _assignment(catalog, user_id, license_)
        for user_id, user in zip(user_ids, users, strict=True)
        for license_ in user.licenses
    ]
    await bulk_load.insert_assignments(connection, assignments, assigned_at=assigned_at)
    # Same transaction as the rows: assigned counts match them at every commit.
    await bulk_load.add_assigned_licenses(connection, Counter(a.product_id for a in assignments))
    return len(assignments)


def _assignment(catalog: LoadedCatalog, user_id: int, license_: LicenseSpec) -> NewAssignment:
    sku = license_.sku_part_number
    disabled = tuple(catalog.plan_ids[sku, plan] for plan in license_.disabled_plans)
    return NewAssignment(user_id, catalog.product_ids[sku], disabled)


async def _load_plans(
    connection: AsyncConnection, products: Sequence[ProductSpec], product_ids: Mapping[str, int]
) -> dict[tuple[str, str], int]:
    keys = [(p.sku_part_number, plan.name) for p in products for plan in p.service_plans]
    ids = await bulk_load.insert_service_plans(
        connection, [(product_ids[sku], name) for sku, name in keys]
    )
    plan_ids = dict(zip(keys, ids, strict=True))
    requirements = [
        (plan_ids[p.sku_part_number, plan.name], plan_ids[p.sku_part_number, required])
        for p in products
        for plan in p.service_plans
        for required in plan.requires
    ]
    await bulk_load.insert_service_plan_requirements(connection, requirements)
    return plan_ids


async def _load_rules(
    connection: AsyncConnection, products: Sequence[ProductSpec], product_ids: Mapping[str, int]
) -> None:
    def pairs(skus_of: str) -> list[tuple[int, int]]:
        return [
            (product_ids[p.sku_part_number], product_ids[other])
            for p in products
            for other in getattr(p, skus_of)
        ]

    await bulk_load.insert_product_requirements(connection, pairs("requires_any_of"))
    await bulk_load.insert_product_conflicts(connection, pairs("conflicts_with"))
    await bulk_load.insert_unavailable_locations(
        connection,
        [(product_ids[p.sku_part_number], loc) for p in products for loc in p.unavailable_in],
    )
