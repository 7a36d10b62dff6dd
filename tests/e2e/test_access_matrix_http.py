"""Who may do what, end to end (CONTRACT section 5): real tokens, a real server, the demo data.

One table, MATRIX, says for every operation (a row) and every caller (a column) what the
caller gets when the operation names the own customer A (Contoso), a foreign customer B
(Fabrikam) or ids of nothing:

- "AB": allowed on A and on B; ids of nothing give null, an empty list or NOT_FOUND.
- "A":  allowed on A; B's ids get exactly what ids of nothing get (the same response once
        B's ids are swapped for those ids of nothing).
- "-":  refused with FORBIDDEN wherever the customer is visible; where it is not (B for a
        scoped caller, ids of nothing) refused alike, B exactly as nothing.

Rows ending in "@A" ask inside A's own customer about B's users and products: they are
never found there, whoever asks (partner-wide callers included), and a save reports them
as UserNotFoundError. Saves run as dry runs; purchases and usage locations are real writes
(to the location the user already has), and every caller that may write makes one real save.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from licgraph.graphql.ids import to_global_id
from tests.conftest import sqlite_url
from tests.e2e.servers import Server, serving

pytestmark = pytest.mark.e2e

# --- the callers: role and whether scoped to A ---------------------------------------------

CALLERS: dict[str, tuple[str, bool]] = {
    "admin-agent": ("admin-agent", False),
    "sales-agent": ("sales-agent", False),
    "helpdesk-agent": ("helpdesk-agent", False),
    "reader": ("reader", False),
    "global-admin@A": ("global-admin", True),
    "user-management-admin@A": ("user-management-admin", True),
    "reader@A": ("reader", True),
}
COLUMNS = list(CALLERS)

# --- the table ------------------------------------------------------------------------------

MATRIX: list[tuple[str, list[str]]] = [
    # operation                 admin  sales  help   reader ga@A  uma@A  reader@A
    ("viewer",                  ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("customers",               ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("customer",                ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("node:Customer",           ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("node:User",               ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("node:Product",            ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("node:ServicePlan",        ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("node:LicenseEvent",       ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("nodes",                   ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("Customer.users",          ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("Customer.usersByIds",     ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("Customer.products",       ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("Customer.product",        ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("Product.assignmentState", ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("Product.assignedUsers",   ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("Customer.licenseEvents",  ["AB", "AB", "AB", "AB", "A",  "A",  "A"]),
    ("usersByIds@A",            ["A",  "A",  "A",  "A",  "A",  "A",  "A"]),
    ("product@A",               ["A",  "A",  "A",  "A",  "A",  "A",  "A"]),
    ("assignmentState@A",       ["A",  "A",  "A",  "A",  "A",  "A",  "A"]),
    ("assignedUsers@A",         ["A",  "A",  "A",  "A",  "A",  "A",  "A"]),
    ("assignLicenses",          ["AB", "AB", "AB", "-",  "A",  "A",  "-"]),
    ("revokeLicenses",          ["AB", "AB", "AB", "-",  "A",  "A",  "-"]),
    ("updateLicenses",          ["AB", "AB", "AB", "-",  "A",  "A",  "-"]),
    ("setUsageLocation",        ["AB", "AB", "AB", "-",  "A",  "A",  "-"]),
    ("purchaseLicenses",        ["AB", "AB", "-",  "-",  "-",  "-",  "-"]),
    ("assignLicenses@A",        ["A",  "A",  "A",  "-",  "A",  "A",  "-"]),
    ("revokeLicenses@A",        ["A",  "A",  "A",  "-",  "A",  "A",  "-"]),
    ("updateLicenses@A",        ["A",  "A",  "A",  "-",  "A",  "A",  "-"]),
    ("setUsageLocation@A",      ["A",  "A",  "A",  "-",  "A",  "A",  "-"]),
    ("purchaseLicenses@A",      ["A",  "A",  "-",  "-",  "-",  "-",  "-"]),
]  # fmt: skip
ROWS = dict(MATRIX)

# --- the operations: documents over one tenant's $customer, $user, $product, ... -------------

VARIABLE_TYPES = {
    "customer": "ID!",
    "user": "ID!",
    "product": "ID!",
    "plan": "ID!",
    "event": "ID!",
    "name": "String!",
    "person": "String!",
}


def uses(document: str, variable: str) -> bool:
    return re.search(rf"\${variable}\b", document) is not None


@dataclass(frozen=True)
class Operation:
    """A document over one tenant's ids; ``inside_own``: ``$customer`` is always A's."""

    document: str
    inside_own: bool = False
    # What ids of nothing get: "nothing" (null or empty), "NOT_FOUND" (a top-level error),
    # or the code of a typed error in the payload ("USER_NOT_FOUND", "PRODUCT_NOT_FOUND").
    missing: str = "nothing"


def operation(kind: str, body: str, *, inside_own: bool = False, missing: str = "") -> Operation:
    """``kind`` ("query" or "mutation") ``body``, declaring the variables it uses."""
    used = [f"${name}: {type_}" for name, type_ in VARIABLE_TYPES.items() if uses(body, name)]
    default = "nothing" if kind == "query" else "NOT_FOUND"
    return Operation(f"{kind} ({', '.join(used)}) {{ {body} }}", inside_own, missing or default)


def read(selection: str, *, inside_own: bool = False) -> Operation:
    return operation("query", f"customer(id: $customer) {{ {selection} }}", inside_own=inside_own)


SAVE_INPUTS = {
    "assignLicenses": "licenses: [{productId: $product}]",
    "revokeLicenses": "productIds: [$product]",
    "updateLicenses": "assign: [{productId: $product}]",
}
SAVE_RESULT = """dryRun applied products { id } results { user { id } status errors { code
  ... on UserNotFoundError { userId } ... on ProductNotFoundError { productId } } }"""
SET_LOCATION = """setUsageLocation(input: {customerId: $customer, userIds: [$user],
  usageLocation: "US"}) { usageLocation results { userId user { id } status errors { code } } }"""
PURCHASE_ONE = """purchaseLicenses(input: {customerId: $customer, productId: $product,
  quantity: 1}) { applied product { id }
  errors { code ... on ProductNotFoundError { productId } } }"""


def save(name: str, *, inside_own: bool = False) -> Operation:
    """A dry-run save of ``$product`` for ``$user`` in ``$customer``."""
    body = (
        f"{name}(input: {{customerId: $customer, userIds: [$user], {SAVE_INPUTS[name]}, "
        f"dryRun: true}}) {{ {SAVE_RESULT} }}"
    )
    missing = "USER_NOT_FOUND" if inside_own else ""
    return operation("mutation", body, inside_own=inside_own, missing=missing)


NODE_VARIABLES = {
    "Customer": "customer",
    "User": "user",
    "Product": "product",
    "ServicePlan": "plan",
    "LicenseEvent": "event",
}
OPERATIONS: dict[str, Operation] = {
    "customers": operation(
        "query", "customers(first: 10, search: $name) { totalCount edges { node { id name } } }"
    ),
    "customer": operation("query", "customer(id: $customer) { id name domain }"),
    **{
        f"node:{type_name}": operation("query", f"node(id: ${var}) {{ id __typename }}")
        for type_name, var in NODE_VARIABLES.items()
    },
    "nodes": operation(
        "query", "nodes(ids: [$customer, $user, $product, $plan, $event]) { id __typename }"
    ),
    "Customer.users": read("users(first: 5, search: $person) { totalCount nodes { id } }"),
    "Customer.usersByIds": read("usersByIds(ids: [$user]) { id displayName }"),
    "Customer.products": read("products { id name totalLicenses }"),
    "Customer.product": read("product(id: $product) { id name }"),
    "Product.assignmentState": read("products { id assignmentState(userIds: [$user]) }"),
    "Product.assignedUsers": read("products { id assignedUsers(userIds: [$user]) { id } }"),
    "Customer.licenseEvents": read("licenseEvents(first: 10) { totalCount nodes { id action } }"),
    "usersByIds@A": read("usersByIds(ids: [$user]) { id }", inside_own=True),
    "product@A": read("product(id: $product) { id }", inside_own=True),
    "assignmentState@A": read(
        "products { name assignmentState(userIds: [$user]) }", inside_own=True
    ),
    "assignedUsers@A": read(
        "products { name assignedUsers(userIds: [$user]) { id } }", inside_own=True
    ),
    **{name: save(name) for name in SAVE_INPUTS},
    **{f"{name}@A": save(name, inside_own=True) for name in SAVE_INPUTS},
    "setUsageLocation": operation("mutation", SET_LOCATION),
    "setUsageLocation@A": operation(
        "mutation", SET_LOCATION, inside_own=True, missing="USER_NOT_FOUND"
    ),
    "purchaseLicenses": operation("mutation", PURCHASE_ONE),
    "purchaseLicenses@A": operation(
        "mutation", PURCHASE_ONE, inside_own=True, missing="PRODUCT_NOT_FOUND"
    ),
}

# --- the tenants and the running server -------------------------------------------------------


@dataclass(frozen=True)
class Tenant:
    """The ids (and names) an operation can ask about, of one customer or of nothing."""

    customer: str
    user: str  # a user with usage location US
    product: str  # POWER_BI_PRO: no rule stands in the way of an allowed save
    plan: str
    event: str
    name: str
    person: str  # the user's display name

    def variables(self) -> dict[str, str]:
        return dict(vars(self))


MISSING_PK = 999_999
NOTHING = Tenant(
    *(to_global_id(type_name, MISSING_PK) for type_name in NODE_VARIABLES),
    name="Nowhere Corp",
    person="Nobody Atall",
)


@dataclass(frozen=True)
class World:
    """The running server, a token per caller, and what the operations ask about."""

    server: Server
    client: httpx.Client
    tokens: dict[str, str]
    own: Tenant
    foreign: Tenant
    revoked_token: str

    def post(self, token: str | None, document: str, variables: dict[str, Any]) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return self.client.post(
            self.server.graphql, json={"query": document, "variables": variables}, headers=headers
        )

    def as_caller(self, caller: str, document: str, **variables: Any) -> dict[str, Any]:
        response = self.post(self.tokens[caller], document, variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture(scope="module")
def live(
    migrated_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One `licgraph serve` with the demo data for the whole module (built like `server`)."""
    workdir = tmp_path_factory.mktemp("access-matrix")
    shutil.copyfile(migrated_sqlite_template, workdir / "licgraph.db")
    demo = Server.on_free_port(
        {
            **os.environ,
            "LICGRAPH_DATABASE_URL": sqlite_url(workdir / "licgraph.db"),
            "LICGRAPH_RATE_LIMIT_PER_SECOND": "0",  # hundreds of requests in seconds, on purpose
        }
    )
    demo.cli("seed", "demo")
    with serving(demo, workdir / "server.log") as running:
        yield running


CUSTOMER_IDS = "{ customers(first: 10) { nodes { id name } } }"
TENANT_IDS = """query ($customer: ID!) { customer(id: $customer) {
  name users(first: 1, filter: {usageLocation: "US"}) { nodes { id displayName } }
  products { id skuPartNumber servicePlans { id } } licenseEvents(first: 1) { nodes { id } } } }"""
PURCHASE = "mutation ($customer: ID!, $product: ID!) { " + PURCHASE_ONE + " }"


def tenant(world: World, customer: str) -> Tenant:
    """A's or B's ids, after a purchase that gives its change log an event."""
    data = world.as_caller("admin", TENANT_IDS, customer=customer)["data"]["customer"]
    product = next(p for p in data["products"] if p["skuPartNumber"] == "POWER_BI_PRO")
    world.as_caller("admin", PURCHASE, customer=customer, product=product["id"])
    data = world.as_caller("admin", TENANT_IDS, customer=customer)["data"]["customer"]
    user = data["users"]["nodes"][0]
    return Tenant(
        customer,
        user["id"],
        product["id"],
        product["servicePlans"][0]["id"],
        data["licenseEvents"]["nodes"][0]["id"],
        data["name"],
        user["displayName"],
    )


@pytest.fixture(scope="module")
def world(live: Server) -> Iterator[World]:
    """Tokens for every caller (and a revoked one); the ids of A and B."""
    with httpx.Client(timeout=30) as client:
        setup = World(live, client, {"admin": live.token("admin-agent")}, NOTHING, NOTHING, "")
        customers = setup.as_caller("admin", CUSTOMER_IDS)["data"]["customers"]["nodes"]
        by_name = {customer["name"]: customer["id"] for customer in customers}
        own_id = by_name["Contoso Ltd."]
        assert own_id == to_global_id("Customer", 1)  # the first customer the demo seeds
        tokens = {
            caller: live.token(
                role, *(["--customer", own_id] if scoped else []), "--name", f"matrix-{caller}"
            )
            for caller, (role, scoped) in CALLERS.items()
        }
        revoked = live.token("admin-agent", "--name", "matrix-revoked")
        live.cli("token", "revoke", "--name", "matrix-revoked")
        own, foreign = tenant(setup, own_id), tenant(setup, by_name["Fabrikam, Inc."])
        yield World(live, client, tokens, own, foreign, revoked)


# --- what the responses must show -------------------------------------------------------------


def ask(world: World, caller: str, name: str, target: Tenant) -> dict[str, Any]:
    """Run operation ``name`` as ``caller`` over the ids of ``target``."""
    operation = OPERATIONS[name]
    chosen = target.variables()
    if operation.inside_own:
        chosen["customer"] = world.own.customer
    used = {key: value for key, value in chosen.items() if uses(operation.document, key)}
    return world.as_caller(caller, operation.document, **used)


def text_of(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


def as_if(body: dict[str, Any], target: Tenant, replacement: Tenant) -> dict[str, Any]:
    """``body`` with every id and name of ``target`` swapped for those of ``replacement``."""
    text = text_of(body)
    for key, value in target.variables().items():
        text = text.replace(value, replacement.variables()[key])
    swapped: dict[str, Any] = json.loads(text)
    return swapped


def shows(body: dict[str, Any], target: Tenant, operation: Operation) -> bool:
    """Whether a response carries an id or name of ``target`` (beyond A's customer id that
    an inside-own operation names)."""
    values = target.variables()
    if operation.inside_own:
        values.pop("customer")
    return any(value in text_of(body) for value in values.values())


def codes(body: dict[str, Any]) -> list[str]:
    """The codes of the top-level errors."""
    return [error.get("extensions", {}).get("code") for error in body.get("errors", [])]


def payload_codes(body: dict[str, Any]) -> set[str]:
    """The codes of the typed errors inside the data."""
    return set(re.findall(r'"code": "(\w+)"', text_of(body.get("data") or {})))


def assert_allowed(body: dict[str, Any], target: Tenant, nothing: dict[str, Any]) -> None:
    """Served, with something that ids of nothing do not get (the target's data)."""
    assert "errors" not in body, body
    assert as_if(body, target, NOTHING) != nothing, body


def assert_forbidden(body: dict[str, Any]) -> None:
    assert codes(body) == ["FORBIDDEN"], body
    assert body["data"] is None, body


def assert_like_nothing(body: dict[str, Any], world: World, operation: Operation) -> None:
    """What ids of nothing get: nothing of A or B, and the operation's kind of not-found."""
    assert not shows(body, world.own, operation), body
    assert not shows(body, world.foreign, operation), body
    if operation.missing == "NOT_FOUND":
        assert codes(body) == ["NOT_FOUND"], body
        return
    assert "errors" not in body, body
    if operation.missing != "nothing":
        assert operation.missing in payload_codes(body), body


# --- the tests --------------------------------------------------------------------------------


def test_the_table_covers_every_operation_caller_and_role() -> None:
    assert all(len(cells) == len(COLUMNS) for _, cells in MATRIX)
    assert set(ROWS) == {"viewer", *OPERATIONS}
    assert {role for role, _ in CALLERS.values()} == {
        "admin-agent",
        "sales-agent",
        "helpdesk-agent",
        "reader",
        "global-admin",
        "user-management-admin",
    }
    assert {cell for _, cells in MATRIX for cell in cells} == {"AB", "A", "-"}


@pytest.mark.parametrize(
    ("name", "caller", "cell"),
    [
        pytest.param(name, caller, cell, id=f"{name}-{caller}")
        for name, cells in MATRIX
        if name != "viewer"  # its own test below
        for caller, cell in zip(COLUMNS, cells, strict=True)
    ],
)
def test_who_may_do_what(world: World, name: str, caller: str, cell: str) -> None:
    operation = OPERATIONS[name]
    foreign_visible = not CALLERS[caller][1] or operation.inside_own

    own = ask(world, caller, name, world.own)
    foreign = ask(world, caller, name, world.foreign)
    nothing = ask(world, caller, name, NOTHING)

    if cell == "-":
        assert_forbidden(own)
        if foreign_visible:
            assert_forbidden(foreign)
        else:
            assert as_if(foreign, world.foreign, NOTHING) == nothing
        assert codes(nothing) in (["FORBIDDEN"], ["NOT_FOUND"]), nothing
        return
    assert_allowed(own, world.own, nothing)
    if cell == "AB":
        assert_allowed(foreign, world.foreign, nothing)
    else:
        assert as_if(foreign, world.foreign, NOTHING) == nothing
    assert_like_nothing(nothing, world, operation)


VIEWER = """{ viewer { name role partnerWide canChangeLicenses canPurchaseLicenses
  customer { id } } }"""


def enum_of(role: str) -> str:
    return role.upper().replace("-", "_")


@pytest.mark.parametrize("caller", COLUMNS)
def test_the_viewer_agrees_with_the_table(world: World, caller: str) -> None:
    role, scoped = CALLERS[caller]
    column = COLUMNS.index(caller)

    body = world.as_caller(caller, VIEWER)

    assert "errors" not in body, body
    assert body["data"]["viewer"] == {
        "name": f"matrix-{caller}",
        "role": enum_of(role),
        "partnerWide": ROWS["viewer"][column] == "AB",
        "canChangeLicenses": ROWS["assignLicenses"][column] != "-",
        "canPurchaseLicenses": ROWS["purchaseLicenses"][column] != "-",
        "customer": {"id": world.own.customer} if scoped else None,
    }
    assert ROWS["viewer"][column] == ("A" if scoped else "AB")


WRITERS = [caller for caller in COLUMNS if ROWS["assignLicenses"][COLUMNS.index(caller)] != "-"]
USERS_LACKING = """query ($customer: ID!, $product: ID!) { customer(id: $customer) {
  users(first: 10, filter: {lackingProduct: $product, hasUsageLocation: true})
  { nodes { id } } } }"""
ASSIGN = """mutation ($customer: ID!, $user: ID!, $product: ID!) {
  assignLicenses(input: {customerId: $customer, userIds: [$user],
                         licenses: [{productId: $product}]})
  { applied results { status user { licenses { product { id } } } } } }"""
EVENTS_OF_USER = """query ($customer: ID!, $user: ID!) { customer(id: $customer) {
  licenseEvents(first: 5, filter: {userId: $user})
  { nodes { action product { id } actor { name role } } } } }"""


@pytest.mark.parametrize("caller", WRITERS)
def test_a_caller_who_may_write_really_writes(world: World, caller: str) -> None:
    customer, product = world.own.customer, world.own.product
    lacking = world.as_caller(caller, USERS_LACKING, customer=customer, product=product)
    user = lacking["data"]["customer"]["users"]["nodes"][WRITERS.index(caller)]["id"]

    body = world.as_caller(caller, ASSIGN, customer=customer, user=user, product=product)
    events = world.as_caller(caller, EVENTS_OF_USER, customer=customer, user=user)

    payload = body["data"]["assignLicenses"]
    assert payload["applied"] is True
    assert payload["results"][0]["status"] == "SUCCEEDED"
    assert {"product": {"id": product}} in payload["results"][0]["user"]["licenses"]
    assert events["data"]["customer"]["licenseEvents"]["nodes"] == [
        {
            "action": "ASSIGNED",
            "product": {"id": product},
            "actor": {"name": f"matrix-{caller}", "role": enum_of(CALLERS[caller][0])},
        }
    ]


@pytest.mark.parametrize("kind", ["no token", "bad token", "revoked token"])
@pytest.mark.parametrize("name", ["viewer", *OPERATIONS])
def test_without_a_valid_token_only_an_authentication_error(
    world: World, name: str, kind: str
) -> None:
    token = {"no token": None, "bad token": "lg_abc_def", "revoked token": world.revoked_token}
    document = VIEWER if name == "viewer" else OPERATIONS[name].document
    variables = {key: value for key, value in world.own.variables().items() if uses(document, key)}

    response = world.post(token[kind], document, variables)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert list(body) == ["errors"], body
    assert [error["extensions"] for error in body["errors"]] == [{"code": "UNAUTHENTICATED"}]
