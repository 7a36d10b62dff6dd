"""What a caller asks to change (a Save, a purchase, a location change) and the checks on its shape.

Each check is a pure function that raises a ``ValueError`` subclass, which the API reports as
BAD_USER_INPUT with the message as written here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

MAX_PURCHASE_QUANTITY = 10_000


@dataclass(frozen=True, slots=True)
class LicenseToAssign:
    """A product to give every selected user, with the service plans switched off for them."""

    product_id: int
    disabled_service_plan_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class LicenseChange:
    """Products to assign and product ids to revoke, the same for every selected user."""

    assign: tuple[LicenseToAssign, ...] = ()
    revoke: tuple[int, ...] = ()

    @property
    def assigned_product_ids(self) -> tuple[int, ...]:
        """The products to assign, in request order."""
        return tuple(license_.product_id for license_ in self.assign)


class InvalidLicenseChangeError(ValueError):
    """Raised when a license change is malformed or names too few or too many users."""

    def __init__(self, message: str, product_ids: Iterable[int] = ()) -> None:
        super().__init__(message)
        self.product_ids = tuple(product_ids)


def validate_change(change: LicenseChange, *, user_count: int, max_users: int) -> None:
    """Refuse a change that is empty, repeats or contradicts itself, or has a bad user count."""
    validate_products(change)
    if user_count < 1:
        raise InvalidLicenseChangeError("give at least one user")
    if user_count > max_users:
        raise InvalidLicenseChangeError(
            f"a change takes at most {max_users} users, got {user_count}"
        )


def validate_products(change: LicenseChange) -> None:
    """Refuse a change that is empty, or repeats or contradicts itself (whoever it is for)."""
    if not change.assign and not change.revoke:
        raise InvalidLicenseChangeError("give at least one license to assign or to revoke")
    _refuse_repeats(change.assigned_product_ids, "assign")
    _refuse_repeats(change.revoke, "revoke")
    both = sorted(set(change.assigned_product_ids) & set(change.revoke))
    if both:
        raise InvalidLicenseChangeError(
            "a product can't be both assigned and revoked (see extensions.productIds)", both
        )


def _refuse_repeats(product_ids: Iterable[int], field: str) -> None:
    repeated = sorted(id_ for id_, count in Counter(product_ids).items() if count > 1)
    if repeated:
        raise InvalidLicenseChangeError(
            f"list each product once in `{field}` (see extensions.productIds)", repeated
        )


def validate_user_count(user_count: int, *, max_users: int) -> None:
    """Refuse a location change that names no user or more than ``max_users`` distinct ones."""
    if not 1 <= user_count <= max_users:
        raise InvalidLicenseChangeError(f"name between 1 and {max_users} users")


class InvalidQuantityError(ValueError):
    """Raised when a purchase asks for fewer than 1 or more than 10,000 licenses."""


def validate_quantity(quantity: int) -> None:
    """Refuse a purchase of fewer than 1 or more than ``MAX_PURCHASE_QUANTITY`` licenses."""
    if not 1 <= quantity <= MAX_PURCHASE_QUANTITY:
        raise InvalidQuantityError(
            f"quantity must be between 1 and {MAX_PURCHASE_QUANTITY}, got {quantity}"
        )
