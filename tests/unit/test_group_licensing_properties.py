"""Properties of group reconciliation over generated catalogs, direct licenses and groups.

Starting states are built the way the service builds them: direct licenses come from Saves
the planner accepted, so they keep every rule; groups then grant whatever was drawn,
including plans a product doesn't have, so some members are refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from licgraph.domain.catalog import Product, ProductRules
from licgraph.domain.directory import User
from licgraph.domain.group_licensing import Reconciliation, license_sources, reconcile
from licgraph.domain.license_change import LicenseChange
from licgraph.domain.outcomes import Holdings, LicenseUpdatePlan, OutcomeStatus
from licgraph.domain.planner import plan_license_update
from tests.unit.test_planner_properties import (
    CATALOG,
    DISABLED_PLANS,
    PRODUCT_IDS,
    USER_IDS,
    changes,
    user,
)

GROUP_IDS = (1, 2)
fast = settings(max_examples=150, deadline=None)


@dataclass(frozen=True)
class State:
    """What reconciliation reads; memberships and group licenses are the desired state."""

    users: Mapping[int, User]
    products: Mapping[int, Product]
    rules: Mapping[int, ProductRules]
    holdings: Mapping[int, Holdings]
    direct: Mapping[int, Holdings]
    groups_of: Mapping[int, tuple[int, ...]]
    group_licenses: Mapping[int, Holdings]

    def reconcile(
        self, members: Sequence[int], product_ids: Sequence[int], cause: int | None = None
    ) -> Reconciliation:
        return reconcile(
            member_ids=members,
            users=self.users,
            holdings=self.holdings,
            direct=self.direct,
            groups_of=self.groups_of,
            group_licenses=self.group_licenses,
            product_ids=product_ids,
            products=self.products,
            rules=self.rules,
            cause_group_id=cause,
        )

    def applied(self, plan: LicenseUpdatePlan) -> State:
        """The state once the writer has applied ``plan``: licenses and seat counts."""
        holdings = dict(self.holdings)
        for outcome in plan.outcomes:
            if outcome.changes:
                holdings[outcome.user_id] = dict(outcome.licenses)
        products = {
            id_: dataclasses.replace(
                product,
                assigned_licenses=product.assigned_licenses + plan.seat_changes.get(id_, 0),
            )
            for id_, product in self.products.items()
        }
        return dataclasses.replace(self, holdings=holdings, products=products)

    def members_of(self, group_id: int) -> list[int]:
        return [user_id for user_id in USER_IDS if group_id in self.groups_of.get(user_id, ())]


GROUP_LICENSES = st.fixed_dictionaries(
    dict.fromkeys(
        GROUP_IDS,
        st.fixed_dictionaries(
            {}, optional={product_id: DISABLED_PLANS[product_id] for product_id in PRODUCT_IDS}
        ),
    )
)
GROUPS_OF = st.fixed_dictionaries(
    dict.fromkeys(
        USER_IDS,
        st.lists(st.sampled_from(GROUP_IDS), unique=True, max_size=2).map(tuple),
    )
)


@st.composite
def states(draw: st.DrawFn, *, with_groups: bool = True) -> State:
    products, rules = draw(CATALOG)
    users = draw(st.fixed_dictionaries({user_id: user(user_id) for user_id in USER_IDS}))
    state = State(users, products, rules, {}, {}, {}, draw(GROUP_LICENSES))
    for change in draw(st.lists(changes(), max_size=3)):
        save_users = draw(st.lists(st.sampled_from(USER_IDS), min_size=1, max_size=6))
        state = state.applied(_save(state, save_users, change))
    state = dataclasses.replace(state, direct=state.holdings)
    return dataclasses.replace(state, groups_of=draw(GROUPS_OF)) if with_groups else state


def _save(state: State, user_ids: Sequence[int], change: LicenseChange) -> LicenseUpdatePlan:
    return plan_license_update(
        user_ids=user_ids,
        users=state.users,
        holdings=state.holdings,
        products=state.products,
        rules=state.rules,
        change=change,
    )


SCOPES = st.lists(st.sampled_from(PRODUCT_IDS), min_size=1, max_size=5, unique=True)
MEMBERS = st.lists(st.sampled_from(USER_IDS), min_size=1, max_size=6, unique=True)


@fast
@given(states(), MEMBERS, SCOPES)
def test_a_member_holds_a_product_iff_a_source_grants_it_unless_a_rule_refused_them(
    state: State, members: list[int], scope: list[int]
) -> None:
    result = state.reconcile(members, scope)
    after = state.applied(result.plan)

    unsettled = {(item.user_id, item.product_id): item for item in result.unsettled}
    for outcome in result.plan.outcomes:
        for product_id in scope:
            sources = license_sources(
                product_id=product_id,
                direct=state.direct.get(outcome.user_id, {}),
                group_ids=state.groups_of.get(outcome.user_id, ()),
                group_licenses=state.group_licenses,
            )
            held = after.holdings.get(outcome.user_id, {}).get(product_id)
            in_line = (held is None and not sources.granted) or (
                sources.granted and held == sources.disabled_service_plan_ids
            )
            key = (outcome.user_id, product_id)
            if in_line:
                assert key in result.settled
                assert key not in unsettled
                continue
            # Out of line only because a rule refused the member, who then kept everything.
            assert outcome.status is OutcomeStatus.FAILED
            assert outcome.errors
            assert unsettled[key].errors == outcome.errors
            assert after.holdings.get(outcome.user_id, {}) == state.holdings.get(
                outcome.user_id, {}
            )
            assert set(sources.groups) <= unsettled[key].group_ids
            if held is not None:
                assert result.group_sources[key] == set(sources.groups)


@fast
@given(states(), MEMBERS, SCOPES)
def test_seats_never_exceed_totals(state: State, members: list[int], scope: list[int]) -> None:
    after = state.applied(state.reconcile(members, scope).plan)

    for product in after.products.values():
        assert 0 <= product.assigned_licenses <= product.total_licenses


@fast
@given(states(with_groups=False), st.sampled_from(USER_IDS), st.sampled_from(GROUP_IDS))
def test_adding_then_removing_a_member_restores_their_licenses_exactly(
    state: State, user_id: int, group_id: int
) -> None:
    scope = sorted(state.group_licenses[group_id])
    joined = dataclasses.replace(state, groups_of={user_id: (group_id,)})
    joined = joined.applied(joined.reconcile([user_id], scope, group_id).plan)

    left = dataclasses.replace(joined, groups_of={})
    left = left.applied(left.reconcile([user_id], scope, group_id).plan)

    assert left.holdings.get(user_id, {}) == state.holdings.get(user_id, {})
    assert left.products == state.products


@fast
@given(states(), st.sampled_from(GROUP_IDS))
def test_reprocessing_a_group_twice_changes_nothing_the_second_time(
    state: State, group_id: int
) -> None:
    members, scope = state.members_of(group_id), sorted(state.group_licenses[group_id])
    once = state.applied(state.reconcile(members, scope, group_id).plan)

    again = once.reconcile(members, scope, group_id)

    assert all(not outcome.changes for outcome in again.plan.outcomes)
    assert again.plan.seat_changes == {}
