"""The contract's licensing rules over a described catalog, so seeds start out valid."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from licgraph.services.seeding.dataset import LicenseSpec, ProductSpec


class SeedRules:
    """Answers whether a seeded user may hold one more license under the catalog's rules."""

    def __init__(self, products: Sequence[ProductSpec]) -> None:
        self._products = {product.sku_part_number: product for product in products}
        # Conflicts are described on one side only; a user is bound by both.
        self._conflicts: dict[str, set[str]] = defaultdict(set)
        for product in products:
            for other in product.conflicts_with:
                self._conflicts[product.sku_part_number].add(other)
                self._conflicts[other].add(product.sku_part_number)

    def allows(
        self, license_: LicenseSpec, *, held: Collection[str], usage_location: str | None
    ) -> bool:
        """Whether a user in ``usage_location`` holding ``held`` may add ``license_``."""
        product = self._products[license_.sku_part_number]
        return (
            usage_location is not None
            and usage_location not in product.unavailable_in
            and product.sku_part_number not in held
            and not self._conflicts[product.sku_part_number] & set(held)
            and (not product.requires_any_of or any(s in held for s in product.requires_any_of))
            and _plans_valid(product, frozenset(license_.disabled_plans))
        )


def _plans_valid(product: ProductSpec, disabled: frozenset[str]) -> bool:
    names = {plan.name for plan in product.service_plans}
    enabled = [plan for plan in product.service_plans if plan.name not in disabled]
    return disabled <= names and all(not disabled & set(plan.requires) for plan in enabled)
