"""The schema object, its protective extensions, and the SDL export."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    build_schema,
    lexicographic_sort_schema,
    print_schema,
    validate,
)
from strawberry import Schema
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import BatchingConfig, StrawberryConfig
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from licgraph.config import Settings
from licgraph.graphql.context import Context
from licgraph.graphql.error_policy import apply_error_policy
from licgraph.graphql.loaders import settle
from licgraph.graphql.paging import DEFAULT_PAGE_SIZE
from licgraph.graphql.query_cost import CostRules, operation_cost
from licgraph.graphql.types import enum_values  # noqa: F401 - describes the enum values
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
        if isinstance(context_value, Context):
            await settle(context_value.loaders)
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


class QueryCostLimiter(SchemaExtension):
    """Refuses an operation whose estimated cost is over ``max_cost`` before it runs.

    The estimate is made once per operation, on the parsed and validated document, in the
    validation step (a per-field hook would make every field awaitable). Every priced
    operation reports ``{"cost": {"requested": N, "limit": M}}`` in the response extensions.
    """

    def __init__(self, *, max_cost: int, rules: CostRules) -> None:
        self.max_cost = max_cost
        self.rules = rules
        self.cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            if context.pre_execution_errors is None:
                # Nothing validated before us (no ValidationCache): validate now, once.
                context.pre_execution_errors = validate(
                    context.schema._schema, context.graphql_document, context.validation_rules
                )
            if not context.pre_execution_errors:
                self._price(context.graphql_document)
        yield

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "limit": self.max_cost}}

    def _price(self, document: DocumentNode) -> None:
        context = self.execution_context
        self.cost = operation_cost(
            context.schema._schema,
            document,
            operation_name=context.operation_name,
            variables=context.variables,
            rules=self.rules,
        )
        if self.cost > self.max_cost:
            # A list of its own: the validation result may be a cached list shared by requests.
            context.pre_execution_errors = [too_complex(self.cost, self.max_cost)]


def too_complex(cost: int, max_cost: int) -> GraphQLError:
    """The error of an operation estimated to cost more than allowed."""
    return GraphQLError(
        f"Query too complex: its estimated cost is {cost}, over the limit of {max_cost}. "
        "Ask for smaller pages (`first`/`last`), fewer ids or fewer nested lists.",
        extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "maxCost": max_cost},
    )


def cost_rules(settings: Settings) -> CostRules:
    """The prices, with page sizes and id lists capped as the resolvers cap them."""
    return CostRules(
        default_page_size=min(DEFAULT_PAGE_SIZE, settings.max_page_size),
        max_page_size=settings.max_page_size,
        max_ids=max(settings.max_ids_per_request, settings.max_users_per_mutation),
    )


def batching(settings: Settings) -> BatchingConfig | None:
    """Batched requests (a JSON array of operations): off unless a maximum size is set."""
    if settings.max_batch_size <= 0:
        return None
    return {"max_operations": settings.max_batch_size}


def create_schema(settings: Settings) -> Schema:
    """The schema with limits from ``settings``; extensions are factories (fresh per request)."""
    return LicgraphSchema(
        query=Query,
        mutation=Mutation,
        # Error types appear only behind the LicenseError interface; list them explicitly.
        types=list(LICENSE_ERROR_TYPES),
        config=StrawberryConfig(batching_config=batching(settings)),
        extensions=[
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            ParserCache,
            ValidationCache,
            lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
            lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
            # After ValidationCache: only a valid document is priced.
            lambda: QueryCostLimiter(max_cost=settings.max_query_cost, rules=cost_rules(settings)),
            # LICGRAPH_INTROSPECTION=false: `__schema`/`__type` fail validation.
            *([] if settings.introspection else [DisableIntrospection]),
        ],
    )


def export_schema() -> str:
    """The SDL of the schema, sorted for stable diffs (what `schema.graphql` holds)."""
    # Strawberry's own sort_schema option rebuilds enum types and breaks enum output
    # (0.341), so sort a copy built from the SDL instead.
    sdl = create_schema(Settings()).as_str()
    return print_schema(lexicographic_sort_schema(build_schema(sdl))) + "\n"
