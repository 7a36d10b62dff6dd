"""Migrations build exactly the tables the code declares, on every engine."""

from __future__ import annotations

from alembic import command

from licgraph.db.migrate import alembic_config, upgrade_database


def test_migrated_database_matches_the_models(database_url: str) -> None:
    # `alembic check` raises if autogenerate would emit any operation.
    command.check(alembic_config(database_url))


def test_upgrading_twice_is_harmless(database_url: str) -> None:
    upgrade_database(database_url)

    command.check(alembic_config(database_url))
