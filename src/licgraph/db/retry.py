"""Which database errors are worth retrying the whole transaction for."""

from __future__ import annotations

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
