"""GraphQL over HTTP, rule by rule: media types, status codes, malformed requests."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.http.conftest import GRAPHQL, ClientFactory

RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
VIEWER = "{ viewer { role } }"
PARSE_ERROR = "{ viewer { "
VALIDATION_ERROR = "{ nope }"
COERCION_ERROR = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }"
FIELD_ERROR = '{ nodes(ids: ["garbage"]) { id } }'
MUTATION = (
    'mutation { setUsageLocation(input: {customerId: "x", userIds: [], usageLocation: "US"})'
    " { __typename } }"
)


async def post(
    client: httpx.AsyncClient,
    body: object | bytes,
    *,
    accept: str | None = None,
    content_type: str | None = JSON,
) -> httpx.Response:
    """POST ``body`` (JSON-encoded unless bytes) with exactly the given Accept and Content-Type."""
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = client.build_request("POST", GRAPHQL, content=content)
    for name, value in (("accept", accept), ("content-type", content_type)):
        if value is None:
            request.headers.pop(name, None)
        else:
            request.headers[name] = value
    return await client.send(request)


def media_type_of(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


def codes_of(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json()["errors"]]


# --- Media types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        (JSON, JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (RESPONSE_JSON, RESPONSE_JSON),
        (f"{RESPONSE_JSON}, {JSON};q=0.9", RESPONSE_JSON),
        (f"{JSON}, {RESPONSE_JSON}", JSON),
        (f"{JSON};q=0.5, {RESPONSE_JSON}", RESPONSE_JSON),
        (f"text/html, {RESPONSE_JSON};charset=utf-8", RESPONSE_JSON),
    ],
)
async def test_the_answer_comes_in_the_media_type_the_client_prefers(
    client: httpx.AsyncClient, accept: str | None, expected: str
) -> None:
    response = await post(client, {"query": VIEWER}, accept=accept)

    assert response.status_code == 200
    assert media_type_of(response) == expected
    assert response.json()["data"] == {"viewer": {"role": "READER"}}


@pytest.mark.parametrize(
    "accept", ["text/html", "application/xml", f"{JSON};q=0", f"{JSON};charset=latin-1"]
)
async def test_an_accept_we_cannot_satisfy_gets_406(client: httpx.AsyncClient, accept: str) -> None:
    response = await post(client, {"query": VIEWER}, accept=accept)

    assert response.status_code == 406
    assert codes_of(response) == ["NOT_ACCEPTABLE"]


# --- Status codes of GraphQL results ---------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": PARSE_ERROR}, "GRAPHQL_PARSE_FAILED"),
        ({"query": VALIDATION_ERROR}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": COERCION_ERROR, "variables": {"ids": None}}, "BAD_USER_INPUT"),
        ({"query": VIEWER, "operationName": "Unknown"}, "BAD_REQUEST"),
    ],
)
async def test_request_errors_are_400_without_data_in_graphql_response_json(
    client: httpx.AsyncClient, body: dict[str, object], code: str
) -> None:
    response = await post(client, body, accept=RESPONSE_JSON)

    assert response.status_code == 400
    assert media_type_of(response) == RESPONSE_JSON
    assert "data" not in response.json()
    assert codes_of(response) == [code]


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        (PARSE_ERROR, None, "GRAPHQL_PARSE_FAILED"),
        (VALIDATION_ERROR, None, "GRAPHQL_VALIDATION_FAILED"),
        (COERCION_ERROR, {"ids": None}, "BAD_USER_INPUT"),
    ],
)
async def test_request_errors_are_200_without_data_in_plain_json(
    client: httpx.AsyncClient, query: str, variables: dict[str, object] | None, code: str
) -> None:
    response = await post(client, {"query": query, "variables": variables}, accept=JSON)

    assert response.status_code == 200
    assert media_type_of(response) == JSON
    assert "data" not in response.json()
    assert codes_of(response) == [code]


@pytest.mark.parametrize("accept", [RESPONSE_JSON, JSON])
async def test_a_field_error_during_execution_is_200_with_data(
    client: httpx.AsyncClient, accept: str
) -> None:
    response = await post(client, {"query": FIELD_ERROR}, accept=accept)

    assert response.status_code == 200
    assert "data" in response.json()
    assert codes_of(response) == ["BAD_USER_INPUT"]
    assert response.json()["errors"][0]["path"] == ["nodes"]


# --- GET -------------------------------------------------------------------------------


async def test_queries_work_over_get_with_url_encoded_variables(client: httpx.AsyncClient) -> None:
    response = await client.get(
        GRAPHQL,
        params={
            "query": "query ($n: String!) { __type(name: $n) { name } }",
            "variables": '{"n": "User"}',
        },
        headers={"Accept": RESPONSE_JSON},
    )

    assert response.status_code == 200
    assert response.json()["data"] == {"__type": {"name": "User"}}


@pytest.mark.parametrize("value", ["null", ""])
async def test_empty_or_null_variables_in_a_url_mean_none(
    client: httpx.AsyncClient, value: str
) -> None:
    response = await client.get(GRAPHQL, params={"query": VIEWER, "variables": value})

    assert response.status_code == 200
    assert response.json()["data"] == {"viewer": {"role": "READER"}}


@pytest.mark.parametrize("accept", [RESPONSE_JSON, JSON])
async def test_a_mutation_over_get_is_405_allowing_post_only(
    client: httpx.AsyncClient, accept: str
) -> None:
    response = await client.get(GRAPHQL, params={"query": MUTATION}, headers={"Accept": accept})

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert media_type_of(response) == accept
    assert codes_of(response) == ["METHOD_NOT_ALLOWED"]


# --- Malformed requests ----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"42",
        b'"a string"',
        b"null",
        b"[]",
        b'[{"query": "{ viewer { role } }"}]',
    ],
)
async def test_a_body_that_is_not_a_json_object_is_400(
    client: httpx.AsyncClient, body: bytes
) -> None:
    response = await post(client, body, accept=RESPONSE_JSON)

    assert response.status_code == 400
    assert media_type_of(response) == RESPONSE_JSON
    assert codes_of(response) == ["BAD_REQUEST"]
    assert "data" not in response.json()


WRONG_TYPES = [
    *(
        (name, value)
        for name in ("query", "operationName")
        for value in (0, False, ["a"], {"o": 1})
    ),
    *((name, value) for name in ("variables", "extensions") for value in ("s", 0, False, ["a"])),
]


@pytest.mark.parametrize(("parameter", "value"), WRONG_TYPES)
async def test_parameters_of_the_wrong_type_are_400(
    client: httpx.AsyncClient, parameter: str, value: object
) -> None:
    response = await post(client, {"query": VIEWER, parameter: value})

    assert response.status_code == 400
    assert codes_of(response) == ["BAD_REQUEST"]
    assert f"`{parameter}`" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("parameter", ["variables", "extensions", "operationName"])
async def test_null_optional_parameters_are_fine(client: httpx.AsyncClient, parameter: str) -> None:
    response = await post(client, {"query": VIEWER, parameter: None}, accept=RESPONSE_JSON)

    assert response.status_code == 200
    assert response.json()["data"] == {"viewer": {"role": "READER"}}


async def test_a_missing_query_is_400(client: httpx.AsyncClient) -> None:
    response = await post(client, {"qeury": VIEWER}, accept=RESPONSE_JSON)

    assert response.status_code == 400
    assert codes_of(response) == ["BAD_REQUEST"]


# --- Content types of requests ---------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/graphql",
        "application/json; charset=latin-1",
    ],
)
async def test_a_body_that_is_not_utf8_json_is_415_even_before_authentication(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    client.headers.pop("authorization")

    response = await post(client, {"query": MUTATION}, content_type=content_type)

    assert response.status_code == 415
    assert codes_of(response) == ["UNSUPPORTED_MEDIA_TYPE"]


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON"]
)
async def test_json_in_utf8_is_read(client: httpx.AsyncClient, content_type: str) -> None:
    response = await post(client, {"query": VIEWER}, content_type=content_type)

    assert response.status_code == 200


# --- Authentication and headers --------------------------------------------------------


@pytest.mark.parametrize("accept", [RESPONSE_JSON, JSON])
async def test_a_missing_token_is_still_401_in_the_negotiated_media_type(
    client: httpx.AsyncClient, accept: str
) -> None:
    client.headers.pop("authorization")

    response = await post(client, {"query": VIEWER}, accept=accept)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert media_type_of(response) == accept
    assert codes_of(response) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    "body", [{"query": VIEWER}, {"query": PARSE_ERROR}, b"{not json"], ids=["ok", "parse", "json"]
)
async def test_every_graphql_answer_is_uncacheable_and_has_a_request_id(
    client: httpx.AsyncClient, body: object
) -> None:
    response = await post(client, body)

    assert response.headers["cache-control"] == "no-store"
    assert len(response.headers["x-request-id"]) == 32


async def test_an_operation_name_of_the_wrong_type_is_400_inside_a_batch_too(
    client_with: ClientFactory,
) -> None:
    body = [{"query": VIEWER}, {"query": VIEWER, "operationName": 5}]

    async with client_with(max_batch_size=2) as client:
        response = await post(client, body)

    assert response.status_code == 400
    assert "`operationName`" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("body", [b"[1, 2]", b'[{"query": "{ __typename }"}, "x"]'])
async def test_a_batch_of_things_that_are_not_objects_is_400(
    client_with: ClientFactory, body: bytes
) -> None:
    async with client_with(max_batch_size=2) as client:
        response = await post(client, body)

    assert response.status_code == 400
    assert codes_of(response) == ["BAD_REQUEST"]
