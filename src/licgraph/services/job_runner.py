"""The durable job runner: claims a job, works it chunk by chunk, each chunk one transaction.

A chunk locks the job, takes the next unprocessed users of its stored selection, runs the
Save's planner and writer for them (``apply_license_change``) and stores their results and
the job's counters, all in one transaction. A process that dies mid-chunk leaves nothing of
that chunk behind, and a committed chunk is never run again: each user is processed exactly
once. The runner's lease on the job is renewed with every chunk; when it lapses (the process
died or hangs) another runner takes the job over.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.db.notifications import JOBS_TOPIC
from licgraph.db.repositories.license_jobs import LicenseJobRepository
from licgraph.domain.license_jobs import JobStatus, LicenseJob, decode_change
from licgraph.services.errors import RetriesExhaustedError
from licgraph.services.licenses import apply_license_change
from licgraph.services.live import ChangeFeed
from licgraph.services.transactions import in_transaction

log = structlog.get_logger(__name__)


def runner_name() -> str:
    """A name for this process's runner, unique across hosts and restarts."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(slots=True)
class JobRunner:
    """Works license jobs from the database, one chunk per transaction."""

    database: Database
    chunk_size: int
    lease: timedelta
    poll_seconds: float
    # Wakes an idle runner when a job starts (at once in this process; from any process on
    # PostgreSQL); without it, or without a notification, it looks every ``poll_seconds``.
    feed: ChangeFeed | None = None
    owner: str = field(default_factory=runner_name)

    @classmethod
    def from_settings(
        cls, database: Database, settings: Settings, feed: ChangeFeed | None = None
    ) -> JobRunner:
        """A runner tuned by ``LICGRAPH_JOB_*``."""
        return cls(
            database=database,
            chunk_size=settings.job_chunk_size,
            lease=timedelta(seconds=settings.job_lease_seconds),
            poll_seconds=settings.job_poll_seconds,
            feed=feed,
        )

    async def run_forever(self) -> None:
        """Work every job there is, then wait for a new one (or ``poll_seconds``); until
        cancelled."""
        while True:
            since = self.feed.generation(JOBS_TOPIC) if self.feed else 0
            try:
                worked = await self.work_one()
            except Exception as error:
                if not is_transient(error):
                    raise
                # The database is away or busy: the job stays as it is, to resume later.
                log.warning("job runner waits for the database", error=str(error))
                worked = False
            if not worked:
                await self._idle(since)

    async def _idle(self, since: int) -> None:
        if self.feed is None:
            await asyncio.sleep(self.poll_seconds)
        else:
            await self.feed.wait(JOBS_TOPIC, since=since, within=self.poll_seconds)

    async def work_one(self) -> bool:
        """Claim one job and work it until it ends or another runner holds it.

        Returns whether a job was claimed.
        """
        if not await self._any_claimable():
            return False
        job_id = await in_transaction(self.database, self._claim)
        if job_id is None:
            return False
        while await self._run_chunk_or_fail(job_id):
            pass
        return True

    async def _any_claimable(self) -> bool:
        # A read first: an idle runner costs one cheap query a poll, not a write transaction
        # (which on SQLite would take the database's write lock every poll).
        async with self.database.connect() as connection:
            return await LicenseJobRepository(connection).any_claimable(
                owner=self.owner, now=datetime.now(UTC)
            )

    async def _claim(self, connection: AsyncConnection) -> int | None:
        return await LicenseJobRepository(connection).claim(
            owner=self.owner, now=datetime.now(UTC), lease=self.lease
        )

    async def _run_chunk_or_fail(self, job_id: int) -> bool:
        try:
            return await in_transaction(
                self.database, lambda connection: self.run_chunk(connection, job_id)
            )
        except Exception as error:
            if is_transient(error):
                raise  # the job stays as it is, for this or another runner to resume
            # A bug or broken data: the job itself failed (users already processed keep
            # their results); nothing is retried in a loop.
            log.exception("license job failed", job_id=job_id)
            await in_transaction(self.database, lambda connection: _fail(connection, job_id))
            return False

    async def run_chunk(self, connection: AsyncConnection, job_id: int) -> bool:
        """Run the job's next chunk in ``connection``'s transaction; whether more remain."""
        jobs = LicenseJobRepository(connection)
        held = await jobs.lock_for_chunk(job_id)
        if held is None or held.job.status.ended or held.lease_owner != self.owner:
            return False  # cancelled, ended, or taken over by another runner
        job, now = held.job, datetime.now(UTC)
        users = await jobs.next_users(job_id=job_id, limit=self.chunk_size)
        if not users:  # every user processed (counters say so too, unless they were lost)
            await _finish(jobs, held.job, now)
            return False
        results = await apply_license_change(
            connection,
            customer_id=job.customer_id,
            user_ids=[user_id for _, user_id in users],
            change=decode_change(held.change),
            actor=job.created_by,
            request_id=held.request_id,
            now=now,
        )
        await jobs.record_results(
            job_id=job_id,
            results=[
                (position, user_id, result)
                for (position, user_id), result in zip(users, results, strict=True)
            ],
        )
        progress = job.progress.after(results)
        done = progress.processed_users >= job.total_users
        await jobs.save_progress(
            job_id=job_id,
            status=JobStatus.SUCCEEDED if done else JobStatus.RUNNING,
            progress=progress,
            started_at=job.started_at or now,
            finished_at=now if done else None,
            lease_expires_at=None if done else now + self.lease,
        )
        return not done


def is_transient(error: Exception) -> bool:
    """Whether ``error`` says the database is unreachable or busy, not that the work is wrong."""
    if isinstance(error, OSError | RetriesExhaustedError | OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


async def _finish(jobs: LicenseJobRepository, job: LicenseJob, now: datetime) -> None:
    await jobs.save_progress(
        job_id=job.id,
        status=JobStatus.SUCCEEDED,
        progress=job.progress,
        started_at=job.started_at or now,
        finished_at=now,
        lease_expires_at=None,
    )


async def _fail(connection: AsyncConnection, job_id: int) -> None:
    await LicenseJobRepository(connection).fail(job_id=job_id, now=datetime.now(UTC))
