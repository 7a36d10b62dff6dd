"""The demo data set: a few Microsoft 365-like tenants that exercise every licensing rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db import bulk_load
from licgraph.db.engine import Database
from licgraph.services.seeding.dataset import (
    CustomerSpec,
    LicenseSpec,
    ProductSpec,
    SeedSummary,
    UserSpec,
)
from licgraph.services.seeding.demo_customers import (
    CONTOSO,
    DEMO_CUSTOMERS,
    DemoCustomer,
    NamedUser,
)
from licgraph.services.seeding.demo_groups import CONTOSO_GROUPS, seed_groups
from licgraph.services.seeding.loader import load_customer, load_users
from licgraph.services.seeding.microsoft import CATALOG
from licgraph.services.seeding.names import mail_name, person
from licgraph.services.seeding.rules import SeedRules

DemoTenant = tuple[CustomerSpec, tuple[UserSpec, ...]]


class DatabaseNotEmptyError(Exception):
    """Raised when the demo data set is asked for but the database already holds customers."""


async def seed_demo(*, database: Database) -> SeedSummary:
    """Load the demo data set into an empty database, all in one transaction."""
    tenants = demo_data_set()
    async with database.transaction() as connection:
        # Checked under the lock, so concurrent servers started with --demo seed once.
        await bulk_load.lock_customers(connection)
        if await bulk_load.count_customers(connection):
            raise DatabaseNotEmptyError("the database already holds customers")
        return await _load(connection, tenants, assigned_at=datetime.now(UTC))


async def seed_demo_if_empty(*, database: Database) -> bool:
    """Load the demo data set unless customers exist; returns whether it loaded."""
    try:
        await seed_demo(database=database)
    except DatabaseNotEmptyError:
        return False
    return True


def demo_data_set() -> tuple[DemoTenant, ...]:
    """Every demo customer with its products (totals included) and users."""
    return tuple(build_tenant(customer) for customer in DEMO_CUSTOMERS)


def build_tenant(customer: DemoCustomer) -> DemoTenant:
    """One customer's products and users; totals are the seats held plus the free ones."""
    products = _owned_products(customer)
    rules = SeedRules(products)
    seen: set[str] = set()
    users = tuple(
        [_named_user(customer, named, rules, seen) for named in customer.named_users]
        + [_generated_user(customer, i, rules, seen) for i in range(_generated_count(customer))]
    )
    held = Counter(license_.sku_part_number for user in users for license_ in user.licenses)
    free = dict(customer.free_licenses)
    with_totals = tuple(
        replace(p, total_licenses=held[p.sku_part_number] + free[p.sku_part_number])
        for p in products
    )
    return CustomerSpec(customer.name, customer.domain, with_totals), users


async def _load(
    connection: AsyncConnection, tenants: Iterable[DemoTenant], *, assigned_at: datetime
) -> SeedSummary:
    summary = SeedSummary()
    for customer, users in tenants:
        catalog = await load_customer(connection, customer)
        assignments = await load_users(connection, catalog, users, assigned_at=assigned_at)
        if customer.name == CONTOSO.name:
            assignments += await seed_groups(
                connection, customer_id=catalog.customer_id, groups=CONTOSO_GROUPS
            )
        summary += SeedSummary(1, len(users), len(customer.products), assignments)
    return summary


def _owned_products(customer: DemoCustomer) -> tuple[ProductSpec, ...]:
    owned = {sku for sku, _ in customer.free_licenses}
    return tuple(_within(CATALOG[sku], owned) for sku, _ in customer.free_licenses)


def _within(product: ProductSpec, owned: set[str]) -> ProductSpec:
    # Rules can only name products the same customer owns (they are rows of its products).
    requires = tuple(sku for sku in product.requires_any_of if sku in owned)
    if product.requires_any_of and not requires:
        raise ValueError(f"{product.sku_part_number} is owned without any product it requires")
    conflicts = tuple(sku for sku in product.conflicts_with if sku in owned)
    return replace(product, requires_any_of=requires, conflicts_with=conflicts)


def _generated_count(customer: DemoCustomer) -> int:
    return customer.user_count - len(customer.named_users)


def _named_user(
    customer: DemoCustomer, named: NamedUser, rules: SeedRules, seen: set[str]
) -> UserSpec:
    licenses = _allowed(named.licenses, rules, named.usage_location)
    if licenses != named.licenses:
        raise ValueError(f"demo user {named.display_name} breaks a licensing rule")
    first, _, last = named.display_name.partition(" ")
    upn = _unique_upn(mail_name(first, last), customer.domain, seen)
    return UserSpec(named.display_name, upn, named.usage_location, licenses)


def _generated_user(customer: DemoCustomer, i: int, rules: SeedRules, seen: set[str]) -> UserSpec:
    first, last = person(customer.first_person + i)
    location = _location(customer, i)
    wanted = (
        wish.license
        for wish in customer.wishes
        if i % wish.every == wish.offset
        and not (wish.standalone and _holds_any(customer, i, rules, location))
    )
    licenses = _allowed(wanted, rules, location)
    upn = _unique_upn(mail_name(first, last), customer.domain, seen)
    return UserSpec(f"{first} {last}", upn, location, licenses)


def _holds_any(customer: DemoCustomer, i: int, rules: SeedRules, location: str | None) -> bool:
    # A stand-alone wish applies to users whom no non-stand-alone wish gives a license.
    earlier = (w.license for w in customer.wishes if i % w.every == w.offset and not w.standalone)
    return bool(_allowed(earlier, rules, location))


def _location(customer: DemoCustomer, i: int) -> str | None:
    if i % customer.no_location_every == customer.no_location_every // 2:
        return None
    return customer.locations[i % len(customer.locations)]


def _allowed(
    wanted: Iterable[LicenseSpec], rules: SeedRules, location: str | None
) -> tuple[LicenseSpec, ...]:
    held: tuple[LicenseSpec, ...] = ()
    for license_ in wanted:
        if rules.allows((*held, license_), usage_location=location):
            held = (*held, license_)
    return held


def _unique_upn(name: str, domain: str, seen: set[str]) -> str:
    candidate, number = name, 1
    while candidate in seen:
        number += 1
        candidate = f"{name}{number}"
    seen.add(candidate)
    return f"{candidate}@{domain}"
