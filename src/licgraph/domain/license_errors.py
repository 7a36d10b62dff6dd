"""Why one user's license change fails: one typed reason per rule, each with a stable code."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol, TypeAlias


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


class Names(Protocol):
    """How messages name products and service plans (ids by default; the API uses names)."""

    def product(self, product_id: int) -> str: ...

    def service_plan(self, service_plan_id: int) -> str: ...


class _Ids:
    def product(self, product_id: int) -> str:
        return f"product {product_id}"

    def service_plan(self, service_plan_id: int) -> str:
        return f"service plan {service_plan_id}"


IDS: Names = _Ids()


def _listed(name: Callable[[int], str], ids: Sequence[int]) -> str:
    return ", ".join(name(id_) for id_ in ids)


class _Reason:
    """What every reason has: a sentence for people (clients branch on ``code``)."""

    __slots__ = ()

    def describe(self, names: Names) -> str:
        raise NotImplementedError

    @property
    def message(self) -> str:
        """The sentence, naming things by id."""
        text = self.describe(IDS)
        return text[:1].upper() + text[1:]


@dataclass(frozen=True, slots=True)
class InsufficientLicenses(_Reason):
    """Every seat of a product was taken before this user's turn.

    ``requested`` counts the users of the save whose otherwise valid change needs a new seat
    of the product; ``available`` is the number of free seats before the save.
    """

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.INSUFFICIENT_LICENSES
    product_id: int
    requested: int
    available: int

    def describe(self, names: Names) -> str:
        """The sentence, naming things with ``names``."""
        return (
            f"Not enough licenses of {names.product(self.product_id)}: this save needs "
            f"{self.requested}, {self.available} were free. Buy more or select fewer users."
        )


@dataclass(frozen=True, slots=True)
class UsageLocationRequired(_Reason):
    """The user has no usage location, so no new license can be given to them."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.USAGE_LOCATION_REQUIRED
    user_id: int

    def describe(self, names: Names) -> str:
        """The sentence, naming things with ``names``."""
        return "The user has no usage location; set one (setUsageLocation) before assigning."


@dataclass(frozen=True, slots=True)
class ProductUnavailableInLocation(_Reason):
    """The product can't be assigned in the user's usage location."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.PRODUCT_UNAVAILABLE_IN_LOCATION
    product_id: int
    usage_location: str

    def describe(self, names: Names) -> str:
        """The sentence, naming things with ``names``."""
        return (
            f"{names.product(self.product_id)} is not available in usage location "
            f"{self.usage_location}."
        )


@dataclass(frozen=True, slots=True)
class MissingDependency(_Reason):
    """The product needs one of ``required_product_ids`` and the user would hold none."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.MISSING_DEPENDENCY
    product_id: int
    required_product_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        """The sentence, naming things with ``names``."""
        needed = _listed(names.product, self.required_product_ids)
        if len(self.required_product_ids) > 1:
            needed = f"one of {needed}"
        return f"{names.product(self.product_id)} requires {needed}, which the user would lack."


@dataclass(frozen=True, slots=True)
class DependentLicense(_Reason):
    """The product can't be revoked: licenses the user keeps depend on it."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.DEPENDENT_LICENSE
    product_id: int
    dependent_product_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        """The sentence, naming things with ``names``."""
        return (
            f"{names.product(self.product_id)} can't be revoked while the user keeps "
            f"{_listed(names.product, self.dependent_product_ids)}, which requires it; "
            f"revoke those in the same save."
        )


@dataclass(frozen=True, slots=True)
class MutuallyExclusiveLicenses(_Reason):
    """The product can't be held together with other products the user would hold."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.MUTUALLY_EXCLUSIVE_LICENSES
    product_id: int
    conflicting_product_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        """The sentence, naming things with ``names``."""
        return (
            f"{names.product(self.product_id)} can't be held together with "
            f"{_listed(names.product, self.conflicting_product_ids)}."
        )


@dataclass(frozen=True, slots=True)
class InvalidServicePlan(_Reason):
    """Some service plans asked to be disabled are not plans of the product."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.INVALID_SERVICE_PLAN
    product_id: int
    service_plan_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        """The sentence, naming things with ``names``."""
        count = len(self.service_plan_ids)
        plans = "service plan is" if count == 1 else "service plans are"
        return f"{count} disabled {plans} not part of {names.product(self.product_id)}."


@dataclass(frozen=True, slots=True)
class ServicePlanDependency(_Reason):
    """An enabled service plan requires plans that the change would disable."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.SERVICE_PLAN_DEPENDENCY
    product_id: int
    service_plan_id: int
    required_service_plan_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        """The sentence, naming things with ``names``."""
        return (
            f"{names.service_plan(self.service_plan_id)} of {names.product(self.product_id)} "
            f"needs {_listed(names.service_plan, self.required_service_plan_ids)} enabled; "
            f"enable them or disable it too."
        )


@dataclass(frozen=True, slots=True)
class UserNotFound(_Reason):
    """No user with this id belongs to the customer."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.USER_NOT_FOUND
    user_id: int

    def describe(self, names: Names) -> str:
        """The sentence, naming things with ``names``."""
        return "No such user in this customer."


@dataclass(frozen=True, slots=True)
class ProductNotFound(_Reason):
    """The customer has no product with this id."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.PRODUCT_NOT_FOUND
    product_id: int

    def describe(self, names: Names) -> str:
        """The sentence, naming things with ``names``."""
        return "No such product in this customer."


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
