"""The `licgraph` command and its groups; each command module adds its commands."""

from __future__ import annotations

import typer


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
persisted_app = _command_group("Trusted documents: the manifest of persisted operations.")
app.add_typer(db_app, name="db")
app.add_typer(persisted_app, name="persisted-operations")
app.add_typer(seed_app, name="seed")
app.add_typer(token_app, name="token")
