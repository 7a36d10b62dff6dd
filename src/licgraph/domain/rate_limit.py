"""Token buckets: how many requests a token may make, as pure arithmetic (no clock, no I/O).

Every API token has one bucket holding up to ``burst`` requests, refilled continuously at
``per_second``. The bucket itself is shared by every server process (the database keeps it);
``LocalAllowances`` is what one process may decide alone without breaking that sharing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# Leases are handed out only on SQLite and stay small: a tenth of the burst, at most this.
MAX_LEASE = 10
# Past this many remembered tokens, idle ones are forgotten (tokens are few; this is a guard).
_FORGET_THRESHOLD = 1024


@dataclass(frozen=True, slots=True)
class RatePolicy:
    """A bucket of ``burst`` requests refilled at ``per_second``; either at 0 turns limiting off."""

    per_second: float
    burst: int

    @property
    def enabled(self) -> bool:
        """Whether requests are limited at all."""
        return self.per_second > 0 and self.burst > 0


@dataclass(frozen=True, slots=True)
class Bucket:
    """A token's shared bucket as last written: its level and when it was written."""

    tokens: float
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a request may run; if not, how long until one may (seconds)."""

    allowed: bool
    retry_after: float = 0.0


ALLOWED = Decision(allowed=True)


def level_at(bucket: Bucket | None, policy: RatePolicy, now: datetime) -> float:
    """The bucket's level at ``now``: refilled since it was written, never above the burst.

    A token without a bucket yet has a full one. A clock behind ``updated_at`` (another
    server's clock runs ahead) refills nothing rather than draining the bucket.
    """
    if bucket is None:
        return float(policy.burst)
    elapsed = max(0.0, (now - bucket.updated_at).total_seconds())
    return min(float(policy.burst), bucket.tokens + elapsed * policy.per_second)


def withdraw(
    bucket: Bucket | None, policy: RatePolicy, now: datetime, amount: int = 1, debt: int = 0
) -> Bucket | None:
    """The bucket after taking ``amount`` requests at ``now``, or None if it holds fewer.

    ``debt`` (requests admitted without the bucket) is taken too when the withdrawal is
    granted, even below zero: the bucket then refills from below. A refused withdrawal
    leaves the bucket as it was, so hammering a limited token costs it nothing. This is
    the reference for the single SQL statement the repository runs.
    """
    level = level_at(bucket, policy, now)
    if level < amount:
        return None
    # The stamp never moves back, so a server with a slow clock can't mint requests.
    stamp = now if bucket is None else max(bucket.updated_at, now)
    return Bucket(tokens=level - amount - debt, updated_at=stamp)


def seconds_until_available(level: float, policy: RatePolicy) -> float:
    """Seconds until a bucket at ``level`` holds one whole request (0 if it holds one now)."""
    return max(0.0, (1.0 - level) / policy.per_second)


def lease_size(policy: RatePolicy) -> int:
    """How many requests one process may take from the shared bucket in one go (SQLite only).

    A tenth of the burst, between 1 and ``MAX_LEASE``: a small burst stays exact.
    """
    return max(1, min(MAX_LEASE, policy.burst // 10))


def lease_lifetime(policy: RatePolicy, lease: int) -> timedelta:
    """How long requests taken ahead stay usable.

    Requests used in a window were taken from the bucket at most this long before it, so
    the limit is exceeded by at most ``per_second`` times this, i.e. one lease, however
    many processes share the bucket.
    """
    return timedelta(seconds=lease / policy.per_second)


@dataclass(slots=True)
class _Known:
    """What one process knows of one token's bucket."""

    bucket: Bucket | None = None  # as last seen, minus what was spent alone since
    lease: int = 0  # requests taken ahead: this process's to spend until lease_expires
    lease_expires: datetime | None = None
    empty_until: datetime | None = None  # the bucket can't hold a request before then
    debt: int = 0  # requests admitted alone, not yet taken from the bucket

    def idle(self, now: datetime) -> bool:
        """Whether forgetting this changes no decision but the fallback's starting point."""
        leased = self.lease > 0 and self.lease_expires is not None and self.lease_expires > now
        empty = self.empty_until is not None and self.empty_until > now
        return not (leased or empty or self.debt)


class LocalAllowances:
    """What one process may decide without the database, while staying correct for all.

    Two facts are safe to act on alone. Requests this process took ahead from the shared
    bucket (a lease) are its own to spend until they expire. And a bucket seen below one
    request can't refill faster than ``per_second`` (other processes only drain it), so
    until then every request of that token is refused without asking again.

    When the bucket can't be reached in time (SQLite's write lock held by a long write),
    ``alone`` decides from the bucket as last seen and records a debt, which the next
    withdrawal takes from the shared bucket.
    """

    def __init__(self, policy: RatePolicy) -> None:
        self._policy = policy
        self._known: dict[int, _Known] = {}

    def decide(self, token_id: int, now: datetime) -> Decision | None:
        """The decision for a request at ``now`` if this process can make it alone, else None."""
        known = self._known.get(token_id)
        if known is None:
            return None
        if known.empty_until is not None and now < known.empty_until:
            return Decision(allowed=False, retry_after=(known.empty_until - now).total_seconds())
        if known.lease > 0 and known.lease_expires is not None and now < known.lease_expires:
            known.lease -= 1
            return ALLOWED
        return None

    def debt(self, token_id: int) -> int:
        """Requests admitted alone for this token, still to be taken from its bucket."""
        known = self._known.get(token_id)
        return known.debt if known else 0

    def granted(
        self, token_id: int, *, amount: int, charged: int, bucket: Bucket, now: datetime
    ) -> Decision:
        """Record a withdrawal of ``amount`` (one of them for now) that also paid ``charged``."""
        known = self._remember(token_id, now)
        known.bucket = bucket
        known.debt -= charged
        known.empty_until = None
        if amount > 1:
            if known.lease_expires is None or known.lease_expires <= now:
                known.lease = 0
            known.lease += amount - 1
            known.lease_expires = now + lease_lifetime(self._policy, amount)
        return ALLOWED

    def refused(self, token_id: int, bucket: Bucket | None, now: datetime) -> Decision:
        """Record a bucket found without a whole request, and refuse until it can have one."""
        known = self._remember(token_id, now)
        known.bucket = bucket
        return self._refuse(known, level_at(bucket, self._policy, now), now)

    def alone(self, token_id: int, now: datetime) -> Decision:
        """Decide without the bucket, from what was last seen of it, and owe what is admitted."""
        known = self._remember(token_id, now)
        spent = withdraw(known.bucket, self._policy, now)
        if spent is None:
            return self._refuse(known, level_at(known.bucket, self._policy, now), now)
        known.bucket = spent
        known.debt += 1
        return ALLOWED

    def _refuse(self, known: _Known, level: float, now: datetime) -> Decision:
        wait = seconds_until_available(level, self._policy)
        known.empty_until = now + timedelta(seconds=wait)
        return Decision(allowed=False, retry_after=wait)

    def _remember(self, token_id: int, now: datetime) -> _Known:
        if len(self._known) >= _FORGET_THRESHOLD and token_id not in self._known:
            self._known = {key: known for key, known in self._known.items() if not known.idle(now)}
        return self._known.setdefault(token_id, _Known())
