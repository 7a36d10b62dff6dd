"""The body and status of a GraphQL result on the wire."""

from __future__ import annotations

import pytest
from graphql import GraphQLError
from strawberry.types import ExecutionResult

from licgraph.graphql.media_types import GRAPHQL_RESPONSE_JSON, JSON
from licgraph.graphql.responses import execution_started, response_body, status_for

REQUEST_ERROR = GraphQLError("Syntax Error", extensions={"code": "GRAPHQL_PARSE_FAILED"})
FIELD_ERROR = GraphQLError("bad id", path=["node"], extensions={"code": "BAD_USER_INPUT"})


def test_a_result_with_data_started_execution() -> None:
    assert execution_started(ExecutionResult(data={"a": 1}, errors=None))


def test_null_data_with_a_field_error_started_execution() -> None:
    assert execution_started(ExecutionResult(data=None, errors=[FIELD_ERROR]))


def test_no_data_and_no_path_is_a_request_error() -> None:
    assert not execution_started(ExecutionResult(data=None, errors=[REQUEST_ERROR]))


def test_the_body_of_a_request_error_has_no_data_entry() -> None:
    body = response_body(ExecutionResult(data=None, errors=[REQUEST_ERROR]))

    assert body == {
        "errors": [{"message": "Syntax Error", "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}]
    }


def test_the_body_of_an_execution_keeps_null_data() -> None:
    body = response_body(ExecutionResult(data=None, errors=[FIELD_ERROR]))

    assert body["data"] is None
    assert body["errors"] is not None


ERRORS_OF = {
    "request": {"errors": [{"message": "x", "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}]},
    "internal": {"errors": [{"message": "x", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]},
    "uncoded": {"errors": [{"message": "x", "extensions": None}, "not a map"]},
    "null data": {"data": None, "errors": [{"message": "x"}]},
    "data": {"data": {"a": 1}},
}


@pytest.mark.parametrize(
    ("body", "media_type", "status"),
    [
        ("request", GRAPHQL_RESPONSE_JSON, 400),
        ("internal", GRAPHQL_RESPONSE_JSON, 500),
        ("uncoded", GRAPHQL_RESPONSE_JSON, 400),
        ("null data", GRAPHQL_RESPONSE_JSON, 200),
        ("data", GRAPHQL_RESPONSE_JSON, 200),
        ("request", JSON, 200),
        ("internal", JSON, 200),
        ("null data", JSON, 200),
        ("data", JSON, 200),
    ],
)
def test_status_for(body: str, media_type: str, status: int) -> None:
    assert status_for(ERRORS_OF[body], media_type) == status
