"""Starting and cancelling license jobs (the runner that works them is services/job_runner.py)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.engine import Database
from licgraph.db.repositories.license_jobs import LicenseJobRepository
from licgraph.domain.access import Principal
from licgraph.domain.events import Actor
from licgraph.domain.idempotency import check_key, fingerprint
from licgraph.domain.license_change import LicenseChange, validate_products
from licgraph.domain.license_jobs import (
    JobProgress,
    JobStatus,
    JobTarget,
    LicenseJob,
    encode_change,
)
from licgraph.services.access import authorize, require_customer
from licgraph.services.errors import LicenseJobNotFoundError
from licgraph.services.idempotent import run_once
from licgraph.services.transactions import in_transaction


@dataclass(frozen=True, slots=True)
class StartLicenseJobRequest:
    """A job as the caller asked for it (ids already decoded)."""

    customer_id: int
    target: JobTarget
    change: LicenseChange
    idempotency_key: str | None = None

    def fingerprint(self) -> str:
        """What makes two starts "the same input" for an idempotency key."""
        query = self.target.query
        return fingerprint(
            "startLicenseJob",
            {
                "customerId": self.customer_id,
                "userIds": None if self.target.user_ids is None else list(self.target.user_ids),
                "query": None if query is None else dataclasses.asdict(query),
                "excludeUserIds": list(self.target.exclude_user_ids),
                "change": encode_change(self.change),
            },
        )


async def start_license_job(
    *,
    database: Database,
    principal: Principal,
    request: StartLicenseJobRequest,
    request_id: str,
) -> LicenseJob:
    """Queue a job with its selection fixed now; a replayed key returns the same job."""
    authorize(principal, request.customer_id)
    validate_products(request.change)
    if request.idempotency_key is not None:
        check_key(request.idempotency_key)
    now = datetime.now(UTC)

    async def start(connection: AsyncConnection) -> LicenseJob:
        await require_customer(connection, request.customer_id)
        jobs = LicenseJobRepository(connection)

        async def create() -> int:
            return await _create(jobs, principal, request, request_id, now)

        job_id = await run_once(
            connection,
            token_id=principal.token_id,
            key=request.idempotency_key,
            request_hash=request.fingerprint(),
            run=create,
            encode=lambda created: {"jobId": created},
            decode=lambda stored: int(stored["jobId"]),
            now=now,
        )
        return (await jobs.by_ids([job_id]))[job_id]

    return await in_transaction(database, start)


async def _create(
    jobs: LicenseJobRepository,
    principal: Principal,
    request: StartLicenseJobRequest,
    request_id: str,
    now: datetime,
) -> int:
    job_id = await jobs.create(
        customer_id=request.customer_id,
        change=encode_change(request.change),
        actor=Actor.of(principal),
        request_id=request_id,
        now=now,
    )
    total = await jobs.select_users(
        job_id=job_id, customer_id=request.customer_id, target=request.target
    )
    if total == 0:  # nothing to do: the job has succeeded already
        await jobs.save_progress(
            job_id=job_id,
            status=JobStatus.SUCCEEDED,
            progress=JobProgress(),
            started_at=now,
            finished_at=now,
            lease_expires_at=None,
        )
    return job_id


async def cancel_license_job(
    *, database: Database, principal: Principal, job_id: int
) -> LicenseJob:
    """Cancel a queued or running job before its next chunk; an ended job is returned as is."""

    async def cancel(connection: AsyncConnection) -> LicenseJob:
        jobs = LicenseJobRepository(connection, scope=principal.customer_id)
        job = (await jobs.by_ids([job_id])).get(job_id)
        if job is None:
            raise LicenseJobNotFoundError("No such license job (or not one this token may see).")
        authorize(principal, job.customer_id)
        await jobs.cancel(job_id=job_id, now=datetime.now(UTC))
        return (await jobs.by_ids([job_id]))[job_id]

    return await in_transaction(database, cancel)
