"""A Save on users who may hold licenses through groups: direct sources change, groups stay.

A Save assigns and revokes *direct* assignments. Read against a user's group sources:
assigning a product a group grants records the direct assignment (the user's plans become
those any source turns on); revoking a direct assignment of a product a group also grants
leaves the license (plans as the groups turn them on); revoking a product held only through
groups is refused with ``InheritedLicense``. The planner then decides as for any Save.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from licgraph.domain.catalog import Product, ProductRules
from licgraph.domain.directory import User
from licgraph.domain.group_licensing import LicenseSources
from licgraph.domain.license_change import LicenseChange, LicenseToAssign
from licgraph.domain.license_errors import InheritedLicense, LicenseError
from licgraph.domain.outcomes import Holdings, LicenseUpdatePlan, OutcomeStatus
from licgraph.domain.planner import plan_license_changes

GroupGrants = Mapping[int, Mapping[int, frozenset[int]]]
"""One user's group sources: product id -> {group id: the plans that group turns off}."""


@dataclass(frozen=True, slots=True)
class SourcedChange:
    """What a Save asks of one user, once their group sources are taken into account.

    ``change`` is what the planner is to do to the user's licenses; ``direct_after`` the
    direct assignment of each touched product once it applies (its plans, or None for
    none); ``refusals`` the revokes of licenses held only through groups; ``kept`` the
    products whose direct assignment goes while groups keep the license.
    """

    change: LicenseChange
    direct_after: Mapping[int, frozenset[int] | None]
    refusals: tuple[LicenseError, ...] = ()
    kept: tuple[int, ...] = ()


def sourced_change(
    change: LicenseChange, *, held: Holdings, direct: Holdings, groups: GroupGrants
) -> SourcedChange:
    """``change`` for a user holding ``held`` (``direct`` of it assigned directly), whose
    group sources are ``groups``."""
    assign: list[LicenseToAssign] = []
    revoke: list[int] = []
    direct_after: dict[int, frozenset[int] | None] = {}
    refusals: list[LicenseError] = []
    kept: list[int] = []
    for item in change.assign:
        sources = LicenseSources(item.disabled_service_plan_ids, groups.get(item.product_id, {}))
        assign.append(LicenseToAssign(item.product_id, sources.disabled_service_plan_ids))
        direct_after[item.product_id] = item.disabled_service_plan_ids
    for product_id in change.revoke:
        granting = groups.get(product_id, {})
        direct_after[product_id] = None
        if product_id not in held or not granting:
            revoke.append(product_id)
        elif product_id in direct:
            inherited = LicenseSources(groups=granting)
            assign.append(LicenseToAssign(product_id, inherited.disabled_service_plan_ids))
            kept.append(product_id)
        else:
            refusals.append(InheritedLicense(product_id, tuple(sorted(granting))))
    return SourcedChange(
        LicenseChange(tuple(assign), tuple(revoke)), direct_after, tuple(refusals), tuple(kept)
    )


def plan_sourced_save(
    *,
    user_ids: Sequence[int],
    users: Mapping[int, User],
    holdings: Mapping[int, Holdings],
    direct: Mapping[int, Holdings],
    groups: Mapping[int, GroupGrants],
    products: Mapping[int, Product],
    rules: Mapping[int, ProductRules],
    change: LicenseChange,
) -> tuple[LicenseUpdatePlan, Mapping[int, SourcedChange]]:
    """The Save's plan, each user's change read against their sources; and those changes
    (a writer records their ``direct_after`` for the users who did not fail)."""
    sourced = {
        user_id: sourced_change(
            change,
            held=holdings.get(user_id, {}),
            direct=direct.get(user_id, {}),
            groups=groups.get(user_id, {}),
        )
        for user_id in dict.fromkeys(user_ids)
    }
    plan = plan_license_changes(
        changes={user_id: item.change for user_id, item in sourced.items()},
        users=users,
        holdings=holdings,
        products=products,
        rules=rules,
        refusals={user_id: item.refusals for user_id, item in sourced.items() if item.refusals},
    )
    # Removing a direct assignment the groups outlive is what the caller asked for: it
    # succeeded, even when the user's licenses read the same after it.
    outcomes = tuple(
        dataclasses.replace(outcome, status=OutcomeStatus.SUCCEEDED)
        if outcome.status is OutcomeStatus.UNCHANGED and sourced[outcome.user_id].kept
        else outcome
        for outcome in plan.outcomes
    )
    return dataclasses.replace(plan, outcomes=outcomes), sourced
