"""Running a write use case in a transaction, retried a bounded number of times."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection
from tenacity import RetryError

from licgraph.db.engine import Database
from licgraph.db.retry import transaction_retrying
from licgraph.services.errors import RetriesExhaustedError

T = TypeVar("T")


async def in_transaction(database: Database, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run ``work`` in one write transaction; retry it whole on deadlocks and the like."""

    async def attempt() -> T:
        async with database.transaction() as connection:
            return await work(connection)

    try:
        result: T = await transaction_retrying()(attempt)
    except RetryError as exhausted:
        error = exhausted.last_attempt.exception()
        raise RetriesExhaustedError(str(error)) from error
    return result
