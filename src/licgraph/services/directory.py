"""Read use cases for lists: pages of customers and users, and their totals."""

from __future__ import annotations

from licgraph.db.engine import Database
from licgraph.db.repositories.customers import CustomerRepository
from licgraph.db.repositories.users import UserRepository
from licgraph.domain.catalog import Customer
from licgraph.domain.directory import User, UserFilter
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


async def page_users(
    *,
    database: Database,
    customer_id: int,
    search: str | None,
    user_filter: UserFilter,
    request: PageRequest,
) -> Page[User]:
    """One page of a customer's users in display-name order."""
    async with database.connect() as connection:
        return await UserRepository(connection).page(
            customer_id=customer_id, search=search, user_filter=user_filter, request=request
        )


async def count_users(
    *, database: Database, customer_id: int, search: str | None, user_filter: UserFilter
) -> int:
    """How many users ``page_users`` would walk through."""
    async with database.connect() as connection:
        return await UserRepository(connection).count(
            customer_id=customer_id, search=search, user_filter=user_filter
        )
