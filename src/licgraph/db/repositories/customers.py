"""Customers, as the partner (or a customer-scoped caller) sees them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select

from licgraph.db.keyset import KeysetList
from licgraph.db.prepared import PreparedRead, in_scope
from licgraph.db.repositories._sql import Repository, among_parameter, contains_text
from licgraph.db.tables import customer_table
from licgraph.domain.catalog import Customer

_table = customer_table
_COLUMNS = (_table.c.id, _table.c.name, _table.c.domain)


def _to_customer(row: Any) -> Customer:
    return Customer(row[0], row[1], row[2])  # by position, in ``_COLUMNS`` order


def _searched(search: str | None) -> list[ColumnElement[bool]]:
    if not search:
        return []
    return [contains_text(search, _table.c.name_key, func.lower(_table.c.domain))]


CUSTOMERS: KeysetList[str | None, Customer] = KeysetList(
    name="customers",
    rows=select(*_COLUMNS),
    to_value=_to_customer,
    order=(_table.c.name_key, _table.c.id),  # name case-insensitively, then id
    customer=_table.c.id,
    where=_searched,  # part of a name or domain
)
"""The partner's customers (a scoped caller's own one), searched by name or domain."""


class CustomerRepository(Repository):
    """Reads customers by id (the customer list is ``CUSTOMERS``)."""

    async def by_ids(self, ids: Sequence[int]) -> dict[int, Customer]:
        """The customers with these ids that exist (and are in scope)."""
        found = [_to_customer(row) for row in await self.read(_BY_IDS, ids=self.ids(ids))]
        return {customer.id: customer for customer in found}


_BY_IDS = PreparedRead(
    lambda dialect, scoped: select(*_COLUMNS).where(
        among_parameter(dialect, _table.c.id, "ids"), *in_scope(_table.c.id, scoped)
    )
)
