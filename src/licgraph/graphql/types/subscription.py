"""The root of live updates: subscriptions over WebSocket (graphql-transport-ws) on /graphql."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from licgraph.domain.license_jobs import LicenseJob as DomainLicenseJob
from licgraph.graphql.arguments import id_argument
from licgraph.graphql.errors import NotFoundError
from licgraph.graphql.sockets import SocketContext
from licgraph.graphql.types.license_event import LicenseEvent
from licgraph.graphql.types.license_job import LicenseJob
from licgraph.services.live import customer_visible, job_updates, new_events, read_job

SocketInfo = strawberry.Info[SocketContext, None]


@strawberry.type(
    description="Live updates, over WebSocket only (`ws://…/graphql`, protocol "
    "graphql-transport-ws, token in the connection_init payload as "
    '`{"Authorization": "Bearer …"}`).'
)
class Subscription:
    @strawberry.subscription(
        description="The job now, then again each time a chunk commits or its status "
        "changes; completes when the job ends (at once for an ended job)."
    )
    async def license_job(
        self,
        info: SocketInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="A LicenseJob id.")],
    ) -> AsyncGenerator[LicenseJob, None]:
        context = info.context
        job_id = id_argument(id, "LicenseJob")
        scope = context.caller.customer_id
        if await read_job(context.database, job_id, scope=scope) is None:
            raise NotFoundError("No such license job (or not one this token may see).")
        context.claim_subscription()
        return _job_stream(context, job_id, scope)

    @strawberry.subscription(
        description="Each change-log entry of the customer committed from now on, by any "
        "server process, in commit order, without gaps."
    )
    async def license_events(
        self,
        info: SocketInfo,
        customer_id: Annotated[strawberry.ID, strawberry.argument(description="A Customer id.")],
    ) -> AsyncGenerator[LicenseEvent, None]:
        context = info.context
        customer = id_argument(customer_id, "Customer")
        scope = context.caller.customer_id
        if not await customer_visible(context.database, customer, scope=scope):
            raise NotFoundError("No such customer (or not one this token may see).")
        context.claim_subscription()
        return _event_stream(context, customer)


async def _job_stream(
    context: SocketContext, job_id: int, scope: int | None
) -> AsyncGenerator[LicenseJob, None]:
    async def read(pk: int) -> DomainLicenseJob | None:
        return await read_job(context.database, pk, scope=scope)

    try:
        async for job in job_updates(context.feed, job_id, read=read):
            context.fresh_loaders()
            yield LicenseJob.from_domain(job)
    finally:
        context.release_subscription()


async def _event_stream(
    context: SocketContext, customer_id: int
) -> AsyncGenerator[LicenseEvent, None]:
    try:
        async for event in new_events(context.feed, customer_id):
            context.fresh_loaders()
            yield LicenseEvent.from_domain(event)
    finally:
        context.release_subscription()
