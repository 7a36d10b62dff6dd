"""Properties of the license-update planner over generated catalogs, users and requests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from licgraph.domain.catalog import Product, ProductRules, ServicePlan
from licgraph.domain.directory import User
from licgraph.domain.license_change import LicenseChange, LicenseToAssign
from licgraph.domain.license_errors import InsufficientLicenses
from licgraph.domain.outcomes import (
    Assigned,
    Holdings,
    LicenseMutation,
    LicenseUpdatePlan,
    OutcomeStatus,
    PlansChanged,
    Revoked,
)
from licgraph.domain.planner import plan_license_update

PRODUCT_IDS = (1, 2, 3, 4, 5)
UNKNOWN_PRODUCT_ID = 9
USER_IDS = (1, 2, 3, 4, 5, 6)
UNKNOWN_USER_IDS = (7, 8)
LOCATIONS = ("US", "DE", "CU")
PLANS_PER_PRODUCT = 2
# A plan id that belongs to no product, so some requests disable a foreign plan.
FOREIGN_PLAN_ID = 99

fast = settings(max_examples=200)


def plan_ids_of(product_id: int) -> tuple[int, ...]:
    return tuple(product_id * 10 + index for index in range(PLANS_PER_PRODUCT))


# -- strategies --------------------------------------------------------------------------
# Strategies are built once, at import: building them inside each draw is what makes
# hypothesis slow.


def id_sets(ids: Sequence[int], max_size: int = 2) -> st.SearchStrategy[frozenset[int]]:
    return st.frozensets(st.sampled_from(ids), max_size=max_size)


def product(product_id: int) -> st.SearchStrategy[Product]:
    def build(assigned: int, free: int) -> Product:
        return Product(
            id=product_id,
            customer_id=1,
            sku_part_number=f"SKU_{product_id}",
            name=f"Product {product_id}",
            total_licenses=assigned + free,
            assigned_licenses=assigned,
        )

    return st.builds(build, st.integers(0, 3), st.integers(0, 3))


def service_plans(product_id: int) -> st.SearchStrategy[tuple[ServicePlan, ...]]:
    plan_ids = plan_ids_of(product_id)
    plans = [
        st.builds(
            ServicePlan,
            st.just(plan_id),
            st.just(product_id),
            st.just(f"Plan {plan_id}"),
            id_sets(plan_ids, 1),
        )
        for plan_id in plan_ids
    ]
    return st.tuples(*plans)


def product_rules(product_id: int) -> st.SearchStrategy[ProductRules]:
    others = [other for other in PRODUCT_IDS if other != product_id]
    return st.builds(
        ProductRules,
        product_id=st.just(product_id),
        required_product_ids=id_sets(others),
        conflicting_product_ids=id_sets(others, 1),
        unavailable_usage_locations=st.frozensets(st.sampled_from(LOCATIONS), max_size=1),
        service_plans=service_plans(product_id),
    )


def user(user_id: int) -> st.SearchStrategy[User]:
    return st.builds(
        User,
        id=st.just(user_id),
        customer_id=st.just(1),
        display_name=st.just(f"User {user_id}"),
        user_principal_name=st.just(f"user{user_id}@contoso.example"),
        usage_location=st.sampled_from((None, *LOCATIONS)),
    )


DISABLED_PLANS = {
    product_id: id_sets((*plan_ids_of(product_id), FOREIGN_PLAN_ID))
    for product_id in (*PRODUCT_IDS, UNKNOWN_PRODUCT_ID)
}
HOLDINGS_OF_ONE_USER = st.fixed_dictionaries(
    {}, optional={product_id: DISABLED_PLANS[product_id] for product_id in PRODUCT_IDS}
)
HOLDINGS = st.fixed_dictionaries(dict.fromkeys(USER_IDS, HOLDINGS_OF_ONE_USER))
SOME_USERS = st.fixed_dictionaries({}, optional={user_id: user(user_id) for user_id in USER_IDS})
CATALOG = st.tuples(
    st.fixed_dictionaries({product_id: product(product_id) for product_id in PRODUCT_IDS}),
    st.fixed_dictionaries({product_id: product_rules(product_id) for product_id in PRODUCT_IDS}),
)
CHOSEN_PRODUCT_IDS = st.lists(
    st.sampled_from((*PRODUCT_IDS, UNKNOWN_PRODUCT_ID)), min_size=1, max_size=4, unique=True
)


@st.composite
def changes(draw: st.DrawFn) -> LicenseChange:
    """A well-formed change: products listed once, never both assigned and revoked."""
    chosen = draw(CHOSEN_PRODUCT_IDS)
    split = draw(st.integers(0, len(chosen)))
    assign = tuple(
        LicenseToAssign(product_id, draw(DISABLED_PLANS[product_id]))
        for product_id in chosen[:split]
    )
    return LicenseChange(assign=assign, revoke=tuple(chosen[split:]))


@dataclass(frozen=True)
class Scenario:
    """Everything the planner reads, except the requested user ids."""

    users: Mapping[int, User]
    holdings: Mapping[int, Holdings]
    products: Mapping[int, Product]
    rules: Mapping[int, ProductRules]
    change: LicenseChange

    def plan(self, user_ids: Sequence[int]) -> LicenseUpdatePlan:
        return plan_license_update(
            user_ids=user_ids,
            users=self.users,
            holdings=self.holdings,
            products=self.products,
            rules=self.rules,
            change=self.change,
        )

    def licenses_before(self, user_id: int) -> Holdings:
        """What the user holds before the Save; an unknown user holds nothing."""
        return self.holdings.get(user_id, {}) if user_id in self.users else {}


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    products, rules = draw(CATALOG)
    return Scenario(
        users=draw(SOME_USERS),
        holdings=draw(HOLDINGS),
        products=products,
        rules=rules,
        change=draw(changes()),
    )


requested_user_ids = st.lists(
    st.sampled_from((*USER_IDS, *UNKNOWN_USER_IDS)), min_size=1, max_size=12
)


# -- properties --------------------------------------------------------------------------


def new_seats(plan: LicenseUpdatePlan) -> Counter[int]:
    return Counter(
        change.product_id
        for outcome in plan.outcomes
        for change in outcome.changes
        if isinstance(change, Assigned)
    )


@fast
@given(scenarios(), requested_user_ids)
def test_seats_never_exceed_totals(scenario: Scenario, user_ids: list[int]) -> None:
    plan = scenario.plan(user_ids)

    taken = new_seats(plan)
    for product in scenario.products.values():
        assert product.assigned_licenses + taken[product.id] <= product.total_licenses


@fast
@given(scenarios(), requested_user_ids)
def test_a_user_is_refused_a_seat_only_once_earlier_users_took_every_free_one(
    scenario: Scenario, user_ids: list[int]
) -> None:
    plan = scenario.plan(user_ids)

    taken_so_far: Counter[int] = Counter()
    for outcome in plan.outcomes:
        for error in outcome.errors:
            if isinstance(error, InsufficientLicenses):
                assert taken_so_far[error.product_id] == error.available
                assert error.requested > error.available
        taken_so_far.update(
            change.product_id for change in outcome.changes if isinstance(change, Assigned)
        )


@fast
@given(scenarios(), requested_user_ids)
def test_seat_changes_are_the_net_of_the_changes(scenario: Scenario, user_ids: list[int]) -> None:
    plan = scenario.plan(user_ids)

    net: Counter[int] = new_seats(plan)
    net.subtract(
        change.product_id
        for outcome in plan.outcomes
        for change in outcome.changes
        if isinstance(change, Revoked)
    )
    assert plan.seat_changes == {product_id: delta for product_id, delta in net.items() if delta}


@fast
@given(scenarios(), requested_user_ids)
def test_a_failed_user_keeps_their_licenses_and_has_no_changes(
    scenario: Scenario, user_ids: list[int]
) -> None:
    plan = scenario.plan(user_ids)

    for outcome in plan.outcomes:
        if outcome.status is OutcomeStatus.FAILED:
            assert outcome.errors
            assert outcome.changes == ()
            assert outcome.licenses == scenario.licenses_before(outcome.user_id)


@fast
@given(scenarios(), requested_user_ids)
def test_a_users_changes_turn_their_holdings_into_their_licenses_after(
    scenario: Scenario, user_ids: list[int]
) -> None:
    plan = scenario.plan(user_ids)

    for outcome in plan.outcomes:
        before = scenario.licenses_before(outcome.user_id)
        assert apply(before, outcome.changes) == outcome.licenses
        assert (outcome.status is OutcomeStatus.SUCCEEDED) == bool(outcome.changes)


def apply(licenses: Holdings, changes: Sequence[LicenseMutation]) -> dict[int, frozenset[int]]:
    after = dict(licenses)
    for change in changes:
        if isinstance(change, Revoked):
            del after[change.product_id]
        elif isinstance(change, Assigned):
            assert change.product_id not in after
            after[change.product_id] = change.disabled_service_plan_ids
        elif isinstance(change, PlansChanged):
            assert after[change.product_id] == change.disabled_before
            after[change.product_id] = change.disabled_after
    return after


@fast
@given(scenarios(), requested_user_ids)
def test_a_succeeded_user_breaks_no_rule_with_their_new_licenses(
    scenario: Scenario, user_ids: list[int]
) -> None:
    plan = scenario.plan(user_ids)

    for outcome in plan.outcomes:
        new_ids = [change.product_id for change in outcome.changes if isinstance(change, Assigned)]
        final_ids = set(outcome.licenses)
        for product_id in new_ids:
            rules = scenario.rules[product_id]
            location = scenario.users[outcome.user_id].usage_location
            assert location is not None
            assert location not in rules.unavailable_usage_locations
            assert not rules.required_product_ids or rules.required_product_ids & final_ids
            assert not rules.conflicting_product_ids & final_ids
            assert not any(
                product_id in scenario.rules[held].conflicting_product_ids for held in final_ids
            )


@st.composite
def already_held_requests(draw: st.DrawFn) -> tuple[Scenario, list[int]]:
    """A Save that assigns only products every requested user holds, with the same plans."""
    products, rules = draw(CATALOG)
    common = draw(HOLDINGS_OF_ONE_USER.filter(bool))
    found = draw(SOME_USERS.filter(bool))
    holdings = {user_id: {**draw(HOLDINGS_OF_ONE_USER), **common} for user_id in found}
    change = LicenseChange(
        assign=tuple(LicenseToAssign(product_id, plans) for product_id, plans in common.items())
    )
    request = draw(st.lists(st.sampled_from(list(found)), min_size=1, max_size=12))
    return Scenario(found, holdings, products, rules, change), request


@fast
@given(already_held_requests())
def test_assigning_only_held_products_with_the_same_plans_changes_nothing(
    request: tuple[Scenario, list[int]],
) -> None:
    scenario, user_ids = request

    plan = scenario.plan(user_ids)

    assert all(outcome.status is OutcomeStatus.UNCHANGED for outcome in plan.outcomes)
    assert plan.seat_changes == {}


@fast
@given(scenarios(), requested_user_ids)
def test_duplicate_user_ids_do_not_change_the_plan(scenario: Scenario, user_ids: list[int]) -> None:
    distinct = list(dict.fromkeys(user_ids))

    assert scenario.plan(user_ids) == scenario.plan(distinct)


@fast
@given(scenarios(), requested_user_ids)
def test_outcomes_follow_the_first_occurrence_of_each_requested_user(
    scenario: Scenario, user_ids: list[int]
) -> None:
    plan = scenario.plan(user_ids)

    assert [outcome.user_id for outcome in plan.outcomes] == list(dict.fromkeys(user_ids))
