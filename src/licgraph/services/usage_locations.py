"""Setting users' usage location (what a location error asks an admin to fix)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.engine import Database
from licgraph.db.repositories.assignments import AssignmentRepository
from licgraph.db.repositories.events import LicenseEventRepository
from licgraph.db.repositories.license_writes import LicenseWriter
from licgraph.db.repositories.products import ProductRepository
from licgraph.db.repositories.users import UserRepository
from licgraph.domain.access import Principal
from licgraph.domain.events import Actor, EventAction, LicenseEvent
from licgraph.domain.license_change import validate_user_count
from licgraph.domain.locations import LocationOutcome, plan_location_change, usage_location
from licgraph.domain.outcomes import OutcomeStatus
from licgraph.services.access import authorize, require_customer
from licgraph.services.transactions import in_transaction


@dataclass(frozen=True, slots=True)
class UsageLocationUpdate:
    """Per-user outcomes in request order and the location that was set."""

    usage_location: str
    outcomes: tuple[LocationOutcome, ...]


async def set_usage_location(
    *,
    database: Database,
    principal: Principal,
    customer_id: int,
    user_ids: Sequence[int],
    location: str,
    request_id: str,
    max_users: int,
) -> UsageLocationUpdate:
    """Set ``location`` (ISO 3166 alpha-2) on the customer's given users."""
    authorize(principal, customer_id)
    code = usage_location(location)
    distinct = list(dict.fromkeys(user_ids))
    validate_user_count(len(distinct), max_users=max_users)

    async def work(connection: AsyncConnection) -> UsageLocationUpdate:
        await require_customer(connection, customer_id)
        await LicenseWriter(connection).lock(product_ids=(), user_ids=distinct)
        outcomes = await _plan(connection, customer_id, distinct, code)
        await _write(connection, outcomes, customer_id, code, principal, request_id)
        return UsageLocationUpdate(usage_location=code, outcomes=outcomes)

    return await in_transaction(database, work)


async def _plan(
    connection: AsyncConnection, customer_id: int, user_ids: list[int], code: str
) -> tuple[LocationOutcome, ...]:
    users = await UserRepository(connection).of_customer(customer_id=customer_id, ids=user_ids)
    licenses = await AssignmentRepository(connection).by_user_ids([user.id for user in users])
    held = {user_id: [item.product_id for item in items] for user_id, items in licenses.items()}
    product_ids = sorted({product_id for ids in held.values() for product_id in ids})
    rules = await ProductRepository(connection).rules_by_product_ids(product_ids)
    return plan_location_change(
        user_ids=user_ids,
        users={user.id: user for user in users},
        held_product_ids=held,
        rules=rules,
        location=code,
    )


async def _write(
    connection: AsyncConnection,
    outcomes: tuple[LocationOutcome, ...],
    customer_id: int,
    code: str,
    principal: Principal,
    request_id: str,
) -> None:
    changed = [item.user_id for item in outcomes if item.status is OutcomeStatus.SUCCEEDED]
    await UserRepository(connection).set_usage_location(ids=changed, location=code)
    now = datetime.now(UTC)
    await LicenseEventRepository(connection).add_all(
        LicenseEvent(
            customer_id=customer_id,
            occurred_at=now,
            action=EventAction.USAGE_LOCATION_SET,
            actor=Actor.of(principal),
            request_id=request_id,
            user_id=user_id,
            details={"usageLocation": code},
        )
        for user_id in changed
    )
