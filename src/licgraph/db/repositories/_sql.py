"""What every repository shares: its connection, the caller's scope, and text search."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, or_
from sqlalchemy.ext.asyncio import AsyncConnection


class Repository:
    """Statements over one connection; its reads see ``scope``'s rows only (None: every row).

    Reads made for a caller (the request's loaders) pass the caller's customer scope, so
    another customer's rows come back as absent; use cases that checked access themselves
    read unscoped.
    """

    def __init__(self, connection: AsyncConnection, *, scope: int | None = None) -> None:
        self.connection = connection
        self.scope = scope

    def visible(self, query: Select[Any], customer: ColumnElement[int]) -> Select[Any]:
        """``query`` limited to rows whose ``customer`` column is in scope."""
        return query if self.scope is None else query.where(customer == self.scope)


def contains_text(term: str, *columns: ColumnElement[Any]) -> ColumnElement[bool]:
    """Case-insensitive substring match of ``term`` against casefolded ``columns``."""
    escaped = term.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(*(column.like(pattern, escape="\\") for column in columns))
