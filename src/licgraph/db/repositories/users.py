"""A customer's users: pages in display-name order, lookups by id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.keyset import fetch_page, fetch_pages
from licgraph.db.repositories._sql import contains_text
from licgraph.db.tables import license_assignment_table, user_table
from licgraph.domain.directory import User, UserFilter
from licgraph.domain.paging import Page, PageRequest

_table = user_table
_assignment = license_assignment_table
COLUMNS = (
    _table.c.id,
    _table.c.customer_id,
    _table.c.display_name,
    _table.c.user_principal_name,
    _table.c.usage_location,
)
ORDER = (_table.c.display_name_key, _table.c.id)


def to_user(row: Any) -> User:
    """A domain user from a row holding ``COLUMNS``."""
    return User(
        id=row.id,
        customer_id=row.customer_id,
        display_name=row.display_name,
        user_principal_name=row.user_principal_name,
        usage_location=row.usage_location,
    )


class UserRepository:
    """Reads users; every method is limited to one customer or to explicit ids."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def page(
        self,
        *,
        customer_id: int,
        search: str | None,
        user_filter: UserFilter,
        request: PageRequest,
    ) -> Page[User]:
        """One page of the customer's users ordered by display name (case-insensitive), id."""
        query = _matching(select(*COLUMNS), customer_id, search, user_filter)
        return await fetch_page(
            self._connection, query, order=ORDER, request=request, to_value=to_user
        )

    async def pages(
        self,
        *,
        customer_ids: Sequence[int],
        search: str | None,
        user_filter: UserFilter,
        request: PageRequest,
    ) -> dict[int, Page[User]]:
        """The same page of several customers' user lists, in one statement (plus one for a
        cursor's far side). A customer with no matching user has an empty page."""
        if len(customer_ids) == 1:
            (customer_id,) = customer_ids
            page = await self.page(
                customer_id=customer_id, search=search, user_filter=user_filter, request=request
            )
            return {customer_id: page}
        query = _matching_any(select(*COLUMNS), customer_ids, search, user_filter)
        pages = await fetch_pages(
            self._connection,
            query,
            partition=_table.c.customer_id,
            order=ORDER,
            request=request,
            to_value=to_user,
        )
        empty: Page[User] = Page(rows=[], has_previous=False, has_next=False)
        return {customer_id: pages.get(customer_id, empty) for customer_id in customer_ids}

    async def counts(
        self, *, customer_ids: Sequence[int], search: str | None, user_filter: UserFilter
    ) -> dict[int, int]:
        """How many users each customer has that match, in one grouped statement."""
        query = _matching_any(
            select(_table.c.customer_id, func.count()), customer_ids, search, user_filter
        ).group_by(_table.c.customer_id)
        found = {owner: int(total) for owner, total in await self._connection.execute(query)}
        return {customer_id: found.get(customer_id, 0) for customer_id in customer_ids}

    async def count(self, *, customer_id: int, search: str | None, user_filter: UserFilter) -> int:
        """How many of the customer's users the same search and filter match."""
        query = _matching(
            select(func.count()).select_from(_table), customer_id, search, user_filter
        )
        return int(await self._connection.scalar(query) or 0)

    async def by_ids(self, ids: Sequence[int]) -> dict[int, User]:
        """The users with these ids that exist, whatever their customer."""
        rows = await self._connection.execute(select(*COLUMNS).where(_table.c.id.in_(ids)))
        return {row.id: to_user(row) for row in rows}

    async def of_customer(self, *, customer_id: int, ids: Sequence[int]) -> list[User]:
        """Those of ``ids`` that are users of the customer, in list order."""
        query = (
            select(*COLUMNS)
            .where(_table.c.customer_id == customer_id, _table.c.id.in_(ids))
            .order_by(*ORDER)
        )
        return [to_user(row) for row in await self._connection.execute(query)]

    async def set_usage_location(self, *, ids: Sequence[int], location: str) -> None:
        """Give these users one usage location, in one statement."""
        if ids:
            await self._connection.execute(
                update(_table).where(_table.c.id.in_(ids)).values(usage_location=location)
            )


def _matching(
    query: Select[Any], customer_id: int, search: str | None, user_filter: UserFilter
) -> Select[Any]:
    return _matching_any(query, [customer_id], search, user_filter)


def _matching_any(
    query: Select[Any], customer_ids: Sequence[int], search: str | None, user_filter: UserFilter
) -> Select[Any]:
    if len(customer_ids) == 1:
        query = query.where(_table.c.customer_id == customer_ids[0])
    else:
        query = query.where(_table.c.customer_id.in_(customer_ids))
    if search:
        query = query.where(
            contains_text(
                search, _table.c.display_name_key, func.lower(_table.c.user_principal_name)
            )
        )
    return query.where(*_filter_conditions(user_filter))


def _filter_conditions(user_filter: UserFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if user_filter.holding_product_id is not None:
        conditions.append(_holds(user_filter.holding_product_id))
    if user_filter.lacking_product_id is not None:
        conditions.append(~_holds(user_filter.lacking_product_id))
    if user_filter.usage_location is not None:
        conditions.append(_table.c.usage_location == user_filter.usage_location)
    if user_filter.has_usage_location is not None:
        located = _table.c.usage_location.is_not(None)
        conditions.append(located if user_filter.has_usage_location else ~located)
    return conditions


def _holds(product_id: int) -> ColumnElement[bool]:
    return exists().where(
        and_(_assignment.c.user_id == _table.c.id, _assignment.c.product_id == product_id)
    )
