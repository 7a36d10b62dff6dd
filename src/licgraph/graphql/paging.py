"""Relay connections, one recipe for every list: paging arguments in, a connection out.

A connection field declares its four paging arguments (``FirstArg`` ...) and its own
filters, and hands them to ``connection`` with the list's declaration (``KeysetList``, in
its repository) and how a row becomes a node. Bad paging arguments and cursors become
BAD_USER_INPUT; cursors carry the keys the page was read with (encoded only when asked).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Annotated, TypeVar

import strawberry

from licgraph.db.keyset import KeysetList, Owner
from licgraph.domain.paging import (
    InvalidPageRequestError,
    Page,
    PageRequest,
    decode_cursor,
    page_request,
)
from licgraph.graphql.context import Info
from licgraph.graphql.errors import BadUserInputError
from licgraph.graphql.loaders import ListKey, PageKey
from licgraph.graphql.types.relay import Connection, PageInfo

Q = TypeVar("Q", bound=Hashable)
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


async def connection(
    info: Info,
    listing: KeysetList[Q, T],
    node: Callable[[T], NodeT],
    *,
    owner: Owner,
    query: Q,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[NodeT]:
    """The page of ``owner``'s ``listing`` that the Relay arguments ask for.

    The total is counted only if the client asks for ``totalCount``.
    """
    request = _page_request(listing, first=first, after=after, last=last, before=before, info=info)
    loaders = info.context.loaders
    list_key = ListKey(owner, query)
    page = await loaders.pages(listing).load(PageKey(list_key, request))

    async def count_total() -> int:
        return await loaders.counts(listing).load(list_key)

    return _connection(page, listing.name, node, count_total)


def _page_request(
    listing: KeysetList[Q, T],
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    info: Info,
) -> PageRequest:
    settings = info.context.settings
    name, shape = listing.name, listing.key_shape
    try:
        return page_request(
            first=first,
            after=decode_cursor(name, after, shape) if after is not None else None,
            last=last,
            before=decode_cursor(name, before, shape) if before is not None else None,
            default_size=min(DEFAULT_PAGE_SIZE, settings.max_page_size),
            max_size=settings.max_page_size,
        )
    except InvalidPageRequestError as error:
        raise BadUserInputError(str(error)) from None


def _connection(
    page: Page[T],
    name: str,
    node: Callable[[T], NodeT],
    count_total: Callable[[], Awaitable[int]],
) -> Connection[NodeT]:
    keys = page.keys
    return Connection(
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            list_name=name,
            first_key=keys[0] if keys else None,
            last_key=keys[-1] if keys else None,
        ),
        list_name=name,
        page_nodes=[node(row) for row in page.rows],
        keys=keys,
        count_total=count_total,
    )
