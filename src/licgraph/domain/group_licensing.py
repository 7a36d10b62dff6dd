"""Group-based licensing as desired state, reconciled by the Save's own planner.

Memberships, group licenses and direct assignments say what a user should hold; the
assignment table says what they hold. :func:`reconcile` works out, for the products a change
touches, what each member's sources grant, asks :func:`plan_license_changes` for the
difference (so every rule of a Save applies per member, seats in member order), and says
which licenses now match their sources and which can't yet, and why.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from licgraph.domain.catalog import Product, ProductRules
from licgraph.domain.directory import User
from licgraph.domain.license_change import LicenseChange, LicenseToAssign
from licgraph.domain.license_errors import LicenseError
from licgraph.domain.outcomes import Holdings, LicenseUpdatePlan, UserOutcome
from licgraph.domain.planner import plan_license_changes


@dataclass(frozen=True, slots=True)
class LicenseSources:
    """Who grants one user one product, and the service plans each of them turns off."""

    direct: frozenset[int] | None = None
    """The plans a direct assignment turns off; None when the product is not assigned directly."""
    groups: Mapping[int, frozenset[int]] = field(default_factory=dict)
    """Group id -> the plans that group's license turns off."""

    @property
    def granted(self) -> bool:
        """Some source grants the product."""
        return self.direct is not None or bool(self.groups)

    @property
    def disabled_service_plan_ids(self) -> frozenset[int]:
        """A plan is on when any source turns it on, so off only where every source has it off.

        Each source's set is valid (a plan is off whenever one it requires is), and so is an
        intersection of valid sets: granting the union of plans never breaks a plan's needs.
        """
        chosen = [*((self.direct,) if self.direct is not None else ()), *self.groups.values()]
        return frozenset.intersection(*chosen) if chosen else frozenset()


def license_sources(
    *,
    product_id: int,
    direct: Holdings,
    group_ids: Sequence[int],
    group_licenses: Mapping[int, Holdings],
) -> LicenseSources:
    """The sources of one user's ``product_id``: their direct assignment and their groups'."""
    return LicenseSources(
        direct=direct.get(product_id),
        groups={
            group_id: group_licenses[group_id][product_id]
            for group_id in sorted(group_ids)
            if product_id in group_licenses.get(group_id, {})
        },
    )


@dataclass(frozen=True, slots=True)
class UnsettledLicense:
    """A user's license that can't be made to match its sources yet: an open license error.

    It is listed under ``group_ids``: the groups granting the product, and the group whose
    change left it unsettled (a group dropping a product no longer grants it).
    """

    group_ids: frozenset[int]
    user_id: int
    product_id: int
    errors: tuple[LicenseError, ...]


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The planner's verdict for every member and what it means for sources and open errors.

    ``group_sources`` names, for every license in scope a member holds afterwards, the
    groups granting it (a group source is kept only for a license held). ``settled`` are the
    (user, product) pairs in scope that match their sources afterwards: their open errors
    close. ``unsettled`` are the others, each with the member's errors.
    """

    plan: LicenseUpdatePlan
    group_sources: Mapping[tuple[int, int], frozenset[int]]
    settled: tuple[tuple[int, int], ...]
    unsettled: tuple[UnsettledLicense, ...]


def reconcile(
    *,
    member_ids: Sequence[int],
    users: Mapping[int, User],
    holdings: Mapping[int, Holdings],
    direct: Mapping[int, Holdings],
    groups_of: Mapping[int, Sequence[int]],
    group_licenses: Mapping[int, Holdings],
    product_ids: Collection[int],
    products: Mapping[int, Product],
    rules: Mapping[int, ProductRules],
    cause_group_id: int | None = None,
) -> Reconciliation:
    """Bring ``member_ids`` (in member order) in line with their sources for ``product_ids``.

    ``holdings`` are what each user holds, ``direct`` their direct assignments, ``groups_of``
    the groups each is in and ``group_licenses`` what those groups grant, all as they are
    after the change being reconciled (a membership or a group license already changed).
    Only ``product_ids`` are looked at, so an unrelated open error of a member can't block
    the change at hand. ``cause_group_id`` is the group whose change this is, if any.
    """
    scope = sorted(set(product_ids))
    sources = {
        user_id: {
            product_id: license_sources(
                product_id=product_id,
                direct=direct.get(user_id, {}),
                group_ids=groups_of.get(user_id, ()),
                group_licenses=group_licenses,
            )
            for product_id in scope
        }
        for user_id in dict.fromkeys(member_ids)
    }
    plan = plan_license_changes(
        changes={
            user_id: _change_towards(holdings.get(user_id, {}), wanted)
            for user_id, wanted in sources.items()
        },
        users=users,
        holdings=holdings,
        products=products,
        rules=rules,
    )
    group_sources: dict[tuple[int, int], frozenset[int]] = {}
    settled: list[tuple[int, int]] = []
    unsettled: list[UnsettledLicense] = []
    for outcome in plan.outcomes:
        if outcome.user_id not in users:
            continue  # not the customer's user: not a member, nothing of theirs to record
        for product_id, wanted in sources[outcome.user_id].items():
            held = outcome.licenses.get(product_id)
            if held is not None:
                group_sources[outcome.user_id, product_id] = frozenset(wanted.groups)
            if _matches(held, wanted):
                settled.append((outcome.user_id, product_id))
            else:
                unsettled.append(_unsettled(outcome, product_id, wanted, cause_group_id))
    return Reconciliation(plan, group_sources, tuple(settled), tuple(unsettled))


def _change_towards(held: Holdings, wanted: Mapping[int, LicenseSources]) -> LicenseChange:
    """Assign what the sources grant (the planner skips what is held as granted already) and
    revoke what they no longer grant."""
    return LicenseChange(
        assign=tuple(
            LicenseToAssign(product_id, sources.disabled_service_plan_ids)
            for product_id, sources in wanted.items()
            if sources.granted
        ),
        revoke=tuple(
            product_id
            for product_id, sources in wanted.items()
            if not sources.granted and product_id in held
        ),
    )


def _matches(held: frozenset[int] | None, wanted: LicenseSources) -> bool:
    if held is None:
        return not wanted.granted
    return wanted.granted and held == wanted.disabled_service_plan_ids


def _unsettled(
    outcome: UserOutcome, product_id: int, wanted: LicenseSources, cause_group_id: int | None
) -> UnsettledLicense:
    # Only a refused member is ever out of line: a member whose change applied holds it all.
    cause = frozenset(() if cause_group_id is None else (cause_group_id,))
    return UnsettledLicense(
        group_ids=frozenset(wanted.groups) | cause,
        user_id=outcome.user_id,
        product_id=product_id,
        errors=outcome.errors,
    )
