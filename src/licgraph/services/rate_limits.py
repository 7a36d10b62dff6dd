"""Rate limiting per token: admit a request or say how long to wait.

The bucket of each token lives in the database, so every server process draws from the
same one. On PostgreSQL each request takes one request from it with one statement (a lock
on that token's row, nothing wider). On SQLite every write takes the database-wide write
lock, so a process takes a few requests ahead (a lease) and writes once per lease; and
when a long write (a large Save) holds the lock, it decides alone for a moment instead of
making reads wait for that write. A process that found a bucket empty refuses locally
until it can have refilled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from licgraph.db.engine import Database
from licgraph.db.repositories.rate_limits import BucketLockedError, RateLimitRepository
from licgraph.domain.rate_limit import (
    ALLOWED,
    Bucket,
    Decision,
    LocalAllowances,
    RatePolicy,
    lease_size,
)

Clock = Callable[[], datetime]

# How long a bucket write waits for SQLite's write lock: other buckets' writes hold it for
# well under a millisecond; anything longer is a real write not worth waiting for.
LOCK_WAIT_MS = 20
# After the lock was found held, decide alone this long before trying the bucket again,
# so that a two-second Save costs requests one brief wait per interval, not one each.
LOCKED_BACKOFF = timedelta(milliseconds=100)


def utc_now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


class RateLimiter:
    """Admits or refuses the requests of each token; one per server process."""

    def __init__(
        self, *, database: Database, policy: RatePolicy, lease: int = 1, clock: Clock = utc_now
    ) -> None:
        self._database = database
        self._policy = policy
        self._lease = lease
        self._clock = clock
        self._local = LocalAllowances(policy)
        self._locked_until = datetime.min.replace(tzinfo=UTC)

    @property
    def lease(self) -> int:
        """How many requests this process takes from a bucket in one go."""
        return self._lease

    async def admit(self, *, token_id: int) -> Decision:
        """Take one request from the token's bucket, or refuse with the seconds to wait."""
        if not self._policy.enabled:
            return ALLOWED
        now = self._clock()
        decided = self._local.decide(token_id, now)
        if decided is not None:
            return decided
        if now < self._locked_until:
            return self._local.alone(token_id, now)
        try:
            return await self._ask_bucket(token_id, now)
        except BucketLockedError:
            self._locked_until = now + LOCKED_BACKOFF
            return self._local.alone(token_id, now)

    async def _ask_bucket(self, token_id: int, now: datetime) -> Decision:
        debt = self._local.debt(token_id)
        for amount in dict.fromkeys((self._lease, 1)):
            # Near the bottom of the bucket a whole lease is refused; one request may not be.
            bucket = await self._withdraw(token_id, amount, debt, now)
            if bucket is not None:
                return self._local.granted(
                    token_id, amount=amount, charged=debt, bucket=bucket, now=now
                )
        return self._local.refused(token_id, await self._read(token_id), now)

    async def _withdraw(
        self, token_id: int, amount: int, debt: int, now: datetime
    ) -> Bucket | None:
        # Not database.transaction(): its BEGIN IMMEDIATE would wait out SQLite's full busy
        # timeout before the brief one could apply. The UPSERT is the first statement of a
        # deferred transaction, so it takes the write lock just as BEGIN IMMEDIATE would.
        async with self._database.connect() as connection:
            buckets = RateLimitRepository(connection)
            async with buckets.brief_lock_wait(LOCK_WAIT_MS):
                bucket = await buckets.withdraw(
                    token_id=token_id,
                    amount=amount,
                    debt=debt,
                    policy=self._policy,
                    now=now,
                )
            # After the usual timeout is back: restoring it needs no transaction of its own.
            await connection.commit()
        return bucket

    async def _read(self, token_id: int) -> Bucket | None:
        async with self._database.connect() as connection:
            return await RateLimitRepository(connection).read_bucket(token_id)


def create_rate_limiter(*, database: Database, policy: RatePolicy) -> RateLimiter:
    """The limiter for ``database``: exact on PostgreSQL, leasing on SQLite."""
    lease = lease_size(policy) if database.is_sqlite else 1
    return RateLimiter(database=database, policy=policy, lease=lease)
