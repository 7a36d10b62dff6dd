"""What a Save returns: one result per requested user, and the touched products."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, Self

import strawberry

from licgraph.domain.license_errors import LicenseError as DomainLicenseError
from licgraph.domain.license_errors import Names, UserNotFound
from licgraph.domain.license_update import LicenseUpdateResult
from licgraph.domain.license_update import UserLicenseResult as DomainUserResult
from licgraph.domain.outcomes import OutcomeStatus
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.types.license_errors import LicenseError, error_names, license_errors
from licgraph.graphql.types.licensing import LicenseAssignment, Product, User


def was_found(errors: Iterable[DomainLicenseError]) -> bool:
    """Whether a requested user exists in the customer (no UserNotFound among the errors)."""
    return not any(isinstance(error, UserNotFound) for error in errors)


LicenseUpdateStatusEnum = strawberry.enum(
    OutcomeStatus,
    name="LicenseUpdateStatus",
    description="SUCCEEDED: the user's licenses changed (or would, in a dry run); "
    "FAILED: nothing changed for the user, see errors; UNCHANGED: nothing to do.",
)


class _RequestedUser(Protocol):
    found: bool
    user_pk: int


async def _the_user(root: _RequestedUser, info: Info) -> User | None:
    if not root.found:  # another customer's user must not show, even to a partner agent
        return None
    user = await info.context.loaders.user_by_id.load(root.user_pk)
    return User.from_domain(user) if user else None


def requested_user_field(description: str) -> Any:
    """The ``user`` of a per-user result: null when the id named no user of the customer."""
    return strawberry.field(resolver=_the_user, description=description)


@strawberry.type(description="One requested user's outcome.")
class UserLicenseResult:
    user_id: strawberry.ID = strawberry.field(description="The user id as requested.")
    status: LicenseUpdateStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="What happened to the user."
    )
    licenses: list[LicenseAssignment] = strawberry.field(
        description="The user's licenses after the change (unchanged ones if it failed)."
    )
    errors: list[LicenseError] = strawberry.field(description="Why it failed; empty otherwise.")
    found: strawberry.Private[bool]
    user_pk: strawberry.Private[int]
    user: User | None = requested_user_field(
        "The user; null when no such user exists in this customer."
    )

    @classmethod
    def from_domain(cls, result: DomainUserResult, names: Names) -> Self:
        return cls(
            user_id=strawberry.ID(to_global_id("User", result.user_id)),
            status=result.status,
            licenses=[LicenseAssignment.from_domain(item) for item in result.licenses],
            errors=license_errors(result.errors, names),
            found=was_found(result.errors),
            user_pk=result.user_id,
        )


@strawberry.type(description="The outcome of a Save (assign, revoke or both).")
class LicenseUpdatePayload:
    results: list[UserLicenseResult] = strawberry.field(
        description="One per distinct requested user, in request order."
    )
    products: list[Product] = strawberry.field(
        description="The products the save touched, with their counts after it "
        "(as they would be, when `applied` is false)."
    )
    succeeded_count: int = strawberry.field(description="Users with status SUCCEEDED.")
    failed_count: int = strawberry.field(description="Users with status FAILED.")
    dry_run: bool = strawberry.field(description="Whether this was a dry run.")
    applied: bool = strawberry.field(
        description="Whether anything was written: false for a dry run and for a refused "
        "atomic save (whose results then read as what would happen), and when no user "
        "changed."
    )

    @classmethod
    async def build(cls, info: Info, result: LicenseUpdateResult) -> Self:
        """The payload for ``result``; error messages name products and plans."""
        names = await error_names(info, [e for item in result.results for e in item.errors])
        return cls(
            results=[UserLicenseResult.from_domain(item, names) for item in result.results],
            products=[Product.from_domain(product) for product in result.products],
            succeeded_count=result.succeeded_count,
            failed_count=result.failed_count,
            dry_run=result.dry_run,
            applied=result.applied,
        )
