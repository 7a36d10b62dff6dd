"""What every resolver can reach: the caller, the request's loaders and the settings."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from licgraph.config import Settings
from licgraph.db.engine import Database, ReadConnection
from licgraph.domain.access import Principal
from licgraph.graphql.loaders import Loaders


@dataclass(frozen=True, slots=True)
class Context:
    """Per-request context; built by the HTTP view (or a test) for one operation."""

    principal: Principal
    loaders: Loaders
    settings: Settings
    database: Database
    request_id: str
    reads: ReadConnection

    async def finish(self) -> None:
        """Let every load of the request end, then hand its read connection back."""
        await self.loaders.settle()
        await self.reads.close()


def build_context(
    *,
    principal: Principal,
    database: Database,
    settings: Settings,
    request_id: str,
    reads: ReadConnection | None = None,
) -> Context:
    """A context with fresh loaders for one request, reading on ``reads`` (or its own)."""
    reads = reads or database.read_connection()
    return Context(
        principal=principal,
        loaders=Loaders(connection=reads, principal=principal),
        settings=settings,
        database=database,
        request_id=request_id,
        reads=reads,
    )


Info = strawberry.Info[Context, None]
