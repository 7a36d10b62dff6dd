"""The Starlette application: /graphql (with GraphiQL), its /graphiql assets, /healthz, /readyz."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from licgraph.config import Settings
from licgraph.db.engine import Database, create_database
from licgraph.gc_tuning import tune_for_serving
from licgraph.graphql.graphiql import ASSETS_PACKAGE
from licgraph.graphql.http import GraphQLEndpoint
from licgraph.graphql.schema import create_schema
from licgraph.http.body_limit import body_size_limit
from licgraph.http.security import browser_middleware
from licgraph.services.job_runner import JobRunner
from licgraph.services.live import ChangeFeed


def create_app(
    settings: Settings, *, database: Database | None = None, graphiql_token: str | None = None
) -> Starlette:
    """The ASGI app; it owns ``database`` (created from settings unless given) for its lifetime.

    ``graphiql_token`` pre-fills GraphiQL's Headers: `serve --demo` passes the admin demo
    token; production passes nothing, so the page carries no secret.
    """
    database = database or create_database(settings)
    feed = ChangeFeed(database, poll_seconds=settings.subscription_poll_seconds)
    endpoint = GraphQLEndpoint(
        create_schema(settings),
        database=database,
        settings=settings,
        feed=feed,
        graphiql_token=graphiql_token,
    )

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> JSONResponse:
        if await database.is_reachable():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "database unreachable"}, status_code=503)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        tune_for_serving()
        await feed.start()
        async with _job_runner(database, settings, feed):
            yield
        await feed.stop()
        await database.dispose()

    routes: list[BaseRoute] = [
        Route("/graphql", endpoint, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", endpoint),  # subscriptions
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    if settings.graphiql:
        routes.append(Mount("/graphiql", StaticFiles(packages=[ASSETS_PACKAGE]), name="graphiql"))
    return Starlette(
        routes=routes,
        middleware=[
            *browser_middleware(settings.cors_allowed_origins),
            body_size_limit(settings.max_body_bytes),
        ],
        lifespan=lifespan,
    )


@asynccontextmanager
async def _job_runner(
    database: Database, settings: Settings, feed: ChangeFeed
) -> AsyncIterator[None]:
    """License jobs worked in the background while the app serves (``LICGRAPH_JOB_RUNNER``)."""
    if not settings.job_runner:
        yield
        return
    runner = JobRunner.from_settings(database, settings, feed)
    task = asyncio.create_task(runner.run_forever())
    try:
        yield
    finally:
        # A chunk cut short here rolls back whole; the job resumes at the next start.
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
