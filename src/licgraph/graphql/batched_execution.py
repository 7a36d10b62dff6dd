"""Queries executed level by level: one pass per field over all the objects of a level.

graphql-core resolves and completes every field of every object on its own: a page of 100
users with their licenses makes some 1,500 resolver calls, as many result checks and an
asyncio task for each awaited field, and the garbage of all of them. This executor walks
the same selections breadth-first: for a field at one level it resolves all the objects of
that level in one go, drives the resolvers' coroutines together without a task each (their
loads meet in the same DataLoader batches), completes the values of the whole level, and
only then goes one level down. Resolvers, arguments, type resolution and the coercion of
leaf values are the schema's own, so the answer is the same data, in the same order.

It runs a query only while everything is ordinary. At the first exception, null in a
non-null position, unexpected value or feature it does not handle (introspection, ``@defer``,
middleware), it gives up and the whole operation runs again through graphql-core, which
produces the errors, paths and partial data the specification asks for. A query has no side
effects, and a repeated load is answered from the request's DataLoader cache.

Mutations run through graphql-core, one root field after the other; only the payload a
mutation returned (10,000 per-user results, say) is completed in levels, and if that gives
up, graphql-core completes the same payload: the mutation itself never runs twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import is_
from types import CoroutineType, GeneratorType
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLAbstractType,
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLString,
    OperationType,
    is_abstract_type,
    is_leaf_type,
)
from graphql.execution import default_field_resolver
from graphql.execution.collect_fields import FieldDetails, collect_fields
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path
from strawberry import Info
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE
from strawberry.types.field import StrawberryField

from licgraph.graphql.batch_fields import BATCH_RESOLVER, BatchResolver

FieldGroup = list[FieldDetails]
GroupedFields = dict[str, FieldGroup]


# Scalars whose output coercion returns a str unchanged.
_TEXT_SCALARS = (GraphQLString, GraphQLID)
# Meta fields that read the schema: left to graphql-core (GraphiQL asks them once a page).
_INTROSPECTION = frozenset({"__schema", "__type"})


class _Unbatchable(Exception):  # noqa: N818 - a signal, not an error anyone sees
    """Raised when a query leaves the ordinary path: graphql-core runs it instead."""


class BatchedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, running ordinary queries level by level (module docstring)."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        middleware = self.middleware_manager and self.middleware_manager.middlewares
        if self.operation.operation is not OperationType.QUERY or middleware:
            return super().execute_operation(serially)
        return self._execute_in_levels(serially)

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldGroup,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        # A mutation's payload: the mutation ran (once, serially, in graphql-core); what it
        # returned is completed in levels, or by graphql-core if that fails.
        if path.prev is None and self.operation.operation is OperationType.MUTATION:
            return self._complete_payload(
                return_type, field_details_list, info, path, result, position_context
            )
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    async def _complete_payload(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldGroup,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        try:
            (completed,) = await _Levels(self).complete(
                return_type, field_details_list, info, [result]
            )
        except _Unbatchable:
            completed = super().complete_value(
                return_type, field_details_list, info, path, result, position_context
            )
            return await completed if self.is_awaitable(completed) else completed
        return completed

    async def _execute_in_levels(self, serially: bool | None) -> Any:
        try:
            data = await _Levels(self).run()
        except _Unbatchable:
            result = super().execute_operation(serially)
            return await result if self.is_awaitable(result) else result
        return self.build_response(data)


class _Levels:
    """One execution of an operation, a level of the response at a time."""

    def __init__(self, executor: BatchedExecutionContext) -> None:
        self._executor = executor
        self._schema = executor.schema

    async def run(self) -> dict[str, Any]:
        executor = self._executor
        root_type = self._schema.query_type
        if root_type is None:
            raise _Unbatchable
        collected = collect_fields(
            self._schema,
            executor.fragments,
            executor.variable_values,
            root_type,
            executor.operation,
            executor.hide_suggestions,
        )
        if collected.new_defer_usages:
            raise _Unbatchable
        fields = collected.grouped_field_set
        (data,) = await self._objects(root_type, fields, [executor.root_value])
        return data

    async def _objects(
        self, parent_type: GraphQLObjectType, fields: GroupedFields, sources: list[Any]
    ) -> list[dict[str, Any]]:
        """The selections of ``parent_type`` on every source: one result map per source.

        Every field is resolved on every source first and their awaitables run together, so
        loads of different fields share batches; then all fields complete side by side.
        """
        resolved = [self._resolve(parent_type, group, sources) for group in fields.values()]
        await self._settle(resolved)
        completed = await _run_together(
            [
                self.complete(field.type, group, field.info, field.values)
                for field, group in zip(resolved, fields.values(), strict=True)
            ]
        )
        keys = list(fields)
        return [dict(zip(keys, row, strict=True)) for row in zip(*completed, strict=True)]

    def _resolve(
        self, parent_type: GraphQLObjectType, group: FieldGroup, sources: list[Any]
    ) -> _Resolved:
        """One field of every source, as its resolver returns it (awaitables included)."""
        node = group[0].node
        name = node.name.value
        field = self._schema.get_field(parent_type, name)
        if field is None or name in _INTROSPECTION:
            raise _Unbatchable
        if any(details.fragment_variable_values for details in group):
            raise _Unbatchable  # fragment arguments (experimental) are graphql-core's
        executor = self._executor
        info = executor.build_resolve_info(
            field, [details.node for details in group], parent_type, Path(None, name, None)
        )
        try:
            if not (field.args or node.arguments):
                values = _resolver_of(parent_type, name, field).resolve_all(sources, info)
                return _Resolved(field.type, info, values)
            arguments = get_argument_values(
                field, node, executor.variable_values, None, executor.hide_suggestions
            )
            resolve = field.resolve or executor.field_resolver
            values = [resolve(source, info, **arguments) for source in sources]
            return _Resolved(field.type, info, values)
        except Exception as error:
            raise _Unbatchable from error

    async def _settle(self, fields: list[_Resolved]) -> None:
        """Replace every awaitable among the fields' values by its result, run together.

        A batch field's values are one awaitable for the whole level (a list when done).
        """
        is_awaitable = self._executor.is_awaitable
        wholes = [field for field in fields if not isinstance(field.values, list)]
        places = [
            (field.values, index)
            for field in fields
            if isinstance(field.values, list)
            for index in _awaitable_indexes(field.values, is_awaitable)
        ]
        pending = [field.values for field in wholes] + [values[i] for values, i in places]
        if not pending:
            return
        done = await _run_together(pending)
        for field, values in zip(wholes, done[: len(wholes)], strict=True):
            field.values = values
        for (values, index), value in zip(places, done[len(wholes) :], strict=True):
            values[index] = value

    async def complete(
        self, return_type: GraphQLOutputType, group: FieldGroup, info: Any, values: list[Any]
    ) -> list[Any]:
        """The response values of ``values`` of ``return_type`` (None stays None)."""
        if isinstance(return_type, GraphQLNonNull):
            if _any_none(values):
                raise _Unbatchable  # a null in a non-null position: an error to report
            return await self.complete(return_type.of_type, group, info, values)
        present = [index for index, value in enumerate(values) if value is not None]
        completed = await self._complete_present(
            return_type, group, info, [values[index] for index in present]
        )
        out: list[Any] = [None] * len(values)
        for index, value in zip(present, completed, strict=True):
            out[index] = value
        return out

    async def _complete_present(
        self, return_type: GraphQLOutputType, group: FieldGroup, info: Any, values: list[Any]
    ) -> list[Any]:
        if not values:
            return []
        if isinstance(return_type, GraphQLList):
            return await self._complete_lists(return_type, group, info, values)
        if is_leaf_type(return_type):
            return self._leaves(return_type, values)
        if isinstance(return_type, GraphQLObjectType):
            return await self._complete_objects(return_type, group, info, values)
        if is_abstract_type(return_type):
            return await self._complete_abstract(return_type, group, info, values)
        raise _Unbatchable

    async def _complete_lists(
        self, return_type: GraphQLList[Any], group: FieldGroup, info: Any, lists: list[Any]
    ) -> list[Any]:
        """Each list completed, all their items in one pass."""
        if not all(isinstance(items, list | tuple) for items in lists):
            raise _Unbatchable
        items = [item for each in lists for item in each]
        completed = await self.complete(return_type.of_type, group, info, items)
        out: list[Any] = []
        start = 0
        for each in lists:
            out.append(completed[start : start + len(each)])
            start += len(each)
        return out

    def _leaves(self, return_type: GraphQLLeafType, values: list[Any]) -> list[Any]:
        if return_type in _TEXT_SCALARS and _all_of_class(str, values):
            return values  # what their coercion returns for a str
        complete_leaf = self._executor.complete_leaf_value
        try:
            return [complete_leaf(return_type, value) for value in values]
        except Exception as error:
            raise _Unbatchable from error

    async def _complete_objects(
        self, return_type: GraphQLObjectType, group: FieldGroup, info: Any, values: list[Any]
    ) -> list[Any]:
        if not _all_of_type(return_type, values, info):
            raise _Unbatchable
        collected = self._executor.collect_subfields(return_type, group)
        if collected.new_defer_usages:
            raise _Unbatchable
        return await self._objects(return_type, collected.grouped_field_set, values)

    async def _complete_abstract(
        self, return_type: GraphQLAbstractType, group: FieldGroup, info: Any, values: list[Any]
    ) -> list[Any]:
        """Values grouped by their runtime type, each group completed as its object type."""
        resolve_type = return_type.resolve_type or self._executor.type_resolver
        by_type: dict[str, list[int]] = {}
        for index, value in enumerate(values):
            name = resolve_type(value, info, return_type)
            if not isinstance(name, str):
                raise _Unbatchable  # awaitable or missing: graphql-core's business
            by_type.setdefault(name, []).append(index)
        out: list[Any] = [None] * len(values)
        for name, indexes in by_type.items():
            runtime_type = self._schema.get_type(name)
            if not isinstance(runtime_type, GraphQLObjectType) or not self._schema.is_sub_type(
                return_type, runtime_type
            ):
                raise _Unbatchable
            completed = await self._complete_objects(
                runtime_type, group, info, [values[index] for index in indexes]
            )
            for index, value in zip(indexes, completed, strict=True):
                out[index] = value
        return out


@dataclass(slots=True)
class _Resolved:
    """One field of a level as resolved: per source a value or an awaitable, or (a batch
    field) one awaitable of the whole list."""

    type: GraphQLOutputType
    info: GraphQLResolveInfo[Any]
    values: Any


def _all_of_type(return_type: GraphQLObjectType, values: list[Any], info: Any) -> bool:
    """Whether every value is an object of ``return_type`` (what graphql-core checks)."""
    is_type_of = return_type.is_type_of
    if is_type_of is None:
        return True
    definition = (return_type.extensions or {}).get("strawberry-definition")
    origin = getattr(definition, "origin", None)
    # Instances of the type's own class, none cast to another type: the common case is
    # decided in C, without calling Strawberry's predicate once per object.
    if _all_of_class(origin, values) and not any(map(hasattr, values, repeat(TYPE_CAST_ATTRIBUTE))):
        return True
    return all(
        (type(value) is origin and not hasattr(value, TYPE_CAST_ATTRIBUTE))
        or is_type_of(value, info) is True
        for value in values
    )


# Checks over a level's values, run per value in C (map/any over builtins) rather than by a
# Python generator: a page has a thousand values per check.


def _any_none(values: list[Any]) -> bool:
    return any(map(is_, values, repeat(None)))


def _all_of_class(cls: Any, values: list[Any]) -> bool:
    return all(map(is_, map(type, values), repeat(cls)))


@functools.cache
def _may_await(cls: type) -> bool:
    """Whether instances of ``cls`` can be awaitable (what ``inspect.isawaitable`` checks)."""
    return issubclass(cls, CoroutineType | GeneratorType | Awaitable)


def _awaitable_indexes(values: list[Any], is_awaitable: Callable[[Any], bool]) -> list[int]:
    """Where the awaitables among ``values`` are; a level of plain objects is seen by type."""
    if not any(map(_may_await, set(map(type, values)))):
        return []
    return [index for index, value in enumerate(values) if is_awaitable(value)]


class _Resolver:
    """How a field without arguments is resolved on many sources at once."""

    def resolve_all(self, sources: list[Any], info: GraphQLResolveInfo[Any]) -> Any:
        raise NotImplementedError


class _Batch(_Resolver):
    """A batch field (``batch_fields``): one call for the whole level."""

    def __init__(self, field: StrawberryField, resolve_many: BatchResolver) -> None:
        self._field = field
        self._resolve_many = resolve_many

    def resolve_all(self, sources: list[Any], info: GraphQLResolveInfo[Any]) -> Any:
        return self._resolve_many(sources, Info(_raw_info=info, _field=self._field))


class _Attribute(_Resolver):
    """A plain field: the source's attribute (what Strawberry's default resolver reads)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def resolve_all(self, sources: list[Any], info: GraphQLResolveInfo[Any]) -> list[Any]:
        name = self._name
        return [getattr(source, name) for source in sources]


class _Method(_Resolver):
    """A resolver method taking ``self`` (and ``info``): called as it is, with one Info."""

    def __init__(self, field: StrawberryField, method: Callable[..., Any], takes_info: bool):
        self._field = field
        self._method = method
        self._takes_info = takes_info

    def resolve_all(self, sources: list[Any], info: GraphQLResolveInfo[Any]) -> list[Any]:
        method = self._method
        if not self._takes_info:
            return [method(source) for source in sources]
        field_info = Info(_raw_info=info, _field=self._field)
        return [method(source, field_info) for source in sources]


class _Schema(_Resolver):
    """Anything else: the field's resolver as the schema wraps it, once per source."""

    def __init__(self, resolve: Callable[..., Any]) -> None:
        self._resolve = resolve

    def resolve_all(self, sources: list[Any], info: GraphQLResolveInfo[Any]) -> list[Any]:
        resolve = self._resolve
        return [resolve(source, info) for source in sources]


_RESOLVERS: WeakKeyDictionary[GraphQLObjectType, dict[str, _Resolver]] = WeakKeyDictionary()


def _resolver_of(parent_type: GraphQLObjectType, name: str, field: GraphQLField) -> _Resolver:
    """How ``field`` (without arguments) is resolved, worked out once per schema field."""
    known = _RESOLVERS.setdefault(parent_type, {})
    if name not in known:
        known[name] = _plan_resolver(field)
    return known[name]


def _plan_resolver(field: GraphQLField) -> _Resolver:
    """The cheapest way to resolve ``field`` that does what the schema's own resolver does."""
    definition = (field.extensions or {}).get("strawberry-definition")
    resolve = field.resolve
    if not isinstance(definition, StrawberryField) or resolve is None:
        return _Schema(resolve or default_field_resolver)
    if getattr(resolve, "_is_default", False):
        return _Attribute(definition.python_name)
    if definition.extensions:  # they wrap the resolver: only the schema's call runs them
        return _Schema(resolve)
    if resolve_many := definition.metadata.get(BATCH_RESOLVER):
        return _Batch(definition, resolve_many)
    return _method_of(definition) or _Schema(resolve)


def _method_of(definition: StrawberryField) -> _Method | None:
    """A resolver method taking ``self`` (and ``info``) and no arguments, called directly."""
    resolver = definition.base_resolver
    if resolver is None or resolver.arguments or not inspect.isfunction(resolver.wrapped_func):
        return None  # no method, arguments to convert, or a staticmethod/classmethod
    parameters = list(inspect.signature(resolver.wrapped_func).parameters)
    if parameters not in (["self"], ["self", "info"]):
        return None
    return _Method(definition, resolver.wrapped_func, takes_info=len(parameters) == 2)  # noqa: PLR2004


async def _run_together(awaitables: Sequence[Awaitable[Any]]) -> list[Any]:
    """The results of ``awaitables``, run side by side in the current task.

    A coroutine runs until it waits on a future; once every coroutine waits, the distinct
    futures are awaited (a DataLoader's batch is one future per key, dispatched together),
    and every coroutine resumes. No task is made per coroutine. Any failure raises
    ``_Unbatchable``, after closing every coroutine left unfinished.
    """
    coroutines = [_coroutine(awaitable) for awaitable in awaitables]
    results: list[Any] = [None] * len(coroutines)
    running = list(range(len(coroutines)))
    try:
        while running:
            waiting: set[asyncio.Future[Any]] = set()
            still: list[int] = []
            for index in running:
                try:
                    future = coroutines[index].send(None)
                except StopIteration as finished:
                    results[index] = finished.value
                    continue
                if future is not None:  # None: a bare yield, as asyncio.sleep(0) does
                    future._asyncio_future_blocking = False  # as asyncio.Task does
                    waiting.add(future)
                still.append(index)
            for future in waiting:
                await _outcome(future)
            running = still
    except Exception as error:
        for coroutine in coroutines:
            coroutine.close()
        raise _Unbatchable from error
    return results


async def _outcome(future: asyncio.Future[Any]) -> None:
    """Wait until ``future`` is done; its waiter sees the result, or the error, on resuming."""
    if not future.done():
        with contextlib.suppress(Exception):
            await future


def _coroutine(awaitable: Awaitable[Any]) -> Coroutine[Any, Any, Any]:
    if type(awaitable) is CoroutineType:  # not isinstance: an ABC check per value is slow
        return awaitable
    return _awaiting(awaitable)


async def _awaiting(awaitable: Awaitable[Any]) -> Any:
    return await awaitable
