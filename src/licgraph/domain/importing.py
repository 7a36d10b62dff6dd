"""Rows of an import (`licgraph import`): what each kind holds and when a row is valid.

Pure rules, no I/O: a row arrives as the text of its columns, leaves as a value or a
``RowError`` whose message names what to fix. Rules that need the database's facts (a
domain taken by another customer, seats already assigned) are functions of those facts.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from licgraph.domain.locations import InvalidUsageLocationError, usage_location

MAX_KEY_LENGTH = 255  # the external_id columns
MAX_TEXT_LENGTH = 255
MAX_TOTAL_LICENSES = 2**31 - 1  # a 32-bit INTEGER column on every engine
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# local@domain: no spaces, controls or second "@" in the local part; a real domain after it.
_UPN = re.compile(r"^[^\s@\x00-\x1f\x7f]+@" + _DOMAIN.pattern[1:], re.IGNORECASE)
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$")
_DIGITS = re.compile(r"^[0-9]{1,10}$")


class RowError(ValueError):
    """Raised when a row's values break a rule; the message says which and why."""


class ImportKind(enum.Enum):
    """The kinds of rows an import loads, in the order they load."""

    CUSTOMERS = "customers"
    USERS = "users"
    ENTITLEMENTS = "entitlements"

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column of the kind; ``OPTIONAL_COLUMNS`` may be left out."""
        return _COLUMNS[self]


_COLUMNS = {
    ImportKind.CUSTOMERS: ("customer_key", "name", "domain"),
    ImportKind.USERS: (
        "customer_key",
        "user_key",
        "display_name",
        "user_principal_name",
        "usage_location",
    ),
    ImportKind.ENTITLEMENTS: ("customer_key", "sku_part_number", "name", "total_licenses"),
}
OPTIONAL_COLUMNS = frozenset({"usage_location"})


@dataclass(frozen=True, slots=True)
class ImportedCustomer:
    """A customer as an import describes it, known by its key."""

    key: str
    name: str
    domain: str


@dataclass(frozen=True, slots=True)
class ImportedUser:
    """A user of the customer ``customer_key``, known within it by ``key``."""

    customer_key: str
    key: str
    display_name: str
    user_principal_name: str
    usage_location: str | None


@dataclass(frozen=True, slots=True)
class ImportedEntitlement:
    """A product the customer owns ``total_licenses`` seats of, known by its SKU."""

    customer_key: str
    sku_part_number: str
    name: str
    total_licenses: int


def kind_of_header(header: tuple[str, ...]) -> ImportKind:
    """Which kind of rows a header announces; every required column must be there."""
    if "user_key" in header:
        return _checked_header(ImportKind.USERS, header)
    if "sku_part_number" in header:
        return _checked_header(ImportKind.ENTITLEMENTS, header)
    return _checked_header(ImportKind.CUSTOMERS, header)


def _checked_header(kind: ImportKind, header: tuple[str, ...]) -> ImportKind:
    required = [c for c in kind.columns if c not in OPTIONAL_COLUMNS]
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in kind.columns]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or repeated:
        parts = [
            *([f"missing column(s) {', '.join(missing)}"] if missing else []),
            *([f"unknown column(s) {', '.join(unknown)}"] if unknown else []),
            *([f"repeated column(s) {', '.join(repeated)}"] if repeated else []),
        ]
        raise RowError(f"{'; '.join(parts)} (a {kind.value} file has {', '.join(kind.columns)})")
    return kind


def customer_from(fields: Mapping[str, str]) -> ImportedCustomer:
    """A customer row's values, checked."""
    return ImportedCustomer(
        key=_key(fields, "customer_key"),
        name=_text(fields, "name"),
        domain=_domain(fields["domain"]),
    )


def user_from(fields: Mapping[str, str]) -> ImportedUser:
    """A user row's values, checked; an empty usage location means none."""
    location = fields.get("usage_location", "").strip()
    try:
        canonical = usage_location(location) if location else None
    except InvalidUsageLocationError as error:
        raise RowError(str(error)) from None
    return ImportedUser(
        customer_key=_key(fields, "customer_key"),
        key=_key(fields, "user_key"),
        display_name=_text(fields, "display_name"),
        user_principal_name=_principal_name(fields["user_principal_name"]),
        usage_location=canonical,
    )


def entitlement_from(fields: Mapping[str, str]) -> ImportedEntitlement:
    """An entitlement row's values, checked."""
    sku = fields["sku_part_number"].strip()
    if not _SKU.match(sku):
        raise RowError(
            f"sku_part_number {sku!r} must be 1 to 64 letters, digits or _.+- (e.g. SPE_E3)"
        )
    return ImportedEntitlement(
        customer_key=_key(fields, "customer_key"),
        sku_part_number=sku,
        name=_text(fields, "name"),
        total_licenses=_count(fields["total_licenses"]),
    )


def total_below_assigned(total: int, assigned: int) -> str | None:
    """Why a product's total can't become ``total`` while ``assigned`` seats are held."""
    if total >= assigned:
        return None
    return (
        f"total_licenses {total} is below the {assigned} licenses already assigned;"
        " revoke some first or import a larger total"
    )


def location_blocks_licenses(location: str | None, unavailable: frozenset[str]) -> str | None:
    """Why a user holding licenses unavailable in some locations can't move to ``location``."""
    if location is None:
        return "a user who holds licenses needs a usage location; it can't be removed"
    if location in unavailable:
        return f"the user holds a license that is unavailable in usage location {location}"
    return None


def _key(fields: Mapping[str, str], column: str) -> str:
    value = _text(fields, column)
    if len(value) > MAX_KEY_LENGTH:
        raise RowError(f"{column} is longer than {MAX_KEY_LENGTH} characters")
    return value


def _text(fields: Mapping[str, str], column: str) -> str:
    value = fields[column].strip()
    if not value:
        raise RowError(f"{column} is empty")
    if len(value) > MAX_TEXT_LENGTH:
        raise RowError(f"{column} is longer than {MAX_TEXT_LENGTH} characters")
    if not value.isprintable():
        raise RowError(f"{column} holds a control character")
    return value


def _domain(text: str) -> str:
    domain = text.strip().lower()
    if not _DOMAIN.match(domain):
        raise RowError(f"domain {text.strip()!r} is not a domain name such as contoso.com")
    return domain


def _principal_name(text: str) -> str:
    name = text.strip()
    if len(name) > MAX_TEXT_LENGTH or not _UPN.match(name):
        raise RowError(
            f"user_principal_name {name!r} is not a sign-in name such as ada@contoso.com"
        )
    return name


def _count(text: str) -> int:
    digits = text.strip()
    if not _DIGITS.match(digits) or int(digits) > MAX_TOTAL_LICENSES:
        raise RowError(
            f"total_licenses {digits!r} is not a whole number from 0 to {MAX_TOTAL_LICENSES:,}"
        )
    return int(digits)
