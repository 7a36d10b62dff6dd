"""Small SQL helpers shared by repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_


def contains_text(term: str, *columns: ColumnElement[Any]) -> ColumnElement[bool]:
    """Case-insensitive substring match of ``term`` against casefolded ``columns``."""
    escaped = term.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(*(column.like(pattern, escape="\\") for column in columns))
