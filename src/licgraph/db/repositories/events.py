"""The change log: written in bulk, read newest first in keyset pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select

from licgraph.db.keyset import KeysetList
from licgraph.db.notifications import claim_change_log
from licgraph.db.repositories._sql import Repository
from licgraph.db.tables import license_event_table
from licgraph.domain.access import Role
from licgraph.domain.events import Actor, EventAction, EventFilter, LicenseEvent
from licgraph.observability.sql import note_change_log

_event = license_event_table


def _to_event(row: Any) -> LicenseEvent:
    return LicenseEvent(
        id=row.id,
        customer_id=row.customer_id,
        occurred_at=row.occurred_at,
        action=EventAction(row.action),
        actor=Actor(name=row.actor_name, role=Role(row.actor_role)),
        request_id=row.request_id,
        user_id=row.user_id,
        product_id=row.product_id,
        details=row.details,
        group_id=row.group_id,
    )


def _filtered(event_filter: EventFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if event_filter.user_id is not None:
        conditions.append(_event.c.user_id == event_filter.user_id)
    if event_filter.product_id is not None:
        conditions.append(_event.c.product_id == event_filter.product_id)
    if event_filter.action is not None:
        conditions.append(_event.c.action == event_filter.action.value)
    return conditions


LICENSE_EVENTS: KeysetList[EventFilter, LicenseEvent] = KeysetList(
    name="licenseEvents",
    rows=select(_event),
    to_value=_to_event,
    order=(_event.c.id,),
    descending=True,  # newest first
    customer=_event.c.customer_id,
    where=_filtered,
    owner=_event.c.customer_id,  # one change log per customer
)
"""Each customer's change log, newest first, narrowed by ``EventFilter``."""


class LicenseEventRepository(Repository):
    """Appends to the change log and reads events by id (the log itself is ``LICENSE_EVENTS``)."""

    async def add_all(self, events: Iterable[LicenseEvent]) -> None:
        """Store events in bulk (one COPY on PostgreSQL, one executemany on SQLite).

        Each customer's log keeps commit order in its ids, and listeners of the customer's
        topic hear of the events when they commit (``db/notifications.py``).
        """
        written = list(events)
        rows = [_row(event) for event in written]
        customers = sorted({row[0] for row in rows})
        for customer_id in customers:
            await claim_change_log(self.connection, customer_id)
        await self.insert_many(_event, _ROW_COLUMNS, rows)
        # Counted in the metrics when (and only if) the transaction commits.
        note_change_log(self.connection, (event.action.value for event in written))

    async def last_id(self, customer_id: int) -> int:
        """The id of the customer's newest event (0 if none)."""
        query = select(func.max(_event.c.id)).where(_event.c.customer_id == customer_id)
        return int(await self.connection.scalar(query) or 0)

    async def after(self, *, customer_id: int, after_id: int, limit: int) -> list[LicenseEvent]:
        """The customer's events with ids above ``after_id``, oldest first (commit order)."""
        query = (
            select(_event)
            .where(_event.c.customer_id == customer_id, _event.c.id > after_id)
            .order_by(_event.c.id)
            .limit(limit)
        )
        return [_to_event(row) for row in await self.connection.execute(query)]

    async def by_ids(self, ids: Sequence[int]) -> dict[int, LicenseEvent]:
        """The events with these ids that exist (and are in scope)."""
        query = self.visible(
            select(_event).where(self.among(_event.c.id, ids)), _event.c.customer_id
        )
        return {row.id: _to_event(row) for row in await self.connection.execute(query)}


_ROW_COLUMNS = (
    "customer_id",
    "occurred_at",
    "action",
    "user_id",
    "product_id",
    "group_id",
    "actor_name",
    "actor_role",
    "request_id",
    "details",
)


def _row(event: LicenseEvent) -> tuple[Any, ...]:
    return (
        event.customer_id,
        event.occurred_at,
        event.action.value,
        event.user_id,
        event.product_id,
        event.group_id,
        event.actor.name,
        event.actor.role.value,
        event.request_id,
        dict(event.details),
    )
