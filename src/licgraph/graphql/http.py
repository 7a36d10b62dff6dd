"""GraphQL over HTTP: our GraphiQL page, protocol checks, authentication, then Strawberry.

The order of a request: a browser asking for the page gets it (it holds no data); a body
that is not JSON gets 415 and an Accept we can't satisfy gets 406, before anything else;
then a caller without a valid token gets 401, and a token over its rate 429; then
Strawberry parses and executes, and the answer's media type and status follow
https://graphql.github.io/graphql-over-http/.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import timedelta
from http import HTTPStatus
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from graphql import DocumentNode, GraphQLError, OperationType, get_operation_ast, parse
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.http.types import QueryParams
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal
from licgraph.domain.trusted_documents import (
    InvalidPersistedQueryError,
    PersistedQueryRefusedError,
)
from licgraph.graphql.context import Context, build_context
from licgraph.graphql.error_policy import apply_error_policy
from licgraph.graphql.graphiql import graphiql_page
from licgraph.graphql.media_types import JSON, accepts_html, is_json_body, negotiate
from licgraph.graphql.persisted import NO_DOCUMENTS, TrustedDocuments
from licgraph.graphql.rate_limiting import rate_limit_refusal, rate_limiter_for
from licgraph.graphql.responses import response_body, status_for
from licgraph.graphql.sockets import SocketContext, TokenSubscriptions
from licgraph.observability.record import current_record, note_outcome, request_id_from
from licgraph.services.live import ChangeFeed
from licgraph.services.tokens import authenticate

# Query-string parameters holding JSON; empty or `null` means absent, as in a JSON body.
_JSON_PARAMETERS = frozenset({"variables", "extensions"})
_SOCKET = "licgraph.socket"  # where a WebSocket's context waits for the connection's end


def request_id_of(request: Request) -> str:
    """The id ObservedRequests gave it, else the caller's sane X-Request-Id or a new one."""
    decided = getattr(request.state, "request_id", None)
    return decided if decided else request_id_from(request.headers.get("x-request-id"))


def bearer_of(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def is_page_request(request: Request) -> bool:
    """A browser navigating to /graphql: a GET without a query that asks for HTML."""
    return (
        request.method == "GET"
        and not _names_a_document(request.query_params)
        and accepts_html(request.headers.get("accept"))
    )


def _names_a_document(params: Mapping[str, object]) -> bool:
    # A persisted query's GET carries its hash in `extensions` and no `query`.
    return "query" in params or "extensions" in params


def error_response(
    status: int,
    message: str,
    *,
    media_type: str = JSON,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A GraphQL-shaped error without ``data``, for a request refused before execution."""
    extensions = {"code": code or HTTPStatus(status).name}
    note_outcome(extensions["code"])
    body = {"errors": [{"message": message, "extensions": extensions}]}
    return JSONResponse(body, status_code=status, headers=headers, media_type=media_type)


def unauthenticated(media_type: str = JSON) -> Response:
    """The one answer a caller without a valid token gets."""
    return error_response(
        401,
        "Authentication required: send `Authorization: Bearer <token>` with a valid, "
        "unrevoked token (create one with `licgraph token create`).",
        media_type=media_type,
        code="UNAUTHENTICATED",
        headers={"WWW-Authenticate": "Bearer"},
    )


def asks_for_subscription(query: object, operation_name: str | None) -> bool:
    """Whether the operation a request runs is a subscription (free unless the text says so)."""
    if not isinstance(query, str) or "subscription" not in query:
        return False
    try:
        document = _parsed(query)
    except GraphQLError:
        return False  # Strawberry reports the syntax error
    operation = get_operation_ast(document, operation_name)
    return operation is not None and operation.operation is OperationType.SUBSCRIPTION


@functools.lru_cache(maxsize=64)
def _parsed(query: str) -> DocumentNode:
    return parse(query)


def refused_persisted_query(error: PersistedQueryRefusedError, media_type: str) -> Response:
    """A persisted query that may not run: 400 if malformed, else a request error.

    An unknown or missing document is a well-formed request: 200 in ``application/json``
    (what APQ clients expect before they retry with the text), 400 in the GraphQL response
    media type, as for any request error.
    """
    body = {"errors": [{"message": str(error), "extensions": {"code": error.code}}]}
    note_outcome(error.code)
    malformed = isinstance(error, InvalidPersistedQueryError)
    status = 400 if malformed else status_for(body, media_type)
    return JSONResponse(body, status_code=status, media_type=media_type)


def refused_by_strawberry(error: HTTPException, media_type: str) -> Response:
    """Strawberry's refusal of a malformed request, as a JSON error with the right status."""
    if isinstance(error.__cause__, InvalidOperationTypeError):
        # Only GET restricts operation types (to queries): a mutation must be POSTed.
        return error_response(405, error.reason, media_type=media_type, headers={"Allow": "POST"})
    headers = {"Allow": "GET, POST"} if error.status_code == HTTPStatus.METHOD_NOT_ALLOWED else None
    return error_response(error.status_code, error.reason, media_type=media_type, headers=headers)


class _RequestAdapter(StarletteRequestAdapter):
    """Strawberry's view of a request, with the Content-Type in lower case."""

    @property
    def content_type(self) -> str | None:
        # Media types are case-insensitive (RFC 9110); Strawberry compares them as written.
        given = super().content_type
        return given.lower() if given else given


class _TextWebSocketAdapter(ASGIWebSocketAdapter):
    """Strawberry's WebSocket adapter, sending text frames (graphql-transport-ws is text;
    our ``encode_json`` gives bytes, which Strawberry would send as binary frames)."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as disconnected:
            raise WebSocketDisconnected from disconnected


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view behind our page, protocol checks and authentication."""

    request_adapter_class = _RequestAdapter
    websocket_adapter_class = _TextWebSocketAdapter

    def __init__(
        self,
        schema: BaseSchema,
        *,
        database: Database,
        settings: Settings,
        feed: ChangeFeed,
        graphiql_token: str | None = None,
        documents: TrustedDocuments = NO_DOCUMENTS,
    ) -> None:
        # Strawberry's own GraphiQL loads its scripts from a CDN; we serve our own page.
        # WebSockets: graphql-transport-ws only; browsers from the CORS origins (or this
        # server's own), clients without an Origin header (scripts) always.
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=10),
            allowed_origins=settings.cors_allowed_origins,
        )
        self.database = database
        self.settings = settings
        self.feed = feed
        self.graphiql_token = graphiql_token
        self.documents = documents
        self.rate_limiter = rate_limiter_for(database=database, settings=settings)
        self.subscriptions = TokenSubscriptions(settings.max_subscriptions_per_token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            try:
                await super().__call__(scope, receive, send)
            finally:
                socket = scope.get(_SOCKET)
                if isinstance(socket, SocketContext):
                    await socket.end()
            return
        if scope["type"] != "http":
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        request = Request(scope, receive)
        request_id = request_id_of(request)
        request.state.request_id = request_id
        response = await self._respond(request)
        response.headers.setdefault("X-Request-Id", request_id)
        # Answers depend on the caller's token and change with every write.
        response.headers.setdefault("Cache-Control", "no-store")
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        if is_page_request(request):
            # With GraphiQL off, the page does not exist at all.
            return (
                graphiql_page(token=self.graphiql_token)
                if self.settings.graphiql
                else PlainTextResponse("Not Found", 404)
            )
        if request.method == "POST" and not is_json_body(request.headers.get("content-type")):
            # Also what keeps HTML forms and other "simple" cross-site requests out.
            return error_response(415, "POST a JSON body with `Content-Type: application/json`.")
        media_type = negotiate(request.headers.get("accept"))
        if media_type is None:
            return error_response(
                406, "Accept application/graphql-response+json or application/json."
            )
        request.state.media_type = media_type
        principal = await self._principal(request)
        if principal is None:
            return unauthenticated(media_type)
        request.state.principal = principal
        if (record := current_record()) is not None:
            # The token's name and role, never its secret.
            record.token_name, record.role = principal.name, principal.role.value
        # Rate limiting: a token over its rate gets 429 before anything runs.
        refusal = await rate_limit_refusal(self.rate_limiter, principal, media_type)
        return refusal if refusal is not None else await self._execute(request, media_type)

    async def _execute(self, request: Request, media_type: str) -> Response:
        try:
            return await self.run(request)
        except HTTPException as error:
            return refused_by_strawberry(error, media_type)
        except PersistedQueryRefusedError as error:
            return refused_persisted_query(error, media_type)

    async def _principal(self, request: Request) -> Principal | None:
        bearer = bearer_of(request)
        if bearer is None:
            return None
        return await authenticate(database=self.database, bearer=bearer)

    async def get_context(  # type: ignore[override]
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context | SocketContext:
        if isinstance(request, WebSocket):
            # One context per connection; its caller is known after connection_init.
            socket = SocketContext(
                websocket=request,
                database=self.database,
                settings=self.settings,
                feed=self.feed,
                subscriptions=self.subscriptions,
            )
            request.scope[_SOCKET] = socket
            return socket
        return build_context(
            principal=request.state.principal,
            database=self.database,
            settings=self.settings,
            request_id=request.state.request_id,
        )

    async def on_ws_connect(  # type: ignore[override]
        self, context: SocketContext
    ) -> dict[str, object] | None:
        """Authenticate a connection by its connection_init payload (closed 4403 if not)."""
        if not await context.authenticate():
            raise ConnectionRejectionError
        return None

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # Strawberry takes a GET without `query` for a page request (404 with no IDE); one
        # with a persisted query's `extensions` is an API call. Our page is served earlier.
        return not _names_a_document(request.query_params) and super().should_render_graphql_ide(
            request
        )

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def parse_json(self, data: str | bytes) -> Any:
        value = super().parse_json(data)
        # Strawberry reads fields off whatever the JSON holds: a bare string or number would
        # crash it. A list is a batch of operations, each an object too.
        operations = value if isinstance(value, list) else [value]
        if not all(isinstance(operation, dict) for operation in operations):
            raise HTTPException(400, "The body, `variables` and `extensions` must be JSON objects.")
        return value

    def parse_query_params(self, params: QueryParams) -> dict[str, Any]:
        present = {
            name: value
            for name, value in params.items()
            if not (name in _JSON_PARAMETERS and value in {"", "null"})
        }
        return super().parse_query_params(present)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        data = await super().parse_http_body(request)
        operations = data if isinstance(data, list) else [data]
        if any(not isinstance(operation.operation_name, str | None) for operation in operations):
            raise HTTPException(
                400,
                "The GraphQL operation's `operationName` must be a string or null, if provided.",
            )
        # Trusted documents: a persisted query's hash becomes its text (or a refusal).
        for operation in operations:
            self.documents.resolve(operation)
        if (record := current_record()) is not None:
            record.persisted = any(self.documents.parsed(op.query or "") for op in operations)
        return data

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        # Over HTTP Strawberry would run a subscription's resolver once, as a query.
        if asks_for_subscription(request_data.query, request_data.operation_name):
            raise HTTPException(
                400,
                "Subscriptions are served over WebSocket: connect to ws://HOST:PORT/graphql "
                "with the graphql-transport-ws protocol and the token in connection_init.",
            )
        return await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if result.errors:
            # The schema's ErrorPolicy has coded every error of a finished operation; one
            # Strawberry answers for an operation that raised (a bug) is coded here.
            result.errors = apply_error_policy(result.errors, request_id=request.state.request_id)
        note_outcome(*(str((error.extensions or {}).get("code")) for error in result.errors or ()))
        return response_body(result)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        # create_response sees only the sub-response: it carries the negotiated media type.
        sub_response.media_type = request.state.media_type
        return sub_response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        media_type = sub_response.media_type or JSON
        status = status_for(response_data, media_type) if isinstance(response_data, dict) else 200
        response = Response(self.encode_json(response_data), status, media_type=media_type)
        response.headers.raw.extend(sub_response.headers.raw)
        return response
