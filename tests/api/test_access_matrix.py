"""Who sees which customer, read by read (CONTRACT section 5).

A partner-wide caller sees customer A and customer B; a caller scoped to A sees A only, and
for B gets exactly what an id of nothing gets: the same nulls, empty lists and totals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert

from licgraph.db.engine import Database
from licgraph.db.tables import license_event_table
from licgraph.domain.access import Principal, Role
from licgraph.graphql.ids import to_global_id
from tests import factories as make
from tests.api.conftest import Execute, data_of

MISSING_PK = 999_999

# --- the reads, each a document over one customer's ids ----------------------------------

READS: dict[str, str] = {
    "customers": """query ($name: String!) {
        customers(first: 10, search: $name) { totalCount edges { node { id name } } } }""",
    "customer": "query ($customer: ID!) { customer(id: $customer) { id name domain } }",
    "node:Customer": "query ($customer: ID!) { node(id: $customer) { id __typename } }",
    "node:User": "query ($user: ID!) { node(id: $user) { id ... on User { displayName } } }",
    "node:Product": "query ($product: ID!) { node(id: $product) { id ... on Product { name } } }",
    "node:ServicePlan": """query ($plan: ID!) {
        node(id: $plan) { id ... on ServicePlan { name } } }""",
    "node:LicenseEvent": """query ($event: ID!) {
        node(id: $event) { id ... on LicenseEvent { action } } }""",
    "node:Group": """query ($group: ID!) {
        node(id: $group) {
          id ... on Group { name memberCount licenses { product { id name } } } } }""",
    "nodes": """query ($customer: ID!, $user: ID!, $product: ID!, $plan: ID!, $event: ID!) {
        nodes(ids: [$customer, $user, $product, $plan, $event]) { id __typename } }""",
    "customer.users": """query ($customer: ID!) {
        customer(id: $customer) { users(first: 10) { totalCount nodes { id displayName } } } }""",
    "customer.groups": """query ($customer: ID!) {
        customer(id: $customer) { groups(first: 10) { totalCount nodes {
          id name members(first: 5) { totalCount nodes { id groups { id } } }
          licenseErrors(first: 5) { totalCount } } } } }""",
    "usersByIds": """query ($customer: ID!, $user: ID!) {
        customer(id: $customer) { usersByIds(ids: [$user]) { id displayName } } }""",
    "products": """query ($customer: ID!) {
        customer(id: $customer) { products { id name totalLicenses } } }""",
    "product(id)": """query ($customer: ID!, $product: ID!) {
        customer(id: $customer) { product(id: $product) { id name } } }""",
    "assignmentState": """query ($customer: ID!, $user: ID!) {
        customer(id: $customer) { products { id assignmentState(userIds: [$user]) } } }""",
    "assignedUsers": """query ($customer: ID!, $user: ID!) {
        customer(id: $customer) { products { id assignedUsers(userIds: [$user]) { id } } } }""",
    "licenseEvents": """query ($customer: ID!) {
        customer(id: $customer) {
          licenseEvents(first: 10) { totalCount edges { node { id action user { id } } } } } }""",
}

# --- the table ---------------------------------------------------------------------------
# One row per caller, one column per read (in READS order). "AB": sees its own customer A
# and the foreign customer B; "A": sees A only (B reads as if it did not exist).

COLUMNS = list(READS)
MATRIX: list[tuple[str, Role, bool, list[str]]] = [
    # caller                   role                        scoped to A
    ("admin-agent",            Role.ADMIN_AGENT,           False, ["AB"] * len(READS)),
    ("sales-agent",            Role.SALES_AGENT,           False, ["AB"] * len(READS)),
    ("helpdesk-agent",         Role.HELPDESK_AGENT,        False, ["AB"] * len(READS)),
    ("reader",                 Role.READER,                False, ["AB"] * len(READS)),
    ("global-admin@A",         Role.GLOBAL_ADMIN,          True,  ["A"] * len(READS)),
    ("user-management-admin@A", Role.USER_MANAGEMENT_ADMIN, True,  ["A"] * len(READS)),
    ("reader@A",               Role.READER,                True,  ["A"] * len(READS)),
    ("admin-agent@A",          Role.ADMIN_AGENT,           True,  ["A"] * len(READS)),
]  # fmt: skip
CALLERS = [pytest.param(caller, role, scoped, id=caller) for caller, role, scoped, _ in MATRIX]


@dataclass(frozen=True)
class Tenant:
    """The ids a read can ask about for one customer (or for nothing at all)."""

    customer: int
    user: int
    product: int
    plan: int
    event: int
    group: int
    name: str

    def variables(self) -> dict[str, Any]:
        return {
            "customer": to_global_id("Customer", self.customer),
            "user": to_global_id("User", self.user),
            "product": to_global_id("Product", self.product),
            "plan": to_global_id("ServicePlan", self.plan),
            "event": to_global_id("LicenseEvent", self.event),
            "group": to_global_id("Group", self.group),
            "name": self.name,
        }


NOBODY = Tenant(
    MISSING_PK, MISSING_PK, MISSING_PK, MISSING_PK, MISSING_PK, MISSING_PK, "Nowhere Corp"
)


@dataclass(frozen=True)
class Tenants:
    own: Tenant
    foreign: Tenant


async def make_tenant(database: Database, name: str, domain: str, person: str) -> Tenant:
    customer = await make.make_customer(database, name, domain)
    product = await make.make_product(database, customer, f"{name} Suite", total=5)
    plan = await make.make_plan(database, product, f"{name} Mail")
    user = await make.make_user(database, customer, person, "US")
    await make.assign(database, user, product)
    async with database.transaction() as connection:
        result = await connection.execute(
            insert(license_event_table).values(
                customer_id=customer,
                occurred_at=datetime(2026, 1, 2, tzinfo=UTC),
                action="ASSIGNED",
                user_id=user,
                product_id=product,
                actor_name="admin",
                actor_role="admin-agent",
                request_id="seed",
                details={},
            )
        )
        key = result.inserted_primary_key
    assert key is not None
    event = int(key[0])
    group = await make.make_group(database, customer, f"{name} Team", members=(user,))
    await make.grant(database, group, product)
    return Tenant(customer, user, product, plan, event, group, name)


@pytest.fixture
async def tenants(database: Database) -> Tenants:
    own = await make_tenant(database, "Alpha Corp", "alpha.example.com", "Ann Alpha")
    foreign = await make_tenant(database, "Beta Corp", "beta.example.com", "Bert Beta")
    return Tenants(own=own, foreign=foreign)


async def caller_for(
    database: Database, tenants: Tenants, caller: str, role: Role, scoped: bool
) -> Principal:
    scope = tenants.own.customer if scoped else None
    return await make.make_token(database, role, scope, name=caller)


async def read_as(
    execute: Execute, principal: Principal, read: str, tenant: Tenant
) -> dict[str, Any]:
    document = READS[read]
    variables = {k: v for k, v in tenant.variables().items() if f"${k}" in document}
    return data_of(await execute(document, variables, principal=principal))


def as_if(data: dict[str, Any], tenant: Tenant, replacement: Tenant) -> dict[str, Any]:
    """``data`` with every id and name of ``tenant`` replaced by those of ``replacement``."""
    text = json.dumps(data)
    for key, value in tenant.variables().items():
        text = text.replace(str(value), str(replacement.variables()[key]))
    replaced: dict[str, Any] = json.loads(text)
    return replaced


def shows(data: dict[str, Any], tenant: Tenant) -> bool:
    """Whether a response carries anything of the tenant's (an id or its name)."""
    text = json.dumps(data)
    return any(str(value) in text for value in tenant.variables().values())


def test_the_table_covers_every_read_and_every_role() -> None:
    assert all(len(cells) == len(COLUMNS) == 17 for *_, cells in MATRIX)
    assert {role for _, role, _, _ in MATRIX} == set(Role)
    assert {role for _, role, scoped, _ in MATRIX if scoped} == set(Role) - {
        Role.SALES_AGENT,
        Role.HELPDESK_AGENT,
    }


@pytest.mark.parametrize(
    ("caller", "role", "scoped", "cells"),
    [pytest.param(*row, id=row[0]) for row in MATRIX],
)
async def test_who_sees_which_customer(
    execute: Execute,
    database: Database,
    tenants: Tenants,
    subtests: pytest.Subtests,
    caller: str,
    role: Role,
    scoped: bool,
    cells: list[str],
) -> None:
    principal = await caller_for(database, tenants, caller, role, scoped)

    for read, cell in zip(COLUMNS, cells, strict=True):
        with subtests.test(read=read, expected=cell):
            own = await read_as(execute, principal, read, tenants.own)
            foreign = await read_as(execute, principal, read, tenants.foreign)
            nothing = await read_as(execute, principal, read, NOBODY)

            assert shows(own, tenants.own) is ("A" in cell)
            assert shows(foreign, tenants.foreign) is ("B" in cell)
            assert not shows(foreign, tenants.own)  # never a neighbour's data instead
            assert not shows(nothing, tenants.own)
            if "B" not in cell:
                assert as_if(foreign, tenants.foreign, NOBODY) == nothing


# --- the list of customers ---------------------------------------------------------------

CUSTOMERS = "{ customers(first: 10) { totalCount edges { node { name } } } }"


@pytest.mark.parametrize(("caller", "role", "scoped"), CALLERS)
async def test_the_customer_list_and_its_total_show_only_visible_customers(
    execute: Execute, database: Database, tenants: Tenants, caller: str, role: Role, scoped: bool
) -> None:
    principal = await caller_for(database, tenants, caller, role, scoped)

    result = await execute(CUSTOMERS, principal=principal)

    names = ["Alpha Corp"] if scoped else ["Alpha Corp", "Beta Corp"]
    assert data_of(result)["customers"] == {
        "totalCount": len(names),
        "edges": [{"node": {"name": name}} for name in names],
    }


# --- foreign ids inside one's own customer -----------------------------------------------

INSIDE_OWN: dict[str, str] = {
    "usersByIds": "usersByIds(ids: [$user]) { id }",
    "assignmentState": "products { name assignmentState(userIds: [$user]) }",
    "assignedUsers": "products { name assignedUsers(userIds: [$user]) { id } }",
    "product(id)": "product(id: $product) { id }",
    "users(holdingProduct)": "users(filter: {holdingProduct: $product}) { totalCount }",
    "users(lackingProduct)": "users(filter: {lackingProduct: $product}) { totalCount }",
}


@pytest.mark.parametrize(("caller", "role", "scoped"), CALLERS)
async def test_ids_of_another_customer_read_like_ids_of_nothing(
    execute: Execute,
    database: Database,
    tenants: Tenants,
    subtests: pytest.Subtests,
    caller: str,
    role: Role,
    scoped: bool,
) -> None:
    principal = await caller_for(database, tenants, caller, role, scoped)
    own = to_global_id("Customer", tenants.own.customer)

    for field, selection in INSIDE_OWN.items():
        with subtests.test(field=field):
            foreign = await read_inside(execute, principal, own, selection, tenants.foreign)
            nothing = await read_inside(execute, principal, own, selection, NOBODY)

            assert foreign == nothing


async def read_inside(
    execute: Execute, principal: Principal, customer: str, selection: str, tenant: Tenant
) -> dict[str, Any]:
    """``selection`` inside the customer, with ``$user``/``$product`` ids of ``tenant``."""
    ids = {
        "user": to_global_id("User", tenant.user),
        "product": to_global_id("Product", tenant.product),
    }
    used = {name: value for name, value in ids.items() if f"${name}" in selection}
    declared = "".join(f", ${name}: ID!" for name in used)
    document = f"query ($c: ID!{declared}) {{ customer(id: $c) {{ {selection} }} }}"
    return data_of(await execute(document, {"c": customer, **used}, principal=principal))


# --- viewer ------------------------------------------------------------------------------

VIEWER = (
    "{ viewer { name role partnerWide canChangeLicenses canPurchaseLicenses customer { name } } }"
)


@pytest.mark.parametrize(("caller", "role", "scoped"), CALLERS)
async def test_viewer_is_the_caller_itself(
    execute: Execute, database: Database, tenants: Tenants, caller: str, role: Role, scoped: bool
) -> None:
    principal = await caller_for(database, tenants, caller, role, scoped)

    result = await execute(VIEWER, principal=principal)

    assert data_of(result)["viewer"] == {
        "name": caller,
        "role": role.name,
        "partnerWide": not scoped,
        "canChangeLicenses": role is not Role.READER,
        "canPurchaseLicenses": role in {Role.ADMIN_AGENT, Role.SALES_AGENT},
        "customer": {"name": "Alpha Corp"} if scoped else None,
    }
