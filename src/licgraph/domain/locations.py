"""Usage locations: ISO 3166-1 alpha-2 country codes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import iso3166

from licgraph.domain.catalog import ProductRules
from licgraph.domain.directory import User
from licgraph.domain.license_errors import LicenseError, UserNotFound
from licgraph.domain.license_rules import unavailable_errors
from licgraph.domain.outcomes import OutcomeStatus


class InvalidUsageLocationError(ValueError):
    """Raised when a usage location is not an ISO 3166-1 alpha-2 country code."""


def usage_location(text: str) -> str:
    """The canonical (upper-case) code for ``text``, e.g. ``"de"`` -> ``"DE"``."""
    code = text.strip().upper()
    if len(code) != 2 or code not in iso3166.countries_by_alpha2:  # noqa: PLR2004 - alpha-2
        raise InvalidUsageLocationError(
            f"usage location {text!r} is not an ISO 3166-1 alpha-2 country code such as US or DE"
        )
    return code


@dataclass(frozen=True, slots=True)
class LocationOutcome:
    """What setting a usage location does to one user."""

    user_id: int
    status: OutcomeStatus
    errors: tuple[LicenseError, ...] = ()


def plan_location_change(
    *,
    user_ids: Sequence[int],
    users: Mapping[int, User],
    held_product_ids: Mapping[int, Iterable[int]],
    rules: Mapping[int, ProductRules],
    location: str,
) -> tuple[LocationOutcome, ...]:
    """Per distinct user, in request order: set, unchanged, or refused.

    A user is refused while they hold a product that is unavailable in the new location, so
    no user ever holds a license where it can't be assigned.
    """
    return tuple(
        _location_outcome(user_id, users, held_product_ids, rules, location)
        for user_id in dict.fromkeys(user_ids)
    )


def _location_outcome(
    user_id: int,
    users: Mapping[int, User],
    held_product_ids: Mapping[int, Iterable[int]],
    rules: Mapping[int, ProductRules],
    location: str,
) -> LocationOutcome:
    user = users.get(user_id)
    if user is None:
        return LocationOutcome(user_id, OutcomeStatus.FAILED, (UserNotFound(user_id),))
    if user.usage_location == location:
        return LocationOutcome(user_id, OutcomeStatus.UNCHANGED)
    errors = tuple(unavailable_errors(sorted(held_product_ids.get(user_id, ())), location, rules))
    return LocationOutcome(
        user_id, OutcomeStatus.FAILED if errors else OutcomeStatus.SUCCEEDED, errors
    )
