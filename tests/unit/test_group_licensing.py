"""Reconciliation of group licenses, example by example (the properties are in the next file)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from licgraph.domain.catalog import Product, ProductRules, ServicePlan
from licgraph.domain.directory import User
from licgraph.domain.group_licensing import (
    LicenseSources,
    Reconciliation,
    UnsettledLicense,
    reconcile,
)
from licgraph.domain.license_errors import DependentLicense, InsufficientLicenses
from licgraph.domain.outcomes import Assigned, Holdings, OutcomeStatus, PlansChanged, Revoked

E3, ADDON, VISIO = 1, 2, 3
TEAMS, EXCHANGE = 11, 12
SALES, SUPPORT = 100, 200
ADA, BOB = 1, 2

USERS = {
    user_id: User(user_id, 1, name, f"{name.lower()}@contoso.example", "US")
    for user_id, name in ((ADA, "Ada"), (BOB, "Bob"))
}
RULES = {
    E3: ProductRules(
        E3, service_plans=(ServicePlan(TEAMS, E3, "Teams"), ServicePlan(EXCHANGE, E3, "Exchange"))
    ),
    ADDON: ProductRules(ADDON, required_product_ids=frozenset({E3})),
    VISIO: ProductRules(VISIO),
}


def products(free: int = 10) -> dict[int, Product]:
    return {
        product_id: Product(product_id, 1, f"SKU{product_id}", f"P{product_id}", free, 0)
        for product_id in RULES
    }


def run(
    *,
    members: Sequence[int] = (ADA,),
    holdings: Mapping[int, Holdings] | None = None,
    direct: Mapping[int, Holdings] | None = None,
    groups_of: Mapping[int, Sequence[int]] | None = None,
    group_licenses: Mapping[int, Holdings] | None = None,
    scope: Collection[int] = (E3,),
    catalog: Mapping[int, Product] | None = None,
    cause: int | None = SALES,
) -> Reconciliation:
    return reconcile(
        member_ids=members,
        users=USERS,
        holdings=holdings or {},
        direct=direct or {},
        groups_of=groups_of if groups_of is not None else dict.fromkeys(members, (SALES,)),
        group_licenses=group_licenses or {SALES: {E3: frozenset()}},
        product_ids=scope,
        products=catalog or products(),
        rules=RULES,
        cause_group_id=cause,
    )


def test_a_plan_is_on_when_any_source_turns_it_on() -> None:
    sources = LicenseSources(
        direct=frozenset({TEAMS, EXCHANGE}),
        groups={SALES: frozenset({TEAMS}), SUPPORT: frozenset({TEAMS, EXCHANGE})},
    )

    assert sources.granted
    assert sources.disabled_service_plan_ids == {TEAMS}
    assert not LicenseSources().granted


def test_a_new_member_gets_the_groups_products_and_the_group_as_their_source() -> None:
    result = run()

    (outcome,) = result.plan.outcomes
    assert outcome.status is OutcomeStatus.SUCCEEDED
    assert outcome.changes == (Assigned(E3, frozenset()),)
    assert result.plan.seat_changes == {E3: 1}
    assert result.group_sources == {(ADA, E3): {SALES}}
    assert result.settled == ((ADA, E3),)
    assert result.unsettled == ()


def test_a_license_already_held_directly_gains_the_group_as_a_source_and_no_seat() -> None:
    held: dict[int, Holdings] = {ADA: {E3: frozenset()}}

    result = run(holdings=held, direct=held)

    (outcome,) = result.plan.outcomes
    assert outcome.status is OutcomeStatus.UNCHANGED
    assert result.plan.seat_changes == {}
    assert result.group_sources == {(ADA, E3): {SALES}}


def test_the_plans_a_group_turns_on_are_on_and_go_off_again_when_the_member_leaves() -> None:
    held: dict[int, Holdings] = {ADA: {E3: frozenset({TEAMS})}}
    joined = run(holdings=held, direct=held)
    assert joined.plan.outcomes[0].changes == (PlansChanged(E3, frozenset({TEAMS}), frozenset()),)

    left = run(holdings={ADA: {E3: frozenset()}}, direct=held, groups_of={ADA: ()})

    assert left.plan.outcomes[0].changes == (PlansChanged(E3, frozenset(), frozenset({TEAMS})),)
    assert left.group_sources == {(ADA, E3): frozenset()}


def test_leaving_one_of_two_groups_granting_a_product_keeps_the_license() -> None:
    both: dict[int, Holdings] = {SALES: {E3: frozenset()}, SUPPORT: {E3: frozenset()}}

    result = run(
        holdings={ADA: {E3: frozenset()}}, groups_of={ADA: (SUPPORT,)}, group_licenses=both
    )

    assert result.plan.outcomes[0].status is OutcomeStatus.UNCHANGED
    assert result.group_sources == {(ADA, E3): {SUPPORT}}


def test_leaving_the_only_granting_group_revokes_and_frees_the_seat() -> None:
    result = run(holdings={ADA: {E3: frozenset()}}, groups_of={ADA: ()})

    assert result.plan.outcomes[0].changes == (Revoked(E3),)
    assert result.plan.seat_changes == {E3: -1}
    assert result.group_sources == {}
    assert result.settled == ((ADA, E3),)


def test_seats_go_in_member_order_and_the_member_left_out_is_unsettled() -> None:
    catalog = products(free=1)

    result = run(members=(ADA, BOB), catalog=catalog)

    ada, bob = result.plan.outcomes
    assert (ada.status, bob.status) == (OutcomeStatus.SUCCEEDED, OutcomeStatus.FAILED)
    shortage = InsufficientLicenses(E3, requested=2, available=1)
    assert bob.errors == (shortage,)
    assert result.unsettled == (UnsettledLicense(frozenset({SALES}), BOB, E3, (shortage,)),)
    assert result.settled == ((ADA, E3),)


def test_a_group_dropping_a_base_a_member_still_needs_leaves_it_unsettled_under_that_group() -> (
    None
):
    held: dict[int, Holdings] = {ADA: {E3: frozenset(), ADDON: frozenset()}}

    result = run(
        holdings=held,
        direct={ADA: {ADDON: frozenset()}},
        group_licenses={SALES: {}},
        scope=(E3,),
    )

    (outcome,) = result.plan.outcomes
    error = DependentLicense(E3, (ADDON,))
    assert (outcome.status, outcome.errors) == (OutcomeStatus.FAILED, (error,))
    # The license stays, with no group source left: the open error explains it.
    assert result.group_sources == {(ADA, E3): frozenset()}
    assert result.unsettled == (UnsettledLicense(frozenset({SALES}), ADA, E3, (error,)),)


def test_only_the_products_in_scope_are_reconciled() -> None:
    # Visio from SUPPORT has no seats left; a change to SALES's E3 must not wait for it.
    catalog = {**products(), VISIO: Product(VISIO, 1, "V", "Visio", 0, 0)}
    grants: dict[int, Holdings] = {SALES: {E3: frozenset()}, SUPPORT: {VISIO: frozenset()}}

    result = run(groups_of={ADA: (SALES, SUPPORT)}, group_licenses=grants, catalog=catalog)

    assert result.plan.outcomes[0].changes == (Assigned(E3, frozenset()),)


def test_someone_who_is_not_the_customers_user_fails_and_leaves_nothing_to_record() -> None:
    result = run(members=(ADA, 99))

    assert result.plan.outcomes[1].status is OutcomeStatus.FAILED
    assert result.group_sources == {(ADA, E3): {SALES}}
    assert result.settled == ((ADA, E3),)
    assert result.unsettled == ()
