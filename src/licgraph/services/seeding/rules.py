"""The domain's licensing rules asked about a described catalog, so seeds start out valid."""

from __future__ import annotations

from collections.abc import Sequence

from licgraph.domain.catalog import ProductRules, ServicePlan
from licgraph.domain.directory import User
from licgraph.domain.license_rules import holding_errors
from licgraph.services.seeding.dataset import LicenseSpec, ProductSpec

# Plans are numbered from 1, so a plan name the product lacks gets an id of no plan of it:
# the rules then refuse it as a foreign plan.
_NO_PLAN = 0


class SeedRules:
    """Answers whether a seeded user may hold some licenses together, by asking the domain."""

    def __init__(self, products: Sequence[ProductSpec]) -> None:
        # The rules speak of ids: number the described products and plans (from 1) for them.
        self._product_ids = {p.sku_part_number: id_ for id_, p in enumerate(products, start=1)}
        keys = [(p.sku_part_number, plan.name) for p in products for plan in p.service_plans]
        self._plan_ids = {key: id_ for id_, key in enumerate(keys, start=1)}
        self._rules = {self._product_ids[p.sku_part_number]: self._facts(p) for p in products}

    def allows(self, licenses: Sequence[LicenseSpec], *, usage_location: str | None) -> bool:
        """Whether a user in ``usage_location`` may hold ``licenses``, each product once."""
        held = {
            self._product_ids[license_.sku_part_number]: frozenset(
                self._plan_id(license_.sku_part_number, name) for name in license_.disabled_plans
            )
            for license_ in licenses
        }
        if len(held) < len(licenses):
            return False
        # A seeded user has no id yet; of the user, the rules look at the location only.
        user = User(0, 0, "", "", usage_location=usage_location)
        return not holding_errors(user, held, self._rules)

    def _facts(self, product: ProductSpec) -> ProductRules:
        sku = product.sku_part_number
        plans = tuple(
            ServicePlan(
                id=self._plan_id(sku, plan.name),
                product_id=self._product_ids[sku],
                name=plan.name,
                required_service_plan_ids=frozenset(self._plan_id(sku, n) for n in plan.requires),
            )
            for plan in product.service_plans
        )
        return ProductRules(
            product_id=self._product_ids[sku],
            required_product_ids=self._ids_of(product.requires_any_of),
            conflicting_product_ids=self._ids_of(product.conflicts_with),
            unavailable_usage_locations=frozenset(product.unavailable_in),
            service_plans=plans,
        )

    def _ids_of(self, skus: Sequence[str]) -> frozenset[int]:
        return frozenset(self._product_ids[sku] for sku in skus)

    def _plan_id(self, sku: str, name: str) -> int:
        return self._plan_ids.get((sku, name), _NO_PLAN)
