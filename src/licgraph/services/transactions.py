"""Running a write use case in a transaction, retried a bounded number of times."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.engine import Database
from licgraph.db.retry import is_retryable
from licgraph.services.errors import RetriesExhaustedError

T = TypeVar("T")

MAX_ATTEMPTS = 5


async def in_transaction(database: Database, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run ``work`` in one write transaction; retry it whole on deadlocks and the like."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            async with database.transaction() as connection:
                return await work(connection)
        except Exception as error:
            if not is_retryable(error) or attempt == MAX_ATTEMPTS:
                if is_retryable(error):
                    raise RetriesExhaustedError(str(error)) from error
                raise
        # Jittered backoff so colliding transactions do not collide again in lockstep.
        await asyncio.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - not crypto
    raise AssertionError("unreachable")
