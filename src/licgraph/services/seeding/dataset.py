"""A data set to seed, described as plain values (no ids: the loader assigns them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PlanSpec:
    """A service plan; ``requires`` names plans of the same product that must stay enabled."""

    name: str
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductSpec:
    """A product entitlement and its rules; other products are named by SKU part number."""

    sku_part_number: str
    name: str
    total_licenses: int = 0
    service_plans: tuple[PlanSpec, ...] = ()
    requires_any_of: tuple[str, ...] = ()
    conflicts_with: tuple[str, ...] = ()
    unavailable_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LicenseSpec:
    """A license a seeded user holds, with the plans switched off in it."""

    sku_part_number: str
    disabled_plans: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UserSpec:
    """A user to seed and the licenses they start with."""

    display_name: str
    user_principal_name: str
    usage_location: str | None
    licenses: tuple[LicenseSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomerSpec:
    """A customer and the products it is entitled to."""

    name: str
    domain: str
    products: tuple[ProductSpec, ...]


@dataclass(frozen=True, slots=True)
class SeedSummary:
    """How many rows of each kind a seed wrote."""

    customers: int = 0
    users: int = 0
    products: int = 0
    assignments: int = 0

    def __add__(self, other: SeedSummary) -> SeedSummary:
        return SeedSummary(
            customers=self.customers + other.customers,
            users=self.users + other.users,
            products=self.products + other.products,
            assignments=self.assignments + other.assignments,
        )

    def __str__(self) -> str:
        return (
            f"{self.customers:,} customers, {self.users:,} users, {self.products:,} products,"
            f" {self.assignments:,} license assignments"
        )
