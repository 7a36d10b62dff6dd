"""Keyset pagination over any ordered query, in both directions, with no OFFSET."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.domain.paging import Key, Page, PageRequest

T = TypeVar("T")


async def fetch_page(
    connection: AsyncConnection,
    query: Select[Any],
    *,
    order: Sequence[ColumnElement[Any]],
    request: PageRequest,
    to_value: Callable[[Any], T],
) -> Page[T]:
    """One page of ``query`` ordered by the unique key ``order``, as ``request`` asks.

    Costs one statement for the rows (one more than asked for tells whether the page is
    the last in its direction) and at most one ``EXISTS`` for the other direction.
    """
    key = tuple_(*order)
    bounded = _bounded(query, key, request)
    ordering = [column.desc() for column in order] if request.backwards else list(order)
    rows = list(await connection.execute(bounded.order_by(*ordering).limit(request.limit + 1)))
    more_in_direction = len(rows) > request.limit
    rows = rows[: request.limit]
    if request.backwards:
        rows.reverse()
    beyond = _rows_beyond_cursor(query, key, request)
    more_behind = beyond is not None and bool(await connection.scalar(select(beyond.exists())))
    values = [to_value(row) for row in rows]
    if request.backwards:
        return Page(rows=values, has_previous=more_in_direction, has_next=more_behind)
    return Page(rows=values, has_previous=more_behind, has_next=more_in_direction)


def _bounded(query: Select[Any], key: ColumnElement[Any], request: PageRequest) -> Select[Any]:
    if request.after is not None:
        query = query.where(key > tuple_(*_literals(request.after)))
    if request.before is not None:
        query = query.where(key < tuple_(*_literals(request.before)))
    return query


def _rows_beyond_cursor(
    query: Select[Any], key: ColumnElement[Any], request: PageRequest
) -> Select[Any] | None:
    """Rows on the far side of the cursor we started from (None: no cursor, so none)."""
    start = request.before if request.backwards else request.after
    if start is None:
        return None
    if request.backwards:
        return query.where(key >= tuple_(*_literals(start)))
    return query.where(key <= tuple_(*_literals(start)))


def _literals(key: Key) -> list[Any]:
    return [literal(value) for value in key]
