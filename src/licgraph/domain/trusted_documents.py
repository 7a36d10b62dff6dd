"""Trusted documents: the manifest of persisted operations and what a request may run.

A manifest maps the SHA-256 (lowercase hex) of a document's text to that text. A request
names a document by ``extensions.persistedQuery.sha256Hash`` (Apollo's APQ shape), may send
its text along, and with ``only_persisted`` may run nothing else. Pure rules, no I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# The only version of Apollo's persisted-query extension there is.
APQ_VERSION = 1


class InvalidManifestError(ValueError):
    """Raised when a persisted-operations manifest is not a map of hashes to their documents."""


class PersistedQueryRefusedError(Exception):
    """Raised when a request's persisted query can't run; ``code`` says why."""

    code = "BAD_REQUEST"


class PersistedQueryNotFoundError(PersistedQueryRefusedError):
    """Raised when a request names a hash that is not in the manifest."""

    code = "PERSISTED_QUERY_NOT_FOUND"


class PersistedQueryRequiredError(PersistedQueryRefusedError):
    """Raised when only persisted documents may run and the request sent another one."""

    code = "PERSISTED_QUERY_REQUIRED"


class InvalidPersistedQueryError(PersistedQueryRefusedError):
    """Raised when ``extensions.persistedQuery`` is malformed or its hash is not the text's."""


def document_hash(text: str) -> str:
    """The manifest key of a document: SHA-256 of its UTF-8 text, lowercase hex."""
    return hashlib.sha256(text.encode()).hexdigest()


def build_manifest(documents: Iterable[str]) -> dict[str, str]:
    """The manifest of ``documents``, sorted by hash so that it diffs stably."""
    return dict(sorted((document_hash(text), text) for text in documents))


def check_manifest(value: object) -> dict[str, str]:
    """``value`` as a manifest, or InvalidManifestError naming the first wrong entry."""
    if not isinstance(value, dict):
        raise InvalidManifestError("a manifest is a JSON object of {sha256 hex: document}")
    for key, text in value.items():
        if not isinstance(text, str):
            raise InvalidManifestError(f"entry {key!r}: the document must be a string")
        if not _SHA256_HEX.match(key):
            raise InvalidManifestError(f"entry {key!r}: keys are 64 lowercase hex digits")
        if document_hash(text) != key:
            raise InvalidManifestError(f"entry {key!r}: it is not the SHA-256 of its document")
    return dict(value)


def trusted_document(
    *,
    query: str | None,
    extensions: Mapping[str, Any] | None,
    manifest: Mapping[str, str],
    only_persisted: bool,
) -> str | None:
    """The document text a request runs, or an exception saying why it may not run.

    A known hash runs the manifest's text. An unknown hash runs the text sent with it
    (what an APQ client sends on its second try), unless only persisted documents may run.
    Without a hash, the text runs as sent, or, in persisted-only mode, only if it is
    exactly a manifest document.
    """
    wanted = _requested_hash(extensions)
    if wanted is None:
        return _without_hash(query, manifest, only_persisted=only_persisted)
    if query is not None and document_hash(query) != wanted:
        raise InvalidPersistedQueryError(
            "`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`."
        )
    if wanted in manifest:
        return manifest[wanted]
    if query is None or only_persisted:
        raise PersistedQueryNotFoundError(
            f"PersistedQueryNotFound: no persisted document has the hash {wanted}."
        )
    return query


def _without_hash(
    query: str | None, manifest: Mapping[str, str], *, only_persisted: bool
) -> str | None:
    if not only_persisted or (query is not None and manifest.get(document_hash(query)) == query):
        return query
    raise PersistedQueryRequiredError(
        "This server runs persisted documents only: send "
        '`extensions: {"persistedQuery": {"version": 1, "sha256Hash": "<hash>"}}` '
        "with the hash of a document in its manifest."
    )


def _requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    """The hash of ``extensions.persistedQuery``, checked for shape; None without one."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict):
        raise InvalidPersistedQueryError("`extensions.persistedQuery` must be an object.")
    version = persisted.get("version", APQ_VERSION)
    if version != APQ_VERSION or isinstance(version, bool):
        raise InvalidPersistedQueryError("`extensions.persistedQuery.version` must be 1.")
    wanted = persisted.get("sha256Hash")
    if not isinstance(wanted, str) or not _SHA256_HEX.match(wanted):
        raise InvalidPersistedQueryError(
            "`extensions.persistedQuery.sha256Hash` must be 64 lowercase hex digits."
        )
    return wanted
