"""Which database errors are worth retrying the whole transaction for."""

from __future__ import annotations

import socket

from sqlalchemy.exc import DBAPIError

# PostgreSQL: serialization failure, deadlock, unique violation (a concurrent twin of an
# idempotent request committed first; the retry replays its result).
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "23505"})


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
