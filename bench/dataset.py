"""The data the benchmarks measure, made by licgraph itself: its CLI seeds, its API assigns.

``licgraph seed synthetic`` writes the customer, its products and users (30% of them with
a license); the API then buys seats and assigns more, as a real client would. Only user
ids are read with SQL, because listing 50,000 users through 100-user pages would take
longer than the benchmark.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from databases import query
from loadgen import check_answer
from servers import licgraph_cli
from sqlalchemy.engine import make_url

from licgraph.graphql.ids import from_global_id, to_global_id

MAX_PER_CALL = 10_000  # users per save and seats per purchase, the API's own caps
TENANT = """
{ customers(first: 1) { edges { node { id products {
    id skuPartNumber totalLicenses assignedLicenses unavailableUsageLocations
    requiredProducts { id } conflictingProducts { id } } } } } }"""
PURCHASE = """
mutation ($input: PurchaseLicensesInput!) { purchaseLicenses(input: $input) { __typename } }"""
SAVE = """
mutation ($input: UpdateLicensesInput!) {
  updateLicenses(input: $input) {
    applied succeededCount failedCount
    results { userId status errors { code } }
    products { name assignedLicenses availableLicenses }
  }
}"""


@dataclass(frozen=True)
class Tenant:
    """The benchmark's customer: its id, its products, and those without rules by SKU."""

    customer_id: str
    customer_pk: int
    product_ids: list[str]
    rule_free_product_ids: list[str]


class Api:
    """GraphQL over HTTP with a bearer token; raises on any error."""

    def __init__(self, url: str, token: str, *, timeout: float = 300) -> None:
        self.url = url
        self.authorization = f"Bearer {token}"
        self.client = httpx.Client(headers={"Authorization": self.authorization}, timeout=timeout)

    def __call__(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = {"query": document, "variables": variables or {}}
        return check_answer(self.client.post(self.url, json=body))

    def close(self) -> None:
        self.client.close()


def seed(database_url: str, *, users: int, products: int) -> None:
    """Migrate, then one synthetic customer with ``users`` users and ``products`` products."""
    licgraph_cli(database_url, "db", "upgrade")
    licgraph_cli(
        database_url,
        *("seed", "synthetic", "--customers", "1"),
        *("--users", str(users), "--products", str(products)),
    )


def admin_token(database_url: str) -> str:
    """A fresh admin-agent token (every customer, every action)."""
    name = f"bench-{uuid.uuid4().hex[:10]}"
    return licgraph_cli(
        database_url, "token", "create", "--role", "admin-agent", "--name", name
    ).strip()


def tenant(api: Api) -> Tenant:
    """The first customer, with its rule-free products ordered by SKU."""
    customer = api(TENANT)["customers"]["edges"][0]["node"]
    free = sorted(
        (p for p in customer["products"] if _rule_free(p)), key=lambda p: p["skuPartNumber"]
    )
    return Tenant(
        customer_id=customer["id"],
        customer_pk=pk(customer["id"]),
        product_ids=[p["id"] for p in customer["products"]],
        rule_free_product_ids=[p["id"] for p in free],
    )


def _rule_free(product: dict[str, Any]) -> bool:
    rules = ("requiredProducts", "conflictingProducts", "unavailableUsageLocations")
    return not any(product[rule] for rule in rules)


def buy_seats(api: Api, tenant: Tenant, product_id: str, seats: int) -> None:
    """Buy ``seats`` more seats of a product, 10,000 per purchase."""
    for quantity in _chunks_of(seats):
        variables = {
            "input": {
                "customerId": tenant.customer_id,
                "productId": product_id,
                "quantity": quantity,
            }
        }
        api(PURCHASE, variables)


def _chunks_of(total: int) -> Iterator[int]:
    while total > 0:
        yield min(total, MAX_PER_CALL)
        total -= MAX_PER_CALL


def save(
    api: Api,
    tenant: Tenant,
    user_ids: Sequence[str],
    *,
    assign: Sequence[str] = (),
    revoke: Sequence[str] = (),
) -> dict[str, Any]:
    """One ``updateLicenses`` call; every user must succeed."""
    variables = {
        "input": {
            "customerId": tenant.customer_id,
            "userIds": list(user_ids),
            "assign": [{"productId": product_id} for product_id in assign],
            "revoke": list(revoke),
        }
    }
    payload = dict(api(SAVE, variables)["updateLicenses"])
    if payload["failedCount"]:
        raise RuntimeError(f"{payload['failedCount']} users failed: {payload['results'][:3]}")
    return payload


def assign_to_everyone(api: Api, tenant: Tenant, user_ids: Sequence[str], products: int) -> None:
    """Give every user the first ``products`` rule-free products (buying the seats first)."""
    chosen = tenant.rule_free_product_ids[:products]
    for product_id in chosen:
        buy_seats(api, tenant, product_id, len(user_ids))
    for start in range(0, len(user_ids), MAX_PER_CALL):
        save(api, tenant, user_ids[start : start + MAX_PER_CALL], assign=chosen)


def user_pks(database_url: str, customer_pk: int) -> list[int]:
    """Primary keys of the customer's users, in id order (SQLite or PostgreSQL)."""
    sql = "SELECT id FROM user_account WHERE customer_id = {} ORDER BY id"
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(url.database or "") as connection:
            rows = connection.execute(sql.format("?"), (customer_pk,)).fetchall()
    else:
        libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
        rows = [tuple(row) for row in query(libpq, sql.format("$1"), customer_pk)]
    return [int(pk) for (pk,) in rows]


def user_ids(database_url: str, customer_pk: int) -> list[str]:
    """Global ids of the customer's users, in id order."""
    return global_user_ids(user_pks(database_url, customer_pk))


def global_user_ids(pks: Sequence[int]) -> list[str]:
    """The API's ids of these users."""
    return [to_global_id("User", pk) for pk in pks]


def pk(global_id: str) -> int:
    """The primary key inside a global id."""
    return from_global_id(global_id)[1]
