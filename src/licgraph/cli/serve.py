"""`licgraph serve`: migrate, optionally load the demo, print where to start, serve."""

# Commands import the server, GraphQL schema, seeding and Alembic lazily: a `token list`
# should not pay their import time (about half a second) on every run.
# ruff: noqa: PLC0415

from __future__ import annotations

import ipaddress
import json
import os
import shlex
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

import typer

from licgraph.cli.database import migrate_when_reachable
from licgraph.cli.groups import app
from licgraph.cli.runtime import customer_api_id, settings_from, with_database
from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Role
from licgraph.domain.tokens import (
    DEMO_NAME_PREFIX,
)
from licgraph.logging import log_server_events
from licgraph.services import tokens

# Where prometheus-client keeps the metrics of many processes (its own variable's name).
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

EXAMPLE_QUERY = (
    "{ viewer { name role } customers(first: 5) { totalCount edges { node { id name } } } }"
)


@dataclass(frozen=True, slots=True)
class _Demo:
    loaded_now: bool
    secrets: dict[Role, str]
    scopes: dict[Role, int | None]


@app.command("serve")
def serve_command(
    host: Annotated[
        str | None, typer.Option(help="Address to bind; LICGRAPH_HOST (127.0.0.1) if left out.")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Port to listen on; LICGRAPH_PORT (8000) if left out."),
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo data if empty; print a token per role.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="Processes serving the one port; LICGRAPH_WORKERS (the cores) if left out."
        ),
    ] = None,
) -> None:
    """Migrate the database, then serve /graphql (GraphiQL in a browser), /healthz, /readyz."""
    from licgraph.graphql.persisted import load_trusted_documents

    settings = settings_from(host=host, port=port, workers=workers)
    # Here, not only in the workers: a bad manifest stops `serve` with one line, rather
    # than workers failing (and being restarted) one after the other.
    load_trusted_documents(settings.persisted_operations, only_persisted=settings.only_persisted)
    migrate_when_reachable(settings)
    demo_setup = with_database(settings, _prepare_demo) if demo else None
    # Only the demo puts a token in GraphiQL's Headers: it is a local playground whose
    # tokens are printed anyway and replaced at every start.
    token = demo_setup.secrets[Role.ADMIN_AGENT] if demo_setup else None
    _print_banner(settings, demo_setup)
    log_server_events()
    if settings.workers == 1:
        _serve_in_this_process(settings, token)
    else:
        _serve_with_workers(settings, token)


def _serve_in_this_process(settings: Settings, graphiql_token: str | None) -> None:
    import uvicorn

    from licgraph.app import create_app

    application = create_app(settings, graphiql_token=graphiql_token)
    # Our request line is the access log; uvicorn's own lines go through our JSON logging.
    uvicorn.run(
        application, host=settings.host, port=settings.port, log_config=None, access_log=False
    )


def _serve_with_workers(settings: Settings, graphiql_token: str | None) -> None:
    """N fresh processes on one socket; each builds its app from the environment."""
    import uvicorn

    from licgraph.app import WORKER_APP, WORKER_GRAPHIQL_TOKEN

    if graphiql_token:
        os.environ[WORKER_GRAPHIQL_TOKEN] = graphiql_token
    with shared_metrics_directory():
        uvicorn.run(
            WORKER_APP,
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
        )


@contextmanager
def shared_metrics_directory() -> Iterator[None]:
    """A fresh PROMETHEUS_MULTIPROC_DIR for the workers' metrics, removed at the end.

    One given by the operator is used as it is (and left in place).
    """
    if os.environ.get(MULTIPROCESS_DIR):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="licgraph-metrics-") as directory:
        os.environ[MULTIPROCESS_DIR] = directory
        try:
            yield
        finally:
            del os.environ[MULTIPROCESS_DIR]


async def _prepare_demo(database: Database) -> _Demo:
    from licgraph.services.seeding import seed_demo_if_empty

    loaded_now = await seed_demo_if_empty(database=database)
    secrets = await tokens.replace_demo_tokens(database=database)
    listed = await tokens.list_tokens(database=database)
    scopes = {
        token.role: token.customer_id for token in listed if token.name.startswith(DEMO_NAME_PREFIX)
    }
    return _Demo(loaded_now=loaded_now, secrets=secrets, scopes=scopes)


def _print_banner(settings: Settings, demo: _Demo | None) -> None:
    url = f"{_browser_base(settings.host, settings.port)}/graphql"
    where = "GraphiQL at" if settings.graphiql else "GraphQL endpoint (GraphiQL off) at"
    typer.secho(f"licgraph: {where} {url}", bold=True)
    app = f"{_browser_base(settings.host, settings.port)}/app/"
    typer.echo(f"The Manage licenses app is at {app} (sign in with a token).")
    if demo is None:
        typer.echo("Need a token? `licgraph token create --role admin-agent`, or serve --demo.")
        return
    state = "loaded now" if demo.loaded_now else "already there, left as it was"
    typer.echo(f"Demo data: {state}.\n\nDemo tokens (replaced at every `serve --demo`):")
    width = max(len(role.value) for role in demo.secrets)
    for role, secret in demo.secrets.items():
        customer_id = demo.scopes.get(role)
        scope = "" if customer_id is None else f"  customer {customer_api_id(customer_id)}"
        typer.echo(f"  {role.value:<{width}}  {secret}{scope}")
    _print_example(url, demo.secrets[Role.ADMIN_AGENT])
    if not _is_loopback(settings.host):
        typer.secho(
            f"Warning: --demo on {settings.host}: anyone who can open {url} gets the"
            " admin-agent token from the page. Use --demo on 127.0.0.1 only.",
            fg=typer.colors.YELLOW,
            err=True,
        )


def _print_example(url: str, secret: str) -> None:
    header = json.dumps({"Authorization": f"Bearer {secret}"})
    body = json.dumps({"query": EXAMPLE_QUERY})
    headers = ["-H", f"Authorization: Bearer {secret}", "-H", "Content-Type: application/json"]
    curl = shlex.join(["curl", "-s", url, *headers, "-d", body])
    typer.echo(
        "\nGraphiQL opens with the example operations as tabs and the admin-agent token in"
        " its Headers panel (below the query editor); to act as another role, paste:\n"
        f"  {header}\n(with that role's token). Or from a shell:\n  {curl}\n"
    )


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _browser_base(host: str, port: int) -> str:
    # A wildcard address is where the server listens, not where a browser can go.
    shown = "localhost" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104 - compared only
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
