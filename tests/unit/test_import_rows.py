"""Row rules of an import (pure) and how files become rows with their physical lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from licgraph.domain.importing import (
    ImportedUser,
    ImportKind,
    RowError,
    customer_from,
    entitlement_from,
    kind_of_header,
    location_blocks_licenses,
    total_below_assigned,
    user_from,
)
from licgraph.services.importing import ImportFileError, open_sources

USER = {
    "customer_key": "c1",
    "user_key": "u1",
    "display_name": " Ada Lovelace ",
    "user_principal_name": "ada@example.com",
    "usage_location": "gb",
}


def test_a_header_names_its_kind_whatever_the_column_order() -> None:
    assert kind_of_header(("domain", "name", "customer_key")) is ImportKind.CUSTOMERS
    assert kind_of_header(tuple(USER)) is ImportKind.USERS
    assert kind_of_header(tuple(USER)[:-1]) is ImportKind.USERS  # usage_location is optional
    assert (
        kind_of_header(("customer_key", "sku_part_number", "name", "total_licenses"))
        is ImportKind.ENTITLEMENTS
    )


def test_a_user_row_is_trimmed_and_its_location_canonical() -> None:
    assert user_from(USER) == ImportedUser("c1", "u1", "Ada Lovelace", "ada@example.com", "GB")
    assert user_from({**USER, "usage_location": ""}).usage_location is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"user_key": "  "}, "user_key is empty"),
        ({"display_name": "A\tB"}, "display_name holds a control character"),
        ({"user_principal_name": "ada at example.com"}, "is not a sign-in name"),
        ({"usage_location": "Narnia"}, "is not an ISO 3166-1 alpha-2"),
        ({"user_key": "k" * 256}, "longer than 255"),
    ],
)
def test_a_bad_user_row_says_what_to_fix(change: dict[str, str], reason: str) -> None:
    with pytest.raises(RowError, match=reason):
        user_from({**USER, **change})


@pytest.mark.parametrize("total", ["-1", "1.5", "ten", "99999999999", ""])
def test_a_total_is_a_whole_32_bit_count(total: str) -> None:
    row = {"customer_key": "c", "sku_part_number": "SPE_E3", "name": "E3", "total_licenses": total}
    with pytest.raises(RowError, match="total_licenses"):
        entitlement_from(row)


def test_a_domain_is_lower_cased_and_must_look_like_one() -> None:
    assert customer_from({"customer_key": "c", "name": "N", "domain": "Contoso.COM"}).domain == (
        "contoso.com"
    )
    with pytest.raises(RowError, match="not a domain name"):
        customer_from({"customer_key": "c", "name": "N", "domain": "contoso"})


def test_seats_held_bound_a_new_total() -> None:
    assert total_below_assigned(5, 5) is None
    assert total_below_assigned(4, 5) is not None


def test_held_licenses_bound_a_new_location() -> None:
    assert location_blocks_licenses("US", frozenset({"CN"})) is None
    assert location_blocks_licenses("CN", frozenset({"CN"})) is not None
    assert location_blocks_licenses(None, frozenset()) is not None


def test_csv_lines_are_physical_even_with_blank_and_multi_line_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text('customer_key,name,domain\n\nk1,"Two\nlines",a.com\nk2,N,b.com\n')

    [source] = open_sources([path])

    assert [row.line for row in source.rows()] == [3, 5]


def test_json_rows_carry_the_line_their_object_starts_on(tmp_path: Path) -> None:
    path = tmp_path / "i.json"
    path.write_text(
        '{\n "customers": [\n  {"customer_key": "k", "name": "N", "domain": "a.com"},\n'
        '  {"customer_key": "k2",\n   "name": "M", "domain": "b.com"}\n ],\n'
        ' "entitlements": [{"customer_key": "k", "sku_part_number": "S",'
        ' "name": "S", "total_licenses": 3}]\n}\n'
    )

    customers, entitlements = open_sources([path])

    assert [row.line for row in customers.rows()] == [3, 4]
    assert [row.fields["total_licenses"] for row in entitlements.rows()] == ["3"]
    assert [row.line for row in entitlements.rows()] == [7]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("[1, 2]", ":1: the document must be an object"),
        ('{"customers": [}', ":1: not JSON"),
        ('{"groups": []}', ":1: 'groups' is not one of the lists"),
        ('{"users": [],\n "users": []}', ":2: 'users' appears twice"),
    ],
)
def test_a_bad_json_document_is_refused_whole(tmp_path: Path, document: str, reason: str) -> None:
    path = tmp_path / "i.json"
    path.write_text(document)

    with pytest.raises(ImportFileError, match=reason):
        open_sources([path])


def test_a_bad_json_entry_is_a_row_problem(tmp_path: Path) -> None:
    path = tmp_path / "i.json"
    path.write_text('{"customers": [\n"text",\n{"customer_key": true}\n]}')

    [source] = open_sources([path])

    assert [(row.line, row.error) for row in source.rows()] == [
        (2, "each customers entry must be an object"),
        (3, "customer_key must be a string or a whole number"),
    ]
