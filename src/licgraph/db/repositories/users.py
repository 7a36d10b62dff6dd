"""A customer's users: the users list (display-name order), lookups by id, usage locations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select, update

from licgraph.db.keyset import KeysetList
from licgraph.db.prepared import PreparedRead, in_scope
from licgraph.db.repositories._sql import Repository, among_parameter, contains_text
from licgraph.db.tables import license_assignment_table, user_table
from licgraph.domain.directory import User, UserFilter, UserQuery

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
    """A domain user from a row starting with ``COLUMNS`` (by position: lists read thousands)."""
    return User(row[0], row[1], row[2], row[3], row[4])


def _conditions(query: UserQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.search:
        name, principal_name = _table.c.display_name_key, func.lower(_table.c.user_principal_name)
        conditions.append(contains_text(query.search, name, principal_name))
    user_filter: UserFilter = query.user_filter
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


USERS: KeysetList[UserQuery, User] = KeysetList(
    name="users",
    rows=select(*COLUMNS),
    to_value=to_user,
    order=ORDER,  # display name case-insensitively (the stored casefolded key), then id
    customer=_table.c.customer_id,
    where=_conditions,
    owner=_table.c.customer_id,  # one list per customer
)
"""Each customer's users, searched by display or sign-in name and filtered by ``UserFilter``."""


_BY_IDS = PreparedRead(
    lambda dialect, scoped: select(*COLUMNS).where(
        among_parameter(dialect, _table.c.id, "ids"), *in_scope(_table.c.customer_id, scoped)
    )
)


class UserRepository(Repository):
    """Reads users by id and sets their usage location (the users list is ``USERS``)."""

    async def by_ids(self, ids: Sequence[int]) -> dict[int, User]:
        """The users with these ids that exist (and are in scope)."""
        found = [to_user(row) for row in await self.read(_BY_IDS, ids=self.ids(ids))]
        return {user.id: user for user in found}

    async def of_customer(self, *, customer_id: int, ids: Sequence[int]) -> list[User]:
        """Those of ``ids`` that are users of the customer, in list order."""
        query = (
            select(*COLUMNS)
            .where(_table.c.customer_id == customer_id, self.among(_table.c.id, ids))
            .order_by(*ORDER)
        )
        return [to_user(row) for row in (await self.connection.execute(query)).all()]

    async def set_usage_location(self, *, ids: Sequence[int], location: str) -> None:
        """Give these users one usage location, in one statement."""
        if ids:
            await self.connection.execute(
                update(_table).where(self.among(_table.c.id, ids)).values(usage_location=location)
            )
