"""Keyset pagination: every list of the API declared once, paged both ways with no OFFSET.

A ``KeysetList`` names a list (its cursors carry the name), its unique order, its rows,
whose rows they are (the caller's scope applies to every list the same way) and its
filters. ``fetch_pages`` and ``count_rows`` serve any declared list, for one owner or for
many at once, and every page carries its rows' keys, read from the same columns the
``ORDER BY`` uses, so a cursor can't disagree with the order.

Cost: one statement for a page's rows (one row more than asked tells whether the page is
the last in its direction) and, after a cursor, at most one more for the other direction;
N owners' pages cost what one costs (a window function numbers each owner's rows).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Row, Select, func, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.domain.paging import Key, Page, PageRequest

T = TypeVar("T")
Q = TypeVar("Q", bound=Hashable)

Owner = int | None
"""Whose list it is (a customer's users, say); None for a list that has one owner only."""

_KEY_LABEL = "keyset_key_{}"


@dataclass(frozen=True, slots=True)
class KeysetList(Generic[Q, T]):
    """One list of the API, declared once.

    ``rows`` selects the columns ``to_value`` reads; ``order`` is a unique order whose values
    are each row's key; ``customer`` is the column that says whose row it is (a scoped caller
    sees its own customer's rows only); ``where`` turns a query ``Q`` (search, filters) into
    conditions. ``owner``, when set, partitions the list: one list per owner (per customer,
    say), and pages of several owners are fetched together.
    """

    name: str
    rows: Select[Any]
    to_value: Callable[[Row[Any]], T]
    order: tuple[ColumnElement[Any], ...]
    customer: ColumnElement[int]
    where: Callable[[Q], Iterable[ColumnElement[bool]]]
    owner: ColumnElement[int] | None = None
    descending: bool = False
    key_shape: tuple[type, ...] = field(init=False)
    keyset: _Keyset[T] = field(init=False, repr=False, compare=False)
    selected: Select[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # What a cursor of this list must decode to, from the order's own column types.
        shape = tuple(column.type.python_type for column in self.order)
        object.__setattr__(self, "key_shape", shape)
        # Built once, not per page: SQLAlchemy constructs cost more than the page's rows.
        keyset = _Keyset(self)
        object.__setattr__(self, "keyset", keyset)
        object.__setattr__(self, "selected", keyset.with_keys(self.rows))

    def matching(
        self, query: Select[Any], owners: Sequence[Owner], search: Q, scope: int | None
    ) -> Select[Any]:
        """``query`` limited to the owners' rows that ``search`` matches and ``scope`` sees."""
        if scope is not None:
            query = query.where(self.customer == scope)
        if self.owner is not None:
            ids = [owner for owner in owners if owner is not None]
            query = query.where(self.owner == ids[0] if len(ids) == 1 else self.owner.in_(ids))
        return query.where(*self.where(search))


async def fetch_pages(
    connection: AsyncConnection,
    listing: KeysetList[Q, T],
    *,
    owners: Sequence[Owner],
    query: Q,
    request: PageRequest,
    scope: int | None,
) -> dict[Owner, Page[T]]:
    """The same page of each owner's list (an owner without rows gets an empty page)."""
    keyset = listing.keyset
    base = listing.matching(listing.selected, owners, query, scope)
    if len(owners) == 1 or listing.owner is None:
        pages = {owners[0]: await _one_page(connection, keyset, base, request)}
    else:
        pages = await _many_pages(connection, keyset, base, listing.owner, request)
    empty: Page[T] = Page(rows=[], keys=[], has_previous=False, has_next=False)
    return {owner: pages.get(owner, empty) for owner in owners}


async def count_rows(
    connection: AsyncConnection,
    listing: KeysetList[Q, Any],
    *,
    owners: Sequence[Owner],
    query: Q,
    scope: int | None,
) -> dict[Owner, int]:
    """How many rows each owner's list holds for ``query``, in one (grouped) statement."""
    if listing.owner is None:
        counting = _counting(listing, func.count())
        total = await connection.scalar(listing.matching(counting, owners, query, scope))
        return {owners[0]: int(total or 0)}
    grouped = _counting(listing, listing.owner, func.count()).group_by(listing.owner)
    found = await connection.execute(listing.matching(grouped, owners, query, scope))
    totals = {owner: int(total) for owner, total in found}
    return {owner: totals.get(owner, 0) for owner in owners}


def _counting(listing: KeysetList[Any, Any], *columns: ColumnElement[Any]) -> Select[Any]:
    """The list's FROM, selecting ``columns`` instead of its rows."""
    return listing.rows.with_only_columns(*columns, maintain_column_froms=True)


async def _one_page(
    connection: AsyncConnection, keyset: _Keyset[T], query: Select[Any], request: PageRequest
) -> Page[T]:
    bounded = keyset.between(query, after=request.after, before=request.before)
    ordered = bounded.order_by(*keyset.ordering(reverse=request.backwards))
    rows = list((await connection.execute(ordered.limit(request.limit + 1))).all())
    start = request.before if request.backwards else request.after
    more_behind = start is not None and bool(
        await connection.scalar(select(keyset.behind(query, start, request.backwards).exists()))
    )
    return keyset.page(rows, request, more_behind=more_behind)


async def _many_pages(
    connection: AsyncConnection,
    keyset: _Keyset[T],
    query: Select[Any],
    owner: ColumnElement[int],
    request: PageRequest,
) -> dict[Owner, Page[T]]:
    bounded = keyset.between(query, after=request.after, before=request.before)
    position = func.row_number().over(
        partition_by=owner, order_by=keyset.ordering(reverse=request.backwards)
    )
    numbered = bounded.add_columns(
        owner.label("keyset_owner"), position.label("keyset_position")
    ).subquery()
    rows = await connection.execute(
        select(numbered)
        .where(numbered.c.keyset_position <= request.limit + 1)
        .order_by(numbered.c.keyset_owner, numbered.c.keyset_position)
    )
    grouped: dict[Owner, list[Row[Any]]] = {}
    for row in rows:
        grouped.setdefault(row.keyset_owner, []).append(row)
    behind = await _owners_behind(connection, keyset, query, owner, request)
    return {  # each row: the list's columns, its key, its owner and position
        key: keyset.page(owned, request, more_behind=key in behind, after_key=2)
        for key, owned in grouped.items()
    }


async def _owners_behind(
    connection: AsyncConnection,
    keyset: _Keyset[Any],
    query: Select[Any],
    owner: ColumnElement[int],
    request: PageRequest,
) -> set[Owner]:
    start = request.before if request.backwards else request.after
    if start is None:
        return set()
    behind = keyset.behind(query, start, request.backwards)
    found = await connection.execute(behind.with_only_columns(owner).distinct())
    return {value for (value,) in found}


class _Keyset(Generic[T]):
    """Comparisons on a list's row key in list order, ascending or descending."""

    def __init__(self, listing: KeysetList[Any, T]) -> None:
        self._order = list(listing.order)
        self._key = tuple_(*listing.order)
        self._descending = listing.descending
        self._to_value = listing.to_value
        self._orderings: dict[bool, list[ColumnElement[Any]]] = {
            reverse: [
                column.desc() if self._descending != reverse else column.asc()
                for column in self._order
            ]
            for reverse in (False, True)
        }

    def with_keys(self, query: Select[Any]) -> Select[Any]:
        """``query`` also selecting each row's key, under labels of its own."""
        return query.add_columns(
            *(column.label(_KEY_LABEL.format(index)) for index, column in enumerate(self._order))
        )

    def page(
        self, rows: list[Row[Any]], request: PageRequest, *, more_behind: bool, after_key: int = 0
    ) -> Page[T]:
        """The page of ``rows`` (read one past the limit, in the request's direction).

        Each row ends with its key's columns (``with_keys``), then ``after_key`` more.
        """
        more_in_direction = len(rows) > request.limit
        kept = rows[: request.limit]
        if request.backwards:
            kept.reverse()
        start = -len(self._order) - after_key
        end = -after_key or None
        keys: list[Key] = [tuple(row[start:end]) for row in kept]
        values = [self._to_value(row) for row in kept]
        if request.backwards:
            return Page(values, keys, has_previous=more_in_direction, has_next=more_behind)
        return Page(values, keys, has_previous=more_behind, has_next=more_in_direction)

    def ordering(self, *, reverse: bool) -> list[ColumnElement[Any]]:
        return self._orderings[reverse]

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
