"""The schema object, its protective extensions, and the SDL export."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import suppress
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    build_schema,
    lexicographic_sort_schema,
    print_schema,
)
from strawberry import Schema
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import BatchingConfig, StrawberryConfig
from strawberry.types import ExecutionContext

from licgraph.config import Settings
from licgraph.graphql.batched_execution import BatchedExecutionContext
from licgraph.graphql.context import Context
from licgraph.graphql.error_policy import apply_error_policy
from licgraph.graphql.paging import DEFAULT_PAGE_SIZE
from licgraph.graphql.persisted import (
    NO_DOCUMENTS,
    PersistedParserCache,
    PersistedValidationCache,
    TrustedDocuments,
)
from licgraph.graphql.query_cost import CostRules, operation_cost
from licgraph.graphql.types import enum_values  # noqa: F401 - describes the enum values
from licgraph.graphql.types.license_errors import LICENSE_ERROR_TYPES
from licgraph.graphql.types.mutation import Mutation
from licgraph.graphql.types.query import Query
from licgraph.graphql.types.subscription import Subscription
from licgraph.observability.record import current_record


class LicgraphSchema(Schema):
    """Strawberry's schema, without Strawberry's own error logging.

    ``ErrorPolicy`` logs what matters (unexpected errors, with the request id); expected
    client errors are not noise.
    """

    def process_errors(
        self,
        errors: list[GraphQLError],
        execution_context: ExecutionContext | None = None,
    ) -> None:
        return None


class ErrorPolicy(SchemaExtension):
    """Ends every operation the same way: its loads settled, its errors given their codes.

    It wraps the whole operation (parsing, validation, execution), so the policy sees every
    error, and a load that a cancelled field left running can't outlive the operation.
    """

    async def on_operation(self) -> AsyncIterator[None]:
        try:
            yield
        except GraphQLError as error:
            # Raised rather than returned: Strawberry's ParserCache raises syntax errors.
            raise self._applied([error])[0] from None
        finally:
            if isinstance(context := self.execution_context.context, Context):
                await context.loaders.settle()
        result = self.execution_context.result
        if result is not None and result.errors:
            # A new list: a validation result may be a cached list shared by requests.
            result.errors = self._applied(result.errors)

    def _applied(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        context = self.execution_context.context
        request_id = context.request_id if isinstance(context, Context) else None
        return apply_error_policy(errors, request_id=request_id)


class OperationFacts(SchemaExtension):
    """Notes the operation's name and type for the request's log line and metrics.

    Once per operation, after it ran: nothing per field.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        record = current_record()
        if record is None:
            return
        context = self.execution_context
        if context.graphql_document is None:
            return
        # Only an operation the document holds: a name the client made up (any length)
        # must not reach the log line or a metric label.
        with suppress(Exception):  # strawberry raises when the named operation is not there
            record.operation_type = context.operation_type.value
            record.operation_name = context.operation_name


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
        # After ValidationCache (earlier in the list): only a valid document is priced.
        context = self.execution_context
        if context.graphql_document is not None and not context.pre_execution_errors:
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


def limit_rules(settings: Settings) -> list[type[ASTValidationRule]]:
    """The depth and alias limits (and, when it is off, no introspection) as validation rules.

    Built once per schema: ValidationCache keys on the rule classes, so classes made afresh
    for every request (what the limiters' own factories do) would never hit the cache.
    """
    rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    if not settings.introspection:  # `__schema` and `__type` then fail validation
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


def create_schema(settings: Settings, *, documents: TrustedDocuments = NO_DOCUMENTS) -> Schema:
    """The schema with limits from ``settings``; extensions are factories (fresh per request).

    The manifest's ``documents`` are parsed and validated once, never again.
    """
    limits, prices = limit_rules(settings), cost_rules(settings)
    return LicgraphSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Error types appear only behind the LicenseError interface; list them explicitly.
        types=list(LICENSE_ERROR_TYPES),
        config=StrawberryConfig(batching_config=batching(settings)),
        execution_context_class=BatchedExecutionContext,
        extensions=[
            ErrorPolicy,
            OperationFacts,
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            lambda: PersistedParserCache(documents),
            lambda: AddValidationRules(limits),
            lambda: PersistedValidationCache(documents),
            # After ValidationCache: only a valid document is priced.
            lambda: QueryCostLimiter(max_cost=settings.max_query_cost, rules=prices),
        ],
    )


def export_schema() -> str:
    """The SDL of the schema, sorted for stable diffs (what `schema.graphql` holds)."""
    # Strawberry's own sort_schema option rebuilds enum types and breaks enum output
    # (0.341), so sort a copy built from the SDL instead.
    sdl = create_schema(Settings()).as_str()
    return print_schema(lexicographic_sort_schema(build_schema(sdl))) + "\n"
