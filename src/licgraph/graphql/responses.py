"""What a GraphQL result looks like on the wire: its body and its HTTP status.

Pure decisions, following https://graphql.github.io/graphql-over-http/ (section 6.4).
"""

from __future__ import annotations

from collections.abc import Mapping

from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult

from licgraph.graphql.media_types import GRAPHQL_RESPONSE_JSON


def execution_started(result: ExecutionResult) -> bool:
    """Whether execution began; parse, validation and variable errors stop it before.

    graphql-core gives a request error no data and no path; an error raised while
    executing always has the path of its field, even when null bubbles up to ``data``.
    """
    return result.data is not None or any(error.path for error in result.errors or ())


def response_body(result: ExecutionResult) -> GraphQLHTTPResponse:
    """The response map: without a ``data`` entry when execution never started."""
    body = process_result(result)
    if not execution_started(result):
        # The GraphQL spec (7.1.2): "If an error was raised before execution begins,
        # the data entry should not be present in the result."
        body.pop("data", None)
    return body


def status_for(body: Mapping[str, object], media_type: str) -> int:
    """The HTTP status of a GraphQL response in ``media_type``.

    ``application/json`` is always 200 for a well-formed request (the spec's legacy rule,
    which existing clients rely on). ``application/graphql-response+json`` says 200 once
    execution started, else 400 for the client's mistake or 500 for ours.
    """
    if media_type != GRAPHQL_RESPONSE_JSON or "data" in body:
        return 200
    return 500 if "INTERNAL_SERVER_ERROR" in _codes(body) else 400


def _codes(body: Mapping[str, object]) -> set[object]:
    errors = body.get("errors")
    if not isinstance(errors, list):
        return set()
    return {
        (error.get("extensions") or {}).get("code") for error in errors if isinstance(error, dict)
    }
