"""The retry policies: which database errors are tried again, how often and for how long."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError
from tenacity import RetryError, Retrying

from licgraph.db.retry import (
    TRANSACTION_ATTEMPTS,
    is_retryable,
    is_unreachable,
    startup_retrying,
    transaction_retrying,
)

LOCKED = OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
REFUSED = OperationalError("connect", {}, ConnectionRefusedError(111, "Connection refused"))
WRONG_PASSWORD = OperationalError("connect", {}, sqlite3.OperationalError("bad password"))
MIGRATION_FAILED = RuntimeError("migration failed")
MIGRATION_FAILED.__cause__ = ConnectionRefusedError(111, "Connection refused")


class Failing:
    """A callable that raises ``error`` on each of its calls, counting them."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1
        raise self.error

    async def run(self) -> None:
        self()


def test_the_errors_worth_another_attempt_are_told_apart() -> None:
    assert is_retryable(LOCKED)
    assert not is_retryable(WRONG_PASSWORD)
    assert not is_retryable(ValueError("database is locked"))
    assert is_unreachable(REFUSED)
    assert not is_unreachable(WRONG_PASSWORD)


async def test_a_transient_conflict_is_tried_five_times_then_given_up() -> None:
    work = Failing(LOCKED)

    with pytest.raises(RetryError) as raised:
        await transaction_retrying()(work.run)

    assert work.calls == TRANSACTION_ATTEMPTS == 5
    assert raised.value.last_attempt.exception() is LOCKED


async def test_any_other_error_of_a_transaction_is_raised_at_once() -> None:
    work = Failing(WRONG_PASSWORD)

    with pytest.raises(OperationalError) as raised:
        await transaction_retrying()(work.run)

    assert (raised.value, work.calls) == (WRONG_PASSWORD, 1)


def waiting(timeout: float, waits: list[tuple[Exception, float]]) -> Retrying:
    """The startup policy, noting each (error, pause) it waits out in ``waits``."""
    return startup_retrying(
        timeout=timeout, on_wait=lambda error, pause: waits.append((error, pause))
    )


def test_an_unreachable_database_is_waited_for_while_the_next_pause_ends_in_time() -> None:
    work, waits = Failing(REFUSED), []

    with pytest.raises(OperationalError) as raised:
        waiting(1.2, waits)(work)

    # 0.5 s after the first attempt; after the second, a pause of 1 s would end past 1.2 s.
    assert (raised.value, work.calls, waits) == (REFUSED, 2, [(REFUSED, 0.5)])


@pytest.mark.parametrize(
    ("error", "timeout"),
    [
        pytest.param(WRONG_PASSWORD, 30.0, id="refused"),
        pytest.param(REFUSED, 0.0, id="no-timeout"),
        # A migration's own failure, though caused by a lost connection, is final.
        pytest.param(MIGRATION_FAILED, 30.0, id="not-a-connection-error"),
    ],
)
def test_no_waiting_for_a_database_that_refuses_or_without_a_timeout(
    error: Exception, timeout: float
) -> None:
    work, waits = Failing(error), []

    with pytest.raises(type(error)):
        waiting(timeout, waits)(work)

    assert (work.calls, waits) == (1, [])
