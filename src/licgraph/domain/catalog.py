"""What a customer owns: customers, their product entitlements and each product's rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Customer:
    """A customer account of the partner."""

    id: int
    name: str
    domain: str


@dataclass(frozen=True, slots=True)
class Product:
    """A customer's entitlement to one product: how many seats it owns and how many are used."""

    id: int
    customer_id: int
    sku_part_number: str
    name: str
    total_licenses: int
    assigned_licenses: int

    @property
    def available_licenses(self) -> int:
        """Free seats; never negative even if a total was lowered below the assigned count."""
        return max(self.total_licenses - self.assigned_licenses, 0)


@dataclass(frozen=True, slots=True)
class ServicePlan:
    """A service inside a product that can be switched off per assignment."""

    id: int
    product_id: int
    name: str
    required_service_plan_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class ProductRules:
    """The catalog facts that decide whether a product may be assigned to a user."""

    product_id: int
    # The product needs at least one of these (an add-on needs one base suite); empty: none.
    required_product_ids: frozenset[int] = frozenset()
    conflicting_product_ids: frozenset[int] = frozenset()
    unavailable_usage_locations: frozenset[str] = frozenset()
    service_plans: tuple[ServicePlan, ...] = ()

    @property
    def service_plan_ids(self) -> frozenset[int]:
        """Ids of the plans this product contains."""
        return frozenset(plan.id for plan in self.service_plans)
