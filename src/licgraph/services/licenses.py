"""The Save: assign and revoke licenses for many users in one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

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
from licgraph.domain.directory import User
from licgraph.domain.events import Actor, license_events
from licgraph.domain.idempotency import check_key, fingerprint
from licgraph.domain.license_change import LicenseChange, validate_change
from licgraph.domain.license_update import (
    LicenseUpdateResult,
    UserLicenseResult,
    decode_result,
    encode_result,
    user_results,
)
from licgraph.domain.licenses import LicenseAssignment
from licgraph.domain.outcomes import LicenseUpdatePlan, OutcomeStatus
from licgraph.domain.sourced_save import GroupGrants, SourcedChange, plan_sourced_save
from licgraph.observability.metrics import count_save
from licgraph.services.access import authorize, require_customer
from licgraph.services.idempotent import run_once
from licgraph.services.transactions import in_transaction


@dataclass(frozen=True, slots=True)
class LicenseUpdateRequest:
    """One Save as the caller asked for it (user ids already decoded, duplicates kept)."""

    operation: str
    customer_id: int
    user_ids: tuple[int, ...]
    change: LicenseChange
    dry_run: bool = False
    atomic: bool = False
    idempotency_key: str | None = None

    def fingerprint(self) -> str:
        """What makes two requests "the same input" for an idempotency key."""
        return fingerprint(
            self.operation,
            {
                "customerId": self.customer_id,
                "userIds": list(self.user_ids),
                "assign": [
                    [item.product_id, sorted(item.disabled_service_plan_ids)]
                    for item in self.change.assign
                ],
                "revoke": list(self.change.revoke),
                "atomic": self.atomic,
            },
        )


async def update_licenses(
    *,
    database: Database,
    principal: Principal,
    request: LicenseUpdateRequest,
    request_id: str,
    max_users: int,
) -> LicenseUpdateResult:
    """Plan and (unless a dry run or a refused atomic save) apply one Save."""
    authorize(principal, request.customer_id)
    validate_change(request.change, user_count=len(set(request.user_ids)), max_users=max_users)
    if request.idempotency_key is not None:
        check_key(request.idempotency_key)
    if request.dry_run:
        async with database.connect() as connection:
            result = await _Save(connection, principal, request, request_id).run()
    else:
        result = await in_transaction(
            database, lambda connection: _Save(connection, principal, request, request_id).run()
        )
    count_save(result.save_status, (user.status.value for user in result.results))
    return result


class _Save:
    """One attempt of a Save inside one connection (a transaction unless a dry run)."""

    def __init__(
        self,
        connection: AsyncConnection,
        principal: Principal,
        request: LicenseUpdateRequest,
        request_id: str,
    ) -> None:
        self.connection = connection
        self.principal = principal
        self.request = request
        self.request_id = request_id
        self.now = datetime.now(UTC)

    async def run(self) -> LicenseUpdateResult:
        await require_customer(self.connection, self.request.customer_id)
        return await run_once(
            self.connection,
            token_id=self.principal.token_id,
            # A dry run writes nothing, so it neither uses nor spends a key.
            key=None if self.request.dry_run else self.request.idempotency_key,
            request_hash=self.request.fingerprint(),
            run=self._plan_and_write,
            encode=encode_result,
            decode=decode_result,
            now=self.now,
        )

    async def _plan_and_write(self) -> LicenseUpdateResult:
        request = self.request
        user_ids = list(dict.fromkeys(request.user_ids))
        touched = [*request.change.assigned_product_ids, *request.change.revoke]
        if not request.dry_run:
            await LicenseWriter(self.connection).lock(product_ids=touched, user_ids=user_ids)
        snapshot = await _Snapshot.load(self.connection, request.customer_id, user_ids)
        plan, sourced = snapshot.plan(user_ids, request.change)
        write = not request.dry_run and (plan.all_succeeded or not request.atomic)
        if write:
            await self._write(plan, sourced)
        return LicenseUpdateResult(
            results=user_results(
                plan,
                snapshot.licenses,
                now=self.now,
                direct_after=snapshot.direct_after(plan, sourced),
            ),
            products=products_after(snapshot.products, touched, plan.seat_changes),
            dry_run=request.dry_run,
            applied=write and any(outcome.changes for outcome in plan.outcomes),
        )

    async def _write(self, plan: LicenseUpdatePlan, sourced: Mapping[int, SourcedChange]) -> None:
        await _write_plan(
            self.connection,
            plan,
            sourced,
            customer_id=self.request.customer_id,
            actor=Actor.of(self.principal),
            request_id=self.request_id,
            now=self.now,
        )


async def apply_license_change(
    connection: AsyncConnection,
    *,
    customer_id: int,
    user_ids: Sequence[int],
    change: LicenseChange,
    actor: Actor,
    request_id: str,
    now: datetime,
) -> tuple[UserLicenseResult, ...]:
    """The Save's planner and writer for distinct users of one customer, never atomic,
    inside the caller's open transaction (a license job's chunk); results in ``user_ids``
    order. Group sources count as in a Save (an inherited license is not revoked)."""
    touched = [*change.assigned_product_ids, *change.revoke]
    await LicenseWriter(connection).lock(product_ids=touched, user_ids=user_ids)
    snapshot = await _Snapshot.load(connection, customer_id, user_ids)
    plan, sourced = snapshot.plan(user_ids, change)
    await _write_plan(
        connection,
        plan,
        sourced,
        customer_id=customer_id,
        actor=actor,
        request_id=request_id,
        now=now,
    )
    return user_results(
        plan, snapshot.licenses, now=now, direct_after=snapshot.direct_after(plan, sourced)
    )


async def _write_plan(
    connection: AsyncConnection,
    plan: LicenseUpdatePlan,
    sourced: Mapping[int, SourcedChange],
    *,
    customer_id: int,
    actor: Actor,
    request_id: str,
    now: datetime,
) -> None:
    """Write a plan's changes, move the seats, keep the direct assignments in step with
    them and record the change log, in the caller's transaction."""
    writer = LicenseWriter(connection)
    await writer.apply(plan.outcomes, now=now)
    await writer.move_seats(plan.seat_changes)
    await writer.set_direct(
        {
            (outcome.user_id, product_id): plans
            for outcome in plan.outcomes
            if outcome.status is not OutcomeStatus.FAILED
            for product_id, plans in sourced[outcome.user_id].direct_after.items()
        }
    )
    events = license_events(
        plan.outcomes, customer_id=customer_id, actor=actor, request_id=request_id, now=now
    )
    await LicenseEventRepository(connection).add_all(events)


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """Everything the planner needs, read with a fixed number of set queries."""

    users: Mapping[int, User]
    products: Mapping[int, Product]
    rules: Mapping[int, ProductRules]
    licenses: Mapping[int, Sequence[LicenseAssignment]]
    groups: Mapping[int, GroupGrants]

    @classmethod
    async def load(
        cls, connection: AsyncConnection, customer_id: int, user_ids: Sequence[int]
    ) -> _Snapshot:
        users = await UserRepository(connection).of_customer(customer_id=customer_id, ids=user_ids)
        catalog = await ProductRepository(connection).by_customer_ids([customer_id])
        products = {product.id: product for product in catalog.get(customer_id, [])}
        rules = await ProductRepository(connection).rules_by_product_ids(list(products))
        found = [u.id for u in users]
        licenses = await AssignmentRepository(connection).by_user_ids(found)
        groups = await GroupRepository(connection).group_grants_of(found)
        return cls({u.id: u for u in users}, products, rules, licenses, groups)

    def direct_after(
        self, plan: LicenseUpdatePlan, sourced: Mapping[int, SourcedChange]
    ) -> dict[int, set[int]]:
        """The products each planned user holds directly once the plan applies."""
        direct: dict[int, set[int]] = {}
        for outcome in plan.outcomes:
            held = self.licenses.get(outcome.user_id, ())
            products = {item.product_id for item in held if item.assigned_directly}
            if outcome.status is not OutcomeStatus.FAILED:
                for product_id, plans in sourced[outcome.user_id].direct_after.items():
                    if plans is None:
                        products.discard(product_id)
                    else:
                        products.add(product_id)
            direct[outcome.user_id] = products
        return direct

    def plan(
        self, user_ids: Sequence[int], change: LicenseChange
    ) -> tuple[LicenseUpdatePlan, Mapping[int, SourcedChange]]:
        holdings = {
            user_id: {item.product_id: item.disabled_service_plan_ids for item in held}
            for user_id, held in self.licenses.items()
        }
        direct = {
            user_id: {
                i.product_id: i.disabled_service_plan_ids for i in held if i.assigned_directly
            }
            for user_id, held in self.licenses.items()
        }
        return plan_sourced_save(
            user_ids=user_ids,
            users=self.users,
            holdings=holdings,
            direct=direct,
            groups=self.groups,
            products=self.products,
            rules=self.rules,
            change=change,
        )


def products_after(
    products: Mapping[int, Product], touched: Sequence[int], seat_changes: Mapping[int, int]
) -> tuple[Product, ...]:
    """The touched products with the counts the plan leads to (rows are locked, so exact)."""
    return tuple(
        dataclasses.replace(
            products[product_id],
            assigned_licenses=products[product_id].assigned_licenses
            + seat_changes.get(product_id, 0),
        )
        for product_id in dict.fromkeys(touched)
        if product_id in products
    )
