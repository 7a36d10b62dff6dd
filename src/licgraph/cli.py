"""The ``licgraph`` command line: serve, migrate, seed, export the schema, manage API tokens."""

# Commands import the server, GraphQL schema, seeding and Alembic lazily: a `token list`
# should not pay their import time (about half a second) on every run.
# ruff: noqa: PLC0415

from __future__ import annotations

import asyncio
import json
import shlex
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from licgraph.config import Settings
from licgraph.db.engine import Database, DatabaseURLError, create_database, parse_database_url
from licgraph.domain.access import InvalidScopeError, Role
from licgraph.domain.tokens import (
    DEMO_NAME_PREFIX,
    ApiToken,
    InvalidTokenExpiryError,
    InvalidTokenNameError,
    TokenNameTakenError,
    UnknownTokenError,
)
from licgraph.graphql.ids import InvalidGlobalIdError, pk_of, to_global_id
from licgraph.logging import configure_logging
from licgraph.services import tokens

T = TypeVar("T")


def _command_group(help_text: str) -> typer.Typer:
    group = typer.Typer(help=help_text, add_completion=False)

    # Instead of Typer's no_args_is_help, which reports a bare group as a usage error.
    @group.callback(invoke_without_command=True)
    def show_help(context: typer.Context) -> None:
        if context.invoked_subcommand is None:
            typer.echo(context.get_help())

    return group


app = _command_group("licgraph: a GraphQL API for license management.")
db_app = _command_group("Manage the database schema.")
seed_app = _command_group("Load data sets into the database.")
token_app = _command_group("Create, list and revoke API tokens.")
app.add_typer(db_app, name="db")
app.add_typer(seed_app, name="seed")
app.add_typer(token_app, name="token")


class CommandError(Exception):
    """Raised by a command to stop with a one-line explanation for the operator."""


# Errors an operator can fix: each is reported as one line, without a traceback.
_OPERATOR_ERRORS = (
    CommandError,
    DatabaseURLError,
    InvalidScopeError,
    InvalidGlobalIdError,
    InvalidTokenNameError,
    InvalidTokenExpiryError,
    TokenNameTakenError,
    UnknownTokenError,
    tokens.TokenSelectorError,
    tokens.UnknownCustomerError,
)
_FAILURE = 2
_SQLITE_WORKER = "(_connection_worker_thread)"  # how Python names aiosqlite's threads
_SQLITE_WORKER_GRACE_SECONDS = 2.0
_MIGRATE_HINT = "is the database migrated? run `licgraph db upgrade`"
_EXAMPLE_QUERY = (
    "{ viewer { name role } customers(first: 5) { totalCount edges { node { id name } } } }"
)


def main() -> None:
    """Run the command line, turning every expected failure into one line on stderr."""
    configure_logging()
    try:
        outcome = app(standalone_mode=False)
    except typer.TyperException as error:  # bad flags and values, e.g. an unknown --role
        _exit_with(_usage_problem(error), error.exit_code)
    except typer.Abort:
        _exit_with("aborted", 1)
    except _OPERATOR_ERRORS as error:
        _exit_with(str(error), _FAILURE)
    except ValidationError as error:
        _exit_with(_describe_settings_error(error), _FAILURE)
    except (SQLAlchemyError, OSError) as error:
        _exit_with(_describe_database_error(error), _FAILURE)
    # Typer returns the exit code when a command stops with typer.Exit outside standalone mode.
    sys.exit(outcome if isinstance(outcome, int) else 0)


# --- serve ------------------------------------------------------------------------------


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
) -> None:
    """Migrate the database, then serve /graphql (GraphiQL in a browser), /healthz, /readyz."""
    import uvicorn

    from licgraph.app import create_app

    settings = _settings(host=host, port=port)
    _migrate_when_reachable(settings)
    demo_setup = _with_database(settings, _prepare_demo) if demo else None
    application = create_app(settings)
    _print_banner(settings, demo_setup)
    uvicorn.run(application, host=settings.host, port=settings.port)


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
    typer.secho(f"licgraph: GraphiQL at {url}", bold=True)
    if demo is None:
        typer.echo("Need a token? `licgraph token create --role admin-agent`, or serve --demo.")
        return
    state = "loaded now" if demo.loaded_now else "already there, left as it was"
    typer.echo(f"Demo data: {state}.\n\nDemo tokens (replaced at every `serve --demo`):")
    width = max(len(role.value) for role in demo.secrets)
    for role, secret in demo.secrets.items():
        customer_id = demo.scopes.get(role)
        scope = "" if customer_id is None else f"  customer {_customer_id(customer_id)}"
        typer.echo(f"  {role.value:<{width}}  {secret}{scope}")
    _print_example(url, demo.secrets[Role.ADMIN_AGENT])


def _print_example(url: str, secret: str) -> None:
    header = json.dumps({"Authorization": f"Bearer {secret}"})
    body = json.dumps({"query": _EXAMPLE_QUERY})
    headers = ["-H", f"Authorization: Bearer {secret}", "-H", "Content-Type: application/json"]
    curl = shlex.join(["curl", "-s", url, *headers, "-d", body])
    typer.echo(
        f"\nIn GraphiQL, open the Headers panel (below the query editor) and paste:\n"
        f"  {header}\nOr from a shell:\n  {curl}\n"
    )


def _browser_base(host: str, port: int) -> str:
    # A wildcard address is where the server listens, not where a browser can go.
    shown = "localhost" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104 - compared only
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


# --- db ---------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade_command() -> None:
    """Apply the migrations to LICGRAPH_DATABASE_URL."""
    settings = _settings()
    revision = _migrate(settings)
    shown = parse_database_url(settings.database_url).render_as_string(hide_password=True)
    typer.echo(f"{shown} is at revision {revision}")


def _migrate_when_reachable(settings: Settings) -> str:
    """Migrate, waiting with backoff (up to LICGRAPH_STARTUP_TIMEOUT) while the database is
    down: containers often start before their database does."""
    from licgraph.db.retry import is_unreachable

    deadline = time.monotonic() + settings.startup_timeout
    delay = 0.5
    while True:
        try:
            return _migrate(settings)
        except (OSError, SQLAlchemyError) as error:
            if not is_unreachable(error) or time.monotonic() + delay > deadline:
                raise
            _note(
                f"database unreachable ({_describe_database_error(error)}); retrying in {delay:g}s"
            )
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


def _migrate(settings: Settings) -> str:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError as MigrationError

    from licgraph.db.migrate import alembic_config, upgrade_database

    parse_database_url(settings.database_url)  # a clear error before Alembic's own
    try:
        upgrade_database(settings.database_url)
    except MigrationError as error:  # e.g. a database migrated by a newer licgraph
        raise CommandError(f"migration failed: {error}") from None
    head = ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head()
    return head or "base"


# --- seed -------------------------------------------------------------------------------


@seed_app.command("demo")
def seed_demo_command() -> None:
    """Load the demo data set into an empty database."""
    from licgraph.services.seeding import DatabaseNotEmptyError, seed_demo

    try:
        summary = _with_database(_settings(), lambda database: seed_demo(database=database))
    except DatabaseNotEmptyError:
        raise CommandError(
            "the database has customers already: the demo data loads into an empty database"
            " only (point LICGRAPH_DATABASE_URL at a new file)"
        ) from None
    typer.echo(str(summary))


@seed_app.command("synthetic")
def seed_synthetic_command(
    customers: Annotated[int, typer.Option(min=1, help="How many customers.")],
    users: Annotated[int, typer.Option(min=1, help="Users per customer.")],
    products: Annotated[int, typer.Option(min=2, help="Products per customer.")],
) -> None:
    """Generate a large data set: N users and P products for each of C customers."""
    from licgraph.services.seeding import seed_synthetic

    columns = (TextColumn("Users"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("users", total=customers * users)

        def advance(users_written: int) -> None:
            progress.advance(task, users_written)

        summary = _with_database(
            _settings(),
            lambda database: seed_synthetic(
                database=database,
                customers=customers,
                users=users,
                products=products,
                on_progress=advance,
            ),
        )
    typer.echo(str(summary))


# --- token ------------------------------------------------------------------------------


@token_app.command("create")
def token_create_command(
    role: Annotated[Role, typer.Option(case_sensitive=False, help="What the token may do.")],
    customer: Annotated[
        str | None,
        typer.Option(help="The customer's API id; needed by global-admin, user-management-admin."),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="A unique name; ROLE-<public id> if left out.")
    ] = None,
    expires_in_days: Annotated[
        int | None, typer.Option(min=1, help="Expire after this many days; never if left out.")
    ] = None,
) -> None:
    """Create a token and print it, alone, on stdout: it is shown this once only."""
    customer_id = None if customer is None else pk_of(customer, "Customer")
    expires_at = _days_from_now(expires_in_days)
    try:
        token, text = _with_database(
            _settings(),
            lambda database: tokens.create_token(
                database=database,
                role=role,
                name=name,
                customer_id=customer_id,
                expires_at=expires_at,
            ),
        )
    except tokens.UnknownCustomerError:
        raise CommandError(f"no customer has the id {customer}") from None
    typer.echo(text)
    _note(
        f"Created token {token.name!r} ({role.value}, {_scope(token)}). Keep it: "
        "it is not shown again. Send it as `Authorization: Bearer <token>`."
    )


@token_app.command("list")
def token_list_command() -> None:
    """List the tokens: id, name, role, scope, when created and last used, and status."""
    listed = _with_database(_settings(), lambda database: tokens.list_tokens(database=database))
    if not listed:
        _note("No tokens yet: create one with `licgraph token create --role ROLE`.")
        return
    now = datetime.now(UTC)
    header = ("ID", "NAME", "ROLE", "SCOPE", "CREATED (UTC)", "LAST USED (UTC)", "STATUS")
    _print_table(header, [_token_row(token, now) for token in listed])


@token_app.command("revoke")
def token_revoke_command(
    name: Annotated[str | None, typer.Option(help="The token's name.")] = None,
    token_id: Annotated[int | None, typer.Option("--id", help="The token's id.")] = None,
) -> None:
    """Revoke a token, by name or by id; it stops working at once."""
    if (name is None) == (token_id is None):
        raise CommandError("name the token to revoke with --name NAME or --id ID (one of them)")
    token = _with_database(
        _settings(),
        lambda database: tokens.revoke_token(database=database, name=name, token_id=token_id),
    )
    typer.echo(f"Revoked token {token.name!r} (id {token.id}).")


def _token_row(token: ApiToken, now: datetime) -> tuple[str, ...]:
    if token.revoked_at is not None:
        status = "revoked"
    else:
        status = "expired" if token.is_expired(now) else "active"
    last_used = "never" if token.last_used_at is None else _moment(token.last_used_at)
    created = _moment(token.created_at)
    return (str(token.id), token.name, token.role.value, _scope(token), created, last_used, status)


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(cells[i]) for cells in (header, *rows)) for i in range(len(header))]
    for cells in (header, *rows):
        line = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        typer.echo(line.rstrip())


# --- export-schema ----------------------------------------------------------------------


@app.command("export-schema")
def export_schema_command() -> None:
    """Print the GraphQL schema (SDL); `schema.graphql` at the repository root is its output."""
    from licgraph.graphql.schema import export_schema

    typer.echo(export_schema(), nl=False)


# --- helpers ----------------------------------------------------------------------------


def _settings(*, host: str | None = None, port: int | None = None) -> Settings:
    # Flags win over LICGRAPH_* variables; a flag left out leaves the variable in charge.
    overrides: dict[str, Any] = {"host": host, "port": port}
    return Settings(**{key: value for key, value in overrides.items() if value is not None})


def _with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        database = create_database(settings)
        try:
            return await work(database)
        finally:
            await database.dispose()
            await _let_driver_threads_finish()

    return asyncio.run(run())


async def _let_driver_threads_finish() -> None:
    # aiosqlite stops a connection that failed to open without waiting for its worker thread
    # (omnilib/aiosqlite#389); if asyncio.run closed the loop first, that thread would print
    # a traceback under our one-line error. Closed connections' threads are done already.
    for thread in threading.enumerate():
        if thread.name.endswith(_SQLITE_WORKER):
            await asyncio.to_thread(thread.join, _SQLITE_WORKER_GRACE_SECONDS)


def _days_from_now(days: int | None) -> datetime | None:
    return None if days is None else datetime.now(UTC) + timedelta(days=days)


def _scope(token: ApiToken) -> str:
    return "partner-wide" if token.customer_id is None else _customer_id(token.customer_id)


def _customer_id(pk: int) -> str:
    return to_global_id("Customer", pk)


def _moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _note(message: str) -> None:
    typer.echo(message, err=True)


def _exit_with(message: str, code: int) -> NoReturn:
    typer.echo(f"licgraph: error: {message}", err=True)
    sys.exit(code)


def _usage_problem(error: typer.TyperException) -> str:
    # One line: Typer lists choices on separate lines and keeps pydantic's "Value error, ".
    message = " ".join(error.format_message().replace("Value error, ", "").split())
    context = getattr(error, "ctx", None)
    return message if context is None else f"{message} (see `{context.command_path} --help`)"


def _describe_settings_error(error: ValidationError) -> str:
    problems = (
        f"LICGRAPH_{'_'.join(str(part) for part in problem['loc']).upper()}: {problem['msg']}"
        for problem in error.errors()
    )
    return "invalid setting: " + "; ".join(problems)


def _describe_database_error(error: Exception) -> str:
    # The driver's own message, first line only: SQLAlchemy's text adds the SQL and a link.
    cause = error.orig if isinstance(error, DBAPIError) else error
    first_line = next(_lines(str(cause)), type(cause).__name__)
    missing_table = "no such table" in first_line or (
        "relation" in first_line and "does not exist" in first_line
    )
    return f"database error: {first_line}" + (f" ({_MIGRATE_HINT})" if missing_table else "")


def _lines(text: str) -> Iterator[str]:
    return (line.strip() for line in text.splitlines() if line.strip())
