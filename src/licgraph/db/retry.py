"""When to try the database again, and how: transient conflicts, and a server not up yet.

Both retry loops are tenacity policies built here, so how often and how long we retry is
decided in one place.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential,
    wait_random_exponential,
)

# PostgreSQL: serialization failure, deadlock, unique violation (a concurrent twin of an
# idempotent request committed first; the retry replays its result).
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "23505"})

TRANSACTION_ATTEMPTS = 5
# Full jitter: after attempt n, a random pause of up to 0.02 * 2**n seconds (40 to 320 ms).
_TRANSACTION_BACKOFF = wait_random_exponential(multiplier=0.04)
# Waiting for a server: 0.5 s, doubling, at most 5 s between attempts.
_STARTUP_BACKOFF = wait_exponential(multiplier=0.5, max=5.0)


def transaction_retrying() -> AsyncRetrying:
    """Up to 5 attempts of a write transaction, again only after a transient conflict.

    Exhausted attempts raise tenacity's ``RetryError`` around the last attempt.
    """
    return AsyncRetrying(
        stop=stop_after_attempt(TRANSACTION_ATTEMPTS),
        wait=_TRANSACTION_BACKOFF,
        retry=retry_if_exception(is_retryable),
    )


def startup_retrying(*, timeout: float, on_wait: Callable[[Exception, float], None]) -> Retrying:
    """Attempts to reach a database that may not be up yet, for at most ``timeout`` seconds.

    ``on_wait`` hears each unreachable error and the seconds until the next attempt; the
    last error is raised as it is once the next pause would pass the timeout.
    """

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, Exception):  # always: only the errors below are retried
            on_wait(error, state.upcoming_sleep)

    return Retrying(
        stop=stop_before_delay(timeout),
        wait=_STARTUP_BACKOFF,
        # Only the connection's own errors: a migration that fails otherwise is final.
        retry=retry_if_exception_type((OSError, SQLAlchemyError))
        & retry_if_exception(is_unreachable),
        before_sleep=before_sleep,
        reraise=True,
    )


def is_retryable(error: BaseException) -> bool:
    """Whether a fresh attempt of the transaction may succeed where this one failed."""
    if not isinstance(error, DBAPIError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    # SQLite: BEGIN IMMEDIATE waited out its busy timeout.
    return "database is locked" in str(error.orig)


def is_unreachable(error: BaseException) -> bool:
    """Whether ``error`` means the database server can't be reached (yet), not that it refused.

    A server that is down, restarting or still starting up is worth waiting for; a wrong
    password or a missing database is not.
    """
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ConnectionError | TimeoutError | socket.gaierror):
            return True
        if type(seen).__name__ == "CannotConnectNowError":  # asyncpg: server starting up
            return True
        seen = seen.__cause__ or getattr(seen, "orig", None) or seen.__context__
    return False
