"""`licgraph db upgrade`, `seed demo|synthetic` and `export-schema`."""

# Commands import the server, GraphQL schema, seeding and Alembic lazily: a `token list`
# should not pay their import time (about half a second) on every run.
# ruff: noqa: PLC0415

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from licgraph.cli.errors import CommandError, describe_database_error
from licgraph.cli.groups import app, db_app, seed_app
from licgraph.cli.runtime import note, settings_from, with_database
from licgraph.config import Settings
from licgraph.db.engine import parse_database_url


@db_app.command("upgrade")
def db_upgrade_command() -> None:
    """Apply the migrations to LICGRAPH_DATABASE_URL."""
    settings = settings_from()
    revision = migrate(settings)
    shown = parse_database_url(settings.database_url).render_as_string(hide_password=True)
    typer.echo(f"{shown} is at revision {revision}")


def migrate_when_reachable(settings: Settings) -> str:
    """Migrate, waiting with backoff (up to LICGRAPH_STARTUP_TIMEOUT) while the database is
    down: containers often start before their database does."""
    from licgraph.db.retry import startup_retrying

    retrying = startup_retrying(timeout=settings.startup_timeout, on_wait=_note_unreachable)
    return retrying(migrate, settings)


def _note_unreachable(error: Exception, delay: float) -> None:
    note(f"database unreachable ({describe_database_error(error)}); retrying in {delay:g}s")


def migrate(settings: Settings) -> str:
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


@seed_app.command("demo")
def seed_demo_command() -> None:
    """Load the demo data set into an empty database."""
    from licgraph.services.seeding import DatabaseNotEmptyError, seed_demo

    try:
        summary = with_database(settings_from(), lambda database: seed_demo(database=database))
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

        summary = with_database(
            settings_from(),
            lambda database: seed_synthetic(
                database=database,
                customers=customers,
                users=users,
                products=products,
                on_progress=advance,
            ),
        )
    typer.echo(str(summary))


@app.command("export-schema")
def export_schema_command() -> None:
    """Print the GraphQL schema (SDL); `schema.graphql` at the repository root is its output."""
    from licgraph.graphql.schema import export_schema

    typer.echo(export_schema(), nl=False)
