"""The browser-facing settings: CORS origins in either notation, introspection, GraphiQL."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from licgraph.config import Settings


def test_by_default_no_origin_is_allowed_and_graphiql_and_introspection_are_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("CORS_ALLOWED_ORIGINS", "GRAPHIQL", "INTROSPECTION"):
        monkeypatch.delenv(f"LICGRAPH_{name}", raising=False)

    settings = Settings()

    assert settings.cors_allowed_origins == ()
    assert settings.graphiql
    assert settings.introspection


@pytest.mark.parametrize(
    "value",
    [
        "https://a.example.com,http://localhost:3000",
        " https://a.example.com , http://localhost:3000 ,",
        '["https://a.example.com", "http://localhost:3000"]',
    ],
)
def test_origins_read_as_a_comma_list_or_json(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("LICGRAPH_CORS_ALLOWED_ORIGINS", value)

    assert Settings().cors_allowed_origins == ("https://a.example.com", "http://localhost:3000")


def test_an_empty_variable_allows_no_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LICGRAPH_CORS_ALLOWED_ORIGINS", "")

    assert Settings().cors_allowed_origins == ()


def test_a_star_allows_any_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LICGRAPH_CORS_ALLOWED_ORIGINS", "*")

    assert Settings().cors_allowed_origins == ("*",)


@pytest.mark.parametrize(
    "value", ["https://a.example.com/", "a.example.com", "ftp://a.example.com", "https://a.b/app"]
)
def test_something_that_is_not_an_origin_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("LICGRAPH_CORS_ALLOWED_ORIGINS", value)

    with pytest.raises(ValidationError, match="is not an origin"):
        Settings()


def test_switches_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LICGRAPH_GRAPHIQL", "false")
    monkeypatch.setenv("LICGRAPH_INTROSPECTION", "false")

    settings = Settings()

    assert not settings.graphiql
    assert not settings.introspection
