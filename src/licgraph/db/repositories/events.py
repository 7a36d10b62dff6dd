"""The change log: written in bulk, read newest first in keyset pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.keyset import fetch_page
from licgraph.db.tables import license_event_table
from licgraph.domain.access import Role
from licgraph.domain.events import Actor, EventAction, EventFilter, LicenseEvent
from licgraph.domain.paging import Page, PageRequest

_event = license_event_table
ORDER = (_event.c.id,)


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


class LicenseEventRepository:
    """Appends to and reads a customer's change log."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add_all(self, events: Iterable[LicenseEvent]) -> None:
        """Store events with one multi-row statement."""
        rows = [_row(event) for event in events]
        if rows:
            await self._connection.execute(insert(_event), rows)

    async def by_ids(self, ids: Sequence[int]) -> dict[int, LicenseEvent]:
        """The events with these ids that exist."""
        rows = await self._connection.execute(select(_event).where(_event.c.id.in_(ids)))
        return {row.id: _to_event(row) for row in rows}

    async def page(
        self, *, customer_id: int, event_filter: EventFilter, request: PageRequest
    ) -> Page[LicenseEvent]:
        """One page of the customer's events, newest first."""
        query = _matching(select(_event), customer_id, event_filter)
        return await fetch_page(
            self._connection,
            query,
            order=ORDER,
            request=request,
            to_value=_to_event,
            descending=True,  # newest first
        )

    async def count(self, *, customer_id: int, event_filter: EventFilter) -> int:
        """How many events the same filter matches."""
        query = _matching(select(func.count()).select_from(_event), customer_id, event_filter)
        return int(await self._connection.scalar(query) or 0)


def _matching(query: Select[Any], customer_id: int, event_filter: EventFilter) -> Select[Any]:
    conditions: list[ColumnElement[bool]] = [_event.c.customer_id == customer_id]
    if event_filter.user_id is not None:
        conditions.append(_event.c.user_id == event_filter.user_id)
    if event_filter.product_id is not None:
        conditions.append(_event.c.product_id == event_filter.product_id)
    if event_filter.action is not None:
        conditions.append(_event.c.action == event_filter.action.value)
    return query.where(*conditions)


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
