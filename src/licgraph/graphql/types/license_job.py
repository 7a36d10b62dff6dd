"""License jobs: a Save for any selection, worked in the background, with its results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

import strawberry

from licgraph.db.repositories.license_jobs import JOB_RESULTS
from licgraph.domain.license_errors import LicenseErrorCode
from licgraph.domain.license_jobs import JobStatus, ResultFilter
from licgraph.domain.license_jobs import LicenseJob as DomainLicenseJob
from licgraph.domain.license_update import UserLicenseResult as DomainUserResult
from licgraph.domain.outcomes import OutcomeStatus
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.paging import AfterArg, FirstArg, connection
from licgraph.graphql.types.license_errors import LicenseErrorCodeEnum, error_names
from licgraph.graphql.types.license_event import Actor
from licgraph.graphql.types.license_update import LicenseUpdateStatusEnum, UserLicenseResult
from licgraph.graphql.types.relay import Connection, Node

LicenseJobStatusEnum = strawberry.enum(
    JobStatus, name="LicenseJobStatus", description="Where a license job is."
)


@strawberry.type(description="How many of a job's users failed with one error code.")
class LicenseErrorCount:
    code: LicenseErrorCodeEnum = strawberry.field(  # type: ignore[valid-type]
        description="The reason."
    )
    count: int = strawberry.field(description="Users whose result has an error with this code.")


@strawberry.type(
    description="A license change for any selection of a customer's users, worked in the "
    "background in chunks (one transaction each), with every user's result."
)
class LicenseJob(Node):
    pk: strawberry.Private[int]
    status: LicenseJobStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="Where the job is; FAILED means the job itself broke, not some users."
    )
    total_users: int = strawberry.field(
        description="Users selected when the job started (the selection is fixed then)."
    )
    processed_users: int = strawberry.field(
        description="Users processed so far; moves as each chunk commits."
    )
    succeeded_count: int = strawberry.field(description="Processed users with status SUCCEEDED.")
    failed_count: int = strawberry.field(description="Processed users with status FAILED.")
    unchanged_count: int = strawberry.field(description="Processed users with status UNCHANGED.")
    created_at: datetime = strawberry.field(description="When the job was started (UTC).")
    started_at: datetime | None = strawberry.field(
        description="When its first chunk committed; null while queued."
    )
    finished_at: datetime | None = strawberry.field(
        description="When it ended (succeeded, failed or was cancelled); null before."
    )
    created_by: Actor = strawberry.field(description="Who started it.")

    @classmethod
    def from_domain(cls, job: DomainLicenseJob) -> Self:
        progress = job.progress
        return cls(
            id=strawberry.ID(to_global_id("LicenseJob", job.id)),
            pk=job.id,
            status=job.status,
            total_users=job.total_users,
            processed_users=progress.processed_users,
            succeeded_count=progress.succeeded_count,
            failed_count=progress.failed_count,
            unchanged_count=progress.unchanged_count,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            created_by=Actor(name=job.created_by.name, role=job.created_by.role),
        )

    @strawberry.field(
        description="The processed users' results in processing order (the users list's "
        "order), the same type as a Save's."
    )
    async def results(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        status: Annotated[
            LicenseUpdateStatusEnum | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only results with this status."),
        ] = None,
        code: Annotated[
            LicenseErrorCodeEnum | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only results with an error of this code."),
        ] = None,
    ) -> Connection[UserLicenseResult]:
        page: Connection[DomainUserResult] = await connection(
            info,
            JOB_RESULTS,
            _as_is,
            owner=self.pk,
            query=ResultFilter(status=_status(status), code=_code(code)),
            first=first,
            after=after,
            last=None,
            before=None,
        )
        results = page.page_nodes
        names = await error_names(info, [error for result in results for error in result.errors])
        return Connection(
            page_info=page.page_info,
            list_name=page.list_name,
            page_nodes=[UserLicenseResult.from_domain(result, names) for result in results],
            keys=page.keys,
            count_total=page.count_total,
        )

    @strawberry.field(description="Failed users counted by error code, most frequent first.")
    async def error_summary(self, info: Info) -> list[LicenseErrorCount]:
        counts = await info.context.loaders.error_summary_by_job_id.load(self.pk)
        return [LicenseErrorCount(code=code, count=count) for code, count in counts]


def _as_is(result: DomainUserResult) -> DomainUserResult:
    return result


def _status(status: object) -> OutcomeStatus | None:
    return status if isinstance(status, OutcomeStatus) else None


def _code(code: object) -> LicenseErrorCode | None:
    return code if isinstance(code, LicenseErrorCode) else None
