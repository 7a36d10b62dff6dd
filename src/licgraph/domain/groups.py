"""Groups of a customer's users, and the checks on what a caller asks of them.

Each check is a pure function raising a ``ValueError`` subclass, which the API reports as
BAD_USER_INPUT with the message as written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from licgraph.domain.directory import sort_key
from licgraph.domain.license_change import LicenseChange, validate_change
from licgraph.domain.license_errors import LicenseError

MAX_GROUP_NAME_LENGTH = 255
MAX_GROUP_DESCRIPTION_LENGTH = 1024


@dataclass(frozen=True, slots=True)
class Group:
    """A customer's group: its members should hold the products it grants."""

    id: int
    customer_id: int
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class GroupLicense:
    """A product a group grants its members, with the service plans it turns off for them."""

    group_id: int
    product_id: int
    disabled_service_plan_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class GroupLicenseError:
    """A member's license from the group that can't be applied yet, why, and since when."""

    group_id: int
    user_id: int
    product_id: int
    errors: tuple[LicenseError, ...]
    since: datetime


class InvalidGroupError(ValueError):
    """Raised when a group's name or description is unusable, or a name is taken."""


def group_name_key(name: str) -> str:
    """What makes two names the same name (names are unique per customer, case-insensitively)."""
    return sort_key(name)


def validate_group_text(name: str, description: str) -> None:
    """Refuse a blank or overlong name, an overlong description, or a NUL in either
    (PostgreSQL text can't store one)."""
    if "\x00" in name or "\x00" in description:
        raise InvalidGroupError("a group's name and description can't hold a NUL character")
    if not name.strip():
        raise InvalidGroupError("give the group a name")
    if len(name) > MAX_GROUP_NAME_LENGTH:
        raise InvalidGroupError(f"a group name has at most {MAX_GROUP_NAME_LENGTH} characters")
    if len(description) > MAX_GROUP_DESCRIPTION_LENGTH:
        raise InvalidGroupError(
            f"a group description has at most {MAX_GROUP_DESCRIPTION_LENGTH} characters"
        )


def validate_members(user_count: int, *, max_users: int) -> None:
    """Refuse a membership change naming no user or more than ``max_users`` distinct ones."""
    if not 1 <= user_count <= max_users:
        raise InvalidGroupError(f"name between 1 and {max_users} users")


def validate_group_licenses(change: LicenseChange) -> None:
    """The same shape checks as a Save's change (one user stands for the group)."""
    validate_change(change, user_count=1, max_users=1)
