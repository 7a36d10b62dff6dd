"""startLicenseJob and cancelLicenseJob: a Save for any selection, in the background."""

from __future__ import annotations

from typing import Annotated

import strawberry

from licgraph.config import Settings
from licgraph.domain.directory import UserFilter as DomainUserFilter
from licgraph.domain.directory import UserQuery
from licgraph.domain.license_change import LicenseChange
from licgraph.domain.license_jobs import JobTarget, job_target
from licgraph.graphql.arguments import id_argument, id_list_argument, text_argument
from licgraph.graphql.context import Info
from licgraph.graphql.mutations.inputs import IDEMPOTENCY_KEY, LicenseToAssign, product_ids_argument
from licgraph.graphql.types.customer import UserFilter
from licgraph.graphql.types.license_job import LicenseJob
from licgraph.services.license_jobs import (
    StartLicenseJobRequest,
    cancel_license_job,
    start_license_job,
)


@strawberry.input(
    description="Which users a job is for: `userIds`, or the users list's own `search` and "
    "`filter` (an empty `filter` selects every user); either way minus `excludeUserIds`."
)
class UserTargetInput:
    user_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="These users (at most 10,000; ids of other customers are left out). "
        "Not with `search`/`filter`.",
    )
    search: str | None = strawberry.field(
        default=None, description="Users whose display or sign-in name contains this."
    )
    filter: UserFilter | None = strawberry.field(
        default=None, description="Users the users list shows for this filter."
    )
    exclude_user_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Users to leave out of the selection (at most 10,000)."
    )

    def to_domain(self, settings: Settings) -> JobTarget:
        limit = settings.max_ids_per_request
        given_query = self.search is not None or self.filter is not None
        return job_target(
            user_ids=None
            if self.user_ids is None
            else id_list_argument(self.user_ids, "User", limit=limit, argument="userIds"),
            query=UserQuery(
                search=text_argument(self.search, argument="search"),
                user_filter=self.filter.to_domain() if self.filter else DomainUserFilter(),
            )
            if given_query
            else None,
            exclude_user_ids=id_list_argument(
                self.exclude_user_ids or [], "User", limit=limit, argument="excludeUserIds"
            ),
        )


@strawberry.input(description="Start a license job: a change for any selection of users.")
class StartLicenseJobInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer whose users change.")
    target: UserTargetInput = strawberry.field(
        description="The users; the selection is fixed when the job starts."
    )
    assign: list[LicenseToAssign] | None = strawberry.field(
        default=None, description="Products to assign (may be empty if `revoke` is not)."
    )
    revoke: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Products to take away (a user who lacks one is not an error). "
        "May be empty if `assign` is not.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description=IDEMPOTENCY_KEY + " A replay returns the same job, whatever its status.",
    )


@strawberry.input(description="Cancel a license job before its next chunk.")
class CancelLicenseJobInput:
    job_id: strawberry.ID = strawberry.field(description="The LicenseJob to cancel.")


@strawberry.type(description="The job that was started (or replayed for its key).")
class StartLicenseJobPayload:
    job: LicenseJob = strawberry.field(description="The job, queued with its selection fixed.")


@strawberry.type(description="The job after the cancel (an ended job is returned unchanged).")
class CancelLicenseJobPayload:
    job: LicenseJob = strawberry.field(description="The job.")


async def start_license_job_field(
    info: Info,
    input: Annotated[
        StartLicenseJobInput,
        strawberry.argument(description="The customer, the target users and the change."),
    ],
) -> StartLicenseJobPayload:
    """Resolve `startLicenseJob`."""
    context = info.context
    settings = context.settings
    request = StartLicenseJobRequest(
        customer_id=id_argument(input.customer_id, "Customer"),
        target=input.target.to_domain(settings),
        change=LicenseChange(
            assign=tuple(item.to_domain(settings) for item in input.assign or ()),
            revoke=product_ids_argument(input.revoke or [], settings),
        ),
        idempotency_key=input.idempotency_key,
    )
    job = await start_license_job(
        database=context.database,
        principal=context.principal,
        request=request,
        request_id=context.request_id,
    )
    return StartLicenseJobPayload(job=LicenseJob.from_domain(job))


async def cancel_license_job_field(
    info: Info,
    input: Annotated[CancelLicenseJobInput, strawberry.argument(description="The job.")],
) -> CancelLicenseJobPayload:
    """Resolve `cancelLicenseJob`."""
    context = info.context
    job = await cancel_license_job(
        database=context.database,
        principal=context.principal,
        job_id=id_argument(input.job_id, "LicenseJob"),
    )
    return CancelLicenseJobPayload(job=LicenseJob.from_domain(job))
