"""The pure rules of license jobs: targets, counters, codes, the stored change."""

from __future__ import annotations

import pytest

from licgraph.domain.directory import UserQuery
from licgraph.domain.license_change import LicenseChange, LicenseToAssign
from licgraph.domain.license_errors import (
    InsufficientLicenses,
    LicenseError,
    UsageLocationRequired,
)
from licgraph.domain.license_jobs import (
    InvalidJobTargetError,
    JobProgress,
    JobStatus,
    decode_change,
    encode_change,
    error_codes,
    job_target,
)
from licgraph.domain.license_update import UserLicenseResult
from licgraph.domain.outcomes import OutcomeStatus


def result(status: OutcomeStatus, *errors: LicenseError) -> UserLicenseResult:
    return UserLicenseResult(user_id=1, status=status, licenses=(), errors=errors)


def test_a_target_is_ids_or_a_query_never_both_nor_neither() -> None:
    assert job_target(user_ids=[3, 1, 3], query=None).user_ids == (3, 1)
    everyone = job_target(user_ids=None, query=UserQuery(), exclude_user_ids=[2, 2])
    assert (everyone.query, everyone.exclude_user_ids) == (UserQuery(), (2,))
    for user_ids, query in (([1], UserQuery(search="a")), (None, None), ([], None)):
        with pytest.raises(InvalidJobTargetError):
            job_target(user_ids=user_ids, query=query)


def test_progress_adds_a_chunks_results_by_status() -> None:
    before = JobProgress(processed_users=10, succeeded_count=6, failed_count=3, unchanged_count=1)
    chunk = [
        result(OutcomeStatus.SUCCEEDED),
        result(OutcomeStatus.FAILED, UsageLocationRequired(user_id=1)),
        result(OutcomeStatus.FAILED, UsageLocationRequired(user_id=1)),
        result(OutcomeStatus.UNCHANGED),
    ]
    assert before.after(chunk) == JobProgress(14, 7, 5, 2)
    assert before.after([]) == before


def test_a_results_codes_are_distinct_in_first_seen_order() -> None:
    errors = (
        InsufficientLicenses(product_id=1, requested=2, available=0),
        UsageLocationRequired(user_id=1),
        InsufficientLicenses(product_id=2, requested=1, available=0),
    )
    codes = error_codes(result(OutcomeStatus.FAILED, *errors))
    assert [code.value for code in codes] == ["INSUFFICIENT_LICENSES", "USAGE_LOCATION_REQUIRED"]


def test_the_stored_change_reads_back_as_it_was() -> None:
    change = LicenseChange(
        assign=(LicenseToAssign(5, frozenset({9, 7})), LicenseToAssign(6)), revoke=(8,)
    )
    assert encode_change(change) == {"assign": [[5, [7, 9]], [6, []]], "revoke": [8]}
    assert decode_change(encode_change(change)) == change


def test_only_succeeded_failed_and_cancelled_jobs_have_ended() -> None:
    assert {status for status in JobStatus if status.ended} == {
        JobStatus.SUCCEEDED,
        JobStatus.FAILED,
        JobStatus.CANCELLED,
    }
