"""License jobs: the job rows, their fixed selections, their results, and runners' claims.

A job's selection is one row per user (``license_job_user``) in processing order, written
once at start from the users list's own query (``USERS``); a chunk writes its users' results
into those rows in the transaction that changes their licenses, so a user is processed
exactly once whatever happens to the process between two commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, exists, func, insert, literal, select, update

from licgraph.db.keyset import KeysetList
from licgraph.db.notifications import JOBS_TOPIC, job_topic, notify
from licgraph.db.repositories._sql import Repository
from licgraph.db.repositories.users import ORDER as USER_ORDER
from licgraph.db.repositories.users import USERS
from licgraph.db.tables import (
    license_job_error_table,
    license_job_table,
    license_job_user_table,
    user_table,
)
from licgraph.domain.access import Role
from licgraph.domain.directory import UserQuery
from licgraph.domain.events import Actor
from licgraph.domain.license_errors import LicenseErrorCode
from licgraph.domain.license_jobs import (
    WORKABLE,
    JobFilter,
    JobProgress,
    JobStatus,
    JobTarget,
    LicenseJob,
    ResultFilter,
    error_codes,
)
from licgraph.domain.license_update import (
    UserLicenseResult,
    decode_user_result,
    encode_user_result,
)

_job = license_job_table
_member = license_job_user_table
_error = license_job_error_table
_user = user_table

_JOB_COLUMNS = (
    _job.c.id,
    _job.c.customer_id,
    _job.c.status,
    _job.c.total_users,
    _job.c.processed_users,
    _job.c.succeeded_count,
    _job.c.failed_count,
    _job.c.unchanged_count,
    _job.c.created_at,
    _job.c.started_at,
    _job.c.finished_at,
    _job.c.actor_name,
    _job.c.actor_role,
)
_WORKABLE = [status.value for status in WORKABLE]


def _to_job(row: Any) -> LicenseJob:
    return LicenseJob(
        id=row.id,
        customer_id=row.customer_id,
        status=JobStatus(row.status),
        total_users=row.total_users,
        progress=JobProgress(
            row.processed_users, row.succeeded_count, row.failed_count, row.unchanged_count
        ),
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        created_by=Actor(name=row.actor_name, role=Role(row.actor_role)),
    )


def _job_conditions(job_filter: JobFilter) -> list[ColumnElement[bool]]:
    if job_filter.status is None:
        return []
    return [_job.c.status == job_filter.status.value]


LICENSE_JOBS: KeysetList[JobFilter, LicenseJob] = KeysetList(
    name="licenseJobs",
    rows=select(*_JOB_COLUMNS),
    to_value=_to_job,
    order=(_job.c.id,),
    descending=True,  # newest first
    customer=_job.c.customer_id,
    where=_job_conditions,
    owner=_job.c.customer_id,  # one list per customer
)
"""Each customer's license jobs, newest first, narrowed by status."""


def _result_conditions(result_filter: ResultFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if result_filter.status is not None:
        conditions.append(_member.c.status == result_filter.status.value)
    if result_filter.code is not None:
        conditions.append(
            exists().where(
                _error.c.job_id == _member.c.job_id,
                _error.c.position == _member.c.position,
                _error.c.code == result_filter.code.value,
            )
        )
    return conditions


def _to_result(row: Any) -> UserLicenseResult:
    return decode_user_result(row[0])


JOB_RESULTS: KeysetList[ResultFilter, UserLicenseResult] = KeysetList(
    name="licenseJobResults",
    rows=select(_member.c.result)
    .select_from(_member.join(_job, _job.c.id == _member.c.job_id))
    .where(_member.c.status.is_not(None)),  # processed users only
    to_value=_to_result,
    order=(_member.c.position,),  # processing order: the users list's order
    customer=_job.c.customer_id,
    where=_result_conditions,
    owner=_member.c.job_id,  # one list per job
)
"""Each job's per-user results in processing order, narrowed by status and error code."""


class LicenseJobRepository(Repository):
    """Creates jobs with their selection, reads them, and records what runners do."""

    async def create(
        self,
        *,
        customer_id: int,
        change: dict[str, Any],
        actor: Actor,
        request_id: str,
        now: datetime,
    ) -> int:
        """A new queued job without users yet (``select_users`` adds them); its id."""
        job_id = await self.connection.scalar(
            insert(_job)
            .values(
                customer_id=customer_id,
                status=JobStatus.QUEUED.value,
                change=change,
                created_at=now,
                actor_name=actor.name,
                actor_role=actor.role.value,
                request_id=request_id,
            )
            .returning(_job.c.id)
        )
        assert job_id is not None  # noqa: S101 - INSERT ... RETURNING always returns the id
        await notify(self.connection, JOBS_TOPIC)  # idle runners look at once
        return int(job_id)

    async def select_users(self, *, job_id: int, customer_id: int, target: JobTarget) -> int:
        """Fix the job's selection: the target's users in list order, in one statement.

        The users come from the users list's own query (``USERS``: its search and filter
        conditions, its order), so a job by filter selects what the list shows. Returns how
        many users were selected.
        """
        selected = self._target_users(customer_id, target)
        position = func.row_number().over(order_by=USER_ORDER)
        numbered = selected.with_only_columns(literal(job_id), position, _user.c.id)
        await self.connection.execute(
            insert(_member).from_select(["job_id", "position", "user_id"], numbered)
        )
        total = await self.connection.scalar(
            select(func.count()).select_from(_member).where(_member.c.job_id == job_id)
        )
        await self.connection.execute(
            update(_job).where(_job.c.id == job_id).values(total_users=total)
        )
        return int(total or 0)

    def _target_users(self, customer_id: int, target: JobTarget) -> Select[Any]:
        query = target.query or UserQuery()
        selected = USERS.matching(select(_user.c.id), [customer_id], query, scope=None)
        if target.user_ids is not None:
            selected = selected.where(self.among(_user.c.id, target.user_ids))
        if target.exclude_user_ids:
            selected = selected.where(~self.among(_user.c.id, target.exclude_user_ids))
        return selected

    async def by_ids(self, ids: Sequence[int]) -> dict[int, LicenseJob]:
        """The jobs with these ids that exist (and are in scope)."""
        query = self.visible(
            select(*_JOB_COLUMNS).where(self.among(_job.c.id, ids)), _job.c.customer_id
        )
        return {row.id: _to_job(row) for row in await self.connection.execute(query)}

    async def error_summaries(
        self, job_ids: Sequence[int]
    ) -> dict[int, list[tuple[LicenseErrorCode, int]]]:
        """Per job (in scope), how many users failed with each code, most frequent first."""
        query = self.visible(
            select(_error.c.job_id, _error.c.code, func.count())
            .select_from(_error.join(_job, _job.c.id == _error.c.job_id))
            .where(self.among(_error.c.job_id, job_ids))
            .group_by(_error.c.job_id, _error.c.code),
            _job.c.customer_id,
        )
        found: dict[int, list[tuple[LicenseErrorCode, int]]] = {}
        for job_id, code, count in await self.connection.execute(query):
            found.setdefault(job_id, []).append((LicenseErrorCode(code), int(count)))
        for counts in found.values():
            counts.sort(key=lambda item: (-item[1], item[0].value))
        return found

    async def cancel(self, *, job_id: int, now: datetime) -> None:
        """End a queued or running job as cancelled; an ended job stays as it is.

        On PostgreSQL this waits for a chunk in flight (it holds the job's row lock), so a
        cancel lands between two chunks.
        """
        await self.connection.execute(
            update(_job)
            .where(_job.c.id == job_id, _job.c.status.in_(_WORKABLE))
            .values(status=JobStatus.CANCELLED.value, finished_at=now, lease_owner=None)
        )
        await notify(self.connection, job_topic(job_id))

    async def any_claimable(self, *, owner: str, now: datetime) -> bool:
        """Whether ``claim`` would find a job now (a read, for idle runners to poll)."""
        return bool(await self.connection.scalar(select(self._claimable(owner, now).exists())))

    def _claimable(self, owner: str, now: datetime) -> Select[Any]:
        return select(_job.c.id).where(
            _job.c.status.in_(_WORKABLE),
            (_job.c.lease_owner.is_(None))
            | (_job.c.lease_owner == owner)
            | (_job.c.lease_expires_at < now),
        )

    async def claim(self, *, owner: str, now: datetime, lease: timedelta) -> int | None:
        """Take the oldest workable job nobody holds (or whose holder's lease ran out).

        PostgreSQL: the candidate row is locked with ``FOR UPDATE SKIP LOCKED``, so runners
        claiming at once each get another job, and a job whose chunk is in flight (its row
        locked) is skipped. SQLite serialises writers, so the plain update is enough there.
        """
        candidate = (
            self._claimable(owner, now)
            .order_by(_job.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        claimed = await self.connection.scalar(
            update(_job)
            .where(_job.c.id == candidate)
            .values(lease_owner=owner, lease_expires_at=now + lease)
            .returning(_job.c.id)
        )
        return None if claimed is None else int(claimed)

    async def lock_for_chunk(self, job_id: int) -> HeldJob | None:
        """The job's row, locked until the transaction ends (PostgreSQL; SQLite holds the
        database's write lock already)."""
        query = (
            select(*_JOB_COLUMNS, _job.c.change, _job.c.request_id, _job.c.lease_owner)
            .where(_job.c.id == job_id)
            .with_for_update()
        )
        row = (await self.connection.execute(query)).first()
        if row is None:
            return None
        return HeldJob(_to_job(row), row.change, row.request_id, row.lease_owner)

    async def next_users(self, *, job_id: int, limit: int) -> list[tuple[int, int]]:
        """The next ``limit`` unprocessed users of the job: (position, user id), in order."""
        query = (
            select(_member.c.position, _member.c.user_id)
            .where(_member.c.job_id == job_id, _member.c.status.is_(None))
            .order_by(_member.c.position)
            .limit(limit)
        )
        return [(position, user_id) for position, user_id in await self.connection.execute(query)]

    async def record_results(
        self, *, job_id: int, results: Sequence[tuple[int, int, UserLicenseResult]]
    ) -> None:
        """Store a chunk's results (position, user id, result) and their error codes.

        The chunk's rows are replaced rather than updated one by one: two multi-row
        statements (a COPY on PostgreSQL) however large the chunk.
        """
        positions = [position for position, _, _ in results]
        await self.connection.execute(
            delete(_member).where(
                _member.c.job_id == job_id, self.among(_member.c.position, positions)
            )
        )
        rows = [
            (job_id, position, user_id, result.status.value, encode_user_result(result))
            for position, user_id, result in results
        ]
        await self.insert_many(_member, _MEMBER_COLUMNS, rows)
        codes = [
            (job_id, position, code.value)
            for position, _, result in results
            for code in error_codes(result)
        ]
        await self.insert_many(_error, ("job_id", "position", "code"), codes)

    async def save_progress(
        self,
        *,
        job_id: int,
        status: JobStatus,
        progress: JobProgress,
        started_at: datetime | None,
        finished_at: datetime | None,
        lease_expires_at: datetime | None,
    ) -> None:
        """Store the job's state and counters after a chunk, renewing the runner's lease."""
        await self.connection.execute(
            update(_job)
            .where(_job.c.id == job_id)
            .values(
                status=status.value,
                processed_users=progress.processed_users,
                succeeded_count=progress.succeeded_count,
                failed_count=progress.failed_count,
                unchanged_count=progress.unchanged_count,
                started_at=started_at,
                finished_at=finished_at,
                lease_expires_at=lease_expires_at,
                lease_owner=None if status.ended else _job.c.lease_owner,
            )
        )
        await notify(self.connection, job_topic(job_id))

    async def fail(self, *, job_id: int, now: datetime) -> None:
        """End a job that broke (not some of its users) as FAILED."""
        await self.connection.execute(
            update(_job)
            .where(_job.c.id == job_id, _job.c.status.in_(_WORKABLE))
            .values(status=JobStatus.FAILED.value, finished_at=now, lease_owner=None)
        )
        await notify(self.connection, job_topic(job_id))


_MEMBER_COLUMNS = ("job_id", "position", "user_id", "status", "result")


@dataclass(frozen=True, slots=True)
class HeldJob:
    """A job locked for one chunk, with what the chunk needs to run it."""

    job: LicenseJob
    change: dict[str, Any]
    request_id: str
    lease_owner: str | None
