"""Reading a customer's change log."""

from __future__ import annotations

from licgraph.db.engine import Database
from licgraph.db.repositories.events import LicenseEventRepository
from licgraph.domain.events import EventFilter, LicenseEvent
from licgraph.domain.paging import Page, PageRequest


async def page_events(
    *, database: Database, customer_id: int, event_filter: EventFilter, request: PageRequest
) -> Page[LicenseEvent]:
    """One page of the customer's events, newest first."""
    async with database.connect() as connection:
        return await LicenseEventRepository(connection).page(
            customer_id=customer_id, event_filter=event_filter, request=request
        )


async def count_events(*, database: Database, customer_id: int, event_filter: EventFilter) -> int:
    """How many events ``page_events`` would walk through."""
    async with database.connect() as connection:
        return await LicenseEventRepository(connection).count(
            customer_id=customer_id, event_filter=event_filter
        )
