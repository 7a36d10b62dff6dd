"""Relay building blocks: the Node interface, PageInfo, and generic connections.

A connection holds its page's nodes and their keys; cursors and edges are built only when a
client selects them (most pages are read through ``nodes``, and a cursor is a JSON and
base64 encoding per row).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

from licgraph.domain.paging import Key, encode_cursor

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
    list_name: strawberry.Private[str]
    first_key: strawberry.Private[Key | None]
    last_key: strawberry.Private[Key | None]

    @strawberry.field(
        description="Cursor of the first row; pass it as `before` for the previous page."
    )
    def start_cursor(self) -> str | None:
        return None if self.first_key is None else encode_cursor(self.list_name, self.first_key)

    @strawberry.field(description="Cursor of the last row; pass it as `after` for the next page.")
    def end_cursor(self) -> str | None:
        return None if self.last_key is None else encode_cursor(self.list_name, self.last_key)


@strawberry.type(description="A row of a page with its cursor.")
class Edge(Generic[NodeT]):
    node: NodeT = strawberry.field(description="The row.")
    list_name: strawberry.Private[str]
    key: strawberry.Private[Key]

    @strawberry.field(description="Opaque position of this row in the list.")
    def cursor(self) -> str:
        return encode_cursor(self.list_name, self.key)


@strawberry.type(description="A page of a list, with its position and the list's total size.")
class Connection(Generic[NodeT]):
    page_info: PageInfo = strawberry.field(description="Whether more rows lie on either side.")
    list_name: strawberry.Private[str]
    page_nodes: strawberry.Private[list[NodeT]]
    keys: strawberry.Private[list[Key]]
    count_total: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The rows of this page, in order.")
    def edges(self) -> list[Edge[NodeT]]:
        return [
            Edge(node=node, list_name=self.list_name, key=key)
            for node, key in zip(self.page_nodes, self.keys, strict=True)
        ]

    @strawberry.field(description="The rows of this page without cursors (a shortcut).")
    def nodes(self) -> list[NodeT]:
        return self.page_nodes

    @strawberry.field(description="How many rows the whole list holds with the same filters.")
    async def total_count(self) -> int:
        return await self.count_total()
