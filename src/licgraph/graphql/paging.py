"""Relay paging arguments in, connections out; bad arguments become BAD_USER_INPUT."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry

from licgraph.config import Settings
from licgraph.domain.paging import (
    InvalidPageRequestError,
    Key,
    Page,
    PageRequest,
    decode_cursor,
    encode_cursor,
    page_request,
)
from licgraph.graphql.errors import BadUserInputError
from licgraph.graphql.types.relay import Connection, Edge, PageInfo

T = TypeVar("T")
NodeT = TypeVar("NodeT")

DEFAULT_PAGE_SIZE = 20

# The four Relay paging arguments, declared once for every connection field.
FirstArg = Annotated[
    int | None,
    strawberry.argument(description="Rows from the start (or after `after`); at most 100."),
]
AfterArg = Annotated[str | None, strawberry.argument(description="A cursor.")]
LastArg = Annotated[
    int | None,
    strawberry.argument(
        description="Rows from the end (or before `before`); at most 100. "
        "`last` alone gives the last page."
    ),
]
BeforeArg = Annotated[str | None, strawberry.argument(description="A cursor.")]


def paging_arguments(
    *,
    kind: str,
    shape: tuple[type, ...],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    settings: Settings,
) -> PageRequest:
    """Validate and decode Relay arguments for the list ``kind`` (keys of ``shape``)."""
    try:
        return page_request(
            first=first,
            after=decode_cursor(kind, after, shape) if after is not None else None,
            last=last,
            before=decode_cursor(kind, before, shape) if before is not None else None,
            default_size=min(DEFAULT_PAGE_SIZE, settings.max_page_size),
            max_size=settings.max_page_size,
        )
    except InvalidPageRequestError as error:
        raise BadUserInputError(str(error)) from None


def to_connection(
    page: Page[T],
    *,
    kind: str,
    key: Callable[[T], Key],
    node: Callable[[T], NodeT],
    count_total: Callable[[], Awaitable[int]],
) -> Connection[NodeT]:
    """A Relay connection for ``page``; the total is counted only if the client asks."""
    edges = [Edge(cursor=encode_cursor(kind, key(row)), node=node(row)) for row in page.rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count_total=count_total,
    )
