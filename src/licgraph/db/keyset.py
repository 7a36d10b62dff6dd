"""Keyset pagination over any ordered query, in both directions, with no OFFSET."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, literal, select, tuple_
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
    descending: bool = False,
) -> Page[T]:
    """One page of ``query`` ordered by the unique key ``order``, as ``request`` asks.

    Costs one statement for the rows (one more than asked for tells whether the page is
    the last in its direction) and at most one ``EXISTS`` for the other direction.
    """
    keyset = _Keyset(order, descending=descending)
    bounded = keyset.between(query, after=request.after, before=request.before)
    rows = list(
        await connection.execute(
            bounded.order_by(*keyset.ordering(reverse=request.backwards)).limit(request.limit + 1)
        )
    )
    more_in_direction = len(rows) > request.limit
    rows = rows[: request.limit]
    if request.backwards:
        rows.reverse()
    start = request.before if request.backwards else request.after
    more_behind = start is not None and bool(
        await connection.scalar(select(keyset.behind(query, start, request.backwards).exists()))
    )
    return _page([to_value(row) for row in rows], request, more_in_direction, more_behind)


async def fetch_pages(
    connection: AsyncConnection,
    query: Select[Any],
    *,
    partition: ColumnElement[Any],
    order: Sequence[ColumnElement[Any]],
    request: PageRequest,
    to_value: Callable[[Any], T],
) -> dict[Any, Page[T]]:
    """The same page of several lists at once, one list per value of ``partition``.

    A window function numbers each list's rows, so N lists cost what one costs: one
    statement for the rows and at most one grouped statement for the other direction.
    Lists with no row in the window are absent from the result.
    """
    keyset = _Keyset(order, descending=False)
    bounded = keyset.between(query, after=request.after, before=request.before)
    position = func.row_number().over(
        partition_by=partition, order_by=keyset.ordering(reverse=request.backwards)
    )
    numbered = bounded.add_columns(
        partition.label("keyset_partition"), position.label("keyset_position")
    ).subquery()
    rows = await connection.execute(
        select(numbered)
        .where(numbered.c.keyset_position <= request.limit + 1)
        .order_by(numbered.c.keyset_partition, numbered.c.keyset_position)
    )
    grouped: dict[Any, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.keyset_partition, []).append(row)
    behind = await _partitions_behind(connection, query, keyset, partition, request)
    return {
        owner: _page(
            [to_value(row) for row in _trimmed(owned, request)],
            request,
            more_in_direction=len(owned) > request.limit,
            more_behind=owner in behind,
        )
        for owner, owned in grouped.items()
    }


def _trimmed(rows: list[Any], request: PageRequest) -> list[Any]:
    kept = rows[: request.limit]
    return kept[::-1] if request.backwards else kept


async def _partitions_behind(
    connection: AsyncConnection,
    query: Select[Any],
    keyset: _Keyset,
    partition: ColumnElement[Any],
    request: PageRequest,
) -> set[Any]:
    start = request.before if request.backwards else request.after
    if start is None:
        return set()
    behind = keyset.behind(query, start, request.backwards)
    found = await connection.execute(behind.with_only_columns(partition).distinct())
    return {value for (value,) in found}


def _page(
    values: list[T], request: PageRequest, more_in_direction: bool, more_behind: bool
) -> Page[T]:
    if request.backwards:
        return Page(rows=values, has_previous=more_in_direction, has_next=more_behind)
    return Page(rows=values, has_previous=more_behind, has_next=more_in_direction)


class _Keyset:
    """Comparisons on the row key in list order, ascending or descending."""

    def __init__(self, order: Sequence[ColumnElement[Any]], *, descending: bool) -> None:
        self._order = list(order)
        self._key = tuple_(*order)
        self._descending = descending

    def ordering(self, *, reverse: bool) -> list[ColumnElement[Any]]:
        backwards = self._descending != reverse
        return [column.desc() if backwards else column.asc() for column in self._order]

    def following(self, key: Key, *, inclusive: bool = False) -> ColumnElement[bool]:
        """Rows after ``key`` in list order."""
        bound = tuple_(*(literal(value) for value in key))
        if self._descending:
            return self._key <= bound if inclusive else self._key < bound
        return self._key >= bound if inclusive else self._key > bound

    def preceding(self, key: Key, *, inclusive: bool = False) -> ColumnElement[bool]:
        """Rows before ``key`` in list order."""
        bound = tuple_(*(literal(value) for value in key))
        if self._descending:
            return self._key >= bound if inclusive else self._key > bound
        return self._key <= bound if inclusive else self._key < bound

    def between(self, query: Select[Any], *, after: Key | None, before: Key | None) -> Select[Any]:
        if after is not None:
            query = query.where(self.following(after))
        if before is not None:
            query = query.where(self.preceding(before))
        return query

    def behind(self, query: Select[Any], start: Key, backwards: bool) -> Select[Any]:
        """Rows on the far side of the cursor a page started from (the cursor's row included)."""
        if backwards:
            return query.where(self.following(start, inclusive=True))
        return query.where(self.preceding(start, inclusive=True))
