"""The license-update planner: what one Save does to each user, decided without any I/O.

The service layer loads a snapshot (the users, their licenses, the customer's catalog),
asks :func:`plan_license_update` for a plan, and writes the changes of the users that
succeeded. A user's change applies whole or not at all; every rule is checked and every
error is reported, seats last and in request order. The rules themselves live in
:mod:`licgraph.domain.license_rules`; the planner decides which licenses they are asked about.
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
    InsufficientLicenses,
    LicenseError,
    ProductNotFound,
    UserNotFound,
)
from licgraph.domain.license_rules import (
    conflict_errors,
    dependency_errors,
    dependent_license_errors,
    location_errors,
    rules_of,
    service_plan_errors,
    symmetric_conflicts,
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
    return plan_license_changes(
        changes=dict.fromkeys(user_ids, change),
        users=users,
        holdings=holdings,
        products=products,
        rules=rules,
    )


def plan_license_changes(
    *,
    changes: Mapping[int, LicenseChange],
    users: Mapping[int, User],
    holdings: Mapping[int, Holdings],
    products: Mapping[int, Product],
    rules: Mapping[int, ProductRules],
    refusals: Mapping[int, tuple[LicenseError, ...]] | None = None,
) -> LicenseUpdatePlan:
    """Like :func:`plan_license_update`, with a change of its own for each user.

    ``changes`` maps user ids to their changes in request order (seats go in that order);
    group reconciliation asks each member for what their own sources make them lack.
    ``refusals`` are errors the caller found for some users (a Save revoking a license
    held only through groups): they fail like any other rule, before seats.
    """
    # Members mostly share a few changes: each distinct one is resolved against the catalog once.
    requests: dict[LicenseChange, _Request] = {}
    checked = []
    for user_id, change in changes.items():
        if change not in requests:
            requests[change] = _Request.resolve(change, products, rules)
        checked.append(
            _check(user_id, users, holdings, requests[change], (refusals or {}).get(user_id, ()))
        )
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
            conflicts=symmetric_conflicts([item.product_id for item in assign], rules),
            plan_errors={
                item.product_id: service_plan_errors(item, rules_of(rules, item.product_id))
                for item in assign
            },
        )


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
    user_id: int,
    users: Mapping[int, User],
    holdings: Mapping[int, Holdings],
    request: _Request,
    refusals: tuple[LicenseError, ...] = (),
) -> _Checked | UserOutcome:
    user = users.get(user_id)
    if user is None:
        return UserOutcome(
            user_id, OutcomeStatus.FAILED, licenses={}, errors=(UserNotFound(user_id),)
        )
    change = _UserChange.measure(user, holdings.get(user_id, {}), request)
    return _Checked(change, (*_rule_errors(change, request), *refusals))


def _rule_errors(change: _UserChange, request: _Request) -> tuple[LicenseError, ...]:
    new_ids = change.new_product_ids
    final_ids = change.final_product_ids
    return (
        *request.unknown_products,
        *location_errors(change.user, new_ids, request.rules),
        *conflict_errors(new_ids, final_ids, request.conflicts),
        *dependency_errors(new_ids, final_ids, request.rules),
        *dependent_license_errors(change.revoked, final_ids, request.rules),
        *(error for item in change.assignments for error in request.plan_errors[item.product_id]),
    )


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
