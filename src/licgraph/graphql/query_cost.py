"""The estimated cost of an operation, from its document alone, before it runs.

Priced the way GitHub and Shopify price their GraphQL APIs, by how many objects the
answer can hold:

- a scalar or enum field costs 0, an object 1 plus what is selected inside it;
- a list multiplies the cost of one of its objects by its size: a connection's page is
  ``first``/``last`` (or the default page size), the size of its ``edges`` and ``nodes``;
  a list with an id-list argument (``usersByIds(ids:)``, ``nodes(ids:)``,
  ``assignedUsers(userIds:)``) is as long as that argument; any other list gets a fixed
  estimate;
- on an interface or union, the costliest possible type counts;
- a mutation field costs one point per user its input names (``userIds``), at least 1;
  its payload is not priced again, since its size follows from those same users.

Fragments are resolved and fields merged by response key exactly as execution does, and
variables (or their defaults) are used wherever an argument takes one. Pages larger than
the maximum and id lists longer than the maximum are priced at the maximum: execution
refuses them with BAD_USER_INPUT, which says more than "too complex" would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLID,
    GraphQLInputType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Undefined,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    value_from_ast_untyped,
)

# Deeper than any document the depth limit lets through; only a fragment cycle gets here.
_MAX_NESTING = 64
# What a document too deep to price costs: more than any limit.
UNBOUNDED = 10**18

FieldsByKey = dict[str, list[FieldNode]]


@dataclass(frozen=True, slots=True)
class CostRules:
    """The prices: connection page sizes, the guess for other lists, and their caps."""

    default_page_size: int = 20
    max_page_size: int = 100
    list_size: int = 10
    max_ids: int = 10_000
    users_argument: str = "userIds"


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    rules: CostRules | None = None,
) -> int:
    """The estimated cost of the operation ``operation_name`` of a validated ``document``.

    An operation that can't be found (execution then refuses it) costs 0.
    """
    operation = get_operation_ast(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root is None:
        return 0
    pricer = _Pricer(
        schema, document, _variable_values(operation, variables or {}), rules or CostRules()
    )
    if operation.operation is OperationType.MUTATION:
        return pricer.mutation(root, operation.selection_set)
    return pricer.selection(root, [operation.selection_set])


def _variable_values(
    operation: OperationDefinitionNode, given: Mapping[str, Any]
) -> dict[str, Any]:
    """The operation's variables as given, falling back to the defaults it declares."""
    defaults = {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }
    return {**defaults, **given}


class _Pricer:
    """Walks one operation's selections once, pricing every field."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: dict[str, Any],
        rules: CostRules,
    ) -> None:
        self._schema = schema
        self._variables = variables
        self._rules = rules
        self._fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self._nesting = 0

    def mutation(self, root: GraphQLObjectType, selection_set: SelectionSetNode) -> int:
        """One point per user each mutation field names, at least 1 per field."""
        fields = self._collect(root, [selection_set])
        return sum(max(1, self._users_named(nodes[0])) for nodes in fields.values())

    def selection(
        self,
        type_: GraphQLNamedType,
        selection_sets: Sequence[SelectionSetNode],
        *,
        page: int | None = None,
    ) -> int:
        """The cost of one object of ``type_`` with these selections.

        ``page`` is the page size when ``type_`` is a connection. For an interface or a
        union, the costliest of its possible types counts.
        """
        if isinstance(type_, GraphQLObjectType):
            return self._object(type_, selection_sets, page)
        if is_abstract_type(type_):
            possible = self._schema.get_possible_types(type_)
            return max((self._object(t, selection_sets, page) for t in possible), default=0)
        return 0

    def _object(
        self,
        type_: GraphQLObjectType,
        selection_sets: Sequence[SelectionSetNode],
        page: int | None,
    ) -> int:
        if self._nesting >= _MAX_NESTING:
            return UNBOUNDED
        self._nesting += 1
        try:
            fields = self._collect(type_, selection_sets)
            return sum(self._field(type_, nodes, page) for nodes in fields.values())
        finally:
            self._nesting -= 1

    def _field(self, parent: GraphQLObjectType, nodes: list[FieldNode], page: int | None) -> int:
        definition = self._schema.get_field(parent, nodes[0].name.value)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        if is_leaf_type(named):
            return 0
        inner_page = self._page_size(nodes[0]) if _is_connection(named) else None
        selections = [node.selection_set for node in nodes if node.selection_set]
        each = 1 + self.selection(named, selections, page=inner_page)
        return self._size(definition, nodes[0], page) * each

    def _size(self, definition: GraphQLField, node: FieldNode, page: int | None) -> int:
        """How many objects the field returns: 1, or the (estimated) length of its list."""
        if not _is_list(definition.type):
            return 1
        if page is not None:
            return page  # `edges` and `nodes` of a connection
        for name, argument in definition.args.items():
            if _is_id_list(argument.type):
                return min(_length(self._argument(node, name)), self._rules.max_ids)
        return self._rules.list_size

    def _page_size(self, node: FieldNode) -> int:
        sizes = [self._argument(node, name) for name in ("first", "last")]
        given = [size for size in sizes if isinstance(size, int) and not isinstance(size, bool)]
        size = max(given) if given else self._rules.default_page_size
        return max(0, min(size, self._rules.max_page_size))

    def _users_named(self, node: FieldNode) -> int:
        """How many users a mutation field's arguments name (in any input object)."""
        key = self._rules.users_argument
        values = [self._argument(node, argument.name.value) for argument in node.arguments or ()]
        found = [value.get(key) for value in values if isinstance(value, dict)]
        found += [self._argument(node, key)]
        return min(sum(_length(value) for value in found), self._rules.max_ids)

    def _argument(self, node: FieldNode, name: str) -> Any:
        """The Python value of an argument, variables filled in; None if absent."""
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = value_from_ast_untyped(argument.value, self._variables)
                # A variable left out (execution refuses a required one) counts as absent.
                return None if value is Undefined else value
        return None

    def _collect(
        self, type_: GraphQLObjectType, selection_sets: Iterable[SelectionSetNode]
    ) -> FieldsByKey:
        """The fields executed on an object of ``type_``, merged by response key."""
        fields: FieldsByKey = {}
        self._gather(type_, selection_sets, fields, set())
        return fields

    def _gather(
        self,
        type_: GraphQLObjectType,
        selection_sets: Iterable[SelectionSetNode],
        fields: FieldsByKey,
        spread: set[str],
    ) -> None:
        for selection_set in selection_sets:
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    key = (selection.alias or selection.name).value
                    fields.setdefault(key, []).append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    if self._applies(selection.type_condition, type_):
                        self._gather(type_, [selection.selection_set], fields, spread)
                elif isinstance(selection, FragmentSpreadNode):
                    self._spread(type_, selection.name.value, fields, spread)

    def _spread(
        self, type_: GraphQLObjectType, name: str, fields: FieldsByKey, spread: set[str]
    ) -> None:
        # Like execution, a fragment spread twice into one selection is collected once.
        fragment = self._fragments.get(name)
        if fragment is None or name in spread:
            return
        spread.add(name)
        if self._applies(fragment.type_condition, type_):
            self._gather(type_, [fragment.selection_set], fields, spread)

    def _applies(self, condition: NamedTypeNode | None, type_: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        conditional = self._schema.get_type(condition.name.value)
        if conditional is type_:
            return True
        return is_abstract_type(conditional) and self._schema.is_sub_type(conditional, type_)


def _is_connection(type_: GraphQLNamedType) -> bool:
    """A Relay connection: an object with ``pageInfo`` and ``edges``."""
    return isinstance(type_, GraphQLObjectType) and {"pageInfo", "edges"} <= type_.fields.keys()


def _is_list(type_: GraphQLOutputType) -> bool:
    return is_list_type(get_nullable_type(type_))


def _is_id_list(type_: GraphQLInputType) -> bool:
    nullable = get_nullable_type(type_)
    return is_list_type(nullable) and get_named_type(nullable).name == GraphQLID.name


def _length(value: Any) -> int:
    """How many items an argument holds; a single value given for a list counts as one."""
    if value is None:
        return 0
    return len(value) if isinstance(value, list) else 1
