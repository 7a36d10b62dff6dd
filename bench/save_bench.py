"""Bulk Save vs. one-user-per-call, through the real GraphQL schema on a real database.

Prints wall time, users per second and SQL statements for one save of N users x 3 products,
and the same figures for the baseline (today's tools: one call per user), measured in the
same run on the same data. Not a test: nothing is asserted.

    .venv/bin/python bench/save_bench.py [--users 10000] [--baseline-calls 200]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1/bench]   (default: temp SQLite)
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from licgraph.config import Settings
from licgraph.db.engine import Database, create_database
from licgraph.db.keyset import fetch_pages
from licgraph.db.migrate import upgrade_database
from licgraph.db.repositories.products import ProductRepository
from licgraph.db.repositories.users import USERS
from licgraph.domain.access import Principal, Role
from licgraph.domain.directory import UserQuery
from licgraph.domain.paging import PageRequest
from licgraph.graphql.context import build_context
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.schema import create_schema
from licgraph.services.purchases import purchase_licenses
from licgraph.services.seeding import seed_synthetic
from licgraph.services.tokens import create_token

SAVE = """
mutation ($input: UpdateLicensesInput!) {
  updateLicenses(input: $input) {
    applied succeededCount failedCount
    results { userId status errors { code } }
    products { name assignedLicenses availableLicenses }
  }
}"""


@contextmanager
def counting(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)


async def prepare(database: Database, users: int) -> tuple[Principal, int, list[int], list[int]]:
    """A customer with ``users`` users and 3 rule-free products with seats for all of them."""
    await seed_synthetic(database=database, customers=1, users=users, products=6)
    token, _ = await create_token(
        database=database, role=Role.ADMIN_AGENT, name="bench", customer_id=None
    )
    principal = Principal(token.id, token.name, token.role, None)
    async with database.connect() as connection:
        products = (await ProductRepository(connection).by_customer_ids([1]))[1]
        rules = await ProductRepository(connection).rules_by_product_ids([p.id for p in products])
        pages = await fetch_pages(
            connection,
            USERS,
            owners=[1],
            query=UserQuery(),
            request=PageRequest(limit=users),
            scope=None,
        )
        page = pages[1]
    free = [
        p.id
        for p in products
        if not (
            rules[p.id].required_product_ids
            or rules[p.id].conflicting_product_ids
            or rules[p.id].unavailable_usage_locations
        )
    ][:3]
    for product_id in free:
        await purchase_licenses(
            database=database,
            principal=principal,
            customer_id=1,
            product_id=product_id,
            quantity=min(users, 10_000),
            idempotency_key=None,
            request_id="bench",
        )
    return principal, 1, free, [user.id for user in page.rows]


async def run(database_url: str, users: int, baseline_calls: int) -> None:
    settings = Settings(database_url=database_url)
    database = create_database(settings)
    schema = create_schema(settings)
    principal, customer, products, user_ids = await prepare(database, users)

    async def save(ids: list[int]) -> dict[str, Any]:
        context = build_context(
            principal=principal, database=database, settings=settings, request_id="bench"
        )
        variables = {
            "input": {
                "customerId": to_global_id("Customer", customer),
                "userIds": [to_global_id("User", pk) for pk in ids],
                "assign": [{"productId": to_global_id("Product", pk)} for pk in products],
            }
        }
        result = await schema.execute(SAVE, variable_values=variables, context_value=context)
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data["updateLicenses"]

    baseline_users = user_ids[:baseline_calls]
    with counting(database) as statements:
        started = time.perf_counter()
        for user_id in baseline_users:
            await save([user_id])
        baseline_seconds = time.perf_counter() - started
    baseline_statements = len(statements)

    bulk_users = user_ids[baseline_calls:]
    with counting(database) as statements:
        started = time.perf_counter()
        payload = await save(bulk_users)
        bulk_seconds = time.perf_counter() - started

    baseline_rate = len(baseline_users) / baseline_seconds
    bulk_rate = len(bulk_users) / bulk_seconds
    engine = database.engine.dialect.name
    print(f"engine: {engine}; products per save: {len(products)}")
    print(
        f"baseline, one call per user: {len(baseline_users)} calls in {baseline_seconds:.2f} s "
        f"= {baseline_rate:,.0f} users/s, {baseline_statements / len(baseline_users):.1f} "
        f"SQL statements per user"
    )
    print(
        f"bulk save: {len(bulk_users)} users in {bulk_seconds:.2f} s = {bulk_rate:,.0f} users/s, "
        f"{len(statements)} SQL statements in all; succeeded {payload['succeededCount']}, "
        f"failed {payload['failedCount']}"
    )
    print(f"bulk / baseline throughput: {bulk_rate / baseline_rate:,.1f}x")
    await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000, help="users in the bulk save")
    parser.add_argument("--baseline-calls", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        total = arguments.users + arguments.baseline_calls
        upgrade_database(url)
        asyncio.run(run(url, total, arguments.baseline_calls))


if __name__ == "__main__":
    main()
