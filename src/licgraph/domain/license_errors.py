"""Why one user's license change fails: one typed reason per rule, each with a stable code."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeAlias


class LicenseErrorCode(enum.Enum):
    """The reason a user's change failed; clients branch on it, never on message text."""

    INSUFFICIENT_LICENSES = "INSUFFICIENT_LICENSES"
    USAGE_LOCATION_REQUIRED = "USAGE_LOCATION_REQUIRED"
    PRODUCT_UNAVAILABLE_IN_LOCATION = "PRODUCT_UNAVAILABLE_IN_LOCATION"
    MISSING_DEPENDENCY = "MISSING_DEPENDENCY"
    DEPENDENT_LICENSE = "DEPENDENT_LICENSE"
    MUTUALLY_EXCLUSIVE_LICENSES = "MUTUALLY_EXCLUSIVE_LICENSES"
    INVALID_SERVICE_PLAN = "INVALID_SERVICE_PLAN"
    SERVICE_PLAN_DEPENDENCY = "SERVICE_PLAN_DEPENDENCY"
    USER_NOT_FOUND = "USER_NOT_FOUND"
    PRODUCT_NOT_FOUND = "PRODUCT_NOT_FOUND"


def _named(noun: str, ids: Sequence[int]) -> str:
    """``product 3`` or ``products 3, 4``."""
    listed = ", ".join(str(id_) for id_ in ids)
    return f"{noun} {listed}" if len(ids) == 1 else f"{noun}s {listed}"


@dataclass(frozen=True, slots=True)
class InsufficientLicenses:
    """Every seat of a product was taken before this user's turn.

    ``requested`` counts the users of the save whose otherwise valid change needs a new seat
    of the product; ``available`` is the number of free seats before the save.
    """

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.INSUFFICIENT_LICENSES
    product_id: int
    requested: int
    available: int

    @property
    def message(self) -> str:
        """A sentence for people; clients should branch on ``code``."""
        return (
            f"Not enough licenses of product {self.product_id}: "
            f"{self.requested} needed, {self.available} available."
        )


@dataclass(frozen=True, slots=True)
class UsageLocationRequired:
    """The user has no usage location, so no new license can be given to them."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.USAGE_LOCATION_REQUIRED
    user_id: int

    @property
    def message(self) -> str:
        """A sentence for people; clients should branch on ``code``."""
        return f"User {self.user_id} has no usage location; set one before assigning licenses."


@dataclass(frozen=True, slots=True)
class ProductUnavailableInLocation:
    """The product can't be assigned in the user's usage location."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.PRODUCT_UNAVAILABLE_IN_LOCATION
    product_id: int
    usage_location: str

    @property
    def message(self) -> str:
        """A sentence for people; clients should branch on ``code``."""
        return (
            f"Product {self.product_id} is not available in usage location {self.usage_location}."
        )


@dataclass(frozen=True, slots=True)
class MissingDependency:
    """The product needs one of ``required_product_ids`` and the user would hold none."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.MISSING_DEPENDENCY
    product_id: int
    required_product_ids: tuple[int, ...]

    @property
    def message(self) -> str:
        """A sentence for people; clients should branch on ``code``."""
        needed = _named("product", self.required_product_ids)
        if len(self.required_product_ids) > 1:
            needed = f"one of {needed}"
        return f"Product {self.product_id} requires {needed}, which the user would not hold."


@dataclass(frozen=True, slots=True)
class DependentLicense:
    """The product can't be revoked: licenses the user keeps depend on it."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.DEPENDENT_LICENSE
    product_id: int
    dependent_product_ids: tuple[int, ...]

    @property
    def message(self) -> str:
        """A sentence for people; clients should branch on ``code``."""
        return (
            f"Product {self.product_id} can't be revoked: it is required by the user's "
            f"{_named('product', self.dependent_product_ids)}."
        )


@dataclass(frozen=True, slots=True)
class MutuallyExclusiveLicenses:
    """The product can't be held together with other products the user would hold."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.MUTUALLY_EXCLUSIVE_LICENSES
    product_id: int
    conflicting_product_ids: tuple[int, ...]

    @property
    def message(self) -> str:
        """A sentence for people; clients should branch on ``code``."""
        return (
            f"Product {self.product_id} can't be held together with "
            f"{_named('product', self.conflicting_product_ids)}."
        )


@dataclass(frozen=True, slots=True)
class InvalidServicePlan:
    """Some service plans asked to be disabled are not plans of the product."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.INVALID_SERVICE_PLAN
    product_id: int
    service_plan_ids: tuple[int, ...]

    @property
    def message(self) -> str:
        """A sentence for people; clients should branch on ``code``."""
        return f"Product {self.product_id} has no {_named('service plan', self.service_plan_ids)}."


@dataclass(frozen=True, slots=True)
class ServicePlanDependency:
    """An enabled service plan requires plans that the change would disable."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.SERVICE_PLAN_DEPENDENCY
    product_id: int
    service_plan_id: int
    required_service_plan_ids: tuple[int, ...]

    @property
    def message(self) -> str:
        """A sentence for people; clients should branch on ``code``."""
        return (
            f"Service plan {self.service_plan_id} of product {self.product_id} needs "
            f"{_named('service plan', self.required_service_plan_ids)} enabled."
        )


@dataclass(frozen=True, slots=True)
class UserNotFound:
    """No user with this id belongs to the customer."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.USER_NOT_FOUND
    user_id: int

    @property
    def message(self) -> str:
        """A sentence for people; clients should branch on ``code``."""
        return f"User {self.user_id} was not found."


@dataclass(frozen=True, slots=True)
class ProductNotFound:
    """The customer has no product with this id."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.PRODUCT_NOT_FOUND
    product_id: int

    @property
    def message(self) -> str:
        """A sentence for people; clients should branch on ``code``."""
        return f"Product {self.product_id} was not found."


LicenseError: TypeAlias = (
    InsufficientLicenses
    | UsageLocationRequired
    | ProductUnavailableInLocation
    | MissingDependency
    | DependentLicense
    | MutuallyExclusiveLicenses
    | InvalidServicePlan
    | ServicePlanDependency
    | UserNotFound
    | ProductNotFound
)
