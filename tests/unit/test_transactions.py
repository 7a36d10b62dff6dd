"""A write use case's transaction: retried whole on transient conflicts, then given up."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from licgraph.services.errors import RetriesExhaustedError
from licgraph.services.transactions import in_transaction

LOCKED = OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))


class Database:
    """Stands in for the database: counts the transactions it opens."""

    def __init__(self) -> None:
        self.transactions = 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[str]:
        self.transactions += 1
        yield f"connection {self.transactions}"


async def test_work_that_succeeds_runs_once_and_returns_its_result() -> None:
    database = Database()

    async def work(connection: Any) -> str:
        return f"done in {connection}"

    assert await in_transaction(database, work) == "done in connection 1"
    assert database.transactions == 1


async def test_a_conflict_that_clears_is_retried_in_a_new_transaction() -> None:
    database = Database()

    async def work(connection: Any) -> str:
        if database.transactions < 3:
            raise LOCKED
        return f"done in {connection}"

    assert await in_transaction(database, work) == "done in connection 3"


async def test_a_conflict_that_lasts_five_attempts_is_reported_as_exhausted_retries() -> None:
    database = Database()

    async def work(connection: Any) -> None:
        raise LOCKED

    with pytest.raises(RetriesExhaustedError) as raised:
        await in_transaction(database, work)

    assert database.transactions == 5
    assert (str(raised.value), raised.value.__cause__) == (str(LOCKED), LOCKED)


async def test_any_other_error_is_raised_as_it_is_after_one_attempt() -> None:
    database = Database()

    async def work(connection: Any) -> None:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        await in_transaction(database, work)

    assert database.transactions == 1
