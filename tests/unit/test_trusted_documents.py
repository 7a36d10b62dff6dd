"""The rules of trusted documents: which text a request runs, or why it may not run."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from licgraph.domain.trusted_documents import (
    InvalidManifestError,
    InvalidPersistedQueryError,
    PersistedQueryNotFoundError,
    PersistedQueryRequiredError,
    build_manifest,
    check_manifest,
    document_hash,
    trusted_document,
)

VIEWER = "query Viewer { viewer { name } }\n"
VIEWER_HASH = hashlib.sha256(VIEWER.encode()).hexdigest()
MANIFEST = {VIEWER_HASH: VIEWER}
AD_HOC = "{ viewer { role } }"


def persisted(sha: object, **extra: object) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha, **extra}}


def run(query: str | None, extensions: dict[str, Any] | None, *, only: bool = False) -> str | None:
    return trusted_document(
        query=query, extensions=extensions, manifest=MANIFEST, only_persisted=only
    )


def test_a_hash_is_the_sha256_of_the_utf8_text() -> None:
    assert document_hash("{ é }") == hashlib.sha256("{ é }".encode()).hexdigest()


def test_a_manifest_maps_each_hash_to_its_document_sorted() -> None:
    manifest = build_manifest([VIEWER, AD_HOC])

    assert manifest == {document_hash(AD_HOC): AD_HOC, VIEWER_HASH: VIEWER}
    assert list(manifest) == sorted(manifest)


@pytest.mark.parametrize("only", [False, True])
def test_a_known_hash_runs_the_manifests_text(only: bool) -> None:
    assert run(None, persisted(VIEWER_HASH), only=only) == VIEWER
    assert run(VIEWER, persisted(VIEWER_HASH), only=only) == VIEWER


def test_without_a_hash_the_text_runs_as_sent() -> None:
    assert run(AD_HOC, None) == AD_HOC
    assert run(AD_HOC, {"other": 1}) == AD_HOC


def test_an_unknown_hash_alone_is_not_found() -> None:
    with pytest.raises(PersistedQueryNotFoundError):
        run(None, persisted("0" * 64))


def test_an_unknown_hash_with_its_text_runs_the_text_as_apq_clients_retry() -> None:
    assert run(AD_HOC, persisted(document_hash(AD_HOC))) == AD_HOC


def test_persisted_only_refuses_an_unknown_hash_even_with_its_text() -> None:
    with pytest.raises(PersistedQueryNotFoundError):
        run(AD_HOC, persisted(document_hash(AD_HOC)), only=True)


def test_persisted_only_refuses_ad_hoc_text_and_a_missing_query() -> None:
    for query in (AD_HOC, None, VIEWER.strip()):
        with pytest.raises(PersistedQueryRequiredError):
            run(query, None, only=True)


def test_persisted_only_runs_a_manifest_document_sent_as_exact_text() -> None:
    assert run(VIEWER, None, only=True) == VIEWER


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": "abc"},
        {"persistedQuery": []},
        {"persistedQuery": {"version": 1}},
        persisted(None),
        persisted(42),
        persisted(VIEWER_HASH.upper()),
        persisted(VIEWER_HASH[:-1]),
        persisted(VIEWER_HASH + "0"),
        persisted("g" * 64),
        persisted(" " + VIEWER_HASH[1:]),
        persisted(VIEWER_HASH, version=2),
        persisted(VIEWER_HASH, version="1"),
        persisted(VIEWER_HASH, version=True),
    ],
)
@pytest.mark.parametrize("only", [False, True])
def test_a_malformed_persisted_query_is_refused(extensions: dict[str, Any], only: bool) -> None:
    with pytest.raises(InvalidPersistedQueryError):
        run(None, extensions, only=only)


@pytest.mark.parametrize("sha", [VIEWER_HASH, "0" * 64])
def test_a_hash_sent_with_other_text_is_refused(sha: str) -> None:
    # Else a client could run any text under a trusted document's name.
    with pytest.raises(InvalidPersistedQueryError, match="not the SHA-256 of `query`"):
        run(AD_HOC, persisted(sha))


def test_a_valid_manifest_passes_its_check() -> None:
    assert check_manifest(dict(MANIFEST)) == MANIFEST


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ([VIEWER], "a JSON object"),
        ({VIEWER_HASH: 1}, "must be a string"),
        ({VIEWER_HASH.upper(): VIEWER}, "64 lowercase hex"),
        ({"viewer": VIEWER}, "64 lowercase hex"),
        ({"0" * 64: VIEWER}, "not the SHA-256"),
    ],
)
def test_a_wrong_manifest_names_its_problem(value: object, problem: str) -> None:
    with pytest.raises(InvalidManifestError, match=problem):
        check_manifest(value)
