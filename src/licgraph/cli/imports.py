"""`licgraph import FILE...`: customers, users and entitlements from CSV or JSON files."""

# The import service is loaded lazily, like the other heavy commands.
# ruff: noqa: PLC0415

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from licgraph.cli.errors import FAILURE, CommandError
from licgraph.cli.groups import app
from licgraph.cli.runtime import settings_from, with_database

HELP = """Import customers, users and entitlements; re-running updates, never duplicates.

CSV files are told apart by their header: customer_key,name,domain (customers);
customer_key,user_key,display_name,user_principal_name[,usage_location] (users);
customer_key,sku_part_number,name,total_licenses (entitlements). A .json file holds
{"customers": [...], "users": [...], "entitlements": [...]} with the same fields.
Every row is checked first; any problem is reported as FILE:LINE: reason and nothing is
imported. See examples/import/ and the README.
"""


@app.command("import", help=HELP)
def import_command(
    files: Annotated[
        list[Path], typer.Argument(help="CSV files (any order) or one JSON document.")
    ],
) -> None:
    from licgraph.services.importing import (
        ImportFileError,
        ImportRejectedError,
        import_sources,
        open_sources,
    )

    try:
        sources = open_sources(files)
    except ImportFileError as error:
        raise CommandError(f"{error}; nothing was imported") from None
    total = sum(source.size for source in sources)
    columns = (TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=Console(stderr=True)) as progress:
        checking = progress.add_task("Checking", total=total)
        loading = progress.add_task("Loading", total=total, start=False)

        def checked() -> None:
            progress.advance(checking)

        def loaded(rows: int) -> None:
            progress.start_task(loading)
            progress.advance(loading, rows)

        try:
            summary = with_database(
                settings_from(),
                lambda database: import_sources(
                    database=database,
                    sources=sources,
                    on_checked_row=checked,
                    on_loaded_rows=loaded,
                ),
            )
        except ImportRejectedError as rejected:
            progress.stop()
            for problem in rejected.problems:
                typer.echo(str(problem), err=True)
            count = len(rejected.problems)
            typer.echo(f"licgraph: error: {count:,} problem(s); nothing was imported", err=True)
            raise typer.Exit(FAILURE) from None
        progress.update(checking, completed=total)
        progress.update(loading, completed=total)
    typer.echo(f"Imported: {summary}")
