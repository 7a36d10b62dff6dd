"""Who may do what (CONTRACT section 5): roles, the caller, and the rules between them."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.Enum):
    """A caller's role; partner-side agents act on every customer unless scoped to one."""

    ADMIN_AGENT = "admin-agent"
    SALES_AGENT = "sales-agent"
    HELPDESK_AGENT = "helpdesk-agent"
    GLOBAL_ADMIN = "global-admin"
    USER_MANAGEMENT_ADMIN = "user-management-admin"
    READER = "reader"

    @property
    def is_customer_side(self) -> bool:
        """Customer-side roles always act on exactly one customer."""
        return self in _CUSTOMER_SIDE


_CUSTOMER_SIDE = frozenset({Role.GLOBAL_ADMIN, Role.USER_MANAGEMENT_ADMIN})
_WRITERS = frozenset(Role) - {Role.READER}
_BUYERS = frozenset({Role.ADMIN_AGENT, Role.SALES_AGENT})


class InvalidScopeError(ValueError):
    """Raised when a role is given a customer scope it cannot have (or lacks one it needs)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller: a named token with a role and an optional customer scope."""

    token_id: int
    name: str
    role: Role
    customer_id: int | None

    def can_see(self, customer_id: int) -> bool:
        """Whether this caller may know that the customer exists."""
        return self.customer_id is None or self.customer_id == customer_id

    @property
    def can_change_licenses(self) -> bool:
        """Whether this caller may assign and revoke licenses and set usage locations."""
        return self.role in _WRITERS

    @property
    def can_purchase(self) -> bool:
        """Whether this caller may buy more licenses."""
        return self.role in _BUYERS


def check_scope(role: Role, customer_id: int | None) -> None:
    """Refuse a customer-side role without a customer; partner roles may be scoped or not."""
    if role.is_customer_side and customer_id is None:
        raise InvalidScopeError(f"role {role.value} acts on one customer: give --customer")
