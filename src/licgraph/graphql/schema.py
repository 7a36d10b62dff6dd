"""The schema object, its protective extensions, and the SDL export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import GraphQLError, build_schema, lexicographic_sort_schema, print_schema
from strawberry import Schema
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from licgraph.config import Settings
from licgraph.graphql.error_policy import apply_error_policy
from licgraph.graphql.types.license_errors import LICENSE_ERROR_TYPES
from licgraph.graphql.types.mutation import Mutation
from licgraph.graphql.types.query import Query


class LicgraphSchema(Schema):
    """Strawberry's schema with our error policy applied to every result.

    Strawberry's own error logging is off: the policy logs what matters (unexpected errors,
    with the request id), and expected client errors are not noise.
    """

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        result = await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )
        if result.errors:
            request_id = getattr(context_value, "request_id", None)
            result.errors = apply_error_policy(result.errors, request_id=request_id)
        return result

    def process_errors(
        self,
        errors: list[GraphQLError],
        execution_context: ExecutionContext | None = None,
    ) -> None:
        return None


def create_schema(settings: Settings) -> Schema:
    """The schema with limits from ``settings``; extensions are factories (fresh per request)."""
    return LicgraphSchema(
        query=Query,
        mutation=Mutation,
        # Error types appear only behind the LicenseError interface; list them explicitly.
        types=list(LICENSE_ERROR_TYPES),
        extensions=[
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            ParserCache,
            ValidationCache,
            lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
            lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        ],
    )


def export_schema() -> str:
    """The SDL of the schema, sorted for stable diffs (what `schema.graphql` holds)."""
    # Strawberry's own sort_schema option rebuilds enum types and breaks enum output
    # (0.341), so sort a copy built from the SDL instead.
    sdl = create_schema(Settings()).as_str()
    return print_schema(lexicographic_sort_schema(build_schema(sdl))) + "\n"
