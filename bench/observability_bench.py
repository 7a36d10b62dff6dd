"""What observability costs on the users page: the request log and metrics, then tracing.

In-process (httpx over ASGI, no network, no server): the page of 100 users with their
licenses (page_queries.PAGE) against a synthetic SQLite file, asked one at a time, by four
apps on the same data, in interleaved rounds:

- bare: the GraphQL endpoint alone (no request record, log line, metrics or SQL listeners);
- log + metrics: what `licgraph serve` runs by default (log lines rendered to /dev/null);
- log only: the same with LICGRAPH_METRICS=false;
- log + metrics + OTel: LICGRAPH_OTEL=true, spans batched to an OTLP/HTTP receiver in this
  process (a thread that answers 200).

Prints medians per request and the overhead over bare; then, to see our own cost without
the noise of a whole page, the time ObservedRequests adds around an app that answers at
once (a tight loop, per request, with and without metrics and tracing). Asserts nothing.

    .venv/bin/python bench/observability_bench.py            # 5,000 users, 5 rounds x 200
    .venv/bin/python bench/observability_bench.py --small    # CI: it works
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import dataset
import httpx
from page_queries import PAGE
from report import machine, median, number, table

from licgraph.app import create_app
from licgraph.config import Settings
from licgraph.db.engine import create_database
from licgraph.graphql.http import GraphQLEndpoint
from licgraph.graphql.schema import create_schema
from licgraph.logging import configure_logging
from licgraph.observability.requests import ObservedRequests
from licgraph.observability.tracing import RequestSpans, start_tracing
from licgraph.services.live import ChangeFeed

Asgi = Callable[[Any, Any, Any], Awaitable[None]]


class _Sink(BaseHTTPRequestHandler):
    """An OTLP/HTTP receiver that takes every export and keeps nothing."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        return None


def apps(settings: Settings) -> dict[str, Asgi]:
    """The four ways to serve the page, each with a database (engine) of its own."""
    database = create_database(settings)
    bare = GraphQLEndpoint(
        create_schema(settings),
        database=database,
        settings=settings,
        feed=ChangeFeed(database, poll_seconds=settings.subscription_poll_seconds),
    )
    return {
        "bare": bare,
        "log + metrics": create_app(settings),
        "log only": create_app(settings.model_copy(update={"metrics": False})),
        "log + metrics + OTel": create_app(settings.model_copy(update={"otel": True})),
    }


async def time_requests(
    app: Asgi, token: str, variables: dict[str, Any], count: int
) -> list[float]:
    """Seconds per request of ``count`` pages asked one after another."""
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"}
    seconds = []
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for _ in range(count):
            started = time.perf_counter()
            response = await client.post(
                "/graphql", json={"query": PAGE, "variables": variables}, headers=headers
            )
            seconds.append(time.perf_counter() - started)
            assert "errors" not in response.json(), response.text
    return seconds


async def measure(
    settings: Settings, token: str, customer: str, rounds: int, count: int
) -> dict[str, list[float]]:
    served = apps(settings)
    variables = {"customer": customer}
    for app in served.values():  # warm every cache once
        await time_requests(app, token, variables, 5)
    found: dict[str, list[float]] = {name: [] for name in served}
    for _ in range(rounds):
        for name, app in served.items():
            found[name] += await time_requests(app, token, variables, count)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="pages per app per round")
    parser.add_argument("--small", action="store_true", help="a tiny run (CI)")
    args = parser.parse_args()
    if args.small:
        args.users, args.rounds, args.requests = 200, 1, 10

    sink = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = f"http://127.0.0.1:{sink.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="licgraph-obs-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        dataset.seed(url, users=args.users, products=10)
        token = dataset.admin_token(url)
        customer = asyncio.run(_first_customer(url, token))
        # Log lines are rendered (JSON) as in production, then thrown away.
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the whole run
        configure_logging()
        found = asyncio.run(
            measure(
                Settings(database_url=url, rate_limit_burst=0),
                token,
                customer,
                args.rounds,
                args.requests,
            )
        )
        spans = start_tracing(create_database(Settings(database_url=url)).engine.sync_engine)
        loops = 200 if args.small else 20_000
        costs = asyncio.run(wrapper_cost(loops, spans))
    sink.shutdown()
    bare = median(found["bare"])
    rows = [
        [
            name,
            number(median(times) * 1000, 2),
            number((median(times) - bare) * 1e6, 0),
            number((median(times) / bare - 1) * 100, 1),
        ]
        for name, times in found.items()
    ]
    print(machine())
    print(
        f"\nUsers page (100 users with licenses) of {args.users:,} users, in-process, "
        f"{args.rounds} rounds x {args.requests} requests per app:\n"
    )
    print(table(["app", "median ms", "overhead µs", "overhead %"], rows))
    print(f"\nObservedRequests around an app that answers at once, {loops:,} requests:\n")
    alone = costs["nothing (the app alone)"]
    print(
        table(
            ["around the app", "µs per request", "added µs"],
            [
                [name, number(cost * 1e6, 1), number((cost - alone) * 1e6, 1)]
                for name, cost in costs.items()
            ],
        )
    )


async def _instant(_scope: Any, _receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def wrapper_cost(count: int, spans: RequestSpans) -> dict[str, float]:
    """Seconds per request that ObservedRequests adds to an app that answers at once."""
    scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": []}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_: Any) -> None:
        return None

    apps: dict[str, Asgi] = {
        "nothing (the app alone)": _instant,
        "log line only": ObservedRequests(
            _instant, describe_customer=str, metrics=False, spans=RequestSpans()
        ),
        "log line + metrics": ObservedRequests(
            _instant, describe_customer=str, metrics=True, spans=RequestSpans()
        ),
        "log line + metrics + OTel span": ObservedRequests(
            _instant, describe_customer=str, metrics=True, spans=spans
        ),
    }
    found = {}
    for name, app in apps.items():
        started = time.perf_counter()
        for _ in range(count):
            await app(dict(scope), receive, send)
        found[name] = (time.perf_counter() - started) / count
    return found


async def _first_customer(url: str, token: str) -> str:
    app = create_app(Settings(database_url=url, rate_limit_burst=0))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        answer = await client.post(
            "/graphql",
            json={"query": "{ customers(first: 1) { nodes { id } } }"},
            headers={"Authorization": f"Bearer {token}"},
        )
    return str(answer.json()["data"]["customers"]["nodes"][0]["id"])


if __name__ == "__main__":
    main()
