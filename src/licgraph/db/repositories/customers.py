"""Customers, as the partner (or a customer-scoped caller) sees them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.keyset import fetch_page
from licgraph.db.repositories._sql import contains_text
from licgraph.db.tables import customer_table
from licgraph.domain.catalog import Customer
from licgraph.domain.paging import Page, PageRequest

_table = customer_table
_COLUMNS = (_table.c.id, _table.c.name, _table.c.domain)
ORDER = (_table.c.name_key, _table.c.id)


def _customer(row: Any) -> Customer:
    return Customer(id=row.id, name=row.name, domain=row.domain)


class CustomerRepository:
    """Reads customers; ``scope`` limits every read to one customer (None: all)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def page(
        self, *, scope: int | None, search: str | None, request: PageRequest
    ) -> Page[Customer]:
        """One page of customers ordered by name (case-insensitive), then id."""
        query = self._visible(select(*_COLUMNS), scope=scope, search=search)
        return await fetch_page(
            self._connection, query, order=ORDER, request=request, to_value=_customer
        )

    async def count(self, *, scope: int | None, search: str | None) -> int:
        """How many customers the same filters match."""
        query = self._visible(select(func.count()).select_from(_table), scope=scope, search=search)
        return int(await self._connection.scalar(query) or 0)

    async def by_ids(self, ids: Sequence[int]) -> dict[int, Customer]:
        """The customers with these ids that exist."""
        rows = await self._connection.execute(select(*_COLUMNS).where(_table.c.id.in_(ids)))
        return {row.id: _customer(row) for row in rows}

    @staticmethod
    def _visible(query: Select[Any], *, scope: int | None, search: str | None) -> Select[Any]:
        if scope is not None:
            query = query.where(_table.c.id == scope)
        if search:
            query = query.where(
                contains_text(search, _table.c.name_key, func.lower(_table.c.domain))
            )
        return query
