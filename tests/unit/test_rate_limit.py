"""Token-bucket arithmetic and what one process may decide alone, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from licgraph.domain.rate_limit import (
    ALLOWED,
    MAX_LEASE,
    Bucket,
    Decision,
    LocalAllowances,
    RatePolicy,
    lease_lifetime,
    lease_size,
    level_at,
    seconds_until_available,
    withdraw,
)

T0 = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
POLICY = RatePolicy(per_second=2.0, burst=10)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


# --- the policy ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("per_second", "burst", "enabled"),
    [(20.0, 100, True), (0.0, 100, False), (20.0, 0, False), (0.0, 0, False)],
)
def test_either_setting_at_zero_turns_limiting_off(
    per_second: float, burst: int, enabled: bool
) -> None:
    assert RatePolicy(per_second, burst).enabled is enabled


# --- levels and withdrawals ------------------------------------------------------------------


def test_a_token_without_a_bucket_has_a_full_one() -> None:
    assert level_at(None, POLICY, T0) == 10.0


def test_a_bucket_refills_at_the_rate_up_to_the_burst() -> None:
    empty = Bucket(tokens=0.0, updated_at=T0)

    assert level_at(empty, POLICY, at(1.5)) == 3.0
    assert level_at(empty, POLICY, at(60)) == 10.0


def test_a_clock_behind_the_stamp_refills_nothing() -> None:
    assert level_at(Bucket(4.0, T0), POLICY, at(-30)) == 4.0


def test_a_withdrawal_takes_from_the_refilled_level() -> None:
    assert withdraw(Bucket(0.0, T0), POLICY, at(1.5)) == Bucket(2.0, at(1.5))


def test_a_withdrawal_larger_than_the_level_is_refused_whole() -> None:
    assert withdraw(Bucket(2.5, T0), POLICY, T0, amount=3) is None
    assert withdraw(Bucket(2.5, T0), POLICY, T0, amount=2) == Bucket(0.5, T0)


def test_the_stamp_never_moves_back() -> None:
    assert withdraw(Bucket(4.0, T0), POLICY, at(-30)) == Bucket(3.0, T0)


def test_a_debt_is_paid_with_a_granted_withdrawal_even_below_zero() -> None:
    assert withdraw(Bucket(2.0, T0), POLICY, T0, amount=1, debt=4) == Bucket(-3.0, T0)
    # ...and a bucket below zero needs longer to hold a request again
    assert seconds_until_available(-3.0, POLICY) == 2.0


def test_the_wait_is_until_one_whole_request() -> None:
    assert seconds_until_available(0.5, POLICY) == 0.25
    assert seconds_until_available(1.0, POLICY) == 0.0


@given(
    tokens=st.floats(min_value=0, max_value=10),
    elapsed=st.floats(min_value=0, max_value=100),
    amount=st.integers(min_value=1, max_value=10),
)
def test_a_granted_withdrawal_never_leaves_more_than_the_burst_minus_amount(
    tokens: float, elapsed: float, amount: int
) -> None:
    after = withdraw(Bucket(tokens, T0), POLICY, at(elapsed), amount=amount)

    if after is None:
        assert level_at(Bucket(tokens, T0), POLICY, at(elapsed)) < amount
    else:
        assert 0.0 <= after.tokens <= POLICY.burst - amount


@given(requests=st.lists(st.floats(min_value=0, max_value=0.5), min_size=1, max_size=200))
def test_admitted_requests_never_exceed_burst_plus_refill(requests: list[float]) -> None:
    # Whatever the spacing of requests, what a bucket admits over a window is bounded.
    bucket: Bucket | None = None
    now, admitted = T0, 0
    for gap in requests:
        now += timedelta(seconds=gap)
        after = withdraw(bucket, POLICY, now)
        if after is not None:
            bucket, admitted = after, admitted + 1
    window = (now - T0).total_seconds()
    assert admitted <= POLICY.burst + window * POLICY.per_second + 1e-9


# --- leases ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("burst", "lease"), [(1, 1), (19, 1), (20, 2), (100, 10), (10_000, 10)])
def test_a_lease_is_a_tenth_of_the_burst_within_bounds(burst: int, lease: int) -> None:
    assert lease_size(RatePolicy(20.0, burst)) == lease
    assert lease <= MAX_LEASE


def test_a_lease_lives_as_long_as_the_rate_takes_to_refill_it() -> None:
    assert lease_lifetime(RatePolicy(20.0, 100), 10) == timedelta(seconds=0.5)


# --- what one process decides alone ----------------------------------------------------------


def test_nothing_is_decided_locally_about_an_unknown_token() -> None:
    assert LocalAllowances(POLICY).decide(7, T0) is None


def test_a_lease_is_spent_locally_until_used_up() -> None:
    local = LocalAllowances(POLICY)
    local.granted(7, amount=3, charged=0, bucket=Bucket(7.0, T0), now=T0)

    decisions = [local.decide(7, at(0.1)) for _ in range(3)]

    assert decisions == [ALLOWED, ALLOWED, None]


def test_a_lease_expires() -> None:
    local = LocalAllowances(POLICY)
    local.granted(7, amount=3, charged=0, bucket=Bucket(7.0, T0), now=T0)

    # 3 requests at 2 a second: the lease lives 1.5 s
    assert local.decide(7, at(1.4)) == ALLOWED
    assert local.decide(7, at(1.5)) is None


def test_a_new_lease_adds_to_a_live_one_and_an_expired_one_is_dropped() -> None:
    local = LocalAllowances(POLICY)
    local.granted(7, amount=3, charged=0, bucket=Bucket(7.0, T0), now=T0)
    local.granted(7, amount=3, charged=0, bucket=Bucket(4.0, T0), now=at(0.1))
    live = [local.decide(7, at(0.2)) for _ in range(5)]
    local.granted(7, amount=2, charged=0, bucket=Bucket(2.0, T0), now=at(10))

    assert live == [ALLOWED] * 4 + [None]
    assert [local.decide(7, at(10.1)) for _ in range(2)] == [ALLOWED, None]


def test_an_empty_bucket_is_refused_locally_until_it_can_have_refilled() -> None:
    local = LocalAllowances(POLICY)
    refusal = local.refused(7, Bucket(0.5, T0), T0)

    assert refusal == Decision(allowed=False, retry_after=0.25)
    assert local.decide(7, at(0.1)) == Decision(allowed=False, retry_after=pytest.approx(0.15))
    assert local.decide(7, at(0.25)) is None


def test_other_tokens_are_unaffected() -> None:
    local = LocalAllowances(POLICY)
    local.refused(7, Bucket(0.0, T0), T0)

    assert local.decide(8, T0) is None


def test_alone_a_process_spends_from_the_bucket_as_last_seen_and_owes_it() -> None:
    local = LocalAllowances(POLICY)
    local.granted(7, amount=1, charged=0, bucket=Bucket(2.0, T0), now=T0)

    decisions = [local.alone(7, T0) for _ in range(3)]

    assert decisions[:2] == [ALLOWED, ALLOWED]
    assert decisions[2] == Decision(allowed=False, retry_after=0.5)
    assert local.debt(7) == 2


def test_a_granted_withdrawal_clears_only_the_debt_it_paid() -> None:
    local = LocalAllowances(POLICY)
    local.alone(7, T0)
    local.alone(7, T0)
    paid = local.debt(7)
    local.alone(7, T0)  # admitted while the payment was on its way

    local.granted(7, amount=1, charged=paid, bucket=Bucket(5.0, T0), now=T0)

    assert local.debt(7) == 1


def test_alone_a_process_that_never_saw_the_bucket_starts_from_a_full_one() -> None:
    local = LocalAllowances(RatePolicy(per_second=1.0, burst=2))

    assert [local.alone(7, T0).allowed for _ in range(3)] == [True, True, False]


def test_forgetting_idle_tokens_keeps_refusals_in_force() -> None:
    local = LocalAllowances(POLICY)
    local.refused(5000, Bucket(0.0, T0), T0)

    # Many more tokens than are remembered at once: idle ones are forgotten on the way
    for token_id in range(3000):
        local.granted(token_id, amount=1, charged=0, bucket=Bucket(5.0, T0), now=T0)

    decision = local.decide(5000, at(0.1))
    assert decision is not None
    assert not decision.allowed
