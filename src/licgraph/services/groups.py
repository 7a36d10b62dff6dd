"""Group changes: groups, memberships and group licenses, reconciled in the same transaction.

A change writes the desired state (the group, its members, its licenses) and then brings the
affected members' licenses in line with it through :func:`reconcile`, with the Save's own
discipline: one transaction retried whole, the group's row then the touched products then the
members locked in id order, seat counts moved under the SQL guard, a dry run writing nothing
and an idempotency key replaying the first answer.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.engine import Database
from licgraph.db.repositories.assignments import AssignmentRepository
from licgraph.db.repositories.events import LicenseEventRepository
from licgraph.db.repositories.groups import GroupRepository
from licgraph.db.repositories.license_writes import LicenseWriter
from licgraph.db.repositories.products import ProductRepository
from licgraph.db.repositories.users import UserRepository
from licgraph.domain.access import Principal
from licgraph.domain.catalog import Product, ProductRules
from licgraph.domain.events import Actor, EventAction, LicenseEvent, license_events
from licgraph.domain.group_licensing import Reconciliation, reconcile
from licgraph.domain.groups import (
    Group,
    InvalidGroupError,
    validate_group_licenses,
    validate_group_text,
    validate_members,
)
from licgraph.domain.idempotency import check_key, fingerprint
from licgraph.domain.license_change import LicenseChange
from licgraph.domain.license_rules import rules_of, service_plan_errors
from licgraph.domain.license_update import (
    LicenseUpdateResult,
    decode_result,
    encode_result,
    user_results,
)
from licgraph.domain.outcomes import Holdings
from licgraph.services.access import authorize, require_customer
from licgraph.services.errors import GroupNotFoundError
from licgraph.services.idempotent import run_once
from licgraph.services.licenses import products_after
from licgraph.services.transactions import in_transaction

GROUP_NOT_FOUND = "No such group (or not one this token may see)."


class GroupOperation(enum.Enum):
    """The group mutations, by their GraphQL names (they key idempotency records too)."""

    CREATE = "createGroup"
    UPDATE = "updateGroup"
    DELETE = "deleteGroup"
    ADD_MEMBERS = "addGroupMembers"
    REMOVE_MEMBERS = "removeGroupMembers"
    SET_LICENSES = "setGroupLicenses"
    REPROCESS = "reprocessGroupLicenses"


@dataclass(frozen=True, slots=True)
class GroupChangeRequest:
    """One group mutation as the caller asked for it (ids decoded, duplicates kept).

    ``customer_id`` is for CREATE, ``group_id`` for the others; ``name`` and ``description``
    for CREATE and UPDATE, ``user_ids`` for the membership changes and ``change`` for
    SET_LICENSES (``assign`` grants or re-plans products, ``revoke`` drops them).
    """

    operation: GroupOperation
    customer_id: int | None = None
    group_id: int | None = None
    name: str = ""
    description: str = ""
    user_ids: tuple[int, ...] = ()
    change: LicenseChange = dataclasses.field(default_factory=LicenseChange)
    dry_run: bool = False
    idempotency_key: str | None = None

    def fingerprint(self) -> str:
        """What makes two requests "the same input" for an idempotency key."""
        return fingerprint(
            self.operation.value,
            {
                "customerId": self.customer_id,
                "groupId": self.group_id,
                "name": self.name,
                "description": self.description,
                "userIds": list(self.user_ids),
                "assign": [
                    [item.product_id, sorted(item.disabled_service_plan_ids)]
                    for item in self.change.assign
                ],
                "revoke": list(self.change.revoke),
            },
        )


@dataclass(frozen=True, slots=True)
class GroupUpdateResult:
    """A group mutation's answer: the group after it (None once deleted) and its members'."""

    group: Group | None
    update: LicenseUpdateResult


def encode_group_result(result: GroupUpdateResult) -> dict[str, Any]:
    """A JSON-ready form of ``result``, to replay it for a retried idempotency key."""
    group = None if result.group is None else dataclasses.asdict(result.group)
    return {"group": group, "update": encode_result(result.update)}


def decode_group_result(data: Mapping[str, Any]) -> GroupUpdateResult:
    """The result ``encode_group_result`` encoded."""
    group = None if data["group"] is None else Group(**data["group"])
    return GroupUpdateResult(group, decode_result(data["update"]))


async def change_group(
    *,
    database: Database,
    principal: Principal,
    request: GroupChangeRequest,
    request_id: str,
    max_users: int,
) -> GroupUpdateResult:
    """Check, then run one group mutation (a dry run in a read-only connection)."""
    _validate(request, max_users=max_users)
    if request.idempotency_key is not None:
        check_key(request.idempotency_key)

    async def work(connection: AsyncConnection) -> GroupUpdateResult:
        return await _GroupChange(connection, principal, request, request_id).run()

    if request.dry_run:
        async with database.connect() as connection:
            return await work(connection)
    return await in_transaction(database, work)


async def change_group_in(
    connection: AsyncConnection,
    *,
    principal: Principal,
    request: GroupChangeRequest,
    request_id: str,
    max_users: int,
    record_events: bool = True,
) -> GroupUpdateResult:
    """One group mutation inside the caller's transaction (the demo seeds groups this way,
    in the transaction that loads its users). ``record_events=False`` leaves the change log
    alone: seeded data starts with an empty log, licenses and groups alike."""
    _validate(request, max_users=max_users)
    change = _GroupChange(connection, principal, request, request_id, record_events=record_events)
    return await change.run()


def _validate(request: GroupChangeRequest, *, max_users: int) -> None:
    operation = request.operation
    if operation in (GroupOperation.CREATE, GroupOperation.UPDATE):
        validate_group_text(request.name, request.description)
    elif operation in (GroupOperation.ADD_MEMBERS, GroupOperation.REMOVE_MEMBERS):
        validate_members(len(set(request.user_ids)), max_users=max_users)
    elif operation is GroupOperation.SET_LICENSES:
        validate_group_licenses(request.change)


@dataclass(frozen=True, slots=True)
class _DesiredState:
    """Who is to be reconciled, in member order, and the sources as they are after the change."""

    member_ids: Sequence[int]
    groups_of: Mapping[int, Sequence[int]]
    group_licenses: Mapping[int, Holdings]
    product_ids: Sequence[int]


class _GroupChange:
    """One attempt of a group mutation inside one connection (a transaction unless a dry run)."""

    def __init__(
        self,
        connection: AsyncConnection,
        principal: Principal,
        request: GroupChangeRequest,
        request_id: str,
        *,
        record_events: bool = True,
    ) -> None:
        self.connection = connection
        self.principal = principal
        self.request = request
        self.request_id = request_id
        self.now = datetime.now(UTC)
        self.groups = GroupRepository(connection)
        self.write = not request.dry_run
        self.record_events = record_events

    async def run(self) -> GroupUpdateResult:
        request = self.request
        if request.operation is GroupOperation.CREATE:
            customer_id = _required(request.customer_id, "customerId")
            authorize(self.principal, customer_id)
            await require_customer(self.connection, customer_id)
            return await self._once(lambda: self._create(customer_id))
        group_id = _required(request.group_id, "groupId")
        group = await self.groups.by_id(group_id, lock=self.write)
        if group is None or not self.principal.can_see(group.customer_id):
            raise GroupNotFoundError(GROUP_NOT_FOUND)
        authorize(self.principal, group.customer_id)
        return await self._once(lambda: self._change(group))

    async def _once(self, run: Callable[[], Awaitable[GroupUpdateResult]]) -> GroupUpdateResult:
        return await run_once(
            self.connection,
            token_id=self.principal.token_id,
            # A dry run writes nothing, so it neither uses nor spends a key.
            key=None if self.request.dry_run else self.request.idempotency_key,
            request_hash=self.request.fingerprint(),
            run=run,
            encode=encode_group_result,
            decode=decode_group_result,
            now=self.now,
        )

    async def _create(self, customer_id: int) -> GroupUpdateResult:
        request = self.request
        await self._refuse_taken_name(customer_id, request.name, other_than=None)
        group = None
        if self.write:
            group = await self.groups.create(
                customer_id=customer_id, name=request.name, description=request.description
            )
            await self._log(group, EventAction.GROUP_CREATED)
        return GroupUpdateResult(group, self._nothing_reconciled())

    async def _change(self, group: Group) -> GroupUpdateResult:
        request = self.request
        operation = request.operation
        if operation is GroupOperation.UPDATE:
            await self._refuse_taken_name(group.customer_id, request.name, other_than=group.id)
            renamed = dataclasses.replace(group, name=request.name, description=request.description)
            if self.write:
                await self.groups.rename(renamed)
            return GroupUpdateResult(renamed, self._nothing_reconciled())
        desired = await self._desired_state(group)
        update = await self._reconcile(group, desired)
        if not self.write:
            return GroupUpdateResult(None if operation is GroupOperation.DELETE else group, update)
        if operation is GroupOperation.DELETE:
            await self._log(group, EventAction.GROUP_DELETED)
            await self.groups.delete(group.id)
            return GroupUpdateResult(None, update)
        return GroupUpdateResult(group, update)

    async def _log(
        self,
        group: Group,
        action: EventAction,
        *,
        user_ids: Sequence[int | None] = (None,),
        **details: Any,
    ) -> None:
        """Record a change to the group itself: one event, or one per user it is about."""
        if not self.record_events:
            return
        events = (
            LicenseEvent(
                customer_id=group.customer_id,
                occurred_at=self.now,
                action=action,
                actor=Actor.of(self.principal),
                request_id=self.request_id,
                user_id=user_id,
                group_id=group.id,
                details={"groupName": group.name, **details},
            )
            for user_id in user_ids
        )
        await LicenseEventRepository(self.connection).add_all(events)

    async def _refuse_taken_name(self, customer_id: int, name: str, other_than: int | None) -> None:
        if await self.groups.name_taken(customer_id=customer_id, name=name, other_than=other_than):
            raise InvalidGroupError(f"the customer already has a group named {name!r}")

    def _nothing_reconciled(self) -> LicenseUpdateResult:
        return LicenseUpdateResult((), (), dry_run=self.request.dry_run, applied=self.write)

    async def _desired_state(self, group: Group) -> _DesiredState:
        """The members to reconcile and their sources after the change; membership and
        group-license changes are written here (unless a dry run)."""
        request = self.request
        operation = request.operation
        members = [user.id for user in await self.groups.members(group.id)]
        current = set(members)
        grants = await self.groups.licenses_of([group.id])
        granted = list(grants[group.id])
        product_ids = granted
        joining: list[int] = []
        leaving: list[int] = []
        if operation is GroupOperation.ADD_MEMBERS:
            found, member_ids = await self._requested_users(group)
            joining = [user_id for user_id in found if user_id not in current]
            if self.write:
                await self.groups.add_members(group.id, joining)
                await self._log(group, EventAction.MEMBER_ADDED, user_ids=joining)
        elif operation is GroupOperation.REMOVE_MEMBERS:
            found, member_ids = await self._requested_users(group)
            leaving = [user_id for user_id in found if user_id in current]
            if self.write:
                await self.groups.remove_members(group.id, leaving)
                await self._log(group, EventAction.MEMBER_REMOVED, user_ids=leaving)
        elif operation is GroupOperation.SET_LICENSES:
            member_ids = members
            product_ids = await self._change_grants(group, grants)
        else:  # REPROCESS and DELETE: every member and every open error of the group
            member_ids, product_ids = await self._waiting(group, members, granted)
            if operation is GroupOperation.DELETE:
                leaving = members
        groups_of = await self.groups.groups_of(member_ids)
        for user_id in joining:
            groups_of.setdefault(user_id, []).append(group.id)
        for user_id in leaving:
            groups_of[user_id] = [id_ for id_ in groups_of.get(user_id, []) if id_ != group.id]
        others = {id_ for ids in groups_of.values() for id_ in ids} - {group.id}
        group_licenses = {
            **await self.groups.licenses_of(sorted(others)),
            group.id: grants[group.id],
        }
        return _DesiredState(member_ids, groups_of, group_licenses, product_ids)

    async def _change_grants(self, group: Group, grants: dict[int, Holdings]) -> list[int]:
        """A SET_LICENSES change applied to ``grants`` (and written, unless a dry run); the
        products it touches."""
        change = self.request.change
        await self._refuse_invalid_grants(group, change)
        grants[group.id] = {
            **{id_: plans for id_, plans in grants[group.id].items() if id_ not in change.revoke},
            **{item.product_id: item.disabled_service_plan_ids for item in change.assign},
        }
        if self.write:
            await self.groups.set_licenses(group.id, change.assign, change.revoke)
            await self._log(
                group,
                EventAction.GROUP_LICENSES_CHANGED,
                assignedProductIds=list(change.assigned_product_ids),
                revokedProductIds=list(change.revoke),
            )
        return [*change.assigned_product_ids, *change.revoke]

    async def _waiting(
        self, group: Group, members: list[int], granted: list[int]
    ) -> tuple[list[int], list[int]]:
        """The members and the users with an open error of the group, in member order; and
        the products to reconcile them on (the group's and those of the open errors)."""
        waiting_users, waiting_products = await self.groups.open_error_keys(group.id)
        waiting = await UserRepository(self.connection).of_customer(
            customer_id=group.customer_id, ids=sorted({*members, *waiting_users})
        )
        return [user.id for user in waiting], sorted({*granted, *waiting_products})

    async def _requested_users(self, group: Group) -> tuple[list[int], list[int]]:
        """The requested users of the group's customer, in member order; and those followed
        by the requested ids that name no user of the customer (their results come last)."""
        requested = list(dict.fromkeys(self.request.user_ids))
        found = await UserRepository(self.connection).of_customer(
            customer_id=group.customer_id, ids=requested
        )
        found_ids = [user.id for user in found]
        known = set(found_ids)
        return found_ids, found_ids + [id_ for id_ in requested if id_ not in known]

    async def _refuse_invalid_grants(self, group: Group, change: LicenseChange) -> None:
        """A group's license must be valid in itself: the customer's product, its own plans."""
        catalog = await ProductRepository(self.connection).by_customer_ids([group.customer_id])
        owned = {product.id for product in catalog.get(group.customer_id, [])}
        unknown = sorted({*change.assigned_product_ids, *change.revoke} - owned)
        if unknown:
            raise InvalidGroupError(f"no such product of the customer: {unknown}")
        rules = await ProductRepository(self.connection).rules_by_product_ids(
            change.assigned_product_ids
        )
        for item in change.assign:
            errors = service_plan_errors(item, rules_of(rules, item.product_id))
            if errors:
                raise InvalidGroupError(errors[0].message)

    async def _reconcile(self, group: Group, desired: _DesiredState) -> LicenseUpdateResult:
        member_ids, product_ids = desired.member_ids, desired.product_ids
        if self.write:
            await LicenseWriter(self.connection).lock(product_ids=product_ids, user_ids=member_ids)
        products, rules = await self._catalog(group.customer_id)
        users = await UserRepository(self.connection).of_customer(
            customer_id=group.customer_id, ids=member_ids
        )
        assignments = AssignmentRepository(self.connection)
        holdings, direct = await assignments.holdings_and_direct(member_ids)
        current = await assignments.by_user_ids(member_ids)
        reconciliation = reconcile(
            member_ids=member_ids,
            users={user.id: user for user in users},
            holdings=holdings,
            direct=direct,
            groups_of=desired.groups_of,
            group_licenses=desired.group_licenses,
            product_ids=product_ids,
            products=products,
            rules=rules,
            cause_group_id=group.id,
        )
        if self.write:
            await self._write(group, [user.id for user in users], product_ids, reconciliation)
        plan = reconciliation.plan
        return LicenseUpdateResult(
            # A group change leaves direct assignments as they are.
            results=user_results(
                plan,
                current,
                now=self.now,
                direct_after={user_id: set(products) for user_id, products in direct.items()},
            ),
            products=products_after(products, product_ids, plan.seat_changes),
            dry_run=self.request.dry_run,
            applied=self.write,
        )

    async def _catalog(
        self, customer_id: int
    ) -> tuple[dict[int, Product], dict[int, ProductRules]]:
        repository = ProductRepository(self.connection)
        catalog = await repository.by_customer_ids([customer_id])
        products = {product.id: product for product in catalog.get(customer_id, [])}
        return products, await repository.rules_by_product_ids(list(products))

    async def _write(
        self,
        group: Group,
        user_ids: Sequence[int],
        product_ids: Sequence[int],
        reconciliation: Reconciliation,
    ) -> None:
        plan = reconciliation.plan
        writer = LicenseWriter(self.connection)
        await writer.apply(plan.outcomes, now=self.now, directly=False)
        await writer.move_seats(plan.seat_changes)
        await self.groups.replace_sources(
            user_ids=user_ids, product_ids=product_ids, sources=reconciliation.group_sources
        )
        await self.groups.replace_open_errors(
            user_ids=user_ids,
            product_ids=product_ids,
            unsettled=reconciliation.unsettled,
            now=self.now,
        )
        if not self.record_events:
            return
        events = license_events(
            plan.outcomes,
            customer_id=group.customer_id,
            actor=Actor.of(self.principal),
            request_id=self.request_id,
            now=self.now,
        )
        await LicenseEventRepository(self.connection).add_all(
            _naming_the_group(event, group) for event in events
        )


def _required(value: int | None, name: str) -> int:
    if value is None:
        raise InvalidGroupError(f"give `{name}`")
    return value


def _naming_the_group(event: LicenseEvent, group: Group) -> LicenseEvent:
    # The name is kept in the details, so the log still says which group once it is deleted.
    details = {**event.details, "groupName": group.name}
    return dataclasses.replace(event, group_id=group.id, details=details)
