"""The application in-process over httpx: HTTP rules checked without starting a server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest

from licgraph.app import create_app
from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Role
from licgraph.services.tokens import create_token

BASE_URL = "http://licgraph.test"
GRAPHQL = f"{BASE_URL}/graphql"

ClientFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def engine_name() -> str:
    """HTTP rules do not depend on the database engine: SQLite only."""
    return "sqlite"


@pytest.fixture
async def token(database: Database) -> str:
    """The secret of a stored reader token."""
    _, secret = await create_token(database=database, role=Role.READER, name="http-tests")
    return secret


@pytest.fixture
def client_with(settings: Settings, database: Database, token: str) -> ClientFactory:
    """A client of an app built with ``settings`` changed by keyword, carrying the token."""

    @asynccontextmanager
    async def open_client(**changes: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(settings.model_copy(update=changes), database=database)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=BASE_URL,
            headers={"Authorization": f"Bearer {token}"},
        ) as client:
            yield client

    return open_client


@pytest.fixture
async def client(client_with: ClientFactory) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app with default settings, carrying a reader's token."""
    async with client_with() as opened:
        yield opened
