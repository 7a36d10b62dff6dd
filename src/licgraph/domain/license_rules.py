"""The licensing rules, each written once as a pure function over catalog facts.

The planner asks them about the licenses a Save adds or removes, a location change asks
where held products may stay, and seeds and tests ask :func:`holding_errors` whether a
user's licenses could stand together. Every function returns the typed errors it finds,
in a stable order; none means the rule holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from licgraph.domain.catalog import ProductRules
from licgraph.domain.directory import User
from licgraph.domain.license_change import LicenseToAssign
from licgraph.domain.license_errors import (
    DependentLicense,
    InvalidServicePlan,
    LicenseError,
    MissingDependency,
    MutuallyExclusiveLicenses,
    ProductUnavailableInLocation,
    ServicePlanDependency,
    UsageLocationRequired,
)
from licgraph.domain.outcomes import Holdings

Rules = Mapping[int, ProductRules]
"""Catalog facts by product id; a product left out has no rule."""


def holding_errors(user: User, licenses: Holdings, rules: Rules) -> tuple[LicenseError, ...]:
    """Every rule that ``user`` holding ``licenses`` together breaks, as if all were new."""
    product_ids = tuple(sorted(licenses))
    held = frozenset(product_ids)
    return (
        *location_errors(user, product_ids, rules),
        *conflict_errors(product_ids, held, symmetric_conflicts(product_ids, rules)),
        *dependency_errors(product_ids, held, rules),
        *(
            error
            for id_ in product_ids
            for error in service_plan_errors(
                LicenseToAssign(id_, licenses[id_]), rules_of(rules, id_)
            )
        ),
    )


def rules_of(rules: Rules, product_id: int) -> ProductRules:
    """The facts of one product; none (no rule) when the catalog lists nothing for it."""
    found = rules.get(product_id)
    return found if found is not None else ProductRules(product_id=product_id)


def location_errors(user: User, new_ids: Sequence[int], rules: Rules) -> list[LicenseError]:
    """A new license needs a usage location, and one where its product is available."""
    if not new_ids:
        return []
    if user.usage_location is None:
        return [UsageLocationRequired(user.id)]
    return unavailable_errors(new_ids, user.usage_location, rules)


def unavailable_errors(
    product_ids: Iterable[int], location: str, rules: Rules
) -> list[LicenseError]:
    """The products that can't be held in usage location ``location``."""
    return [
        ProductUnavailableInLocation(id_, location)
        for id_ in product_ids
        if location in rules_of(rules, id_).unavailable_usage_locations
    ]


def symmetric_conflicts(product_ids: Iterable[int], rules: Rules) -> dict[int, frozenset[int]]:
    """The products each of ``product_ids`` excludes, whichever side lists the conflict."""
    # A conflict holds if either side lists the other, so look at every product's list once.
    conflicts = {id_: set(rules_of(rules, id_).conflicting_product_ids) for id_ in product_ids}
    for owner_id, owner_rules in rules.items():
        for id_ in owner_rules.conflicting_product_ids & conflicts.keys():
            conflicts[id_].add(owner_id)
    return {id_: frozenset(others - {id_}) for id_, others in conflicts.items()}


def conflict_errors(
    new_ids: Sequence[int], final_ids: frozenset[int], conflicts: Mapping[int, frozenset[int]]
) -> list[LicenseError]:
    """A new product can't be held with one it excludes (``conflicts``, made symmetric)."""
    clashes = {id_: conflicts[id_] & final_ids for id_ in new_ids}
    return [MutuallyExclusiveLicenses(id_, _sorted(ids)) for id_, ids in clashes.items() if ids]


def dependency_errors(
    new_ids: Sequence[int], final_ids: frozenset[int], rules: Rules
) -> list[LicenseError]:
    """A new product that needs one of some products needs the user to end up with one."""
    return [
        MissingDependency(id_, _sorted(rules_of(rules, id_).required_product_ids))
        for id_ in new_ids
        if _is_stranded(rules_of(rules, id_), final_ids)
    ]


def dependent_license_errors(
    revoked: Sequence[int], final_ids: frozenset[int], rules: Rules
) -> list[LicenseError]:
    """A product can't be revoked while a product the user keeps needs it (and no other)."""
    if not revoked:
        return []
    stranded = {
        id_: rules_of(rules, id_).required_product_ids
        for id_ in final_ids
        if _is_stranded(rules_of(rules, id_), final_ids)
    }
    errors: list[LicenseError] = []
    for revoked_id in revoked:
        dependents = [id_ for id_, required in stranded.items() if revoked_id in required]
        if dependents:
            errors.append(DependentLicense(revoked_id, _sorted(dependents)))
    return errors


def service_plan_errors(license_: LicenseToAssign, rules: ProductRules) -> tuple[LicenseError, ...]:
    """Only the product's own plans may be off, and not one an enabled plan needs."""
    disabled = license_.disabled_service_plan_ids
    errors: list[LicenseError] = []
    foreign = disabled - rules.service_plan_ids
    if foreign:
        errors.append(InvalidServicePlan(license_.product_id, _sorted(foreign)))
    for plan in sorted(rules.service_plans, key=lambda plan: plan.id):
        needed_but_disabled = plan.required_service_plan_ids & disabled
        if plan.id not in disabled and needed_but_disabled:
            errors.append(
                ServicePlanDependency(license_.product_id, plan.id, _sorted(needed_but_disabled))
            )
    return tuple(errors)


def _is_stranded(rules: ProductRules, final_ids: frozenset[int]) -> bool:
    """Whether a product needs one of some products and the user would hold none of them."""
    required = rules.required_product_ids
    return bool(required) and required.isdisjoint(final_ids)


def _sorted(ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(ids))
