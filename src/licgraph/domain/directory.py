"""The people of a customer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class User:
    """A user of a customer; ``usage_location`` is ISO 3166 alpha-2 or None when not set."""

    id: int
    customer_id: int
    display_name: str
    user_principal_name: str
    usage_location: str | None


def sort_key(display_name: str) -> str:
    """The key lists are ordered by: case-insensitive, identical on every database engine."""
    return display_name.casefold()


@dataclass(frozen=True, slots=True)
class UserFilter:
    """Narrows a customer's user list; every given condition must hold."""

    holding_product_id: int | None = None
    lacking_product_id: int | None = None
    usage_location: str | None = None
    has_usage_location: bool | None = None


@dataclass(frozen=True, slots=True)
class UserQuery:
    """A customer's user list as a client asks for it: a search term and a filter."""

    search: str | None = None
    user_filter: UserFilter = UserFilter()
