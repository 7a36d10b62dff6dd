"""Shared fixtures: a freshly migrated database file per test."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from licgraph.config import Settings
from licgraph.db.engine import Database, create_database
from licgraph.db.migrate import upgrade_database


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrations run once per session; each test copies the result (a file copy is cheap)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_database(sqlite_url(path))
    return path


@pytest.fixture
def database_url(tmp_path: Path, migrated_sqlite_template: Path) -> str:
    path = tmp_path / "licgraph.db"
    shutil.copyfile(migrated_sqlite_template, path)
    return sqlite_url(path)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    database = create_database(settings)
    yield database
    await database.dispose()
