"""Who may change what: the checks every write use case runs first."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.repositories.customers import CustomerRepository
from licgraph.domain.access import Principal
from licgraph.observability.record import note_customer
from licgraph.services.errors import CustomerNotFoundError, PermissionDeniedError

NOT_FOUND = "No such customer (or not one this token may see)."


def authorize(principal: Principal, customer_id: int, *, purchase: bool = False) -> None:
    """Refuse a caller who may not see the customer (as if it did not exist) or not act."""
    if not principal.can_see(customer_id):
        raise CustomerNotFoundError(NOT_FOUND)
    note_customer(customer_id)
    allowed = principal.can_purchase if purchase else principal.can_change_licenses
    if not allowed:
        action = "buy licenses" if purchase else "change licenses or users"
        raise PermissionDeniedError(f"the role {principal.role.value} may not {action}")


async def require_customer(connection: AsyncConnection, customer_id: int) -> None:
    """Refuse a customer id that names no customer."""
    if not await CustomerRepository(connection).by_ids([customer_id]):
        raise CustomerNotFoundError(NOT_FOUND)
