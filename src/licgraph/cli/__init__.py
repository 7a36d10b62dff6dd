"""The ``licgraph`` command line: serve, migrate, seed, export the schema, manage API tokens.

Each command module registers its commands on the groups of ``groups.py``; ``main`` runs
them and turns every expected failure into one line on stderr.
"""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from licgraph.cli import (  # noqa: F401 - they register commands
    database,
    imports,
    persisted,
    serve,
    tokens,
    worker,
)
from licgraph.cli.errors import (
    FAILURE,
    OPERATOR_ERRORS,
    describe_database_error,
    describe_settings_error,
    exit_with,
    usage_problem,
)
from licgraph.cli.groups import app
from licgraph.logging import configure_logging

__all__ = ["app", "main"]


def main() -> None:
    """Run the command line, turning every expected failure into one line on stderr."""
    configure_logging()
    try:
        outcome = app(standalone_mode=False)
    except typer.TyperException as error:  # bad flags and values, e.g. an unknown --role
        exit_with(usage_problem(error), error.exit_code)
    except typer.Abort:
        exit_with("aborted", 1)
    except OPERATOR_ERRORS as error:
        exit_with(str(error), FAILURE)
    except ValidationError as error:
        exit_with(describe_settings_error(error), FAILURE)
    except (SQLAlchemyError, OSError) as error:
        exit_with(describe_database_error(error), FAILURE)
    # Typer returns the exit code when a command stops with typer.Exit outside standalone mode.
    sys.exit(outcome if isinstance(outcome, int) else 0)
