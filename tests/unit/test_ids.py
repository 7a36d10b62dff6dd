"""Opaque Relay global ids (graphql/ids.py), without a database."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from licgraph.graphql.ids import InvalidGlobalIdError, from_global_id, pk_of, to_global_id

TYPE_NAMES = ("Customer", "User", "Product", "ServicePlan", "LicenseEvent")
LARGEST_PK = 2**31 - 1  # primary keys are 32-bit INTEGER columns


def encoded(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("type_name", TYPE_NAMES)
@pytest.mark.parametrize("pk", [1, 9, 10, 12345, LARGEST_PK])
def test_an_id_round_trips(type_name: str, pk: int) -> None:
    global_id = to_global_id(type_name, pk)

    assert from_global_id(global_id) == (type_name, pk)
    assert pk_of(global_id, type_name) == pk


def test_an_id_is_base64_of_type_and_pk() -> None:
    assert to_global_id("User", 12) == "VXNlcjoxMg=="


@given(type_name=st.sampled_from(TYPE_NAMES), pk=st.integers(1, LARGEST_PK))
def test_any_pk_round_trips(type_name: str, pk: int) -> None:
    assert pk_of(to_global_id(type_name, pk), type_name) == pk


def test_ids_of_different_types_or_pks_differ() -> None:
    ids = {to_global_id(t, pk) for t in TYPE_NAMES for pk in (1, 2, 11)}

    assert len(ids) == len(TYPE_NAMES) * 3


@pytest.mark.parametrize(
    "global_id",
    [
        pytest.param("", id="empty"),
        pytest.param("!!!", id="not-base64"),
        pytest.param("VXNlcjoxMg", id="missing-padding"),
        pytest.param("VXNlcjoxMg==x", id="trailing-garbage"),
        pytest.param("VXNlcjox Mg==", id="inner-space"),
        pytest.param("VXNlcjoxMg==\n", id="trailing-newline-outside"),
        pytest.param("VXNlcjox\u00e9", id="non-ascii-input"),
        pytest.param("VXNlcjoxMg_-", id="url-safe-alphabet"),
        pytest.param(encoded("Usér:1"), id="non-ascii-type"),
        pytest.param(base64.b64encode(b"User:\xff").decode(), id="not-utf8"),
        pytest.param(encoded("User12"), id="missing-colon"),
        pytest.param(encoded("User:"), id="missing-pk"),
        pytest.param(encoded(":12"), id="missing-type"),
        pytest.param(encoded("User:0"), id="pk-zero"),
        pytest.param(encoded("User:-1"), id="pk-negative"),
        pytest.param(encoded("User:012"), id="pk-leading-zero"),
        pytest.param(encoded("User:+12"), id="pk-plus-sign"),
        pytest.param(encoded("User:1.0"), id="pk-float"),
        pytest.param(encoded("User:1e3"), id="pk-exponent"),
        pytest.param(encoded("User:12a"), id="pk-not-digits"),
        pytest.param(encoded("User:١٢"), id="pk-arabic-digits"),
        pytest.param(encoded("User:" + "9" * 19), id="pk-huge"),
        pytest.param(encoded("User:" + "1" * 80), id="pk-enormous"),
        pytest.param(encoded("User:1:2"), id="two-colons"),
        pytest.param(encoded("User :12"), id="space-in-type"),
        pytest.param(encoded("Service_Plan:12"), id="underscore-in-type"),
        pytest.param(encoded(" User:12"), id="leading-space"),
        pytest.param(encoded("User:12 "), id="trailing-space"),
    ],
)
def test_malformed_ids_are_refused(global_id: str) -> None:
    with pytest.raises(InvalidGlobalIdError, match="is not a valid id"):
        from_global_id(global_id)


def test_a_trailing_newline_inside_the_id_is_refused() -> None:
    with pytest.raises(InvalidGlobalIdError):
        from_global_id(encoded("User:12\n"))


@pytest.mark.parametrize(
    ("global_id", "expected_type"),
    [
        (to_global_id("User", 1), "Customer"),
        (to_global_id("Customer", 1), "User"),
        (to_global_id("Product", 1), "ServicePlan"),
        (to_global_id("user", 1), "User"),  # type names are case-sensitive
    ],
)
def test_an_id_of_another_type_is_refused(global_id: str, expected_type: str) -> None:
    with pytest.raises(InvalidGlobalIdError, match=f"is not a {expected_type} id"):
        pk_of(global_id, expected_type)


def test_pk_of_refuses_malformed_ids_too() -> None:
    with pytest.raises(InvalidGlobalIdError, match="is not a valid id"):
        pk_of("???", "User")


def test_the_error_is_a_value_error_without_a_chained_cause() -> None:
    with pytest.raises(InvalidGlobalIdError) as raised:
        from_global_id("!!!")

    assert isinstance(raised.value, ValueError)
    assert raised.value.__cause__ is None


def test_an_overlong_id_is_refused_before_decoding() -> None:
    with pytest.raises(InvalidGlobalIdError, match="too long"):
        from_global_id("VXNlcjox" * 40)


@pytest.mark.parametrize("pk", [2**31, 10**10 - 1])
def test_a_key_beyond_32_bits_is_refused(pk: int) -> None:
    with pytest.raises(InvalidGlobalIdError, match="is not a valid id"):
        from_global_id(encoded(f"User:{pk}"))
