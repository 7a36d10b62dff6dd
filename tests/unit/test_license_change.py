"""Validation of what a Save, a purchase and a location change ask for."""

from __future__ import annotations

import pytest

from licgraph.domain.license_change import (
    MAX_PURCHASE_QUANTITY,
    InvalidLicenseChangeError,
    InvalidQuantityError,
    LicenseChange,
    LicenseToAssign,
    validate_change,
    validate_quantity,
    validate_user_count,
)

MAX_USERS = 10


def assign(*product_ids: int) -> tuple[LicenseToAssign, ...]:
    return tuple(LicenseToAssign(product_id) for product_id in product_ids)


def test_a_change_with_licenses_to_assign_and_revoke_is_valid() -> None:
    change = LicenseChange(assign=assign(1, 2), revoke=(3,))

    validate_change(change, user_count=2, max_users=MAX_USERS)


def test_a_change_of_exactly_the_maximum_number_of_users_is_valid() -> None:
    change = LicenseChange(revoke=(3,))

    validate_change(change, user_count=MAX_USERS, max_users=MAX_USERS)


def test_the_same_product_with_different_plans_in_assign_is_still_a_repeat() -> None:
    change = LicenseChange(
        assign=(LicenseToAssign(1), LicenseToAssign(1, frozenset({7}))),
    )

    with pytest.raises(InvalidLicenseChangeError, match=r"once in `assign`") as raised:
        validate_change(change, user_count=1, max_users=MAX_USERS)

    assert raised.value.product_ids == (1,)


@pytest.mark.parametrize(
    ("change", "user_count", "message"),
    [
        pytest.param(LicenseChange(), 1, "at least one license", id="nothing-to-do"),
        pytest.param(
            LicenseChange(assign=assign(2, 1, 2, 1)),
            1,
            r"once in `assign`",
            id="assigned-twice",
        ),
        pytest.param(
            LicenseChange(revoke=(4, 4)),
            1,
            r"once in `revoke`",
            id="revoked-twice",
        ),
        pytest.param(
            LicenseChange(assign=assign(1, 2), revoke=(2, 1)),
            1,
            r"both assigned and revoked",
            id="assigned-and-revoked",
        ),
        pytest.param(LicenseChange(revoke=(1,)), 0, "at least one user", id="no-users"),
        pytest.param(
            LicenseChange(revoke=(1,)),
            MAX_USERS + 1,
            f"at most {MAX_USERS} users, got {MAX_USERS + 1}",
            id="too-many-users",
        ),
    ],
)
def test_a_malformed_change_is_refused_with_a_clear_message(
    change: LicenseChange, user_count: int, message: str
) -> None:
    with pytest.raises(InvalidLicenseChangeError, match=message):
        validate_change(change, user_count=user_count, max_users=MAX_USERS)


def test_the_error_is_a_value_error_so_callers_may_treat_it_as_bad_input() -> None:
    assert issubclass(InvalidLicenseChangeError, ValueError)


@pytest.mark.parametrize(
    ("change", "product_ids"),
    [
        (LicenseChange(assign=assign(2, 1, 2, 1)), (1, 2)),
        (LicenseChange(revoke=(4, 4)), (4,)),
        (LicenseChange(assign=assign(1, 2), revoke=(2, 1)), (1, 2)),
    ],
)
def test_the_products_at_fault_travel_with_the_error(
    change: LicenseChange, product_ids: tuple[int, ...]
) -> None:
    # Messages name no internal keys; the API turns these into the ids the client sent.
    with pytest.raises(InvalidLicenseChangeError) as raised:
        validate_change(change, user_count=1, max_users=MAX_USERS)

    assert raised.value.product_ids == product_ids


@pytest.mark.parametrize("user_count", [1, MAX_USERS])
def test_a_location_change_may_name_one_to_the_maximum_users(user_count: int) -> None:
    validate_user_count(user_count, max_users=MAX_USERS)


@pytest.mark.parametrize("user_count", [0, MAX_USERS + 1])
def test_a_location_change_naming_no_user_or_too_many_is_refused(user_count: int) -> None:
    with pytest.raises(InvalidLicenseChangeError, match=f"^name between 1 and {MAX_USERS} users$"):
        validate_user_count(user_count, max_users=MAX_USERS)


@pytest.mark.parametrize("quantity", [1, MAX_PURCHASE_QUANTITY])
def test_a_purchase_may_buy_one_to_ten_thousand_licenses(quantity: int) -> None:
    validate_quantity(quantity)


@pytest.mark.parametrize("quantity", [-1, 0, MAX_PURCHASE_QUANTITY + 1])
def test_a_purchase_quantity_out_of_range_is_refused_with_a_clear_message(quantity: int) -> None:
    with pytest.raises(InvalidQuantityError) as raised:
        validate_quantity(quantity)

    assert str(raised.value) == f"quantity must be between 1 and 10000, got {quantity}"
    assert issubclass(InvalidQuantityError, ValueError)
