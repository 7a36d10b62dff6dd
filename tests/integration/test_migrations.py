"""Migrations build exactly the tables the code declares, on every engine."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from licgraph.db.migrate import alembic_config, upgrade_database


def test_migrated_database_matches_the_models(database_url: str) -> None:
    # `alembic check` raises if autogenerate would emit any operation.
    command.check(alembic_config(database_url))


def test_upgrading_twice_is_harmless(database_url: str) -> None:
    upgrade_database(database_url)

    command.check(alembic_config(database_url))


def test_licenses_held_before_groups_are_kept_as_direct_ones(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "0003")
    asyncio.run(_execute(database_url, *_LICENSES_BEFORE_GROUPS))

    upgrade_database(database_url)

    rows = asyncio.run(
        _execute(
            database_url,
            "SELECT product_id, disabled_service_plan_ids, direct_disabled_service_plan_ids"
            " FROM license_assignment ORDER BY product_id",
        )
    )
    assert [(row[0], _json(row[1]), _json(row[2])) for row in rows] == [
        (1, [], []),
        (2, [7], [7]),
    ]


_LICENSES_BEFORE_GROUPS = (
    "INSERT INTO customer (id, name, name_key, domain) VALUES (1, 'Contoso', 'contoso', 'c.test')",
    "INSERT INTO user_account (id, customer_id, display_name, display_name_key,"
    " user_principal_name) VALUES (1, 1, 'Ada', 'ada', 'ada@c.test')",
    "INSERT INTO product (id, customer_id, sku_part_number, name, total_licenses,"
    " assigned_licenses) VALUES (1, 1, 'E3', 'E3', 5, 1), (2, 1, 'E5', 'E5', 5, 1)",
    "INSERT INTO service_plan (id, product_id, name) VALUES (7, 2, 'Teams')",
    "INSERT INTO license_assignment (user_id, product_id, disabled_service_plan_ids, assigned_at)"
    " VALUES (1, 1, '[]', '2026-01-01T00:00:00+00:00'), (1, 2, '[7]', '2026-01-01T00:00:00+00:00')",
)


def _json(value: Any) -> Any:
    # Untyped raw SQL: asyncpg decodes json columns itself, SQLite hands back the text.
    return json.loads(value) if isinstance(value, str) else value


async def _execute(database_url: str, *statements: str) -> list[tuple[Any, ...]]:
    """Run raw SQL in one transaction (the ORM's tables are ahead of a downgraded schema)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            rows: list[tuple[Any, ...]] = []
            for statement in statements:
                result = await connection.execute(text(statement))
                rows = [tuple(row) for row in result] if result.returns_rows else []
            return rows
    finally:
        await engine.dispose()
