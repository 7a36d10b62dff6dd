"""Fields resolved for a whole level of objects at once.

A batch resolver takes the objects of one level of the response (every license of a page,
say) and the request's Info, and returns one value per object, in order. The level-by-level
executor (``batched_execution``) calls it once per level, so a level costs one call and one
round of loads instead of a coroutine per object; graphql-core, when it runs an operation
instead, calls the same function through the field's ordinary resolver with a one-object
list. One implementation either way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import strawberry

BATCH_RESOLVER = "licgraph.batch_resolver"
"""The field metadata key under which a batch field keeps its batch resolver."""

BatchResolver = Callable[[Sequence[Any], strawberry.Info[Any, Any]], Awaitable[list[Any]]]


def batch_field(resolve_many: BatchResolver, *, graphql_type: Any, description: str) -> Any:
    """A Strawberry field of type ``graphql_type`` resolved by ``resolve_many``."""

    async def resolve(self: Any, info: strawberry.Info[Any, Any]) -> Any:
        (value,) = await resolve_many([self], info)
        return value

    return strawberry.field(
        resolver=resolve,
        graphql_type=graphql_type,
        description=description,
        metadata={BATCH_RESOLVER: resolve_many},
    )
