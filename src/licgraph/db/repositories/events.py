"""The change log: written in bulk, read newest first in keyset pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, select

from licgraph.db.keyset import KeysetList
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
        """Store events in bulk (one COPY on PostgreSQL, one executemany on SQLite)."""
        written = list(events)
        await self.insert_many(_event, _ROW_COLUMNS, [_row(event) for event in written])
        # Counted in the metrics when (and only if) the transaction commits.
        note_change_log(self.connection, (event.action.value for event in written))

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
