"""Persisted operations at run time: the loaded manifest and the caches that skip work.

The manifest's documents are parsed once, when it is loaded, and each is validated on its
first request; after that a persisted operation is neither parsed nor validated again. The
shared LRU caches of ad-hoc documents can't evict them: they live as long as the manifest.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
from graphql import DocumentNode, GraphQLError, GraphQLSyntaxError, parse
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.http import GraphQLRequestData
from strawberry.schema.schema import validate_document

from licgraph.domain.trusted_documents import (
    InvalidManifestError,
    check_manifest,
    trusted_document,
)


class TrustedDocuments:
    """A manifest of persisted documents, each parsed once and validated once."""

    def __init__(self, manifest: Mapping[str, str], *, only_persisted: bool = False) -> None:
        self.manifest = dict(manifest)
        self.only_persisted = only_persisted
        self._parsed = {text: _parsed(key, text) for key, text in self.manifest.items()}
        # Keyed by the parsed document's identity: only our own documents are ever looked up.
        self._validated: dict[int, list[GraphQLError]] = {}

    def resolve(self, request: GraphQLRequestData) -> None:
        """Put the text ``request`` may run in its ``query``, or raise why it may not run."""
        request.query = trusted_document(
            query=request.query,
            extensions=request.extensions,
            manifest=self.manifest,
            only_persisted=self.only_persisted,
        )

    def parsed(self, text: str) -> DocumentNode | None:
        """The parsed document if ``text`` is one of the manifest's, else None."""
        return self._parsed.get(text)

    def validation_errors(self, document: DocumentNode) -> list[GraphQLError] | None:
        """The remembered validation errors of a persisted document (None: not yet known)."""
        return self._validated.get(id(document))

    def remember_validation(self, document: DocumentNode, errors: list[GraphQLError]) -> None:
        """Keep the validation result of one of the manifest's documents (``parsed`` gave it)."""
        self._validated[id(document)] = errors


NO_DOCUMENTS = TrustedDocuments({})


def load_trusted_documents(path: Path | None, *, only_persisted: bool) -> TrustedDocuments:
    """The manifest at ``path`` (none: an empty one), or InvalidManifestError saying why not."""
    if path is None:
        return TrustedDocuments({}, only_persisted=only_persisted)
    try:
        value = orjson.loads(path.read_bytes())
    except OSError as error:
        raise InvalidManifestError(f"can't read {path}: {error.strerror}") from None
    except orjson.JSONDecodeError as error:
        raise InvalidManifestError(f"{path} is not JSON: {error}") from None
    try:
        return TrustedDocuments(check_manifest(value), only_persisted=only_persisted)
    except InvalidManifestError as error:
        raise InvalidManifestError(f"{path}: {error}") from None


def _parsed(key: str, text: str) -> DocumentNode:
    try:
        return parse(text)
    except GraphQLSyntaxError as error:
        raise InvalidManifestError(f"entry {key!r} does not parse: {error.message}") from None


class PersistedParserCache(ParserCache):
    """Strawberry's ParserCache, with the manifest's documents parsed at load time."""

    def __init__(self, documents: TrustedDocuments, **options: Any) -> None:
        super().__init__(**options)
        self.documents = documents

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        document = self.documents.parsed(context.query) if context.query else None
        if document is None:
            yield from super().on_parse()
            return
        context.graphql_document = document
        yield


class PersistedValidationCache(ValidationCache):
    """Strawberry's ValidationCache, with a persisted document's result kept for good."""

    def __init__(self, documents: TrustedDocuments, **options: Any) -> None:
        super().__init__(**options)
        self.documents = documents

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        known = self.documents.validation_errors(document) if document is not None else None
        if known is not None:
            context.pre_execution_errors = known
            yield
            return
        if document is None or self.documents.parsed(context.query or "") is not document:
            yield from super().on_validate()
            return
        errors = validate_document(context.schema._schema, document, context.validation_rules)
        self.documents.remember_validation(document, errors)
        context.pre_execution_errors = errors
        yield
