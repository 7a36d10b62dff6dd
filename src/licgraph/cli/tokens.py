"""`licgraph token create|list|revoke`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from licgraph.cli.errors import CommandError
from licgraph.cli.groups import token_app
from licgraph.cli.runtime import customer_api_id, moment, note, settings_from, with_database
from licgraph.domain.access import Role
from licgraph.domain.tokens import (
    ApiToken,
)
from licgraph.graphql.ids import pk_of
from licgraph.services import tokens


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
        token, text = with_database(
            settings_from(),
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
    note(
        f"Created token {token.name!r} ({role.value}, {_scope(token)}). Keep it: "
        "it is not shown again. Send it as `Authorization: Bearer <token>`."
    )


@token_app.command("list")
def token_list_command() -> None:
    """List the tokens: id, name, role, scope, when created and last used, and status."""
    listed = with_database(settings_from(), lambda database: tokens.list_tokens(database=database))
    if not listed:
        note("No tokens yet: create one with `licgraph token create --role ROLE`.")
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
    token = with_database(
        settings_from(),
        lambda database: tokens.revoke_token(database=database, name=name, token_id=token_id),
    )
    typer.echo(f"Revoked token {token.name!r} (id {token.id}).")


def _token_row(token: ApiToken, now: datetime) -> tuple[str, ...]:
    if token.revoked_at is not None:
        status = "revoked"
    else:
        status = "expired" if token.is_expired(now) else "active"
    last_used = "never" if token.last_used_at is None else moment(token.last_used_at)
    created = moment(token.created_at)
    return (str(token.id), token.name, token.role.value, _scope(token), created, last_used, status)


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(cells[i]) for cells in (header, *rows)) for i in range(len(header))]
    for cells in (header, *rows):
        line = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        typer.echo(line.rstrip())


def _days_from_now(days: int | None) -> datetime | None:
    return None if days is None else datetime.now(UTC) + timedelta(days=days)


def _scope(token: ApiToken) -> str:
    return "partner-wide" if token.customer_id is None else customer_api_id(token.customer_id)
