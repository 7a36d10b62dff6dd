"""Relay building blocks: the Node interface, PageInfo, and generic connections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

NodeT = TypeVar("NodeT")


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID = strawberry.field(
        description="Opaque global id; pass it to `node`, `nodes` or any `...Id` argument."
    )


@strawberry.type(description="Where a page sits in its list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether rows follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether rows precede this page.")
    start_cursor: str | None = strawberry.field(
        description="Cursor of the first row; pass it as `before` for the previous page."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last row; pass it as `after` for the next page."
    )


@strawberry.type(description="A row of a page with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque position of this row in the list.")
    node: NodeT = strawberry.field(description="The row.")


@strawberry.type(description="A page of a list, with its position and the list's total size.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The rows of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Whether more rows lie on either side.")
    count_total: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The rows of this page without cursors (a shortcut).")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many rows the whole list holds with the same filters.")
    async def total_count(self) -> int:
        return await self.count_total()
