"""Licenses held by users, read per user or per selection of users."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, select

from licgraph.db.prepared import PreparedRead, in_scope
from licgraph.db.repositories._sql import Repository, among_parameter
from licgraph.db.repositories.users import COLUMNS as USER_COLUMNS
from licgraph.db.repositories.users import ORDER as USER_ORDER
from licgraph.db.repositories.users import to_user
from licgraph.db.tables import license_assignment_table, user_table
from licgraph.domain.directory import User
from licgraph.domain.licenses import LicenseAssignment
from licgraph.domain.selection import SelectionHoldings

_assignment = license_assignment_table
_user = user_table


COLUMNS = (
    _assignment.c.user_id,
    _assignment.c.product_id,
    _assignment.c.disabled_service_plan_ids,
    _assignment.c.assigned_at,
)


_NO_PLANS: frozenset[int] = frozenset()  # most licenses switch no plan off: one set for all


def to_assignment(row: Any) -> LicenseAssignment:
    """A domain license from a row holding ``COLUMNS`` (by position: pages read thousands)."""
    user_id, product_id, disabled, assigned_at = row
    return LicenseAssignment(
        user_id, product_id, frozenset(disabled) if disabled else _NO_PLANS, assigned_at
    )


def _of_users(dialect: str, scoped: bool) -> Select[Any]:
    query = (
        select(*COLUMNS)
        .where(among_parameter(dialect, _assignment.c.user_id, "ids"))
        .order_by(_assignment.c.user_id, _assignment.c.product_id)
    )
    if scoped:
        users_in_scope = select(_user.c.id).where(*in_scope(_user.c.customer_id, scoped))
        query = query.where(_assignment.c.user_id.in_(users_in_scope))
    return query


_OF_USERS = PreparedRead(_of_users)
_HOLDINGS = PreparedRead(  # the selected users, each with a product they hold (or None)
    lambda dialect, scoped: (
        select(*USER_COLUMNS, _assignment.c.product_id)
        .select_from(_user.outerjoin(_assignment, _assignment.c.user_id == _user.c.id))
        .where(
            _user.c.customer_id == bindparam("customer_id"),
            among_parameter(dialect, _user.c.id, "ids"),
            *in_scope(_user.c.customer_id, scoped),
        )
        .order_by(*USER_ORDER)
    )
)


class AssignmentRepository(Repository):
    """Reads license assignments in batches."""

    async def by_user_ids(self, user_ids: Sequence[int]) -> dict[int, list[LicenseAssignment]]:
        """Each user's licenses (users in scope), ordered by product id."""
        licenses: dict[int, list[LicenseAssignment]] = defaultdict(list)
        for row in await self.read(_OF_USERS, ids=self.ids(user_ids)):
            license = to_assignment(row)
            licenses[license.user_id].append(license)
        return licenses

    async def holdings_of_selection(
        self, *, customer_id: int, user_ids: Sequence[int]
    ) -> SelectionHoldings:
        """Who among the selected users holds each product: one statement for all products."""
        found = await self.read(_HOLDINGS, customer_id=customer_id, ids=self.ids(user_ids))
        users: dict[int, User] = {}
        holders: dict[int, list[User]] = defaultdict(list)
        for row in found:
            user = to_user(row)
            user = users.setdefault(user.id, user)
            if (product_id := row[-1]) is not None:  # the joined assignment's product
                holders[product_id].append(user)
        return SelectionHoldings(users=list(users.values()), holders_by_product_id=dict(holders))
