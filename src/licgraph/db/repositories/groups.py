"""Groups: the groups themselves, memberships, group licenses, group sources and open errors.

Every read and write here takes a whole selection of users or groups at once, so a group
change costs the same number of statements for 5 members or 50,000.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, select, update

from licgraph.db.keyset import KeysetList
from licgraph.db.repositories._sql import Repository, contains_text
from licgraph.db.repositories.users import COLUMNS as USER_COLUMNS
from licgraph.db.repositories.users import ORDER as USER_ORDER
from licgraph.db.repositories.users import to_user
from licgraph.db.tables import (
    group_license_error_table,
    group_license_table,
    group_member_table,
    group_table,
    inherited_license_table,
    user_table,
)
from licgraph.domain.directory import User
from licgraph.domain.group_licensing import UnsettledLicense
from licgraph.domain.groups import Group, GroupLicense, GroupLicenseError, group_name_key
from licgraph.domain.license_change import LicenseToAssign
from licgraph.domain.license_errors import LicenseError
from licgraph.domain.license_update import decode_errors, encode_errors
from licgraph.domain.outcomes import Holdings

_group = group_table
_member = group_member_table
_grant = group_license_table
_inherited = inherited_license_table
_open_error = group_license_error_table
_COLUMNS = (_group.c.id, _group.c.customer_id, _group.c.name, _group.c.description)


def _to_group(row: Any) -> Group:
    return Group(row[0], row[1], row[2], row[3])


def _searched_groups(search: str | None) -> list[ColumnElement[bool]]:
    return [contains_text(search, _group.c.name_key)] if search else []


def _searched_users(search: str | None) -> list[ColumnElement[bool]]:
    if not search:
        return []
    principal_name = func.lower(user_table.c.user_principal_name)
    return [contains_text(search, user_table.c.display_name_key, principal_name)]


GROUPS: KeysetList[str | None, Group] = KeysetList(
    name="groups",
    rows=select(*_COLUMNS),
    to_value=_to_group,
    order=(_group.c.name_key, _group.c.id),  # name case-insensitively, then id
    customer=_group.c.customer_id,
    where=_searched_groups,  # part of the name
    owner=_group.c.customer_id,  # one list per customer
)
"""Each customer's groups, searched by name."""

GROUP_MEMBERS: KeysetList[str | None, User] = KeysetList(
    name="groupMembers",
    rows=select(*USER_COLUMNS).select_from(
        _member.join(user_table, user_table.c.id == _member.c.user_id)
    ),
    to_value=to_user,
    order=USER_ORDER,  # member order: the users list's
    customer=user_table.c.customer_id,
    where=_searched_users,  # part of a display or sign-in name
    owner=_member.c.group_id,  # one list per group
)
"""Each group's members, in member order, searched like the users list."""


def _to_open_error(row: Any) -> GroupLicenseError:
    group_id, user_id, product_id, errors, since = row[:5]
    return GroupLicenseError(group_id, user_id, product_id, decode_errors(errors), since)


def _no_conditions(_: None) -> list[ColumnElement[bool]]:
    return []


GROUP_LICENSE_ERRORS: KeysetList[None, GroupLicenseError] = KeysetList(
    name="groupLicenseErrors",
    rows=select(
        _open_error.c.group_id,
        _open_error.c.user_id,
        _open_error.c.product_id,
        _open_error.c.errors,
        _open_error.c.since,
    ).select_from(_open_error.join(user_table, user_table.c.id == _open_error.c.user_id)),
    to_value=_to_open_error,
    order=(*USER_ORDER, _open_error.c.product_id),  # member order, then product
    customer=user_table.c.customer_id,
    where=_no_conditions,
    owner=_open_error.c.group_id,  # one list per group
)
"""Each group's open license errors: members whose licenses can't follow it yet, and why."""


class GroupRepository(Repository):
    """A customer's groups and everything hanging off them."""

    async def by_id(self, group_id: int, *, lock: bool = False) -> Group | None:
        """The group (if in scope); ``lock`` holds its row until the transaction ends, so
        changes to one group queue up (SQLite's BEGIN IMMEDIATE serialises writers anyway)."""
        query = self.visible(select(*_COLUMNS).where(_group.c.id == group_id), _group.c.customer_id)
        if lock and self.connection.dialect.name != "sqlite":
            query = query.with_for_update()
        row = (await self.connection.execute(query)).first()
        return None if row is None else _to_group(row)

    async def by_ids(self, ids: Sequence[int]) -> dict[int, Group]:
        """The groups with these ids that exist (and are in scope)."""
        query = self.visible(
            select(*_COLUMNS).where(self.among(_group.c.id, ids)), _group.c.customer_id
        )
        return {row[0]: _to_group(row) for row in await self.connection.execute(query)}

    async def licenses_by_group_ids(self, ids: Sequence[int]) -> dict[int, list[GroupLicense]]:
        """What each group (in scope) grants, ordered by product id."""
        query = (
            select(_grant.c.group_id, _grant.c.product_id, _grant.c.disabled_service_plan_ids)
            .join_from(_grant, _group, _group.c.id == _grant.c.group_id)
            .where(self.among(_grant.c.group_id, ids))
            .order_by(_grant.c.group_id, _grant.c.product_id)
        )
        grants: dict[int, list[GroupLicense]] = defaultdict(list)
        for group_id, product_id, disabled in await self.connection.execute(
            self.visible(query, _group.c.customer_id)
        ):
            grants[group_id].append(GroupLicense(group_id, product_id, frozenset(disabled)))
        return dict(grants)

    async def granting_groups(
        self, licenses: Collection[tuple[int, int]]
    ) -> dict[tuple[int, int], list[Group]]:
        """The groups (in scope) each (user, product) license is held through, by name."""
        user_ids = sorted({user_id for user_id, _ in licenses})
        query = (
            select(_inherited.c.user_id, _inherited.c.product_id, *_COLUMNS)
            .join_from(_inherited, _group, _group.c.id == _inherited.c.group_id)
            .where(self.among(_inherited.c.user_id, user_ids))
            .order_by(_group.c.name_key, _group.c.id)
        )
        wanted = set(licenses)
        found: dict[tuple[int, int], list[Group]] = defaultdict(list)
        for row in await self.connection.execute(self.visible(query, _group.c.customer_id)):
            if (row[0], row[1]) in wanted:
                found[row[0], row[1]].append(_to_group(row[2:]))
        return dict(found)

    async def of_users(self, user_ids: Sequence[int]) -> dict[int, list[Group]]:
        """Each user's groups (in scope), by name."""
        query = (
            select(_member.c.user_id, *_COLUMNS)
            .join_from(_member, _group, _group.c.id == _member.c.group_id)
            .where(self.among(_member.c.user_id, user_ids))
            .order_by(_group.c.name_key, _group.c.id)
        )
        groups: dict[int, list[Group]] = defaultdict(list)
        for row in await self.connection.execute(self.visible(query, _group.c.customer_id)):
            groups[row[0]].append(_to_group(row[1:]))
        return dict(groups)

    async def member_counts(self, ids: Sequence[int]) -> dict[int, int]:
        """How many members each group (in scope) has; groups without members are left out."""
        query = (
            select(_member.c.group_id, func.count())
            .join_from(_member, _group, _group.c.id == _member.c.group_id)
            .where(self.among(_member.c.group_id, ids))
            .group_by(_member.c.group_id)
        )
        rows = await self.connection.execute(self.visible(query, _group.c.customer_id))
        return {group_id: int(count) for group_id, count in rows}

    async def name_taken(self, *, customer_id: int, name: str, other_than: int | None) -> bool:
        """Whether another group of the customer has this name (case-insensitively)."""
        query = select(_group.c.id).where(
            _group.c.customer_id == customer_id, _group.c.name_key == group_name_key(name)
        )
        if other_than is not None:
            query = query.where(_group.c.id != other_than)
        return (await self.connection.execute(query.limit(1))).first() is not None

    async def create(self, *, customer_id: int, name: str, description: str) -> Group:
        """A new group (the caller checked the name is free)."""
        statement = insert(_group).values(
            customer_id=customer_id,
            name=name,
            name_key=group_name_key(name),
            description=description,
        )
        result = await self.connection.execute(statement.returning(_group.c.id))
        return Group(result.scalar_one(), customer_id, name, description)

    async def rename(self, group: Group) -> None:
        """Store ``group``'s name and description."""
        await self.connection.execute(
            update(_group)
            .where(_group.c.id == group.id)
            .values(
                name=group.name, name_key=group_name_key(group.name), description=group.description
            )
        )

    async def delete(self, group_id: int) -> None:
        """Remove the group with its memberships, licenses, sources and open errors."""
        await self.connection.execute(delete(_group).where(_group.c.id == group_id))

    async def members(self, group_id: int) -> list[User]:
        """The group's members in member order (the users list's: display name, then id)."""
        query = (
            select(*USER_COLUMNS)
            .join_from(_member, user_table, user_table.c.id == _member.c.user_id)
            .where(_member.c.group_id == group_id)
            .order_by(*USER_ORDER)
        )
        return [to_user(row) for row in await self.connection.execute(query)]

    async def groups_of(self, user_ids: Collection[int]) -> dict[int, list[int]]:
        """Each user's groups, by id."""
        query = (
            select(_member.c.user_id, _member.c.group_id)
            .where(self.among(_member.c.user_id, user_ids))
            .order_by(_member.c.user_id, _member.c.group_id)
        )
        groups: dict[int, list[int]] = defaultdict(list)
        for user_id, group_id in await self.connection.execute(query):
            groups[user_id].append(group_id)
        return dict(groups)

    async def licenses_of(self, group_ids: Collection[int]) -> dict[int, Holdings]:
        """What each group grants: product id -> the plans it turns off."""
        query = select(_grant.c.group_id, _grant.c.product_id, _grant.c.disabled_service_plan_ids)
        grants: dict[int, dict[int, frozenset[int]]] = {group_id: {} for group_id in group_ids}
        for group_id, product_id, disabled in await self.connection.execute(
            query.where(self.among(_grant.c.group_id, group_ids))
        ):
            grants[group_id][product_id] = frozenset(disabled)
        return dict(grants)

    async def group_grants_of(
        self, user_ids: Collection[int]
    ) -> dict[int, dict[int, dict[int, frozenset[int]]]]:
        """Each user's group sources: product id -> {group id: the plans it turns off}."""
        query = (
            select(
                _inherited.c.user_id,
                _inherited.c.product_id,
                _inherited.c.group_id,
                _grant.c.disabled_service_plan_ids,
            )
            .join_from(
                _inherited,
                _grant,
                and_(
                    _grant.c.group_id == _inherited.c.group_id,
                    _grant.c.product_id == _inherited.c.product_id,
                ),
            )
            .where(self.among(_inherited.c.user_id, user_ids))
        )
        grants: dict[int, dict[int, dict[int, frozenset[int]]]] = defaultdict(dict)
        for user_id, product_id, group_id, disabled in await self.connection.execute(query):
            grants[user_id].setdefault(product_id, {})[group_id] = frozenset(disabled)
        return dict(grants)

    async def add_members(self, group_id: int, user_ids: Sequence[int]) -> None:
        """Make these users (none of them a member yet) members."""
        await self.insert_many(
            _member, ("group_id", "user_id"), [(group_id, id_) for id_ in user_ids]
        )

    async def remove_members(self, group_id: int, user_ids: Sequence[int]) -> None:
        """End these users' membership."""
        if user_ids:
            await self.connection.execute(
                delete(_member).where(
                    _member.c.group_id == group_id, self.among(_member.c.user_id, user_ids)
                )
            )

    async def set_licenses(
        self, group_id: int, assign: Sequence[LicenseToAssign], revoke: Sequence[int]
    ) -> None:
        """Grant ``assign`` (replacing the plans of products granted already), drop ``revoke``."""
        touched = [*(item.product_id for item in assign), *revoke]
        await self.connection.execute(
            delete(_grant).where(
                _grant.c.group_id == group_id, self.among(_grant.c.product_id, touched)
            )
        )
        rows = [
            (group_id, item.product_id, sorted(item.disabled_service_plan_ids)) for item in assign
        ]
        await self.insert_many(
            _grant, ("group_id", "product_id", "disabled_service_plan_ids"), rows
        )

    async def open_error_keys(self, group_id: int) -> tuple[set[int], set[int]]:
        """The users with an open license error in the group (members, or users whose
        leaving could not apply yet), and the products those errors are about."""
        query = select(_open_error.c.user_id, _open_error.c.product_id).where(
            _open_error.c.group_id == group_id
        )
        rows = (await self.connection.execute(query)).all()
        return {row[0] for row in rows}, {row[1] for row in rows}

    async def replace_sources(
        self,
        *,
        user_ids: Collection[int],
        product_ids: Collection[int],
        sources: Mapping[tuple[int, int], Iterable[int]],
    ) -> None:
        """Make ``sources`` the group sources of these users' licenses of these products."""
        await self.connection.execute(
            delete(_inherited).where(
                self.among(_inherited.c.user_id, user_ids),
                self.among(_inherited.c.product_id, product_ids),
            )
        )
        rows = [
            (user_id, product_id, group_id)
            for (user_id, product_id), group_ids in sources.items()
            for group_id in sorted(group_ids)
        ]
        await self.insert_many(_inherited, ("user_id", "product_id", "group_id"), rows)

    async def replace_open_errors(
        self,
        *,
        user_ids: Collection[int],
        product_ids: Collection[int],
        unsettled: Iterable[UnsettledLicense],
        now: datetime,
    ) -> None:
        """Make ``unsettled`` the open errors of these users for these products; an error
        already open keeps its ``since``, the others close."""
        pairs = and_(
            self.among(_open_error.c.user_id, user_ids),
            self.among(_open_error.c.product_id, product_ids),
        )
        since_query = select(
            _open_error.c.group_id,
            _open_error.c.user_id,
            _open_error.c.product_id,
            _open_error.c.since,
        ).where(pairs)
        since = {
            (group_id, user_id, product_id): at
            for group_id, user_id, product_id, at in await self.connection.execute(since_query)
        }
        await self.connection.execute(delete(_open_error).where(pairs))
        rows = [
            (
                group_id,
                item.user_id,
                item.product_id,
                encode_errors(item.errors),
                since.get((group_id, item.user_id, item.product_id), now),
            )
            for item in unsettled
            for group_id in sorted(item.group_ids)
        ]
        columns = ("group_id", "user_id", "product_id", "errors", "since")
        await self.insert_many(_open_error, columns, rows)

    async def open_errors(
        self, group_id: int
    ) -> list[tuple[int, int, tuple[LicenseError, ...], datetime]]:
        """The group's open errors: (user id, product id, errors, since), by user then product."""
        query = (
            select(
                _open_error.c.user_id,
                _open_error.c.product_id,
                _open_error.c.errors,
                _open_error.c.since,
            )
            .where(_open_error.c.group_id == group_id)
            .order_by(_open_error.c.user_id, _open_error.c.product_id)
        )
        return [
            (user_id, product_id, decode_errors(errors), since)
            for user_id, product_id, errors, since in await self.connection.execute(query)
        ]
