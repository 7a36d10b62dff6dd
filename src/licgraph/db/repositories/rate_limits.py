"""Token buckets in the database: one atomic statement takes requests from a bucket.

The refill is computed by the statement itself from the row it locks, so any number of
server processes can share a bucket without reading it first: PostgreSQL serialises the
statements on the bucket's row, SQLite on its single write lock.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, bindparam, cast, extract, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from licgraph.db.repositories._sql import Repository
from licgraph.db.tables import UTCDateTime, rate_limit_bucket_table
from licgraph.domain.rate_limit import Bucket, RatePolicy

_BUCKET = rate_limit_bucket_table
_MS_PER_DAY = 86_400_000.0


class BucketLockedError(Exception):
    """Raised when SQLite's write lock stayed taken through the brief wait a bucket allows."""


class RateLimitRepository(Repository):
    """Rate-limit buckets, one per token."""

    async def withdraw(
        self,
        *,
        token_id: int,
        amount: int,
        policy: RatePolicy,
        now: datetime,
        debt: int = 0,
    ) -> Bucket | None:
        """Take ``amount`` requests (and ``debt``) from the token's bucket if it holds ``amount``.

        Returns the bucket as written, or None when it held fewer (it is then left unchanged).
        The same arithmetic as ``licgraph.domain.rate_limit.withdraw``, in one UPSERT.
        """
        parameters = {
            "token_id": token_id,
            "amount": float(amount),
            "debt": float(debt),
            "burst": float(policy.burst),
            "per_second": policy.per_second,
            "now": now,
        }
        statement = _withdraw_statement(self.connection.dialect.name)
        row = (await self.connection.execute(statement, parameters)).first()
        return None if row is None else _bucket(row.tokens, row.updated_at)

    async def read_bucket(self, token_id: int) -> Bucket | None:
        """The token's bucket as last written, or None if it never made a request."""
        query = select(_BUCKET.c.tokens, _BUCKET.c.updated_at).where(_BUCKET.c.token_id == token_id)
        row = (await self.connection.execute(query)).first()
        return None if row is None else _bucket(row.tokens, row.updated_at)

    @asynccontextmanager
    async def brief_lock_wait(self, milliseconds: int) -> AsyncIterator[None]:
        """On SQLite, let the writes of this block wait at most ``milliseconds`` for the lock.

        Raises BucketLockedError if the lock stayed taken; the connection's own timeout is
        restored afterwards (it goes back to the pool). Nothing changes on PostgreSQL, whose
        writers lock rows, not the database. Open no transaction on the connection before.
        """
        if self.connection.dialect.name != "sqlite":
            yield
            return
        usual = (await self.connection.exec_driver_sql("PRAGMA busy_timeout")).scalar_one()
        await self.connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(milliseconds)}")
        try:
            yield
        except OperationalError as error:
            if "database is locked" not in str(error.orig):
                raise
            raise BucketLockedError(f"the write lock stayed taken for {milliseconds} ms") from None
        finally:
            await self.connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(usual)}")


def _bucket(tokens: float, updated_at: datetime) -> Bucket:
    # SQLite's RETURNING hands back a whole REAL as an int.
    return Bucket(tokens=float(tokens), updated_at=updated_at)


@functools.cache
def _withdraw_statement(dialect: str) -> Any:
    """The UPSERT of ``withdraw``, built once per dialect: it runs on every request, and
    building it anew cost four times as much as running it."""
    at = bindparam("now", type_=UTCDateTime())
    amount = bindparam("amount", type_=Float())
    debt = bindparam("debt", type_=Float())
    burst = bindparam("burst", type_=Float())
    level = _level(dialect, at, burst, bindparam("per_second", type_=Float()))
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(_BUCKET)
        .values(
            token_id=bindparam("token_id", type_=Integer()),
            tokens=burst - amount - debt,
            updated_at=at,
        )
        .on_conflict_do_update(
            index_elements=[_BUCKET.c.token_id],
            set_={
                "tokens": level - amount - debt,
                # Never moves back: a server with a slow clock can't mint requests.
                "updated_at": _greatest(dialect, _BUCKET.c.updated_at, at),
            },
            where=level >= amount,
        )
        .returning(_BUCKET.c.tokens, _BUCKET.c.updated_at)
    )


def _level(
    dialect: str,
    at: ColumnElement[datetime],
    burst: ColumnElement[float],
    per_second: ColumnElement[float],
) -> ColumnElement[float]:
    """The bucket's level at ``at``: refilled since its stamp, never above the burst.

    A stamp after ``at`` (another server's clock runs ahead) refills nothing.
    """
    elapsed = _greatest(dialect, 0.0, _elapsed_seconds(dialect, at))
    return _least(dialect, burst, _BUCKET.c.tokens + elapsed * per_second)


def _elapsed_seconds(dialect: str, at: ColumnElement[datetime]) -> ColumnElement[float]:
    if dialect == "postgresql":
        return cast(extract("epoch", at - _BUCKET.c.updated_at), Float)
    # SQLite stores timestamps as text; julianday() reads them to the millisecond, but the
    # difference of two such doubles is off by tens of microseconds: round to whole ms.
    days = func.julianday(at) - func.julianday(_BUCKET.c.updated_at)
    return cast(func.round(days * _MS_PER_DAY) / 1000.0, Float)


# PostgreSQL's LEAST/GREATEST are SQLite's multi-argument min()/max().
def _least(dialect: str, *values: Any) -> ColumnElement[Any]:
    return func.least(*values) if dialect == "postgresql" else func.min(*values)


def _greatest(dialect: str, *values: Any) -> ColumnElement[Any]:
    return func.greatest(*values) if dialect == "postgresql" else func.max(*values)
