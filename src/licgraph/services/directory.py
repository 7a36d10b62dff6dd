"""Read use cases for the customer list: a page of customers and their total."""

from __future__ import annotations

from licgraph.db.engine import Database
from licgraph.db.repositories.customers import CustomerRepository
from licgraph.domain.catalog import Customer
from licgraph.domain.paging import Page, PageRequest


async def page_customers(
    *, database: Database, scope: int | None, search: str | None, request: PageRequest
) -> Page[Customer]:
    """One page of the customers a caller scoped to ``scope`` (None: all) may see."""
    async with database.connect() as connection:
        return await CustomerRepository(connection).page(
            scope=scope, search=search, request=request
        )


async def count_customers(*, database: Database, scope: int | None, search: str | None) -> int:
    """How many customers ``page_customers`` would walk through."""
    async with database.connect() as connection:
        return await CustomerRepository(connection).count(scope=scope, search=search)
