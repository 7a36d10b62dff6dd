"""What a license update does to each user: outcomes, the changes to write, the seat balance."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

from licgraph.domain.license_errors import LicenseError

Holdings: TypeAlias = Mapping[int, frozenset[int]]
"""One user's licenses: product id -> ids of the service plans disabled for the user."""


class OutcomeStatus(enum.Enum):
    """What the Save did (or would do) to one user."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    UNCHANGED = "UNCHANGED"


@dataclass(frozen=True, slots=True)
class Assigned:
    """A new license to create for the user; it takes one seat of the product."""

    product_id: int
    disabled_service_plan_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class Revoked:
    """A license of the user to remove; it frees one seat of the product."""

    product_id: int


@dataclass(frozen=True, slots=True)
class PlansChanged:
    """A held license whose disabled service plans change; seats are untouched."""

    product_id: int
    disabled_before: frozenset[int]
    disabled_after: frozenset[int]


LicenseMutation: TypeAlias = Assigned | Revoked | PlansChanged


@dataclass(frozen=True, slots=True)
class UserOutcome:
    """One requested user's result: their licenses after the Save and why it failed, if so.

    ``changes`` is what a writer must apply for the user; it is empty unless SUCCEEDED.
    A FAILED user's ``licenses`` are their current ones.
    """

    user_id: int
    status: OutcomeStatus
    licenses: Holdings
    errors: tuple[LicenseError, ...] = ()
    changes: tuple[LicenseMutation, ...] = ()


@dataclass(frozen=True, slots=True)
class LicenseUpdatePlan:
    """The outcome of every distinct requested user, in request order, and the seat balance.

    ``seat_changes`` maps a product id to the net change of its assigned count once every
    SUCCEEDED outcome is written; products whose count does not move are left out.
    """

    outcomes: tuple[UserOutcome, ...]
    seat_changes: Mapping[int, int]

    @property
    def succeeded_count(self) -> int:
        """Users whose licenses change."""
        return self._count(OutcomeStatus.SUCCEEDED)

    @property
    def failed_count(self) -> int:
        """Users whose change is refused."""
        return self._count(OutcomeStatus.FAILED)

    @property
    def all_succeeded(self) -> bool:
        """No user failed (an atomic Save may be written)."""
        return self.failed_count == 0

    def _count(self, status: OutcomeStatus) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status is status)
