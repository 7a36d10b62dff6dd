"""Persisted documents are parsed when the manifest loads and validated on first use only."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from strawberry.extensions.parser_cache import DEFAULT_MAXSIZE, _get_parse_cache

from licgraph.config import Settings
from licgraph.domain.trusted_documents import InvalidManifestError, build_manifest
from licgraph.graphql.persisted import TrustedDocuments, load_trusted_documents
from licgraph.graphql.schema import create_schema

PING = "query Ping { __typename }"
INVALID = "query Broken { noSuchField }"


async def test_a_persisted_document_is_parsed_at_load_and_validated_once() -> None:
    documents = TrustedDocuments(build_manifest([PING]))
    schema = create_schema(Settings(), documents=documents)
    ad_hoc_parses = _get_parse_cache(DEFAULT_MAXSIZE).cache_info()
    document = documents.parsed(PING)
    assert document is not None
    assert documents.validation_errors(document) is None

    for _ in range(3):
        result = await schema.execute(PING)
        assert result.errors is None
        assert result.data == {"__typename": "Query"}

    assert documents.validation_errors(document) == []
    # The shared LRU cache of ad-hoc texts was never consulted.
    after = _get_parse_cache(DEFAULT_MAXSIZE).cache_info()
    assert (after.hits, after.misses) == (ad_hoc_parses.hits, ad_hoc_parses.misses)


async def test_a_persisted_documents_validation_errors_are_remembered_and_reported() -> None:
    documents = TrustedDocuments(build_manifest([INVALID]))
    schema = create_schema(Settings(), documents=documents)

    first, second = await schema.execute(INVALID), await schema.execute(INVALID)

    for result in (first, second):
        assert result.errors is not None
        assert result.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
    remembered = documents.validation_errors(documents.parsed(INVALID))  # type: ignore[arg-type]
    assert remembered is not None
    assert len(remembered) == 1


async def test_ad_hoc_documents_still_run_beside_persisted_ones() -> None:
    schema = create_schema(Settings(), documents=TrustedDocuments(build_manifest([PING])))

    result = await schema.execute("{ __typename }")

    assert result.data == {"__typename": "Query"}


def test_a_manifest_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(orjson.dumps(build_manifest([PING])))

    documents = load_trusted_documents(path, only_persisted=True)

    assert documents.only_persisted
    assert documents.parsed(PING) is not None


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "is not JSON"),
        (b"[]", "a JSON object"),
        (orjson.dumps(build_manifest(["query {"])), "does not parse"),
    ],
)
def test_a_bad_manifest_file_is_refused_naming_the_file(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(content)

    with pytest.raises(InvalidManifestError, match=problem) as raised:
        load_trusted_documents(path, only_persisted=False)
    assert str(path) in str(raised.value)


def test_a_missing_manifest_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidManifestError, match="can't read"):
        load_trusted_documents(tmp_path / "absent.json", only_persisted=False)


def test_persisted_only_without_a_manifest_is_a_settings_error() -> None:
    with pytest.raises(ValueError, match="needs LICGRAPH_PERSISTED_OPERATIONS"):
        Settings(only_persisted=True)
