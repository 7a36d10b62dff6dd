"""The shared token bucket on a real database: one statement, the same arithmetic as the
domain, atomic under concurrency; and the limiter built on it, on both engines."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete

from licgraph.db.engine import Database
from licgraph.db.repositories.rate_limits import RateLimitRepository
from licgraph.db.tables import api_token_table
from licgraph.domain.access import Role
from licgraph.domain.rate_limit import Bucket, RatePolicy, level_at, withdraw
from licgraph.services.rate_limits import (
    LOCK_WAIT_MS,
    LOCKED_BACKOFF,
    RateLimiter,
    create_rate_limiter,
)
from tests.factories import make_token

T0 = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
POLICY = RatePolicy(per_second=2.0, burst=10)


@pytest.fixture
async def token_id(database: Database) -> int:
    return (await make_token(database, Role.READER)).token_id


async def take(
    database: Database, token_id: int, now: datetime, amount: int = 1, policy: RatePolicy = POLICY
) -> Bucket | None:
    async with database.transaction() as connection:
        return await RateLimitRepository(connection).withdraw(
            token_id=token_id, amount=amount, policy=policy, now=now
        )


async def stored(database: Database, token_id: int) -> Bucket | None:
    async with database.connect() as connection:
        return await RateLimitRepository(connection).read_bucket(token_id)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


# --- the repository -------------------------------------------------------------------------


async def test_a_first_request_starts_from_a_full_bucket(database: Database, token_id: int) -> None:
    bucket = await take(database, token_id, T0, amount=3)

    assert bucket == Bucket(tokens=7.0, updated_at=T0)
    assert await stored(database, token_id) == bucket


async def test_the_refill_is_computed_by_the_statement_like_the_domain_does(
    database: Database, token_id: int
) -> None:
    # Given a bucket drained to 0 at T0
    await take(database, token_id, T0, amount=10)
    # When requests come 1.5 s, then 0.25 s, then an hour later (capped at the burst)
    expected: Bucket | None = Bucket(tokens=0.0, updated_at=T0)
    for offset in (1.5, 1.75, 3600.0):
        now = T0 + timedelta(seconds=offset)
        written = await take(database, token_id, now)
        expected = withdraw(expected, POLICY, now)
        # Then the database agrees with the pure arithmetic
        assert written is not None
        assert expected is not None
        assert written.updated_at == expected.updated_at
        assert written.tokens == pytest.approx(expected.tokens, abs=1e-6)
    assert expected is not None
    assert expected.tokens == 9.0


async def test_a_refused_withdrawal_changes_nothing(database: Database, token_id: int) -> None:
    await take(database, token_id, T0, amount=10)
    half_a_request_later = T0 + timedelta(seconds=0.25)

    refused = await take(database, token_id, half_a_request_later)

    assert refused is None
    # Hammering a limited token does not push its recovery further away.
    assert await stored(database, token_id) == Bucket(tokens=0.0, updated_at=T0)
    assert await take(database, token_id, T0 + timedelta(seconds=0.5)) is not None


async def test_a_lease_is_taken_whole_or_not_at_all(database: Database, token_id: int) -> None:
    await take(database, token_id, T0, amount=7)

    assert await take(database, token_id, T0, amount=5) is None
    assert await take(database, token_id, T0, amount=3) == Bucket(tokens=0.0, updated_at=T0)


async def test_a_clock_running_behind_neither_refills_nor_moves_the_stamp_back(
    database: Database, token_id: int
) -> None:
    await take(database, token_id, T0, amount=5)
    earlier = T0 - timedelta(seconds=30)

    bucket = await take(database, token_id, earlier)

    assert bucket == Bucket(tokens=4.0, updated_at=T0)


async def test_a_debt_is_taken_with_a_granted_withdrawal_even_below_zero(
    database: Database, token_id: int
) -> None:
    await take(database, token_id, T0, amount=8)

    async with database.transaction() as connection:
        bucket = await RateLimitRepository(connection).withdraw(
            token_id=token_id, amount=1, debt=4, policy=POLICY, now=T0
        )

    assert bucket == Bucket(tokens=-3.0, updated_at=T0)
    assert bucket == withdraw(Bucket(2.0, T0), POLICY, T0, amount=1, debt=4)


async def test_concurrent_withdrawals_never_hand_out_more_than_the_bucket_holds(
    database: Database, token_id: int
) -> None:
    # Given 25 requests at the same instant against a bucket of 10 (each in its own
    # transaction, concurrently on PostgreSQL)
    results = await asyncio.gather(*(take(database, token_id, T0) for _ in range(25)))

    # Then exactly 10 get through and the bucket is empty
    assert sum(result is not None for result in results) == 10
    assert await stored(database, token_id) == Bucket(tokens=0.0, updated_at=T0)


async def test_the_bucket_goes_with_its_token(database: Database, token_id: int) -> None:
    await take(database, token_id, T0)

    async with database.transaction() as connection:
        await connection.execute(delete(api_token_table).where(api_token_table.c.id == token_id))

    assert await stored(database, token_id) is None


# --- the limiter ----------------------------------------------------------------------------


async def test_the_limiter_refuses_past_the_burst_and_recovers_at_the_rate(
    database: Database, token_id: int
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(database=database, policy=RatePolicy(4.0, 3), clock=clock)

    admitted = [(await limiter.admit(token_id=token_id)).allowed for _ in range(3)]
    refused = await limiter.admit(token_id=token_id)
    clock.advance(0.25)
    recovered = await limiter.admit(token_id=token_id)

    assert admitted == [True, True, True]
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(0.25)
    assert recovered.allowed


async def test_a_refused_token_is_refused_locally_until_it_can_have_refilled(
    database: Database, token_id: int, count_statements: Callable[[], Any]
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(database=database, policy=RatePolicy(1.0, 1), clock=clock)
    await limiter.admit(token_id=token_id)
    await limiter.admit(token_id=token_id)  # refused: now known empty for one second

    clock.advance(0.5)
    with count_statements() as statements:
        decision = await limiter.admit(token_id=token_id)

    assert not decision.allowed
    assert decision.retry_after == pytest.approx(0.5)
    assert statements == []


async def test_a_disabled_policy_admits_everything_without_the_database(
    database: Database, token_id: int, count_statements: Callable[[], Any]
) -> None:
    limiter = RateLimiter(database=database, policy=RatePolicy(0.0, 0))

    with count_statements() as statements:
        decisions = [await limiter.admit(token_id=token_id) for _ in range(50)]

    assert all(decision.allowed for decision in decisions)
    assert statements == []


async def test_a_lease_writes_once_for_several_requests(
    database: Database, token_id: int, count_statements: Callable[[], Any]
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(database=database, policy=RatePolicy(10.0, 50), lease=5, clock=clock)

    with count_statements() as statements:
        decisions = [await limiter.admit(token_id=token_id) for _ in range(10)]

    assert all(decision.allowed for decision in decisions)
    upserts = [sql for sql in statements if sql.lstrip().upper().startswith("INSERT")]
    assert len(upserts) == 2
    bucket = await stored(database, token_id)
    assert bucket is not None
    assert bucket.tokens == 40.0


async def test_two_processes_share_one_bucket(database: Database, token_id: int) -> None:
    # Given two limiters (as in two server processes) on one database, leasing as on SQLite
    clock = FakeClock()
    policy = RatePolicy(per_second=0.001, burst=30)
    first = RateLimiter(database=database, policy=policy, lease=3, clock=clock)
    second = RateLimiter(database=database, policy=policy, lease=3, clock=clock)

    # When they alternate 40 requests of the same token
    decisions = [await limiter.admit(token_id=token_id) for limiter in (first, second) * 20]

    # Then only the 30 the bucket held are admitted, whoever took them
    assert sum(decision.allowed for decision in decisions) == 30


async def test_leases_expire_so_the_burst_is_exceeded_by_one_lease_at_most(
    database: Database, token_id: int
) -> None:
    # Given a process holding a lease of 5 taken from a bucket of 50
    clock = FakeClock()
    policy = RatePolicy(per_second=10.0, burst=50)
    leasing = RateLimiter(database=database, policy=policy, lease=5, clock=clock)
    other = RateLimiter(database=database, policy=policy, clock=clock)
    assert (await leasing.admit(token_id=token_id)).allowed
    # When the lease outlives its lifetime (5 requests at 10 a second: 0.5 s)
    clock.advance(0.5)

    # Then its 4 left-over requests are gone: the next request goes back to the bucket,
    # which the other process has meanwhile emptied
    drained = [await other.admit(token_id=token_id) for _ in range(60)]
    assert sum(decision.allowed for decision in drained) == 50
    assert not (await leasing.admit(token_id=token_id)).allowed


# SQLite only: PostgreSQL locks the bucket's row, never the whole database.
@pytest.mark.parametrize("engine_name", ["sqlite"])
async def test_a_write_holding_the_sqlite_lock_is_not_waited_for(
    database: Database, token_id: int
) -> None:
    # Given a limiter that has seen the bucket at 10 - 1, and another transaction (a long
    # Save) holding SQLite's write lock
    clock = FakeClock()
    limiter = RateLimiter(database=database, policy=POLICY, clock=clock)
    await limiter.admit(token_id=token_id)
    async with database.transaction() as connection:
        await connection.execute(delete(api_token_table).where(api_token_table.c.id == -1))
        # When requests come while the lock is held
        started = time.perf_counter()
        during = [await limiter.admit(token_id=token_id) for _ in range(3)]
        waited = time.perf_counter() - started
    # Then they were decided from the bucket as last seen, after one brief wait in all
    # (the limiter leaves the lock alone for a moment once it found it taken)
    assert all(decision.allowed for decision in during)
    assert waited < LOCK_WAIT_MS / 1000 + 0.5
    # And once the lock is free and the moment over, the next request pays for them too
    clock.advance(LOCKED_BACKOFF.total_seconds())
    await limiter.admit(token_id=token_id)
    bucket = await stored(database, token_id)
    assert bucket is not None
    assert bucket.tokens == pytest.approx(10 - 1 - 3 - 1 + 0.2)
    assert bucket.updated_at == clock.now


# SQLite only: PostgreSQL needs no brief wait.
@pytest.mark.parametrize("engine_name", ["sqlite"])
async def test_the_brief_lock_wait_restores_the_connection_timeout(database: Database) -> None:
    async with database.connect() as connection:
        usual = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        async with RateLimitRepository(connection).brief_lock_wait(5):
            pass
        after = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()

    assert after == usual


def test_the_limiter_leases_on_sqlite_only(database: Database) -> None:
    limiter = create_rate_limiter(database=database, policy=RatePolicy(20.0, 100))

    assert limiter.lease == (10 if database.is_sqlite else 1)


def test_level_of_a_missing_bucket_is_the_burst() -> None:
    assert level_at(None, POLICY, T0) == 10.0
