"""Why one user's license change fails: one typed reason per rule, each with a stable code."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, Protocol


class LicenseErrorCode(enum.Enum):
    """The reason a user's change failed; clients branch on it, never on message text.

    Each value belongs to exactly one ``LicenseError`` subclass below (``REASONS``): adding a
    reason is a value here and its class, nothing else in the domain.
    """

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
    INHERITED_LICENSE = "INHERITED_LICENSE"


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


_REASONS: dict[LicenseErrorCode, type[LicenseError]] = {}


class LicenseError:
    """Why one user's change failed: a typed reason with a stable ``code`` and a sentence.

    Every concrete reason is a frozen dataclass that sets ``code``; defining one registers it
    in ``REASONS`` (the codec and the GraphQL layer are derived from that registry).
    """

    __slots__ = ()
    code: ClassVar[LicenseErrorCode]
    # Every concrete reason is a dataclass (what the codec relies on).
    __dataclass_fields__: ClassVar[dict[str, Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # ``dataclass(slots=True)`` builds the class anew, so the final class registers last.
        _REASONS[cls.code] = cls

    def describe(self, names: Names) -> str:
        """The sentence, naming products and plans with ``names``."""
        raise NotImplementedError

    @property
    def message(self) -> str:
        """The sentence, naming things by id."""
        return sentence(self.describe(IDS))


def sentence(text: str) -> str:
    """``text`` starting with a capital letter, as messages do."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True, slots=True)
class InsufficientLicenses(LicenseError):
    """Every seat of a product was taken before this user's turn.

    ``requested`` counts the users of the save whose otherwise valid change needs a new seat
    of the product; ``available`` is the number of free seats before the save.
    """

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.INSUFFICIENT_LICENSES
    product_id: int
    requested: int
    available: int

    def describe(self, names: Names) -> str:
        return (
            f"Not enough licenses of {names.product(self.product_id)}: this save needs "
            f"{self.requested}, {self.available} were free. Buy more or select fewer users."
        )


@dataclass(frozen=True, slots=True)
class UsageLocationRequired(LicenseError):
    """The user has no usage location, so no new license can be given to them."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.USAGE_LOCATION_REQUIRED
    user_id: int

    def describe(self, names: Names) -> str:
        return "The user has no usage location; set one (setUsageLocation) before assigning."


@dataclass(frozen=True, slots=True)
class ProductUnavailableInLocation(LicenseError):
    """The product can't be assigned in the user's usage location."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.PRODUCT_UNAVAILABLE_IN_LOCATION
    product_id: int
    usage_location: str

    def describe(self, names: Names) -> str:
        return (
            f"{names.product(self.product_id)} is not available in usage location "
            f"{self.usage_location}."
        )


@dataclass(frozen=True, slots=True)
class MissingDependency(LicenseError):
    """The product needs one of ``required_product_ids`` and the user would hold none."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.MISSING_DEPENDENCY
    product_id: int
    required_product_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        needed = _listed(names.product, self.required_product_ids)
        if len(self.required_product_ids) > 1:
            needed = f"one of {needed}"
        return f"{names.product(self.product_id)} requires {needed}, which the user would lack."


@dataclass(frozen=True, slots=True)
class DependentLicense(LicenseError):
    """The product can't be revoked: licenses the user keeps depend on it."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.DEPENDENT_LICENSE
    product_id: int
    dependent_product_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        return (
            f"{names.product(self.product_id)} can't be revoked while the user keeps "
            f"{_listed(names.product, self.dependent_product_ids)}, which requires it; "
            f"revoke those in the same save."
        )


@dataclass(frozen=True, slots=True)
class MutuallyExclusiveLicenses(LicenseError):
    """The product can't be held together with other products the user would hold."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.MUTUALLY_EXCLUSIVE_LICENSES
    product_id: int
    conflicting_product_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        return (
            f"{names.product(self.product_id)} can't be held together with "
            f"{_listed(names.product, self.conflicting_product_ids)}."
        )


@dataclass(frozen=True, slots=True)
class InvalidServicePlan(LicenseError):
    """Some service plans asked to be disabled are not plans of the product."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.INVALID_SERVICE_PLAN
    product_id: int
    service_plan_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        count = len(self.service_plan_ids)
        plans = "service plan is" if count == 1 else "service plans are"
        return f"{count} disabled {plans} not part of {names.product(self.product_id)}."


@dataclass(frozen=True, slots=True)
class ServicePlanDependency(LicenseError):
    """An enabled service plan requires plans that the change would disable."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.SERVICE_PLAN_DEPENDENCY
    product_id: int
    service_plan_id: int
    required_service_plan_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        return (
            f"{names.service_plan(self.service_plan_id)} of {names.product(self.product_id)} "
            f"needs {_listed(names.service_plan, self.required_service_plan_ids)} enabled; "
            f"enable them or disable it too."
        )


@dataclass(frozen=True, slots=True)
class UserNotFound(LicenseError):
    """No user with this id belongs to the customer."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.USER_NOT_FOUND
    user_id: int

    def describe(self, names: Names) -> str:
        return "No such user in this customer."


@dataclass(frozen=True, slots=True)
class ProductNotFound(LicenseError):
    """The customer has no product with this id."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.PRODUCT_NOT_FOUND
    product_id: int

    def describe(self, names: Names) -> str:
        return "No such product in this customer."


@dataclass(frozen=True, slots=True)
class InheritedLicense(LicenseError):
    """A direct revoke of a product the user holds only through groups (``group_ids``)."""

    code: ClassVar[LicenseErrorCode] = LicenseErrorCode.INHERITED_LICENSE
    product_id: int
    group_ids: tuple[int, ...]

    def describe(self, names: Names) -> str:
        return (
            f"{names.product(self.product_id)} is not assigned directly: the user holds it "
            f"through {len(self.group_ids)} group(s) (see groups); take the user out of them, "
            f"or have them drop the product."
        )


REASONS: Mapping[LicenseErrorCode, type[LicenseError]] = MappingProxyType(_REASONS)
"""Every reason's class by its code (all of them once this module is imported)."""
