"""What every resolver can reach: the caller, the request's loaders and the settings."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from licgraph.config import Settings
from licgraph.db.engine import Database
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


def build_context(
    *, principal: Principal, database: Database, settings: Settings, request_id: str
) -> Context:
    """A context with fresh loaders for one request."""
    return Context(
        principal=principal,
        loaders=Loaders(database=database, principal=principal),
        settings=settings,
        database=database,
        request_id=request_id,
    )


Info = strawberry.Info[Context, None]
