"""Content negotiation of GraphQL over HTTP, as pure functions over header values."""

from __future__ import annotations

import pytest

from licgraph.graphql.media_types import (
    GRAPHQL_RESPONSE_JSON,
    JSON,
    accepts_html,
    is_json_body,
    negotiate,
    parse_accept,
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("  ", JSON),
        ("application/json", JSON),
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("APPLICATION/GRAPHQL-RESPONSE+JSON", GRAPHQL_RESPONSE_JSON),
        ("application/graphql-response+json, application/json", GRAPHQL_RESPONSE_JSON),
        ("application/json, application/graphql-response+json", JSON),
        ("application/json;q=0.9, application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/graphql-response+json;q=0.1, */*", JSON),
        ("application/json, multipart/mixed", JSON),
        ("text/html, */*;q=0.1", JSON),
        ("application/json;q=0, */*", GRAPHQL_RESPONSE_JSON),
        ("application/json; charset=utf-8", JSON),
        ('application/json; charset="UTF-8"', JSON),
        (
            "application/json; charset=latin-1, application/graphql-response+json",
            GRAPHQL_RESPONSE_JSON,
        ),
        ("nonsense, application/json", JSON),
        ("application/json;q=bad, application/graphql-response+json;q=0.5", GRAPHQL_RESPONSE_JSON),
    ],
)
def test_negotiate_picks_the_preferred_supported_media_type(
    accept: str | None, expected: str
) -> None:
    assert negotiate(accept) == expected


@pytest.mark.parametrize(
    "accept",
    [
        "text/html",
        "application/xml, text/*",
        "application/json;q=0",
        "*/*;q=0",
        "application/json; charset=latin-1",
        "application/*;q=0, */*",
        "nonsense",
    ],
)
def test_negotiate_gives_none_when_nothing_supported_is_acceptable(accept: str) -> None:
    assert negotiate(accept) is None


def test_parse_accept_reads_quality_charset_and_position() -> None:
    ranges = parse_accept('text/html;level=1;q=0.7, application/json; charset="UTF-8"')

    assert [(r.type, r.subtype, r.quality, r.charset, r.position) for r in ranges] == [
        ("text", "html", 0.7, None, 0),
        ("application", "json", 1.0, "utf-8", 1),
    ]


@pytest.mark.parametrize("quality", ["2", "-1", "x"])
def test_parse_accept_skips_ranges_with_an_impossible_quality(quality: str) -> None:
    assert parse_accept(f"application/json;q={quality}") == []


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
        ("text/html", True),
        ("*/*", False),
        ("application/json", False),
        ("text/html;q=0", False),
        (None, False),
    ],
)
def test_accepts_html_only_when_html_is_named(accept: str | None, expected: bool) -> None:
    assert accepts_html(accept) is expected


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("Application/JSON; Charset=UTF-8", True),
        ("application/json; charset=latin-1", False),
        ("application/graphql-response+json", False),
        ("text/plain", False),
        ("text/plain;charset=UTF-8", False),
        ("application/x-www-form-urlencoded", False),
        ("multipart/form-data; boundary=x", False),
        ("", False),
        (None, False),
    ],
)
def test_is_json_body(content_type: str | None, expected: bool) -> None:
    assert is_json_body(content_type) is expected
