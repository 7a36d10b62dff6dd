"""The license-update planner, one rule at a time (numbers follow the planner's rules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pytest

from licgraph.domain.catalog import Product, ProductRules, ServicePlan
from licgraph.domain.directory import User
from licgraph.domain.license_change import LicenseChange, LicenseToAssign
from licgraph.domain.license_errors import (
    DependentLicense,
    InsufficientLicenses,
    InvalidServicePlan,
    LicenseError,
    LicenseErrorCode,
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
from licgraph.domain.planner import plan_license_update

CUSTOMER_ID = 1
NO_PLANS: frozenset[int] = frozenset()

# -- factories ---------------------------------------------------------------------------


def user(user_id: int, usage_location: str | None = "US") -> User:
    return User(
        id=user_id,
        customer_id=CUSTOMER_ID,
        display_name=f"User {user_id}",
        user_principal_name=f"user{user_id}@contoso.example",
        usage_location=usage_location,
    )


def product(product_id: int, *, total: int = 10, assigned: int = 0) -> Product:
    return Product(
        id=product_id,
        customer_id=CUSTOMER_ID,
        sku_part_number=f"SKU_{product_id}",
        name=f"Product {product_id}",
        total_licenses=total,
        assigned_licenses=assigned,
    )


def rules(
    product_id: int,
    *,
    requires: Iterable[int] = (),
    conflicts: Iterable[int] = (),
    unavailable_in: Iterable[str] = (),
    plans: Iterable[ServicePlan] = (),
) -> ProductRules:
    return ProductRules(
        product_id=product_id,
        required_product_ids=frozenset(requires),
        conflicting_product_ids=frozenset(conflicts),
        unavailable_usage_locations=frozenset(unavailable_in),
        service_plans=tuple(plans),
    )


def plan(plan_id: int, *, requires: Iterable[int] = ()) -> ServicePlan:
    return ServicePlan(
        id=plan_id,
        product_id=0,
        name=f"Plan {plan_id}",
        required_service_plan_ids=frozenset(requires),
    )


def license_(product_id: int, *disabled_plan_ids: int) -> LicenseToAssign:
    return LicenseToAssign(product_id, frozenset(disabled_plan_ids))


def held(*product_ids: int) -> dict[int, frozenset[int]]:
    """Licenses of the given products with every service plan enabled."""
    return dict.fromkeys(product_ids, NO_PLANS)


def run(
    *,
    users: Iterable[User],
    products: Iterable[Product],
    catalog: Iterable[ProductRules] = (),
    holdings: Mapping[int, Holdings] | None = None,
    assign: Iterable[LicenseToAssign | int] = (),
    revoke: Sequence[int] = (),
    user_ids: Sequence[int] | None = None,
) -> LicenseUpdatePlan:
    """Plan a Save; ``user_ids`` default to the given users in order."""
    found = {found_user.id: found_user for found_user in users}
    licenses = [item if isinstance(item, LicenseToAssign) else license_(item) for item in assign]
    return plan_license_update(
        user_ids=list(found) if user_ids is None else user_ids,
        users=found,
        holdings=holdings or {},
        products={item.id: item for item in products},
        rules={item.product_id: item for item in catalog},
        change=LicenseChange(assign=tuple(licenses), revoke=tuple(revoke)),
    )


def succeeded(user_id: int, licenses: Holdings, *changes: LicenseMutation) -> UserOutcome:
    return UserOutcome(user_id, OutcomeStatus.SUCCEEDED, licenses=licenses, changes=changes)


def failed(user_id: int, licenses: Holdings, *errors: LicenseError) -> UserOutcome:
    return UserOutcome(user_id, OutcomeStatus.FAILED, licenses=licenses, errors=errors)


def unchanged(user_id: int, licenses: Holdings) -> UserOutcome:
    return UserOutcome(user_id, OutcomeStatus.UNCHANGED, licenses=licenses)


def assigned(product_id: int, *disabled_plan_ids: int) -> Assigned:
    return Assigned(product_id, frozenset(disabled_plan_ids))


# -- the simplest Save -------------------------------------------------------------------


def test_assigning_a_product_gives_it_to_every_user_and_takes_a_seat_each() -> None:
    # given two users and a product with free seats
    # when the product is assigned to both
    result = run(users=[user(1), user(2)], products=[product(5)], assign=[5])

    # then both get it, each taking a seat
    assert result.outcomes == (
        succeeded(1, held(5), assigned(5)),
        succeeded(2, held(5), assigned(5)),
    )
    assert result.seat_changes == {5: 2}
    assert (result.succeeded_count, result.failed_count, result.all_succeeded) == (2, 0, True)


def test_a_users_changes_list_revokes_first_then_assignments_in_request_order() -> None:
    # given a user holding product 1
    # when products 3 and 2 are assigned and 1 is revoked
    result = run(
        users=[user(1)],
        products=[product(1), product(2), product(3)],
        holdings={1: held(1)},
        assign=[3, 2],
        revoke=[1],
    )

    # then the writer is told to revoke, then assign in the order asked
    assert result.outcomes == (succeeded(1, held(2, 3), Revoked(1), assigned(3), assigned(2)),)


def test_licenses_after_the_change_are_ordered_by_product_id() -> None:
    # given a user holding product 3
    # when product 1 is assigned
    result = run(
        users=[user(1)], products=[product(1), product(3)], holdings={1: held(3)}, assign=[1]
    )

    # then the licenses read in product order
    assert list(result.outcomes[0].licenses) == [1, 3]


# -- rule 1: unknown products ------------------------------------------------------------


def test_assigning_an_unknown_product_fails_every_found_user() -> None:
    # given two users, one of whom holds product 1
    # when product 1 and an unknown product 99 are assigned
    result = run(
        users=[user(1), user(2)], products=[product(1)], holdings={1: held(1)}, assign=[1, 99]
    )

    # then both fail, keep their licenses and take no seat
    assert result.outcomes == (
        failed(1, held(1), ProductNotFound(99)),
        failed(2, {}, ProductNotFound(99)),
    )
    assert result.seat_changes == {}


def test_revoking_an_unknown_product_fails_the_user_too() -> None:
    # given a user holding product 1
    # when product 1 and an unknown product 99 are revoked
    result = run(users=[user(1)], products=[product(1)], holdings={1: held(1)}, revoke=[1, 99])

    # then nothing is revoked
    assert result.outcomes == (failed(1, held(1), ProductNotFound(99)),)


def test_unknown_products_are_reported_once_each_in_request_order() -> None:
    # when unknown products are both assigned and revoked
    result = run(users=[user(1)], products=[product(1)], assign=[98, 1], revoke=[97])

    # then each is reported, assigned ones first
    assert result.outcomes[0].errors == (ProductNotFound(98), ProductNotFound(97))


# -- rule 2: unknown users ---------------------------------------------------------------


def test_a_user_who_is_not_found_fails_alone_with_no_licenses() -> None:
    # given user 1 of this customer; user 7 is not one of them
    # when a product is assigned to both
    result = run(users=[user(1)], user_ids=[7, 1], products=[product(5, total=1)], assign=[5])

    # then user 7 is not found (and takes no seat), user 1 gets the only seat
    assert result.outcomes == (
        failed(7, {}, UserNotFound(7)),
        succeeded(1, held(5), assigned(5)),
    )


def test_a_user_who_is_not_found_is_not_told_about_unknown_products() -> None:
    result = run(users=[], user_ids=[7], products=[], assign=[99])

    assert result.outcomes == (failed(7, {}, UserNotFound(7)),)


# -- rule 3: products already held -------------------------------------------------------


def test_assigning_a_held_product_with_the_same_plans_changes_nothing() -> None:
    # given a user holding product 5 with plan 50 disabled, and no seat left
    holdings = {1: {5: frozenset({50})}}

    # when product 5 is assigned with plan 50 disabled
    result = run(
        users=[user(1)],
        products=[product(5, total=1, assigned=1)],
        catalog=[rules(5, plans=[plan(50)])],
        holdings=holdings,
        assign=[license_(5, 50)],
    )

    # then the user is unchanged and no seat is needed
    assert result.outcomes == (unchanged(1, holdings[1]),)
    assert result.seat_changes == {}


def test_assigning_a_held_product_with_other_plans_changes_its_plans() -> None:
    # given a user holding product 5 with plan 50 disabled, and no seat left
    # when product 5 is assigned with plan 51 disabled instead
    result = run(
        users=[user(1)],
        products=[product(5, total=1, assigned=1)],
        catalog=[rules(5, plans=[plan(50), plan(51)])],
        holdings={1: {5: frozenset({50})}},
        assign=[license_(5, 51)],
    )

    # then the plans change without a seat
    assert result.outcomes == (
        succeeded(1, {5: frozenset({51})}, PlansChanged(5, frozenset({50}), frozenset({51}))),
    )
    assert result.seat_changes == {}


def test_a_plans_change_still_checks_the_plans() -> None:
    # given a user holding product 5
    # when product 5 is assigned with a plan it does not have disabled
    result = run(
        users=[user(1)],
        products=[product(5)],
        catalog=[rules(5, plans=[plan(50)])],
        holdings={1: held(5)},
        assign=[license_(5, 60)],
    )

    # then the change fails
    assert result.outcomes == (failed(1, held(5), InvalidServicePlan(5, (60,))),)


def test_a_plans_change_does_not_recheck_location_conflicts_or_dependencies() -> None:
    # given a user without a usage location holding product 5, which conflicts with the held
    # product 6, needs the missing product 7 and is unavailable everywhere the user could be
    catalog = [rules(5, requires=[7], conflicts=[6], unavailable_in=["US"], plans=[plan(50)])]
    holdings = {1: held(5, 6)}

    # when only the plans of product 5 change
    result = run(
        users=[user(1, usage_location=None)],
        products=[product(5), product(6), product(7)],
        catalog=catalog,
        holdings=holdings,
        assign=[license_(5, 50)],
    )

    # then the plans change: the license itself was granted before
    assert result.outcomes[0].status is OutcomeStatus.SUCCEEDED


# -- rule 4: revoking what is not held ---------------------------------------------------


def test_revoking_a_product_the_user_does_not_hold_is_a_no_op() -> None:
    result = run(users=[user(1)], products=[product(5)], revoke=[5])

    assert result.outcomes == (unchanged(1, {}),)
    assert result.seat_changes == {}


def test_a_bulk_revoke_over_some_holders_just_works() -> None:
    # given users 1 and 3 hold product 5 and user 2 does not
    holdings = {1: held(5), 3: held(5, 6)}

    # when product 5 is revoked from all three
    result = run(
        users=[user(1), user(2), user(3)],
        products=[product(5, assigned=2), product(6, assigned=1)],
        holdings=holdings,
        revoke=[5],
    )

    # then holders lose it, and the other user is unchanged
    assert result.outcomes == (
        succeeded(1, {}, Revoked(5)),
        unchanged(2, {}),
        succeeded(3, held(6), Revoked(5)),
    )
    assert result.seat_changes == {5: -2}


# -- rule 5: usage location --------------------------------------------------------------


def test_a_user_without_a_usage_location_cannot_get_a_new_license() -> None:
    # when two new products are assigned to a user without a usage location
    result = run(
        users=[user(1, usage_location=None)], products=[product(5), product(6)], assign=[5, 6]
    )

    # then one error names the user
    assert result.outcomes == (failed(1, {}, UsageLocationRequired(1)),)


def test_a_user_without_a_usage_location_may_still_lose_a_license() -> None:
    result = run(
        users=[user(1, usage_location=None)],
        products=[product(5)],
        holdings={1: held(5)},
        revoke=[5],
    )

    assert result.outcomes == (succeeded(1, {}, Revoked(5)),)


def test_a_product_is_refused_where_it_is_unavailable() -> None:
    # given product 5 is unavailable in Cuba and product 6 available everywhere
    catalog = [rules(5, unavailable_in=["CU", "KP"])]

    # when both are assigned to a user in Cuba and one in the US
    result = run(
        users=[user(1, usage_location="CU"), user(2, usage_location="US")],
        products=[product(5), product(6)],
        catalog=catalog,
        assign=[5, 6],
    )

    # then only the user in Cuba fails, for product 5 only
    assert result.outcomes == (
        failed(1, {}, ProductUnavailableInLocation(5, "CU")),
        succeeded(2, held(5, 6), assigned(5), assigned(6)),
    )


# -- rule 6: conflicts -------------------------------------------------------------------


def test_a_product_conflicting_with_a_held_one_is_refused() -> None:
    # given product 5 conflicts with product 6, which the user holds
    # when product 5 is assigned
    result = run(
        users=[user(1)],
        products=[product(5), product(6)],
        catalog=[rules(5, conflicts=[6])],
        holdings={1: held(6)},
        assign=[5],
    )

    # then it is refused
    assert result.outcomes == (failed(1, held(6), MutuallyExclusiveLicenses(5, (6,))),)


def test_a_conflict_listed_only_by_the_other_product_still_counts() -> None:
    # given only the held product 6 lists product 5 as conflicting
    # when product 5 is assigned
    result = run(
        users=[user(1)],
        products=[product(5), product(6)],
        catalog=[rules(6, conflicts=[5])],
        holdings={1: held(6)},
        assign=[5],
    )

    # then it is refused all the same
    assert result.outcomes == (failed(1, held(6), MutuallyExclusiveLicenses(5, (6,))),)


def test_conflicting_products_requested_together_are_both_refused() -> None:
    # given products 5 and 6 are mutually exclusive
    # when both are assigned in one Save
    result = run(
        users=[user(1)],
        products=[product(5), product(6)],
        catalog=[rules(5, conflicts=[6])],
        assign=[5, 6],
    )

    # then each reports the other
    assert result.outcomes == (
        failed(1, {}, MutuallyExclusiveLicenses(5, (6,)), MutuallyExclusiveLicenses(6, (5,))),
    )


def test_swapping_a_conflicting_product_in_one_save_succeeds() -> None:
    # given the user holds product 6, which conflicts with product 5
    # when product 5 is assigned and product 6 revoked in the same Save
    result = run(
        users=[user(1)],
        products=[product(5), product(6)],
        catalog=[rules(5, conflicts=[6])],
        holdings={1: held(6)},
        assign=[5],
        revoke=[6],
    )

    # then the swap goes through
    assert result.outcomes == (succeeded(1, held(5), Revoked(6), assigned(5)),)
    assert result.seat_changes == {5: 1, 6: -1}


# -- rule 7: dependencies ----------------------------------------------------------------


def test_an_add_on_without_any_of_its_base_products_is_refused() -> None:
    # given add-on 5 needs one of the base products 2 or 1
    # when it is assigned alone
    result = run(
        users=[user(1)],
        products=[product(1), product(2), product(5)],
        catalog=[rules(5, requires=[2, 1])],
        assign=[5],
    )

    # then the error names every product that would do, sorted
    assert result.outcomes == (failed(1, {}, MissingDependency(5, (1, 2))),)


def test_an_add_on_assigned_with_its_base_product_succeeds() -> None:
    result = run(
        users=[user(1)],
        products=[product(1), product(5)],
        catalog=[rules(5, requires=[1])],
        assign=[5, 1],
    )

    assert result.outcomes == (succeeded(1, held(1, 5), assigned(5), assigned(1)),)


def test_requires_any_of_is_satisfied_by_a_held_alternative() -> None:
    # given add-on 5 needs product 1 or 2, and the user holds product 2
    # when the add-on is assigned
    result = run(
        users=[user(1)],
        products=[product(1), product(2), product(5)],
        catalog=[rules(5, requires=[1, 2])],
        holdings={1: held(2)},
        assign=[5],
    )

    # then product 2 is enough
    assert result.outcomes == (succeeded(1, held(2, 5), assigned(5)),)


def test_an_add_on_whose_base_is_revoked_in_the_same_save_fails_both_ways() -> None:
    # given the user holds base product 1, the only product add-on 5 accepts
    # when the add-on is assigned and the base revoked in one Save
    result = run(
        users=[user(1)],
        products=[product(1), product(5)],
        catalog=[rules(5, requires=[1])],
        holdings={1: held(1)},
        assign=[5],
        revoke=[1],
    )

    # then the add-on lacks its base, and the base can't go while the add-on needs it
    assert result.outcomes == (
        failed(1, held(1), MissingDependency(5, (1,)), DependentLicense(1, (5,))),
    )


# -- rule 8: revokes blocked by dependent licenses ---------------------------------------


def test_revoking_a_base_product_an_add_on_depends_on_is_refused() -> None:
    # given the user holds base 1 and add-ons 5 and 6, which need it
    catalog = [rules(5, requires=[1]), rules(6, requires=[1])]

    # when the base is revoked
    result = run(
        users=[user(1)],
        products=[product(1), product(5), product(6)],
        catalog=catalog,
        holdings={1: held(1, 5, 6)},
        revoke=[1],
    )

    # then the revoke is refused, naming both add-ons
    assert result.outcomes == (failed(1, held(1, 5, 6), DependentLicense(1, (5, 6))),)


def test_revoking_a_base_product_with_its_add_on_succeeds() -> None:
    result = run(
        users=[user(1)],
        products=[product(1), product(5)],
        catalog=[rules(5, requires=[1])],
        holdings={1: held(1, 5)},
        revoke=[1, 5],
    )

    assert result.outcomes == (succeeded(1, {}, Revoked(1), Revoked(5)),)
    assert result.seat_changes == {1: -1, 5: -1}


def test_revoking_one_base_is_fine_while_the_user_keeps_another() -> None:
    # given add-on 5 needs base 1 or 2 and the user holds both
    # when base 1 is revoked
    result = run(
        users=[user(1)],
        products=[product(1), product(2), product(5)],
        catalog=[rules(5, requires=[1, 2])],
        holdings={1: held(1, 2, 5)},
        revoke=[1],
    )

    # then base 2 still carries the add-on
    assert result.outcomes == (succeeded(1, held(2, 5), Revoked(1)),)


def test_replacing_a_base_product_in_one_save_succeeds() -> None:
    # given add-on 5 needs base 1 or 2 and the user holds base 1
    # when base 2 is assigned and base 1 revoked in one Save
    result = run(
        users=[user(1)],
        products=[product(1), product(2), product(5)],
        catalog=[rules(5, requires=[1, 2])],
        holdings={1: held(1, 5)},
        assign=[2],
        revoke=[1],
    )

    # then the new base carries the add-on
    assert result.outcomes == (succeeded(1, held(2, 5), Revoked(1), assigned(2)),)


# -- rule 9: service plans ---------------------------------------------------------------


def test_disabling_plans_of_another_product_is_refused() -> None:
    # given product 5 has plans 50 and 51
    # when it is assigned with plans 61, 50 and 60 disabled
    result = run(
        users=[user(1)],
        products=[product(5)],
        catalog=[rules(5, plans=[plan(50), plan(51)])],
        assign=[license_(5, 61, 50, 60)],
    )

    # then the foreign plans are named, sorted
    assert result.outcomes == (failed(1, {}, InvalidServicePlan(5, (60, 61))),)


def test_disabling_plans_of_a_product_without_plans_is_refused() -> None:
    result = run(users=[user(1)], products=[product(5)], assign=[license_(5, 50)])

    assert result.outcomes == (failed(1, {}, InvalidServicePlan(5, (50,))),)


def test_disabling_a_plan_another_enabled_plan_needs_is_refused() -> None:
    # given plan 52 needs plans 50 and 51 and plan 53 needs plan 50
    catalog = [
        rules(
            5,
            plans=[plan(53, requires=[50]), plan(52, requires=[50, 51]), plan(50), plan(51)],
        )
    ]

    # when product 5 is assigned with plans 50 and 51 disabled
    result = run(
        users=[user(1)], products=[product(5)], catalog=catalog, assign=[license_(5, 51, 50)]
    )

    # then each enabled plan names the disabled plans it needs, by plan id
    assert result.outcomes == (
        failed(
            1,
            {},
            ServicePlanDependency(5, 52, (50, 51)),
            ServicePlanDependency(5, 53, (50,)),
        ),
    )


def test_disabling_a_plan_together_with_the_plans_that_need_it_succeeds() -> None:
    catalog = [rules(5, plans=[plan(50), plan(51, requires=[50])])]

    result = run(
        users=[user(1)], products=[product(5)], catalog=catalog, assign=[license_(5, 50, 51)]
    )

    assert result.outcomes == (succeeded(1, {5: frozenset({50, 51})}, assigned(5, 50, 51)),)


# -- rule 10: seats ----------------------------------------------------------------------


def test_seats_go_in_request_order_until_they_run_out() -> None:
    # given three users and two free seats of product 5
    # when product 5 is assigned to users 3, 1, 2 in that order
    result = run(
        users=[user(1), user(2), user(3)],
        user_ids=[3, 1, 2],
        products=[product(5, total=4, assigned=2)],
        assign=[5],
    )

    # then the first two get a seat and the last one is told 3 were needed for 2
    assert result.outcomes == (
        succeeded(3, held(5), assigned(5)),
        succeeded(1, held(5), assigned(5)),
        failed(2, {}, InsufficientLicenses(5, requested=3, available=2)),
    )
    assert result.seat_changes == {5: 2}
    assert (result.succeeded_count, result.failed_count, result.all_succeeded) == (2, 1, False)


def test_a_user_short_of_one_product_takes_no_seat_of_the_others() -> None:
    # given one seat each of products 1 and 2; user 3 holds 1, user 4 holds 2
    holdings = {3: held(1), 4: held(2)}

    # when both products are assigned to users 3, 5 and 4 in that order
    result = run(
        users=[user(3), user(5), user(4)],
        products=[product(1, total=1), product(2, total=1)],
        holdings=holdings,
        assign=[1, 2],
    )

    # then user 3 takes the seat of 2, user 5 lacks it and leaves the seat of 1 to user 4
    assert result.outcomes == (
        succeeded(3, held(1, 2), assigned(2)),
        failed(5, {}, InsufficientLicenses(2, requested=2, available=1)),
        succeeded(4, held(1, 2), assigned(1)),
    )
    assert result.seat_changes == {1: 1, 2: 1}


def test_every_product_without_a_seat_is_reported() -> None:
    result = run(
        users=[user(1)],
        products=[product(1, total=0), product(2, total=3, assigned=5), product(3)],
        assign=[3, 2, 1],
    )

    assert result.outcomes == (
        failed(
            1,
            {},
            InsufficientLicenses(2, requested=1, available=0),
            InsufficientLicenses(1, requested=1, available=0),
        ),
    )


def test_users_failing_another_rule_neither_take_nor_count_as_requesting_seats() -> None:
    # given one free seat; user 1 has no usage location
    # when the product is assigned to users 1, 2 and 3
    result = run(
        users=[user(1, usage_location=None), user(2), user(3)],
        products=[product(5, total=1)],
        assign=[5],
    )

    # then user 1 fails for its location only, user 2 gets the seat, 2 seats were requested
    assert result.outcomes == (
        failed(1, {}, UsageLocationRequired(1)),
        succeeded(2, held(5), assigned(5)),
        failed(3, {}, InsufficientLicenses(5, requested=2, available=1)),
    )


def test_users_who_already_hold_the_product_do_not_count_as_requesting_seats() -> None:
    result = run(
        users=[user(1), user(2)],
        products=[product(5, total=1, assigned=1)],
        holdings={1: held(5)},
        assign=[5],
    )

    assert result.outcomes == (
        unchanged(1, held(5)),
        failed(2, {}, InsufficientLicenses(5, requested=1, available=0)),
    )


# -- rule 11 and the request as a whole --------------------------------------------------


def test_every_error_of_a_user_is_reported_in_rule_order() -> None:
    # given a user without a usage location holding base 1 and add-on 2, which needs it
    catalog = [
        rules(1),
        rules(2, requires=[1]),
        rules(3, requires=[4], conflicts=[2], plans=[plan(30), plan(31, requires=[30])]),
        rules(6, conflicts=[3]),
    ]

    # when the user is given 3 (plan 30 off) and 6, an unknown product, and loses base 1
    result = run(
        users=[user(1, usage_location=None)],
        products=[product(1), product(2), product(3, total=0), product(4), product(6)],
        catalog=catalog,
        holdings={1: held(1, 2)},
        assign=[license_(3, 30), 6, 99],
        revoke=[1],
    )

    # then every broken rule is reported; seats are not considered
    assert result.outcomes == (
        failed(
            1,
            held(1, 2),
            ProductNotFound(99),
            UsageLocationRequired(1),
            MutuallyExclusiveLicenses(3, (2, 6)),
            MutuallyExclusiveLicenses(6, (3,)),
            MissingDependency(3, (4,)),
            DependentLicense(1, (2,)),
            ServicePlanDependency(3, 31, (30,)),
        ),
    )


def test_duplicate_user_ids_count_once_in_first_request_order() -> None:
    # given two free seats
    # when users 2, 1, 2, 1 are requested
    result = run(
        users=[user(1), user(2)],
        user_ids=[2, 1, 2, 1],
        products=[product(5, total=2)],
        assign=[5],
    )

    # then each user is planned once and both get a seat
    assert result.outcomes == (
        succeeded(2, held(5), assigned(5)),
        succeeded(1, held(5), assigned(5)),
    )


def test_a_user_whose_change_does_nothing_is_unchanged() -> None:
    # given the user holds product 5 with every plan on, and not product 6
    # when product 5 is assigned as is and product 6 revoked
    result = run(
        users=[user(1)],
        products=[product(5, total=1, assigned=1), product(6)],
        holdings={1: held(5)},
        assign=[5],
        revoke=[6],
    )

    # then nothing changes
    assert result.outcomes == (unchanged(1, held(5)),)
    assert (result.succeeded_count, result.failed_count, result.all_succeeded) == (0, 0, True)


def test_seat_changes_net_new_assignments_against_revokes_of_held_licenses() -> None:
    # given user 1 holds product 5 and user 2 holds product 6; products 5 and 6 conflict
    # when product 5 is assigned and product 6 revoked for users 1, 2 and 3
    result = run(
        users=[user(1), user(2), user(3)],
        products=[product(5, assigned=1), product(6, assigned=1)],
        catalog=[rules(5, conflicts=[6])],
        holdings={1: held(5), 2: held(6)},
        assign=[5],
        revoke=[6],
    )

    # then 5 gains two seats and 6 loses one
    assert [outcome.status for outcome in result.outcomes] == [
        OutcomeStatus.UNCHANGED,
        OutcomeStatus.SUCCEEDED,
        OutcomeStatus.SUCCEEDED,
    ]
    assert result.seat_changes == {5: 2, 6: -1}


def test_an_empty_request_plans_nothing() -> None:
    result = run(users=[], user_ids=[], products=[product(5)], assign=[5])

    assert result == LicenseUpdatePlan(outcomes=(), seat_changes={})
    assert result.all_succeeded


# -- the typed errors --------------------------------------------------------------------


ERROR_SENTENCES: list[tuple[LicenseError, LicenseErrorCode, str]] = [
    (
        InsufficientLicenses(3, requested=4, available=1),
        LicenseErrorCode.INSUFFICIENT_LICENSES,
        "Not enough licenses of product 3: this save needs 4, 1 were free. "
        "Buy more or select fewer users.",
    ),
    (
        UsageLocationRequired(7),
        LicenseErrorCode.USAGE_LOCATION_REQUIRED,
        "The user has no usage location; set one (setUsageLocation) before assigning.",
    ),
    (
        ProductUnavailableInLocation(3, "CU"),
        LicenseErrorCode.PRODUCT_UNAVAILABLE_IN_LOCATION,
        "Product 3 is not available in usage location CU.",
    ),
    (
        MissingDependency(3, (1, 2)),
        LicenseErrorCode.MISSING_DEPENDENCY,
        "Product 3 requires one of product 1, product 2, which the user would lack.",
    ),
    (
        DependentLicense(1, (3,)),
        LicenseErrorCode.DEPENDENT_LICENSE,
        "Product 1 can't be revoked while the user keeps product 3, which requires it; "
        "revoke those in the same save.",
    ),
    (
        MutuallyExclusiveLicenses(3, (4, 5)),
        LicenseErrorCode.MUTUALLY_EXCLUSIVE_LICENSES,
        "Product 3 can't be held together with product 4, product 5.",
    ),
    (
        MutuallyExclusiveLicenses(3, (4,)),
        LicenseErrorCode.MUTUALLY_EXCLUSIVE_LICENSES,
        "Product 3 can't be held together with product 4.",
    ),
    (
        InvalidServicePlan(3, (60,)),
        LicenseErrorCode.INVALID_SERVICE_PLAN,
        "1 disabled service plan is not part of product 3.",
    ),
    (
        ServicePlanDependency(3, 31, (30,)),
        LicenseErrorCode.SERVICE_PLAN_DEPENDENCY,
        "Service plan 31 of product 3 needs service plan 30 enabled; "
        "enable them or disable it too.",
    ),
    (
        MissingDependency(3, (1,)),
        LicenseErrorCode.MISSING_DEPENDENCY,
        "Product 3 requires product 1, which the user would lack.",
    ),
    (UserNotFound(7), LicenseErrorCode.USER_NOT_FOUND, "No such user in this customer."),
    (ProductNotFound(3), LicenseErrorCode.PRODUCT_NOT_FOUND, "No such product in this customer."),
]


@pytest.mark.parametrize(
    ("error", "code", "message"),
    ERROR_SENTENCES,
    ids=[f"{code.name}-{index}" for index, (_, code, _) in enumerate(ERROR_SENTENCES)],
)
def test_each_error_has_its_code_and_a_sentence(
    error: LicenseError, code: LicenseErrorCode, message: str
) -> None:
    assert (error.code, error.message) == (code, message)


def test_error_codes_are_their_own_names() -> None:
    assert all(code.value == code.name for code in LicenseErrorCode)
