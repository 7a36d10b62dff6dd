"""Opaque cursors and Relay paging arguments (domain/paging.py), without a database."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licgraph.domain.paging import (
    InvalidPageRequestError,
    Key,
    PageRequest,
    decode_cursor,
    encode_cursor,
    page_request,
)

USER_SHAPE = (str, int)
MAX = 100
DEFAULT = 20


def raw_cursor(payload: str) -> str:
    """A cursor wrapping any text, so tests can forge every shape a client could send."""
    return base64.urlsafe_b64encode(f"cursor:v1:{payload}".encode()).decode()


def forged(*items: object) -> str:
    return raw_cursor(json.dumps(list(items)))


def request(
    *,
    first: int | None = None,
    after: Key | None = None,
    last: int | None = None,
    before: Key | None = None,
) -> PageRequest:
    return page_request(
        first=first, after=after, last=last, before=before, default_size=DEFAULT, max_size=MAX
    )


# --- cursors: round trip -----------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        ("alice adams", 1),
        ("", 7),
        ("émile dubois", 2**31 - 1),
        ("zoë 张伟 🦄", 42),
        ('quote " and \\ backslash', 3),
        ("strasse", 9),
    ],
)
def test_a_cursor_decodes_to_the_key_it_was_made_from(key: Key) -> None:
    cursor = encode_cursor("users", key)

    assert decode_cursor("users", cursor, USER_SHAPE) == key


def test_a_cursor_is_url_safe_ascii_and_does_not_show_the_key() -> None:
    cursor = encode_cursor("users", ("zoë/zhang+?", 12))

    assert cursor.isascii()
    assert not set(cursor) & set("+/ ?&#")
    assert "zhang" not in cursor


def test_cursors_of_equal_keys_are_equal_and_of_different_keys_differ() -> None:
    assert encode_cursor("users", ("a", 1)) == encode_cursor("users", ("a", 1))
    assert encode_cursor("users", ("a", 1)) != encode_cursor("users", ("a", 2))
    assert encode_cursor("users", ("a", 1)) != encode_cursor("customers", ("a", 1))


@settings(max_examples=200)
@given(
    kind=st.text(min_size=1, max_size=12),
    # Keys are display names: valid UTF-8 without NUL (cursors holding either are refused).
    name=st.text(alphabet=st.characters(codec="utf-8", blacklist_characters="\x00"), max_size=40),
    pk=st.integers(min_value=1, max_value=2**31 - 1),
)
def test_any_key_survives_a_round_trip(kind: str, name: str, pk: int) -> None:
    cursor = encode_cursor(kind, (name, pk))

    assert decode_cursor(kind, cursor, USER_SHAPE) == (name, pk)


# --- cursors: refusals -------------------------------------------------------------------


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not-a-cursor",
        "!!!!",
        "émile",  # not ASCII at all
        "Y3Vyc29y",  # base64 of "cursor", no version prefix
        base64.urlsafe_b64encode(b'["users","a",1]').decode(),  # JSON without the prefix
        base64.urlsafe_b64encode(b'cursor:v2:["users","a",1]').decode(),  # other version
        base64.urlsafe_b64encode(b"cursor:v1:\xff\xfe").decode(),  # not UTF-8
        raw_cursor("[not json"),
        raw_cursor(""),
    ],
)
def test_garbage_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidPageRequestError, match="not valid"):
        decode_cursor("users", cursor, USER_SHAPE)


def test_a_cursor_of_another_list_is_refused() -> None:
    cursor = encode_cursor("customers", ("contoso", 1))

    with pytest.raises(InvalidPageRequestError, match="does not belong"):
        decode_cursor("users", cursor, USER_SHAPE)


@pytest.mark.parametrize(
    "payload",
    ['{"kind":"users"}', '"users"', "[]", "42", "null", '[["users"],"a",1]'],
)
def test_a_payload_that_is_not_a_list_headed_by_the_kind_is_refused(payload: str) -> None:
    with pytest.raises(InvalidPageRequestError, match="does not belong"):
        decode_cursor("users", raw_cursor(payload), USER_SHAPE)


@pytest.mark.parametrize(
    "cursor",
    [
        forged("users"),  # no key at all
        forged("users", "a"),  # too short
        forged("users", "a", 1, 2),  # too long
        forged("users", 1, "a"),  # swapped
        forged("users", "a", "1"),  # a number as text
        forged("users", "a", 1.0),  # a float where an int is expected
        forged("users", "a", 1.5),
        forged("users", "a", None),
        forged("users", None, 1),
        forged("users", ["a"], 1),
        forged("users", {"a": 1}, 1),
        raw_cursor('["users","a",NaN]'),
        raw_cursor('["users","a",Infinity]'),
    ],
)
def test_a_key_of_the_wrong_shape_or_type_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidPageRequestError, match="not valid"):
        decode_cursor("users", cursor, USER_SHAPE)


@pytest.mark.parametrize(
    ("kind", "cursor", "shape"),
    [
        ("users", forged("users", "a", True), USER_SHAPE),
        ("users", forged("users", "a", False), USER_SHAPE),
        ("events", forged("events", True), (int,)),
    ],
)
def test_a_bool_is_never_taken_for_an_int(kind: str, cursor: str, shape: tuple[type, ...]) -> None:
    with pytest.raises(InvalidPageRequestError, match="not valid"):
        decode_cursor(kind, cursor, shape)


def test_a_cursor_that_does_not_decode_is_not_echoed_back() -> None:
    # A cursor may be long and hostile; the message says what is wrong, not what was sent.
    with pytest.raises(InvalidPageRequestError) as raised:
        decode_cursor("users", "bogus", USER_SHAPE)

    assert str(raised.value) == "the cursor is not valid"
    assert isinstance(raised.value, ValueError)


def test_an_overlong_cursor_is_refused_before_decoding() -> None:
    with pytest.raises(InvalidPageRequestError):
        decode_cursor("users", "A" * 5000, USER_SHAPE)


def test_a_deeply_nested_payload_is_refused_as_invalid() -> None:
    cursor = raw_cursor("[" * 100_000)

    with pytest.raises(InvalidPageRequestError):
        decode_cursor("users", cursor, USER_SHAPE)


@pytest.mark.parametrize("pk", [2**31, -(2**31) - 1, 2**63, 10**30])
def test_an_id_beyond_32_bits_is_refused(pk: int) -> None:
    # Ids are 32-bit INTEGER columns on every engine: PostgreSQL can't even bind more.
    with pytest.raises(InvalidPageRequestError):
        decode_cursor("users", forged("users", "a", pk), USER_SHAPE)


def test_a_text_key_that_is_not_valid_unicode_is_refused() -> None:
    with pytest.raises(InvalidPageRequestError):
        decode_cursor("users", raw_cursor('["users","\\ud800",1]'), USER_SHAPE)


# --- page_request -------------------------------------------------------------------------


def test_no_arguments_give_the_first_page_of_default_size() -> None:
    assert request() == PageRequest(limit=DEFAULT)


@pytest.mark.parametrize("size", [0, 1, 25, MAX])
def test_first_within_bounds_reads_forwards(size: int) -> None:
    assert request(first=size, after=("a", 1)) == PageRequest(limit=size, after=("a", 1))


@pytest.mark.parametrize("size", [0, 1, 25, MAX])
def test_last_within_bounds_reads_backwards(size: int) -> None:
    assert request(last=size) == PageRequest(limit=size, backwards=True)


def test_last_with_before_reads_backwards_from_the_cursor() -> None:
    assert request(last=5, before=("m", 3)) == PageRequest(limit=5, before=("m", 3), backwards=True)


def test_before_alone_reads_the_default_size_backwards() -> None:
    assert request(before=("m", 3)) == PageRequest(limit=DEFAULT, before=("m", 3), backwards=True)


def test_first_with_before_reads_forwards_up_to_the_cursor() -> None:
    assert request(first=5, before=("m", 3)) == PageRequest(limit=5, before=("m", 3))


def test_after_and_before_without_sizes_read_forwards_between_them() -> None:
    assert request(after=("a", 1), before=("m", 3)) == PageRequest(
        limit=DEFAULT, after=("a", 1), before=("m", 3)
    )


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (MAX + 1, None, "`first` must be between 0 and 100, got 101"),
        (-1, None, "`first` must be between 0 and 100, got -1"),
        (None, MAX + 1, "`last` must be between 0 and 100, got 101"),
        (None, -1, "`last` must be between 0 and 100, got -1"),
        (1, 1, "not both"),
        (0, 0, "not both"),
        (MAX + 1, MAX + 1, "not both"),
    ],
)
def test_out_of_range_or_combined_sizes_are_refused(
    first: int | None, last: int | None, message: str
) -> None:
    with pytest.raises(InvalidPageRequestError, match=message):
        request(first=first, last=last)


def test_the_maximum_is_the_one_given_not_a_constant() -> None:
    assert page_request(
        first=7, after=None, last=None, before=None, default_size=5, max_size=7
    ) == PageRequest(limit=7)
    with pytest.raises(InvalidPageRequestError, match="between 0 and 6"):
        page_request(first=7, after=None, last=None, before=None, default_size=5, max_size=6)


@settings(max_examples=200)
@given(
    first=st.none() | st.integers(min_value=-5, max_value=MAX + 5),
    last=st.none() | st.integers(min_value=-5, max_value=MAX + 5),
    has_after=st.booleans(),
    has_before=st.booleans(),
)
def test_a_valid_request_always_has_a_limit_within_bounds(
    first: int | None, last: int | None, has_after: bool, has_before: bool
) -> None:
    after: Key | None = ("a", 1) if has_after else None
    before: Key | None = ("z", 2) if has_before else None
    try:
        page = request(first=first, after=after, last=last, before=before)
    except InvalidPageRequestError:
        in_range = all(size is None or 0 <= size <= MAX for size in (first, last))
        assert not in_range or (first is not None and last is not None)
        return

    assert 0 <= page.limit <= MAX
    assert (page.after, page.before) == (after, before)
    assert page.backwards == (last is not None or (first is None and has_before and not has_after))
