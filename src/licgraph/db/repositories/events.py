"""The change log: written in bulk, read newest first in keyset pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, insert, select

from licgraph.db.keyset import KeysetList
from licgraph.db.repositories._sql import Repository
from licgraph.db.tables import license_event_table
from licgraph.domain.access import Role
from licgraph.domain.events import Actor, EventAction, EventFilter, LicenseEvent

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
        """Store events with one multi-row statement."""
        rows = [_row(event) for event in events]
        if rows:
            await self.connection.execute(insert(_event), rows)

    async def by_ids(self, ids: Sequence[int]) -> dict[int, LicenseEvent]:
        """The events with these ids that exist (and are in scope)."""
        query = self.visible(select(_event).where(_event.c.id.in_(ids)), _event.c.customer_id)
        return {row.id: _to_event(row) for row in await self.connection.execute(query)}


def _row(event: LicenseEvent) -> dict[str, Any]:
    return {
        "customer_id": event.customer_id,
        "occurred_at": event.occurred_at,
        "action": event.action.value,
        "user_id": event.user_id,
        "product_id": event.product_id,
        "actor_name": event.actor.name,
        "actor_role": event.actor.role.value,
        "request_id": event.request_id,
        "details": dict(event.details),
    }
