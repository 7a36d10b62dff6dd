"""In-process GraphQL execution against a real SQLite file, as a chosen caller."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from typing import Any, Protocol

import pytest
from strawberry.types import ExecutionResult

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal, Role
from licgraph.graphql.context import build_context
from licgraph.graphql.schema import create_schema
from tests.api.invariants import assert_invariants
from tests.api.world import World, build_world
from tests.factories import make_token


class Execute(Protocol):
    def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        principal: Principal | None = None,
    ) -> Awaitable[ExecutionResult]: ...


@pytest.fixture
async def admin(database: Database) -> Principal:
    """A partner-wide Admin agent with a stored token (idempotency keys hang off it)."""
    return await make_token(database, Role.ADMIN_AGENT, name="admin")


@pytest.fixture
def execute(database: Database, settings: Settings, admin: Principal) -> Execute:
    schema = create_schema(settings)

    async def run(
        query: str, variables: dict[str, Any] | None = None, *, principal: Principal | None = None
    ) -> ExecutionResult:
        context = build_context(
            principal=principal or admin, database=database, settings=settings, request_id="test"
        )
        return await schema.execute(query, variable_values=variables, context_value=context)

    return run


@pytest.fixture
async def world(database: Database) -> World:
    """The small world of tests/api/world.py (a module may build its own instead)."""
    return await build_world(database)


@pytest.fixture
async def invariants_hold(database: Database) -> AsyncIterator[None]:
    """Checks the invariants after the test; write tests use it on every test of a module."""
    yield
    await assert_invariants(database)


def data_of(result: ExecutionResult) -> dict[str, Any]:
    """The data of a result that must have no errors."""
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def error_codes(result: ExecutionResult) -> list[str]:
    """The extension codes of a result's errors."""
    return [(error.extensions or {}).get("code", "") for error in result.errors or []]
