"""Turning what can go wrong into one clear line for the operator."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from licgraph.db.engine import DatabaseURLError
from licgraph.domain.access import InvalidScopeError
from licgraph.domain.tokens import (
    InvalidTokenExpiryError,
    InvalidTokenNameError,
    TokenNameTakenError,
    UnknownTokenError,
)
from licgraph.domain.trusted_documents import InvalidManifestError
from licgraph.graphql.ids import InvalidGlobalIdError
from licgraph.services import tokens


class CommandError(Exception):
    """Raised by a command to stop with a one-line explanation for the operator."""


# Errors an operator can fix: each is reported as one line, without a traceback.
OPERATOR_ERRORS = (
    CommandError,
    DatabaseURLError,
    InvalidScopeError,
    InvalidGlobalIdError,
    InvalidManifestError,
    InvalidTokenNameError,
    InvalidTokenExpiryError,
    TokenNameTakenError,
    UnknownTokenError,
    tokens.TokenSelectorError,
    tokens.UnknownCustomerError,
)
FAILURE = 2
MIGRATE_HINT = "is the database migrated? run `licgraph db upgrade`"


def exit_with(message: str, code: int) -> NoReturn:
    typer.echo(f"licgraph: error: {message}", err=True)
    sys.exit(code)


def usage_problem(error: typer.TyperException) -> str:
    # One line: Typer lists choices on separate lines and keeps pydantic's "Value error, ".
    message = " ".join(error.format_message().replace("Value error, ", "").split())
    context = getattr(error, "ctx", None)
    return message if context is None else f"{message} (see `{context.command_path} --help`)"


def describe_settings_error(error: ValidationError) -> str:
    problems = (
        f"LICGRAPH_{'_'.join(str(part) for part in problem['loc']).upper()}: {problem['msg']}"
        for problem in error.errors()
    )
    return "invalid setting: " + "; ".join(problems)


def describe_database_error(error: Exception) -> str:
    # The driver's own message, first line only: SQLAlchemy's text adds the SQL and a link.
    cause = error.orig if isinstance(error, DBAPIError) else error
    first_line = next(_lines(str(cause)), type(cause).__name__)
    missing_table = "no such table" in first_line or (
        "relation" in first_line and "does not exist" in first_line
    )
    return f"database error: {first_line}" + (f" ({MIGRATE_HINT})" if missing_table else "")


def _lines(text: str) -> Iterator[str]:
    return (line.strip() for line in text.splitlines() if line.strip())
