"""The Starlette application: /graphql (with GraphiQL), its assets, the Manage licenses app
at /app/, /healthz, /readyz, /metrics."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from licgraph.config import Settings
from licgraph.db.engine import Database, create_database
from licgraph.gc_tuning import tune_for_serving
from licgraph.graphql.graphiql import ASSETS_PACKAGE
from licgraph.graphql.http import GraphQLEndpoint
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.persisted import load_trusted_documents
from licgraph.graphql.schema import create_schema
from licgraph.http.app_page import app_routes
from licgraph.http.body_limit import body_size_limit
from licgraph.http.security import browser_middleware
from licgraph.logging import configure_logging, log_server_events
from licgraph.observability.metrics import CONTENT_TYPE, Seats, forget_this_process, render
from licgraph.observability.requests import ObservedRequests
from licgraph.observability.sql import instrument_engine
from licgraph.observability.tracing import RequestSpans, start_tracing, stop_tracing
from licgraph.services.job_runner import JobRunner
from licgraph.services.live import ChangeFeed
from licgraph.services.seats import every_products_seats


def create_app(
    settings: Settings, *, database: Database | None = None, graphiql_token: str | None = None
) -> Starlette:
    """The ASGI app; it owns ``database`` (created from settings unless given) for its lifetime.

    ``graphiql_token`` pre-fills GraphiQL's Headers: `serve --demo` passes the admin demo
    token; production passes nothing, so the page carries no secret.
    """
    documents = load_trusted_documents(
        settings.persisted_operations, only_persisted=settings.only_persisted
    )
    database = database or create_database(settings)
    instrument_engine(database.engine.sync_engine)
    spans = start_tracing(database.engine.sync_engine) if settings.otel else RequestSpans()
    feed = ChangeFeed(database, poll_seconds=settings.subscription_poll_seconds)
    endpoint = GraphQLEndpoint(
        create_schema(settings, documents=documents),
        database=database,
        settings=settings,
        feed=feed,
        graphiql_token=graphiql_token,
        documents=documents,
    )
    observed = ObservedRequests(
        endpoint, describe_customer=_customer_api_id, metrics=settings.metrics, spans=spans
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        tune_for_serving()
        async with _live_updates(database, settings, feed):
            yield
        stop_tracing(spans)
        forget_this_process()
        await database.dispose()

    routes: list[BaseRoute] = [
        Route("/graphql", observed, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", endpoint),  # subscriptions
        *_operations_routes(settings, database),
        *app_routes(),
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
async def _live_updates(
    database: Database, settings: Settings, feed: ChangeFeed
) -> AsyncIterator[None]:
    """The change feed of subscriptions, and license jobs worked in the background while
    the app serves (unless ``LICGRAPH_JOB_RUNNER`` is off)."""
    await feed.start()
    runner = JobRunner.from_settings(database, settings, feed)
    task = asyncio.create_task(runner.run_forever()) if settings.job_runner else None
    try:
        yield
    finally:
        if task is not None:
            # A chunk cut short here rolls back whole; the job resumes at the next start.
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await feed.stop()


def _operations_routes(settings: Settings, database: Database) -> list[BaseRoute]:
    """/healthz (the process answers), /readyz (so does the database), /metrics if on."""

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> JSONResponse:
        if await database.is_reachable():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "database unreachable"}, status_code=503)

    async def metrics(_: Request) -> Response:
        # Unauthenticated like /healthz: counts and operation names, never a secret; the
        # optional seat gauges add per-product seat counts (hence off by default).
        seats = await _seats(database) if settings.metrics_seats else ()
        return Response(render(seats), media_type=CONTENT_TYPE)

    routes: list[BaseRoute] = [Route("/healthz", healthz), Route("/readyz", readyz)]
    if settings.metrics:
        routes.append(Route("/metrics", metrics))
    return routes


# `licgraph serve --workers N` (N > 1): each worker is a fresh process that imports this
# factory; the demo's GraphiQL token reaches it through the environment.
WORKER_APP = "licgraph.app:create_worker_app"
WORKER_GRAPHIQL_TOKEN = "LICGRAPH_WORKER_GRAPHIQL_TOKEN"  # noqa: S105 - a variable name


def create_worker_app() -> Starlette:
    """The app of one worker process: logging as in the CLI, settings from LICGRAPH_*."""
    configure_logging()
    log_server_events()
    return create_app(Settings(), graphiql_token=os.environ.get(WORKER_GRAPHIQL_TOKEN))


def _customer_api_id(pk: int) -> str:
    return to_global_id("Customer", pk)


async def _seats(database: Database) -> list[Seats]:
    products = await every_products_seats(database=database)
    return [
        Seats(
            _customer_api_id(p.customer_id),
            p.sku_part_number,
            p.total_licenses,
            p.assigned_licenses,
        )
        for p in products
    ]
