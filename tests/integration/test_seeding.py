"""Seeding: the demo data set and generated ones, checked against the real tables."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import exists, func, or_, select
from sqlalchemy.sql import Select

from licgraph.config import Settings
from licgraph.db.engine import Database, create_database
from licgraph.db.repositories.assignments import AssignmentRepository
from licgraph.db.repositories.groups import GroupRepository
from licgraph.db.repositories.products import ProductRepository
from licgraph.db.repositories.users import UserRepository
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
from licgraph.domain.license_errors import (
    InvalidServicePlan,
    LicenseError,
    MissingDependency,
    MutuallyExclusiveLicenses,
    ProductUnavailableInLocation,
    ServicePlanDependency,
    UsageLocationRequired,
)
from licgraph.services.seeding import (
    DatabaseNotEmptyError,
    SeedSummary,
    seed_demo,
    seed_demo_if_empty,
    seed_synthetic,
)
from licgraph.services.seeding.demo import demo_data_set
from tests.api.invariants import assert_invariants, oversold_or_miscounted, rule_breaches
from tests.conftest import sqlite_url
from tests.rule_breaches import Breach

customer = customer_table.c
user = user_table.c
product = product_table.c
assignment = license_assignment_table.c
conflict = product_conflict_table.c
requirement = product_requirement_table.c
unavailable = product_unavailable_location_table.c
plan = service_plan_table.c
plan_requirement = service_plan_requirement_table.c

DEMO_CUSTOMERS = {
    "Contoso Ltd.": 300,
    "Fabrikam, Inc.": 40,
    "Northwind Traders": 25,
    "Adatum Corporation": 12,
}


# --- factories and readers ----------------------------------------------------------------


@pytest.fixture
async def other_database(tmp_path: Path, migrated_sqlite_template: Path) -> AsyncIterator[Database]:
    """A second, independent migrated database (to compare two seeds)."""
    path = tmp_path / "other.db"
    shutil.copyfile(migrated_sqlite_template, path)
    database = create_database(Settings(database_url=sqlite_url(path)))
    yield database
    await database.dispose()


async def rows(database: Database, query: Select[Any]) -> list[Any]:
    async with database.connect() as connection:
        return list(await connection.execute(query))


async def scalar(database: Database, query: Select[Any]) -> Any:
    async with database.connect() as connection:
        return await connection.scalar(query)


async def count(database: Database, table: Any) -> int:
    return int(await scalar(database, select(func.count()).select_from(table)))


async def summary_in(database: Database) -> SeedSummary:
    return SeedSummary(
        customers=await count(database, customer_table),
        users=await count(database, user_table),
        products=await count(database, product_table),
        assignments=await count(database, license_assignment_table),
    )


async def customer_id(database: Database, name: str) -> int:
    return int(await scalar(database, select(customer.id).where(customer.name == name)))


async def product_id(database: Database, customer_name: str, sku: str) -> int:
    query = (
        select(product.id)
        .join(customer_table, customer.id == product.customer_id)
        .where(customer.name == customer_name, product.sku_part_number == sku)
    )
    return int(await scalar(database, query))


async def skus_held_by(database: Database, display_name: str) -> set[str]:
    query = (
        select(product.sku_part_number)
        .join(license_assignment_table, assignment.product_id == product.id)
        .join(user_table, user.id == assignment.user_id)
        .where(user.display_name == display_name)
    )
    return {row.sku_part_number for row in await rows(database, query)}


async def user_names(database: Database) -> list[tuple[str, str, str | None]]:
    query = select(user.display_name, user.user_principal_name, user.usage_location).order_by(
        user.id
    )
    return [tuple(row) for row in await rows(database, query)]


# --- invariant and rule checks (each returns the offenders: empty means none) ------------
# Seats are counted by tests/api/invariants.py; rules are judged by the domain's own rules
# (tests/rule_breaches.py), not by a copy of them here.


async def breaches_of(database: Database, *kinds: type[LicenseError]) -> list[Breach]:
    return [breach for breach in await rule_breaches(database) if isinstance(breach.error, kinds)]


async def conflicting_holdings(database: Database) -> list[Breach]:
    # Each product of a conflicting pair names the other: one row per user is enough.
    breaches = await breaches_of(database, MutuallyExclusiveLicenses)
    return list({breach.user_id: breach for breach in breaches}.values())


async def missing_dependencies(database: Database) -> list[Breach]:
    return await breaches_of(database, MissingDependency)


async def licenses_in_wrong_locations(database: Database) -> list[Breach]:
    return await breaches_of(database, UsageLocationRequired, ProductUnavailableInLocation)


async def licenses_across_customers(database: Database) -> list[Any]:
    query = (
        select(assignment.user_id, assignment.product_id)
        .join(user_table, user.id == assignment.user_id)
        .join(product_table, product.id == assignment.product_id)
        .where(user.customer_id != product.customer_id)
    )
    return await rows(database, query)


async def invalid_disabled_plans(database: Database) -> list[tuple[int, int | None]]:
    # One row per license, however many of its plans are wrongly off.
    breaches = await breaches_of(database, InvalidServicePlan, ServicePlanDependency)
    return list(dict.fromkeys((breach.user_id, breach.product_id) for breach in breaches))


async def assert_consistent(database: Database) -> None:
    assert await oversold_or_miscounted(database) == []
    assert await conflicting_holdings(database) == []
    assert await missing_dependencies(database) == []
    assert await licenses_in_wrong_locations(database) == []
    assert await licenses_across_customers(database) == []
    assert await invalid_disabled_plans(database) == []


# --- the demo ------------------------------------------------------------------------------


async def test_seed_demo_loads_every_customer_with_its_users(database: Database) -> None:
    # Given an empty database
    # When the demo is seeded
    summary = await seed_demo(database=database)

    # Then the summary matches the tables and each customer has its users
    assert summary == await summary_in(database)
    assert summary.customers == len(DEMO_CUSTOMERS)
    query = (
        select(customer.name, func.count(user.id))
        .join(user_table, user.customer_id == customer.id)
        .group_by(customer.name)
    )
    assert dict(tuple(row) for row in await rows(database, query)) == DEMO_CUSTOMERS


async def test_seed_summary_reads_as_a_sentence() -> None:
    summary = SeedSummary(customers=4, users=1_377, products=26, assignments=463)

    assert str(summary) == "4 customers, 1,377 users, 26 products, 463 license assignments"
    assert summary + summary == SeedSummary(8, 2_754, 52, 926)


async def test_seed_demo_if_empty_seeds_only_once(database: Database) -> None:
    # Given a database seeded by a first call
    assert await seed_demo_if_empty(database=database) is True
    seeded = await summary_in(database)

    # When it is called again
    again = await seed_demo_if_empty(database=database)

    # Then nothing more is written
    assert again is False
    assert await summary_in(database) == seeded


async def test_seed_demo_refuses_a_database_that_holds_customers(database: Database) -> None:
    # Given a database with some other customer
    await seed_synthetic(database=database, customers=1, users=3, products=2)
    before = await summary_in(database)

    # When the demo is asked for, then it is refused and nothing is written
    with pytest.raises(DatabaseNotEmptyError):
        await seed_demo(database=database)
    assert await summary_in(database) == before


async def test_demo_counts_match_assignment_rows_and_never_oversell(database: Database) -> None:
    await seed_demo(database=database)

    assert await oversold_or_miscounted(database) == []


async def test_no_demo_user_breaks_a_licensing_rule(database: Database) -> None:
    await seed_demo(database=database)

    await assert_consistent(database)


async def test_every_demo_customer_has_users_without_a_usage_location(
    database: Database,
) -> None:
    await seed_demo(database=database)

    query = (
        select(customer.name, func.count(user.id))
        .join(user_table, user.customer_id == customer.id)
        .where(user.usage_location.is_(None))
        .group_by(customer.name)
    )
    without = dict(tuple(row) for row in await rows(database, query))
    assert set(without) == set(DEMO_CUSTOMERS)
    assert without["Contoso Ltd."] >= 10


async def test_demo_has_products_with_no_few_and_many_free_seats(database: Database) -> None:
    await seed_demo(database=database)

    free = product.total_licenses - product.assigned_licenses
    contoso = await customer_id(database, "Contoso Ltd.")
    query = select(product.sku_part_number, free).where(product.customer_id == contoso)
    available = dict(tuple(row) for row in await rows(database, query))
    assert available["Microsoft_365_Copilot"] == 0
    assert available["VISIOCLIENT"] == 2
    assert available["SPE_E3"] >= 50
    sold_out = select(func.count()).where(free == 0, product.assigned_licenses > 0)
    assert await scalar(database, sold_out) >= 2


async def test_demo_has_products_unavailable_in_some_locations(database: Database) -> None:
    await seed_demo(database=database)

    query = (
        select(product.sku_part_number, unavailable.usage_location)
        .select_from(product_unavailable_location_table)
        .join(product_table, product.id == unavailable.product_id)
        .where(product.customer_id == await customer_id(database, "Contoso Ltd."))
    )
    assert set(map(tuple, await rows(database, query))) == {
        ("MCOEV", "CN"),
        ("MCOEV", "IN"),
        ("Microsoft_365_Copilot", "CN"),
    }


async def test_demo_add_ons_require_any_of_the_base_suites(database: Database) -> None:
    await seed_demo(database=database)
    required = product_table.alias("required")

    query = (
        select(product.sku_part_number, required.c.sku_part_number)
        .select_from(product_requirement_table)
        .join(product_table, product.id == requirement.product_id)
        .join(required, required.c.id == requirement.required_product_id)
        .where(product.customer_id == await customer_id(database, "Contoso Ltd."))
    )
    requirements: dict[str, set[str]] = {}
    for add_on, base in await rows(database, query):
        requirements.setdefault(add_on, set()).add(base)
    suites = {"SPE_E3", "SPE_E5", "STANDARDPACK"}
    assert requirements == {
        "VISIOCLIENT": suites,
        "PROJECTPROFESSIONAL": suites,
        "MCOEV": suites,
        "Microsoft_365_Copilot": {"SPE_E3", "SPE_E5"},
    }


async def test_demo_has_mutually_exclusive_products(database: Database) -> None:
    await seed_demo(database=database)
    low, high = product_table.alias("low"), product_table.alias("high")

    query = (
        select(low.c.sku_part_number, high.c.sku_part_number)
        .select_from(product_conflict_table)
        .join(low, low.c.id == conflict.product_id)
        .join(high, high.c.id == conflict.conflicting_product_id)
        .where(low.c.customer_id == await customer_id(database, "Contoso Ltd."))
    )
    pairs = {frozenset(row) for row in await rows(database, query)}
    assert pairs == {
        frozenset({"SPE_E3", "SPE_E5"}),
        frozenset({"SPE_E3", "STANDARDPACK"}),
        frozenset({"SPE_E5", "STANDARDPACK"}),
        frozenset({"EXCHANGESTANDARD", "EXCHANGEENTERPRISE"}),
    }


async def test_demo_has_a_service_plan_that_requires_another(database: Database) -> None:
    await seed_demo(database=database)
    required = service_plan_table.alias("required")
    e3 = await product_id(database, "Contoso Ltd.", "SPE_E3")

    query = (
        select(plan.name, required.c.name)
        .select_from(service_plan_requirement_table)
        .join(service_plan_table, plan.id == plan_requirement.service_plan_id)
        .join(required, required.c.id == plan_requirement.required_service_plan_id)
        .where(plan.product_id == e3, required.c.product_id == e3)
    )
    assert ("Microsoft Teams", "SharePoint Online (Plan 2)") in set(
        map(tuple, await rows(database, query))
    )


async def test_demo_selection_can_read_all_some_and_none(database: Database) -> None:
    # Given the demo: E3 is held by some, not all, of Contoso's users
    await seed_demo(database=database)
    contoso = await customer_id(database, "Contoso Ltd.")
    e3 = await product_id(database, "Contoso Ltd.", "SPE_E3")

    holders = await scalar(database, select(func.count()).where(assignment.product_id == e3))
    users = await scalar(database, select(func.count()).where(user.customer_id == contoso))

    # Then a selection can be ALL, SOME or NONE; some of those licenses have plans switched off
    assert users / 4 < holders < users / 2
    trimmed = select(func.count()).where(
        assignment.product_id == e3,
        func.json_array_length(assignment.disabled_service_plan_ids) > 0,
    )
    assert await scalar(database, trimmed) > 0


@pytest.mark.parametrize(
    ("display_name", "location", "skus"),
    [
        ("Adele Vance", "US", {"SPE_E3", "VISIOCLIENT"}),
        ("Alex Wilber", "US", {"SPE_E5", "Microsoft_365_Copilot"}),
        ("Megan Bowen", None, set()),
        ("Lee Gu", "CN", {"SPE_E3"}),
        ("Pradeep Gupta", "IN", {"SPE_E3"}),
        ("Nestor Wilke", "US", set()),
        ("Lidia Holloway", "US", {"STANDARDPACK"}),
        ("Diego Siciliani", "DE", {"EXCHANGESTANDARD"}),
        ("Patti Fernandez", "US", {"SPE_E5", "MCOEV", "POWER_BI_PRO"}),
        ("Zoë Åberg", "SE", set()),
    ],
)
async def test_demo_named_users_show_one_rule_each(
    database: Database, display_name: str, location: str | None, skus: set[str]
) -> None:
    await seed_demo(database=database)

    query = select(user.usage_location).where(user.display_name == display_name)
    assert await rows(database, query) == [(location,)]
    assert await skus_held_by(database, display_name) == skus


async def test_demo_names_need_case_insensitive_ordering(database: Database) -> None:
    # Given the demo, whose names include lower-case and accented initials
    await seed_demo(database=database)
    contoso = await customer_id(database, "Contoso Ltd.")
    query = select(user.display_name, user.display_name_key, user.user_principal_name).where(
        user.customer_id == contoso
    )
    people = await rows(database, query)

    # Then byte order and case-insensitive order differ, and keys are the case-folded names
    assert sorted(p.display_name for p in people) != [
        p.display_name for p in sorted(people, key=lambda p: p.display_name_key)
    ]
    assert all(p.display_name_key == p.display_name.casefold() for p in people)
    assert {"jan.devries@contoso.com", "zoe.aberg@contoso.com", "oyvind.hansen@contoso.com"} <= {
        p.user_principal_name for p in people
    }


async def test_demo_data_set_is_the_same_on_every_build() -> None:
    assert demo_data_set() == demo_data_set()


async def test_demo_upns_are_ascii_and_unique(database: Database) -> None:
    await seed_demo(database=database)

    upns = [upn for _, upn, _ in await user_names(database)]
    assert len(set(upns)) == len(upns)
    assert all(upn.isascii() and upn == upn.lower() for upn in upns)


# --- synthetic data ------------------------------------------------------------------------


async def test_synthetic_counts_are_exact_and_progress_sums_to_users(database: Database) -> None:
    # Given a progress callback
    progress: list[int] = []

    # When 3 customers of 250 users and 5 products are generated in batches of 100
    summary = await seed_synthetic(
        database=database,
        customers=3,
        users=250,
        products=5,
        on_progress=progress.append,
        batch_size=100,
    )

    # Then the counts are exact and progress reports every batch of every customer
    assert summary == await summary_in(database)
    assert (summary.customers, summary.users, summary.products) == (3, 750, 15)
    assert progress == [100, 100, 50] * 3


async def test_synthetic_data_keeps_the_invariant_and_every_rule(database: Database) -> None:
    await seed_synthetic(database=database, customers=2, users=600, products=9, batch_size=250)

    await assert_consistent(database)


@pytest.mark.parametrize("products", [1, 2, 5, 20])
async def test_at_least_half_the_synthetic_products_are_unrestricted(
    database: Database, products: int
) -> None:
    await seed_synthetic(database=database, customers=1, users=40, products=products)

    restricted = or_(
        exists().where(requirement.product_id == product.id),
        exists().where(
            or_(conflict.product_id == product.id, conflict.conflicting_product_id == product.id)
        ),
        exists().where(unavailable.product_id == product.id),
    )
    unrestricted_products = select(func.count()).select_from(product_table).where(~restricted)
    unrestricted = await scalar(database, unrestricted_products)
    assert unrestricted * 2 >= products
    if products >= 5:
        assert await scalar(database, select(func.count()).select_from(product_requirement_table))
        assert await scalar(database, select(func.count()).select_from(product_conflict_table))
        assert await scalar(database, select(func.count()).where(unavailable.product_id > 0))


async def test_every_synthetic_user_has_a_usage_location(database: Database) -> None:
    await seed_synthetic(database=database, customers=1, users=500, products=4)

    assert await scalar(database, select(func.count()).where(user.usage_location.is_(None))) == 0


async def test_synthetic_data_has_licenses_plans_and_few_free_seats(database: Database) -> None:
    await seed_synthetic(database=database, customers=1, users=1_000, products=8)

    holders = await scalar(database, select(func.count(func.distinct(assignment.user_id))))
    free = product.total_licenses - product.assigned_licenses
    assert 250 <= holders <= 350
    assert await scalar(database, select(func.min(free))) <= 3
    assert await scalar(database, select(func.max(free))) >= 50
    assert await count(database, service_plan_requirement_table) == 8
    trimmed = func.json_array_length(assignment.disabled_service_plan_ids) > 0
    assert await scalar(database, select(func.count()).where(trimmed)) > 0


async def test_synthetic_data_is_deterministic_for_a_seed(
    database: Database, other_database: Database
) -> None:
    # When two fresh databases are seeded with the same seed
    await seed_synthetic(database=database, customers=2, users=50, products=3, seed=7)
    await seed_synthetic(database=other_database, customers=2, users=50, products=3, seed=7)

    # Then they hold the same customers and users
    customers = select(customer.name, customer.domain).order_by(customer.id)
    assert await rows(database, customers) == await rows(other_database, customers)
    assert await user_names(database) == await user_names(other_database)


async def test_a_different_seed_gives_different_people(
    database: Database, other_database: Database
) -> None:
    await seed_synthetic(database=database, customers=1, users=50, products=3, seed=1)
    await seed_synthetic(database=other_database, customers=1, users=50, products=3, seed=2)

    assert await user_names(database) != await user_names(other_database)


async def test_synthetic_data_appends_to_a_seeded_database(database: Database) -> None:
    # Given the demo and one synthetic run
    demo = await seed_demo(database=database)
    first = await seed_synthetic(database=database, customers=1, users=30, products=3)

    # When the same synthetic run is repeated
    second = await seed_synthetic(database=database, customers=1, users=30, products=3)

    # Then names and domains don't collide and every count adds up
    assert await summary_in(database) == demo + first + second
    domains = [row.domain for row in await rows(database, select(customer.domain))]
    assert len(set(domains)) == len(domains)
    await assert_consistent(database)


async def test_synthetic_users_can_be_zero(database: Database) -> None:
    summary = await seed_synthetic(database=database, customers=2, users=0, products=2)

    assert summary == SeedSummary(customers=2, users=0, products=4, assignments=0)


@pytest.mark.parametrize(
    "sizes",
    [
        {"customers": 0, "users": 1, "products": 1},
        {"customers": 1, "users": -1, "products": 1},
        {"customers": 1, "users": 1, "products": 0},
        {"customers": 1, "users": 1, "products": 1, "batch_size": 0},
    ],
)
async def test_synthetic_sizes_are_checked(database: Database, sizes: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="synthetic data set needs"):
        await seed_synthetic(database=database, **sizes)

    assert await count(database, customer_table) == 0


async def test_the_rule_checks_above_catch_a_broken_database(database: Database) -> None:
    # Given the demo, broken on purpose: one license per rule, counts left untouched
    await seed_demo(database=database)
    ids = {
        name: await scalar(database, select(user.id).where(user.display_name == name))
        for name in ("Lee Gu", "Megan Bowen", "Nestor Wilke", "Adele Vance")
    }
    contoso = "Contoso Ltd."
    broken = [
        (ids["Lee Gu"], await product_id(database, contoso, "MCOEV"), []),
        (ids["Megan Bowen"], await product_id(database, contoso, "POWER_BI_PRO"), []),
        (ids["Nestor Wilke"], await product_id(database, contoso, "VISIOCLIENT"), []),
        (ids["Adele Vance"], await product_id(database, contoso, "SPE_E5"), []),
    ]
    e3 = await product_id(database, contoso, "SPE_E3")
    sharepoint = await scalar(
        database,
        select(plan.id).where(plan.product_id == e3, plan.name == "SharePoint Online (Plan 2)"),
    )
    now = datetime.now(UTC)
    async with database.transaction() as connection:
        await connection.execute(
            license_assignment_table.insert(),
            [
                {"user_id": u, "product_id": p, "disabled_service_plan_ids": d, "assigned_at": now}
                for u, p, d in broken
            ],
        )
        await connection.execute(
            license_assignment_table.update()
            .where(assignment.user_id == ids["Lee Gu"], assignment.product_id == e3)
            .values(disabled_service_plan_ids=[sharepoint])
        )

    # Then every check reports its offender
    assert len(await oversold_or_miscounted(database)) == 4
    assert [row.user_id for row in await conflicting_holdings(database)] == [ids["Adele Vance"]]
    assert [row.user_id for row in await missing_dependencies(database)] == [ids["Nestor Wilke"]]
    assert {row.user_id for row in await licenses_in_wrong_locations(database)} == {
        ids["Lee Gu"],
        ids["Megan Bowen"],
    }
    assert await invalid_disabled_plans(database) == [(ids["Lee Gu"], e3)]


async def test_demo_groups_show_every_case_of_group_licensing(database: Database) -> None:
    before = await seed_demo(database=database)

    contoso = await customer_id(database, "Contoso Ltd.")
    async with database.connect() as connection:
        groups = GroupRepository(connection)
        found = await groups.by_ids(list(range(1, 20)))
        by_name = {group.name: group for group in found.values()}
        waiting = {
            name: [
                (user, type(errors[0]).__name__)
                for user, _, errors, _ in await groups.open_errors(group.id)
            ]
            for name, group in by_name.items()
        }
        users = await UserRepository(connection).ids_by_display_name(
            customer_id=contoso,
            names=["Adele Vance", "Megan Bowen", "Miriam Graham", "Pradeep Gupta"],
        )
        held = await AssignmentRepository(connection).by_user_ids(list(users.values()))
        e3 = next(
            p.id
            for p in (await ProductRepository(connection).by_customer_ids([contoso]))[contoso]
            if p.sku_part_number == "SPE_E3"
        )
        sources = await groups.granting_groups(
            [(users["Adele Vance"], e3), (users["Pradeep Gupta"], e3)]
        )
        licenses = await groups.licenses_by_group_ids([by_name["Design team"].id])

    assert sorted(by_name) == ["Copilot pilot", "Design team", "Helpdesk", "Sales"]
    assert len(licenses[by_name["Design team"].id]) == 2  # a base suite and an add-on
    assert waiting == {
        "Design team": [
            (users["Megan Bowen"], "UsageLocationRequired"),
            (users["Megan Bowen"], "UsageLocationRequired"),
        ],
        "Copilot pilot": [(users["Miriam Graham"], "InsufficientLicenses")],
        "Sales": [],
        "Helpdesk": [],
    }
    # Direct and inherited: Adele; direct and through two groups: Pradeep (one seat).
    assert all(item.assigned_directly for item in held[users["Adele Vance"]])
    assert [g.name for g in sources[users["Adele Vance"], e3]] == ["Design team"]
    assert [g.name for g in sources[users["Pradeep Gupta"], e3]] == ["Helpdesk", "Sales"]
    assert before == await summary_in(database)  # the groups took no seat
    await assert_invariants(database)
