"""GraphQL over HTTP: authentication first, then Strawberry's view with our context."""

from __future__ import annotations

import re
import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.schema import BaseSchema

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal
from licgraph.graphql.context import Context, build_context
from licgraph.services.tokens import authenticate

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_of(request: Request) -> str:
    """The caller's X-Request-Id if it is sane, else a fresh one."""
    given = request.headers.get("x-request-id", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


def bearer_of(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def unauthenticated(request_id: str) -> Response:
    """The one answer a caller without a valid token gets."""
    body = {
        "errors": [
            {
                "message": "Authentication required: send `Authorization: Bearer <token>` "
                "with a valid, unrevoked token (create one with `licgraph token create`).",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
    }
    headers = {"WWW-Authenticate": "Bearer", "X-Request-Id": request_id}
    return JSONResponse(body, status_code=401, headers=headers)


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view, refusing anything but GraphiQL's page to unauthenticated callers."""

    def __init__(self, schema: BaseSchema, *, database: Database, settings: Settings) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql else None)
        self.database = database
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await Response("Not found", status_code=404)(scope, receive, send)
            return
        request = Request(scope, receive)
        request_id = request_id_of(request)
        scope.setdefault("state", {})["request_id"] = request_id
        if self.graphql_ide and self.should_render_graphql_ide(request):  # type: ignore[arg-type]
            # The page itself holds no data; the queries it sends must authenticate.
            await (await self.render_graphql_ide(request))(scope, receive, send)
            return
        principal = await self._principal(request)
        if principal is None:
            await unauthenticated(request_id)(scope, receive, send)
            return
        scope["state"]["principal"] = principal
        await super().__call__(scope, receive, send)

    async def _principal(self, request: Request) -> Principal | None:
        bearer = bearer_of(request)
        if bearer is None:
            return None
        return await authenticate(database=self.database, bearer=bearer)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        response.headers["X-Request-Id"] = request.state.request_id
        return build_context(
            principal=request.state.principal,
            database=self.database,
            settings=self.settings,
            request_id=request.state.request_id,
        )
