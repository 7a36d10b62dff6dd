"""`licgraph import`: customers, users and entitlements from CSV or JSON files.

Two passes: every row is checked against the row rules and the other rows first; then, in
one transaction, against the database, and upserted by external key. Any problem, in
either pass, means nothing is written; each is reported as ``FILE:LINE: reason``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from licgraph.db.engine import Database
from licgraph.services.importing.checks import check_files
from licgraph.services.importing.loader import ImportSummary, load_checked
from licgraph.services.importing.sources import (
    ImportFileError,
    Problem,
    Source,
    open_sources,
)

__all__ = [
    "ImportFileError",
    "ImportRejectedError",
    "ImportSummary",
    "Problem",
    "Source",
    "import_sources",
    "open_sources",
]


class ImportRejectedError(Exception):
    """Raised when rows can't be imported; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=lambda problem: (problem.file, problem.line))


def _ignore(*_: object) -> None:
    """Progress callback that does nothing."""


async def import_sources(
    *,
    database: Database,
    sources: Sequence[Source],
    on_checked_row: Callable[[], None] = _ignore,
    on_loaded_rows: Callable[[int], None] = _ignore,
) -> ImportSummary:
    """Check every row, then load them all in one transaction, or nothing at all."""
    problems = check_files(sources, on_checked_row)
    if problems:
        raise ImportRejectedError(problems)
    async with database.transaction() as connection:
        summary, problems = await load_checked(connection, sources, on_loaded_rows)
        if problems:
            raise ImportRejectedError(problems)  # leaving the block rolls back
    return summary
