"""The framework's ceiling: a bare Strawberry app on Starlette and uvicorn, nothing else.

A schema with one trivial field, served the way licgraph is served (Starlette app, one
uvicorn process with its default loop and HTTP parser), answering ``{ __typename }``. It
has no database, no token check, no extensions: what licgraph's ``{ __typename }`` costs
beyond this is licgraph's own.

    python bench/bare_app.py --port 8001
"""

from __future__ import annotations

import argparse

import strawberry
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL


@strawberry.type
class Query:
    @strawberry.field
    def ok(self) -> bool:
        """A schema needs one field; the benchmark asks for ``__typename`` only."""
        return True


def create_app() -> Starlette:
    """One /graphql route, like licgraph's, over a stock Strawberry ASGI view."""
    view = GraphQL(strawberry.Schema(query=Query), graphql_ide=None)
    return Starlette(routes=[Route("/graphql", view, methods=["GET", "POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    arguments = parser.parse_args()
    uvicorn.run(create_app(), host=arguments.host, port=arguments.port)


if __name__ == "__main__":
    main()
