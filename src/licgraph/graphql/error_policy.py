"""One place that decides what an error tells the client: a code always, internals never."""

from __future__ import annotations

import structlog
from graphql import GraphQLError, GraphQLSyntaxError

from licgraph.domain.groups import InvalidGroupError
from licgraph.domain.idempotency import IdempotencyKeyReusedError, InvalidIdempotencyKeyError
from licgraph.domain.license_change import InvalidLicenseChangeError, InvalidQuantityError
from licgraph.domain.license_jobs import InvalidJobTargetError
from licgraph.domain.locations import InvalidUsageLocationError
from licgraph.graphql.ids import to_global_id
from licgraph.services.errors import (
    CustomerNotFoundError,
    GroupNotFoundError,
    LicenseJobNotFoundError,
    PermissionDeniedError,
    RetriesExhaustedError,
)

log = structlog.get_logger(__name__)

# Exceptions of the use cases that are the caller's doing, and the code each one gets.
EXPECTED_ERRORS: tuple[tuple[type[Exception], str], ...] = (
    (CustomerNotFoundError, "NOT_FOUND"),
    (GroupNotFoundError, "NOT_FOUND"),
    (LicenseJobNotFoundError, "NOT_FOUND"),
    (InvalidJobTargetError, "BAD_USER_INPUT"),
    (PermissionDeniedError, "FORBIDDEN"),
    (IdempotencyKeyReusedError, "IDEMPOTENCY_KEY_REUSED"),
    (InvalidIdempotencyKeyError, "BAD_USER_INPUT"),
    (InvalidLicenseChangeError, "BAD_USER_INPUT"),
    (InvalidQuantityError, "BAD_USER_INPUT"),
    (InvalidUsageLocationError, "BAD_USER_INPUT"),
    (InvalidGroupError, "BAD_USER_INPUT"),
    (RetriesExhaustedError, "CONFLICT"),
)

INTERNAL_MESSAGE = "Internal server error; quote the request id to support."


def apply_error_policy(errors: list[GraphQLError], *, request_id: str | None) -> list[GraphQLError]:
    """Give every top-level error an ``extensions.code`` and mask unexpected exceptions.

    Errors raised on purpose (``ClientError``) and expected use-case failures keep their
    message and get their code. Parse and validation errors stay readable (GraphiQL relies
    on them). Anything else is logged with the request id and reaches the client as
    INTERNAL_SERVER_ERROR carrying that id only.
    """
    return [_classified(error, request_id) for error in errors]


def _classified(error: GraphQLError, request_id: str | None) -> GraphQLError:
    if error.extensions and "code" in error.extensions:
        return error
    code = _expected_code(error.original_error)
    if code is not None:
        return _with_code(error, code, **_details(error.original_error))
    if error.original_error is None or (
        error.path is None and isinstance(error.original_error, GraphQLError)
    ):
        # Raised by graphql-core itself before execution: parse, validation, variables.
        return _with_code(error, _pre_execution_code(error))
    return _masked(error, request_id)


def _pre_execution_code(error: GraphQLError) -> str:
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    if error.message.startswith("Variable '$"):
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


def _masked(error: GraphQLError, request_id: str | None) -> GraphQLError:
    log.error(
        "unexpected error", request_id=request_id, path=error.path, exc_info=error.original_error
    )
    return GraphQLError(
        INTERNAL_MESSAGE,
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )


def _expected_code(original: Exception | None) -> str | None:
    for error_type, code in EXPECTED_ERRORS:
        if isinstance(original, error_type):
            return code
    return None


def _details(original: Exception | None) -> dict[str, object]:
    """Extra extensions an expected error carries, with ids in their public form."""
    if isinstance(original, InvalidLicenseChangeError) and original.product_ids:
        return {"productIds": [to_global_id("Product", pk) for pk in original.product_ids]}
    return {}


def _with_code(error: GraphQLError, code: str, **details: object) -> GraphQLError:
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), **details, "code": code},
    )
