"""The license-update planner: what one Save does to each user, decided without any I/O.

The service layer loads a snapshot (the users, their licenses, the customer's catalog),
asks :func:`plan_license_update` for a plan, and writes the changes of the users that
succeeded. A user's change applies whole or not at all; every rule is checked and every
error is reported, seats last and in request order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from licgraph.domain.catalog import Product, ProductRules
from licgraph.domain.directory import User
from licgraph.domain.license_change import LicenseChange, LicenseToAssign
from licgraph.domain.license_errors import (
    DependentLicense,
    InsufficientLicenses,
    InvalidServicePlan,
    LicenseError,
    MissingDependency,
    MutuallyExclusiveLicenses,
    ProductNotFound,
    ProductUnavailableInLocation,
    ServicePlanDependency,
    UsageLocationRequired,
    UserNotFound,
)
from licgraph.domain.outcomes import (
    Assigned,
    Holdings,
    LicenseMutation,
    LicenseUpdatePlan,
    OutcomeStatus,
    PlansChanged,
    Revoked,
    UserOutcome,
)

_V = TypeVar("_V")


def plan_license_update(
    *,
    user_ids: Sequence[int],
    users: Mapping[int, User],
    holdings: Mapping[int, Holdings],
    products: Mapping[int, Product],
    rules: Mapping[int, ProductRules],
    change: LicenseChange,
) -> LicenseUpdatePlan:
    """Decide what ``change`` does to each requested user; expects a validated change.

    ``users`` are the customer's users found among ``user_ids``; ``holdings`` their current
    licenses; ``products`` every product of the customer and ``rules`` their catalog facts.
    A user's errors come in the order of the rules: unknown products, usage location,
    conflicts, dependencies, blocked revokes, service plans, seats.
    """
    request = _Request.resolve(change, products, rules)
    checked = [_check(user_id, users, holdings, request) for user_id in dict.fromkeys(user_ids)]
    seats = _Seats(products, _seat_demand(checked))
    outcomes = tuple(_settle(item, seats) for item in checked)
    return LicenseUpdatePlan(outcomes=outcomes, seat_changes=_seat_changes(outcomes))


@dataclass(frozen=True, slots=True)
class _Request:
    """The change resolved against the catalog once, since it is the same for every user."""

    assign: tuple[LicenseToAssign, ...]
    revoke: tuple[int, ...]
    unknown_products: tuple[ProductNotFound, ...]
    rules: Mapping[int, ProductRules]
    conflicts: Mapping[int, frozenset[int]]
    plan_errors: Mapping[int, tuple[LicenseError, ...]]

    @classmethod
    def resolve(
        cls,
        change: LicenseChange,
        products: Mapping[int, Product],
        rules: Mapping[int, ProductRules],
    ) -> _Request:
        assign = tuple(item for item in change.assign if item.product_id in products)
        requested = (*change.assigned_product_ids, *change.revoke)
        unknown = dict.fromkeys(id_ for id_ in requested if id_ not in products)
        return cls(
            assign=assign,
            revoke=tuple(id_ for id_ in change.revoke if id_ in products),
            unknown_products=tuple(ProductNotFound(id_) for id_ in unknown),
            rules=rules,
            conflicts=_symmetric_conflicts([item.product_id for item in assign], rules),
            plan_errors={
                item.product_id: _service_plan_errors(item, _rules_of(rules, item.product_id))
                for item in assign
            },
        )

    def rules_of(self, product_id: int) -> ProductRules:
        return _rules_of(self.rules, product_id)


def _rules_of(rules: Mapping[int, ProductRules], product_id: int) -> ProductRules:
    found = rules.get(product_id)
    return found if found is not None else ProductRules(product_id=product_id)


def _symmetric_conflicts(
    product_ids: Iterable[int], rules: Mapping[int, ProductRules]
) -> dict[int, frozenset[int]]:
    # A conflict holds if either side lists the other, so look at every product's list once.
    conflicts = {id_: set(_rules_of(rules, id_).conflicting_product_ids) for id_ in product_ids}
    for owner_id, owner_rules in rules.items():
        for id_ in owner_rules.conflicting_product_ids & conflicts.keys():
            conflicts[id_].add(owner_id)
    return {id_: frozenset(others - {id_}) for id_, others in conflicts.items()}


def _service_plan_errors(
    license_: LicenseToAssign, rules: ProductRules
) -> tuple[LicenseError, ...]:
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


@dataclass(frozen=True, slots=True)
class _UserChange:
    """What the request amounts to for one found user, given the licenses they hold."""

    user: User
    held: Holdings
    revoked: tuple[int, ...]
    assignments: tuple[Assigned | PlansChanged, ...]
    final_product_ids: frozenset[int]

    @classmethod
    def measure(cls, user: User, held: Holdings, request: _Request) -> _UserChange:
        revoked = tuple(id_ for id_ in request.revoke if id_ in held)
        assignments = (_assignment(item, held) for item in request.assign)
        assigned_ids = {item.product_id for item in request.assign}
        return cls(
            user=user,
            held=held,
            revoked=revoked,
            assignments=tuple(item for item in assignments if item is not None),
            final_product_ids=frozenset((held.keys() - set(revoked)) | assigned_ids),
        )

    @property
    def new_product_ids(self) -> tuple[int, ...]:
        return tuple(item.product_id for item in self.assignments if isinstance(item, Assigned))

    @property
    def mutations(self) -> tuple[LicenseMutation, ...]:
        return (*(Revoked(id_) for id_ in self.revoked), *self.assignments)

    def licenses_after(self) -> dict[int, frozenset[int]]:
        revoked = set(self.revoked)
        after = {id_: plans for id_, plans in self.held.items() if id_ not in revoked}
        for item in self.assignments:
            after[item.product_id] = (
                item.disabled_service_plan_ids
                if isinstance(item, Assigned)
                else item.disabled_after
            )
        return after


def _assignment(license_: LicenseToAssign, held: Holdings) -> Assigned | PlansChanged | None:
    disabled = license_.disabled_service_plan_ids
    current = held.get(license_.product_id)
    if current is None:
        return Assigned(license_.product_id, disabled)
    if current == disabled:
        return None
    return PlansChanged(license_.product_id, current, disabled)


@dataclass(frozen=True, slots=True)
class _Checked:
    """A found user's change with every error but seats."""

    change: _UserChange
    errors: tuple[LicenseError, ...]


def _check(
    user_id: int, users: Mapping[int, User], holdings: Mapping[int, Holdings], request: _Request
) -> _Checked | UserOutcome:
    user = users.get(user_id)
    if user is None:
        return UserOutcome(
            user_id, OutcomeStatus.FAILED, licenses={}, errors=(UserNotFound(user_id),)
        )
    change = _UserChange.measure(user, holdings.get(user_id, {}), request)
    return _Checked(change, _rule_errors(change, request))


def _rule_errors(change: _UserChange, request: _Request) -> tuple[LicenseError, ...]:
    new_ids = change.new_product_ids
    final_ids = change.final_product_ids
    return (
        *request.unknown_products,
        *_location_errors(change.user, new_ids, request),
        *_conflict_errors(new_ids, final_ids, request),
        *_dependency_errors(new_ids, final_ids, request),
        *_dependent_license_errors(change.revoked, final_ids, request),
        *(error for item in change.assignments for error in request.plan_errors[item.product_id]),
    )


def _location_errors(user: User, new_ids: Sequence[int], request: _Request) -> list[LicenseError]:
    if not new_ids:
        return []
    location = user.usage_location
    if location is None:
        return [UsageLocationRequired(user.id)]
    return [
        ProductUnavailableInLocation(id_, location)
        for id_ in new_ids
        if location in request.rules_of(id_).unavailable_usage_locations
    ]


def _conflict_errors(
    new_ids: Sequence[int], final_ids: frozenset[int], request: _Request
) -> list[LicenseError]:
    clashes = {id_: request.conflicts[id_] & final_ids for id_ in new_ids}
    return [MutuallyExclusiveLicenses(id_, _sorted(ids)) for id_, ids in clashes.items() if ids]


def _dependency_errors(
    new_ids: Sequence[int], final_ids: frozenset[int], request: _Request
) -> list[LicenseError]:
    return [
        MissingDependency(id_, _sorted(request.rules_of(id_).required_product_ids))
        for id_ in new_ids
        if _is_stranded(request.rules_of(id_), final_ids)
    ]


def _dependent_license_errors(
    revoked: Sequence[int], final_ids: frozenset[int], request: _Request
) -> list[LicenseError]:
    if not revoked:
        return []
    stranded = {
        id_: request.rules_of(id_).required_product_ids
        for id_ in final_ids
        if _is_stranded(request.rules_of(id_), final_ids)
    }
    errors: list[LicenseError] = []
    for revoked_id in revoked:
        dependents = [id_ for id_, required in stranded.items() if revoked_id in required]
        if dependents:
            errors.append(DependentLicense(revoked_id, _sorted(dependents)))
    return errors


def _is_stranded(rules: ProductRules, final_ids: frozenset[int]) -> bool:
    """Whether a product needs one of some products and the user would hold none of them."""
    required = rules.required_product_ids
    return bool(required) and required.isdisjoint(final_ids)


class _Seats:
    """Free seats per product, handed out in request order; a user takes all or none."""

    def __init__(self, products: Mapping[int, Product], demand: Counter[int]) -> None:
        self._before = {id_: products[id_].available_licenses for id_ in demand}
        self._free = dict(self._before)
        self._demand = demand

    def claim(self, product_ids: Sequence[int]) -> tuple[InsufficientLicenses, ...]:
        """Take one seat of each product, unless one has run out; return the shortages."""
        shortages = tuple(
            InsufficientLicenses(id_, self._demand[id_], self._before[id_])
            for id_ in product_ids
            if self._free[id_] < 1
        )
        if not shortages:
            for id_ in product_ids:
                self._free[id_] -= 1
        return shortages


def _seat_demand(checked: Iterable[_Checked | UserOutcome]) -> Counter[int]:
    # Only users who passed every other rule compete for seats (and count as requesting one).
    return Counter(
        id_
        for item in checked
        if isinstance(item, _Checked) and not item.errors
        for id_ in item.change.new_product_ids
    )


def _settle(item: _Checked | UserOutcome, seats: _Seats) -> UserOutcome:
    if isinstance(item, UserOutcome):
        return item
    change = item.change
    # Seats go last: a user who breaks another rule must not take one from a later user.
    errors = item.errors or seats.claim(change.new_product_ids)
    if errors:
        return UserOutcome(
            change.user.id,
            OutcomeStatus.FAILED,
            licenses=_by_product_id(change.held),
            errors=errors,
        )
    mutations = change.mutations
    return UserOutcome(
        change.user.id,
        OutcomeStatus.SUCCEEDED if mutations else OutcomeStatus.UNCHANGED,
        licenses=_by_product_id(change.licenses_after()),
        changes=mutations,
    )


def _seat_changes(outcomes: Iterable[UserOutcome]) -> Mapping[int, int]:
    balance: Counter[int] = Counter()
    for outcome in outcomes:
        for mutation in outcome.changes:
            if isinstance(mutation, Assigned):
                balance[mutation.product_id] += 1
            elif isinstance(mutation, Revoked):
                balance[mutation.product_id] -= 1
    return _by_product_id({id_: delta for id_, delta in balance.items() if delta})


def _by_product_id(mapping: Mapping[int, _V]) -> dict[int, _V]:
    # A plain dict (typed read-only as Mapping) keeps plans picklable and deep-copyable;
    # sorting makes equal plans iterate and print alike.
    return dict(sorted(mapping.items()))


def _sorted(ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(ids))
