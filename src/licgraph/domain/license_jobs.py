"""License jobs: a Save for any selection of users, run in the background in chunks.

Pure rules only: the job's states, what a target may be, how a chunk moves the counters,
and the stored form of the change. The runner (services/license_jobs.py) does the I/O.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from licgraph.domain.directory import UserQuery
from licgraph.domain.events import Actor
from licgraph.domain.license_change import LicenseChange, LicenseToAssign
from licgraph.domain.license_errors import LicenseErrorCode
from licgraph.domain.license_update import UserLicenseResult
from licgraph.domain.outcomes import OutcomeStatus


class JobStatus(enum.Enum):
    """Where a job is: waiting, being worked, or ended (one of the last three)."""

    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    @property
    def ended(self) -> bool:
        """Whether the job will never change again."""
        return self in _ENDED


_ENDED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})
WORKABLE = (JobStatus.QUEUED, JobStatus.RUNNING)
"""The states a runner may claim a job in."""


@dataclass(frozen=True, slots=True)
class JobProgress:
    """The counters of a job; they move together, once per committed chunk."""

    processed_users: int = 0
    succeeded_count: int = 0
    failed_count: int = 0
    unchanged_count: int = 0

    def after(self, results: Iterable[UserLicenseResult]) -> JobProgress:
        """These counters with a chunk's results added."""
        statuses = Counter(result.status for result in results)
        return JobProgress(
            processed_users=self.processed_users + sum(statuses.values()),
            succeeded_count=self.succeeded_count + statuses[OutcomeStatus.SUCCEEDED],
            failed_count=self.failed_count + statuses[OutcomeStatus.FAILED],
            unchanged_count=self.unchanged_count + statuses[OutcomeStatus.UNCHANGED],
        )


@dataclass(frozen=True, slots=True)
class LicenseJob:
    """A job as stored: what it is for, where it is, and its counters."""

    id: int
    customer_id: int
    status: JobStatus
    total_users: int
    progress: JobProgress
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    created_by: Actor


@dataclass(frozen=True, slots=True)
class JobTarget:
    """Which users a job is for: ids, or the users list's own search and filter, minus some.

    Exactly one of ``user_ids`` and ``query`` is set (``job_target`` checks it).
    """

    user_ids: tuple[int, ...] | None
    query: UserQuery | None
    exclude_user_ids: tuple[int, ...] = ()


class InvalidJobTargetError(ValueError):
    """Raised when a job's target names both ids and a search or filter, or neither."""


def job_target(
    *,
    user_ids: Sequence[int] | None,
    query: UserQuery | None,
    exclude_user_ids: Sequence[int] = (),
) -> JobTarget:
    """The target of a job, refusing ``userIds`` together with ``search``/``filter``.

    An empty ``query`` (no search, no filter) targets every user of the customer.
    """
    if user_ids is not None and query is not None:
        raise InvalidJobTargetError("give `userIds` or `search`/`filter` in `target`, not both")
    if user_ids is None and query is None:
        raise InvalidJobTargetError(
            "give `userIds`, or `search` and/or `filter` (an empty `filter` means every user)"
        )
    if user_ids is not None and not user_ids:
        raise InvalidJobTargetError("`userIds` is empty: give at least one user")
    return JobTarget(
        user_ids=None if user_ids is None else tuple(dict.fromkeys(user_ids)),
        query=query,
        exclude_user_ids=tuple(dict.fromkeys(exclude_user_ids)),
    )


@dataclass(frozen=True, slots=True)
class JobFilter:
    """Narrows a customer's jobs to one status."""

    status: JobStatus | None = None


@dataclass(frozen=True, slots=True)
class ResultFilter:
    """Narrows a job's results to one status and/or one error code."""

    status: OutcomeStatus | None = None
    code: LicenseErrorCode | None = None


def error_codes(result: UserLicenseResult) -> tuple[LicenseErrorCode, ...]:
    """The distinct codes of a result's errors, in the order they first appear."""
    return tuple(dict.fromkeys(error.code for error in result.errors))


def encode_change(change: LicenseChange) -> dict[str, Any]:
    """The JSON form a job keeps its change in."""
    return {
        "assign": [
            [item.product_id, sorted(item.disabled_service_plan_ids)] for item in change.assign
        ],
        "revoke": list(change.revoke),
    }


def decode_change(data: Mapping[str, Any]) -> LicenseChange:
    """The change ``encode_change`` encoded."""
    return LicenseChange(
        assign=tuple(
            LicenseToAssign(product_id, frozenset(disabled))
            for product_id, disabled in data["assign"]
        ),
        revoke=tuple(data["revoke"]),
    )
