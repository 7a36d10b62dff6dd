"""What a license update returns, and how that result is kept for idempotent replays."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from licgraph.domain.catalog import Product
from licgraph.domain.license_errors import REASONS, LicenseError, LicenseErrorCode
from licgraph.domain.licenses import LicenseAssignment
from licgraph.domain.outcomes import LicenseUpdatePlan, OutcomeStatus, UserOutcome


@dataclass(frozen=True, slots=True)
class UserLicenseResult:
    """One requested user: what happened, their licenses after it, and why it failed."""

    user_id: int
    status: OutcomeStatus
    licenses: tuple[LicenseAssignment, ...]
    errors: tuple[LicenseError, ...] = ()


@dataclass(frozen=True, slots=True)
class LicenseUpdateResult:
    """The answer to one Save: per-user results in request order and touched products."""

    results: tuple[UserLicenseResult, ...]
    products: tuple[Product, ...]
    dry_run: bool
    applied: bool

    @property
    def succeeded_count(self) -> int:
        """Users whose licenses changed (or would change)."""
        return sum(1 for result in self.results if result.status is OutcomeStatus.SUCCEEDED)

    @property
    def failed_count(self) -> int:
        """Users whose change was refused."""
        return sum(1 for result in self.results if result.status is OutcomeStatus.FAILED)

    @property
    def save_status(self) -> str:
        """How the Save went as a whole: dry_run, applied, unchanged or failed.

        ``failed``: nothing was written and some user failed (every user did, or an atomic
        save was refused); ``unchanged``: nothing to write and nobody failed.
        """
        if self.dry_run:
            return "dry_run"
        if self.applied:
            return "applied"
        return "failed" if self.failed_count else "unchanged"


def user_results(
    plan: LicenseUpdatePlan,
    current: Mapping[int, Sequence[LicenseAssignment]],
    *,
    now: datetime,
    direct_after: Mapping[int, Collection[int]] | None = None,
) -> tuple[UserLicenseResult, ...]:
    """Per-user results of ``plan``; a license kept keeps its date, a new one gets ``now``.

    ``direct_after``: the products each user holds directly afterwards; without it every
    license reads as assigned directly (a Save on users without group sources).
    """
    return tuple(
        _user_result(
            outcome,
            current.get(outcome.user_id, ()),
            now,
            None if direct_after is None else direct_after.get(outcome.user_id, ()),
        )
        for outcome in plan.outcomes
    )


def _user_result(
    outcome: UserOutcome,
    held: Sequence[LicenseAssignment],
    now: datetime,
    direct: Collection[int] | None,
) -> UserLicenseResult:
    since = {license.product_id: license.assigned_at for license in held}
    licenses = tuple(
        LicenseAssignment(
            user_id=outcome.user_id,
            product_id=product_id,
            disabled_service_plan_ids=disabled,
            assigned_at=since.get(product_id, now),
            assigned_directly=direct is None or product_id in direct,
        )
        for product_id, disabled in sorted(outcome.licenses.items())
    )
    return UserLicenseResult(outcome.user_id, outcome.status, licenses, outcome.errors)


def encode_result(result: LicenseUpdateResult) -> dict[str, Any]:
    """A JSON-ready form of ``result``, to replay it for a retried idempotency key."""
    return {
        "dryRun": result.dry_run,
        "applied": result.applied,
        "products": [dataclasses.asdict(product) for product in result.products],
        "results": [encode_user_result(item) for item in result.results],
    }


def decode_result(data: Mapping[str, Any]) -> LicenseUpdateResult:
    """The result ``encode_result`` encoded."""
    return LicenseUpdateResult(
        results=tuple(decode_user_result(item) for item in data["results"]),
        products=tuple(Product(**product) for product in data["products"]),
        dry_run=data["dryRun"],
        applied=data["applied"],
    )


def encode_user_result(result: UserLicenseResult) -> dict[str, Any]:
    """A JSON-ready form of one user's result (a Save's replay, a job's stored result)."""
    return {
        "userId": result.user_id,
        "status": result.status.value,
        "licenses": [
            [
                item.product_id,
                sorted(item.disabled_service_plan_ids),
                item.assigned_at.isoformat(),
                item.assigned_directly,
            ]
            for item in result.licenses
        ],
        "errors": encode_errors(result.errors),
    }


def decode_user_result(data: Mapping[str, Any]) -> UserLicenseResult:
    """The result ``encode_user_result`` encoded."""
    user_id = data["userId"]
    licenses = tuple(
        LicenseAssignment(
            user_id, product_id, frozenset(disabled), datetime.fromisoformat(at), *directly
        )
        # Records kept before group licensing have no fourth value: direct, as all were then.
        for product_id, disabled, at, *directly in data["licenses"]
    )
    errors = decode_errors(data["errors"])
    return UserLicenseResult(user_id, OutcomeStatus(data["status"]), licenses, errors)


def encode_errors(errors: Iterable[LicenseError]) -> list[dict[str, Any]]:
    """A JSON-ready form of ``errors`` (kept for replays and for groups' open errors)."""
    return [{"code": error.code.value, **_fields(error)} for error in errors]


def decode_errors(data: Iterable[Mapping[str, Any]]) -> tuple[LicenseError, ...]:
    """The errors ``encode_errors`` encoded."""
    return tuple(_decode_error(error) for error in data)


def _fields(error: LicenseError) -> dict[str, Any]:
    return {
        field.name: list(value) if isinstance(value := getattr(error, field.name), tuple) else value
        for field in dataclasses.fields(error)
    }


def _decode_error(data: Mapping[str, Any]) -> LicenseError:
    error_type = REASONS[LicenseErrorCode(data["code"])]
    values = {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in data.items()
        if name != "code"
    }
    return error_type(**values)
