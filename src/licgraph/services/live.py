"""Live updates for subscriptions: wake-ups when a topic changes, and the reads they trigger.

A subscriber reads what is new, then waits on its topic: a PostgreSQL notification (sent by
the committing transaction of any process) wakes it at once; without one it looks again
after ``poll_seconds`` anyway, which is how SQLite works and what covers a lost listener
connection. Reads go by id from the last one delivered, so a wake-up carries no data and a
missed one delays an update without losing it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable

import structlog

from licgraph.db.engine import Database
from licgraph.db.notifications import Listener, events_topic, job_topic
from licgraph.db.repositories.customers import CustomerRepository
from licgraph.db.repositories.events import LicenseEventRepository
from licgraph.db.repositories.license_jobs import LicenseJobRepository
from licgraph.domain.events import LicenseEvent
from licgraph.domain.license_jobs import LicenseJob

log = structlog.get_logger(__name__)

EVENTS_PER_READ = 500


class ChangeFeed:
    """One process's wake-ups by topic (``events:<customer>``, ``job:<id>``)."""

    def __init__(self, database: Database, *, poll_seconds: float) -> None:
        self.database = database
        self.poll_seconds = poll_seconds
        self._generations: Counter[str] = Counter()
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self._listener: Listener | None = None

    async def start(self) -> None:
        """Hear this process's commits, and (PostgreSQL) every process's; subscribers also poll."""
        self.database.commit_listeners.append(self._heard)
        if self.database.is_sqlite:
            return
        listener = Listener(self.database.engine.url.render_as_string(False), self._heard)
        try:
            await listener.start()
        except OSError as error:  # the subscribers' polling still delivers everything
            log.warning("change feed not listening; subscribers poll", error=str(error))
            return
        self._listener = listener

    async def stop(self) -> None:
        """Stop listening."""
        if self._heard in self.database.commit_listeners:
            self.database.commit_listeners.remove(self._heard)
        if self._listener is not None:
            await self._listener.stop()

    def _heard(self, topic: str) -> None:
        self._generations[topic] += 1
        for waiter in self._waiters.get(topic, ()):
            waiter.set()

    def generation(self, topic: str) -> int:
        """How many notifications of ``topic`` this process has heard (to wait from)."""
        return self._generations[topic]

    async def wait(self, topic: str, *, since: int, within: float | None = None) -> None:
        """Until ``topic`` is notified after generation ``since``, or ``within`` seconds
        (``poll_seconds`` unless given) pass."""
        if self._generations[topic] != since:
            return
        waiter = asyncio.Event()
        self._waiters.setdefault(topic, set()).add(waiter)
        try:
            async with asyncio.timeout(self.poll_seconds if within is None else within):
                await waiter.wait()
        except TimeoutError:
            pass
        finally:
            waiters = self._waiters[topic]
            waiters.discard(waiter)
            if not waiters:
                del self._waiters[topic]


async def job_updates(
    feed: ChangeFeed, job_id: int, *, read: Callable[[int], Awaitable[LicenseJob | None]]
) -> AsyncIterator[LicenseJob]:
    """The job as it is now, then each time its counters or status move, until it ends.

    ``read`` loads the job as the subscriber may see it (None: gone or not visible).
    """
    topic, last = job_topic(job_id), None
    while True:
        since = feed.generation(topic)
        job = await read(job_id)
        if job is None:
            return
        seen = (job.status, job.progress)
        if seen != last:
            last = seen
            yield job
        if job.status.ended:
            return
        await feed.wait(topic, since=since)


async def new_events(feed: ChangeFeed, customer_id: int) -> AsyncIterator[LicenseEvent]:
    """Each change-log entry of the customer committed from now on, in commit order."""
    topic = events_topic(customer_id)
    async with feed.database.connect() as connection:
        last_id = await LicenseEventRepository(connection).last_id(customer_id)
    while True:
        since = feed.generation(topic)
        async with feed.database.connect() as connection:
            events = await LicenseEventRepository(connection).after(
                customer_id=customer_id, after_id=last_id, limit=EVENTS_PER_READ
            )
        for event in events:
            last_id = event.id or last_id
            yield event
        if len(events) < EVENTS_PER_READ:
            await feed.wait(topic, since=since)


async def read_job(database: Database, job_id: int, *, scope: int | None) -> LicenseJob | None:
    """One job as a caller limited to ``scope`` sees it."""
    async with database.connect() as connection:
        found = await LicenseJobRepository(connection, scope=scope).by_ids([job_id])
    return found.get(job_id)


async def customer_visible(database: Database, customer_id: int, *, scope: int | None) -> bool:
    """Whether the customer exists for a caller limited to ``scope``."""
    async with database.connect() as connection:
        return bool(await CustomerRepository(connection, scope=scope).by_ids([customer_id]))
