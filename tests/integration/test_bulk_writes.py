"""Rows written in bulk (COPY on PostgreSQL, one executemany on SQLite) read back exactly as
rows written by SQLAlchemy's own insert, and are stored the same way."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, text

from licgraph.db.engine import Database
from licgraph.db.repositories._sql import Repository
from licgraph.db.tables import license_assignment_table
from tests import factories as make

WHEN = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
COLUMNS = ("user_id", "product_id", "disabled_service_plan_ids", "assigned_at")


async def test_bulk_rows_match_rows_inserted_by_sqlalchemy(database: Database) -> None:
    customer = await make.make_customer(database, "Contoso")
    product = await make.make_product(database, customer, total=10)
    bulk = await make.make_user(database, customer, "Ann")
    core = await make.make_user(database, customer, "Bob")
    async with database.transaction() as connection:
        await Repository(connection).insert_many(
            license_assignment_table, COLUMNS, [(bulk, product, [3, 1], WHEN)]
        )
        await connection.execute(
            insert(license_assignment_table),
            [dict(zip(COLUMNS, (core, product, [3, 1], WHEN), strict=True))],
        )

    async with database.connect() as connection:
        rows = list(await connection.execute(select(license_assignment_table)))
        stored = list(
            await connection.execute(
                text(
                    "SELECT CAST(assigned_at AS TEXT), CAST(disabled_service_plan_ids AS TEXT) "
                    "FROM license_assignment ORDER BY user_id"
                )
            )
        )

    assert [(row.disabled_service_plan_ids, row.assigned_at) for row in rows] == [
        ([3, 1], WHEN),
        ([3, 1], WHEN),
    ]
    assert stored[0] == stored[1]  # the same text on disk, whichever way it was written
