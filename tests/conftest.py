"""Shared fixtures: a freshly migrated database per test, on SQLite and (when configured)
on PostgreSQL, so the whole suite runs on both engines."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from licgraph.config import Settings
from licgraph.db.engine import Database, create_database
from licgraph.db.migrate import upgrade_database

POSTGRES_URL = os.environ.get("LICGRAPH_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("LICGRAPH_TEST_REQUIRE_POSTGRES") == "1"
ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    *(
        [pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]
        if POSTGRES_URL
        else []
    ),
]


def pytest_configure(config: pytest.Config) -> None:
    if REQUIRE_POSTGRES and not POSTGRES_URL:
        raise pytest.UsageError(
            "LICGRAPH_TEST_REQUIRE_POSTGRES=1 but LICGRAPH_TEST_POSTGRES_URL is not set"
        )


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _blocking(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to completion from sync code, even while a test loop exists."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _postgres_url(database: str) -> str:
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


async def _admin(sql: str) -> None:
    url = make_url(POSTGRES_URL).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrations run once per session; each test copies the result (a file copy is cheap)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_database(sqlite_url(path))
    return path


@pytest.fixture(scope="session")
def migrated_postgres_template() -> Iterator[str]:
    """A migrated template database; each test clones it with CREATE DATABASE ... TEMPLATE."""
    name = f"licgraph_template_{uuid.uuid4().hex[:12]}"
    try:
        _blocking(_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as error:
        pytest.fail(f"PostgreSQL at LICGRAPH_TEST_POSTGRES_URL is unusable: {error}")
    upgrade_database(_postgres_url(name))
    yield name
    _blocking(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    """Which engine this test runs on."""
    return str(request.param)


@pytest.fixture
def database_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, migrated database of its own."""
    if engine_name == "sqlite":
        template: Path = request.getfixturevalue("migrated_sqlite_template")
        path = tmp_path / "licgraph.db"
        shutil.copyfile(template, path)
        yield sqlite_url(path)
        return
    template_name: str = request.getfixturevalue("migrated_postgres_template")
    name = f"licgraph_test_{uuid.uuid4().hex[:12]}"
    _blocking(_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    yield _postgres_url(name)
    _blocking(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    database = create_database(settings)
    yield database
    await database.dispose()


@pytest.fixture
def count_statements(database: Database) -> Callable[[], Any]:
    """A context manager counting the SQL statements issued inside it."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(args[2])

        event.listen(database.engine.sync_engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", record)

    return counting
