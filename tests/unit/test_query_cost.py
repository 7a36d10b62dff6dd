"""The cost estimate on hand-written documents against a small hand-written schema."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import build_schema, get_introspection_query, parse

from licgraph.graphql.query_cost import UNBOUNDED, CostRules, operation_cost

SCHEMA = build_schema(
    """
    type Query {
      shop(id: ID!): Shop
      shops(first: Int, last: Int, after: String): ShopConnection!
      items(ids: [ID!]!): [Node]!
      search(text: String!): [Result!]!
      version: String!
    }
    type Mutation {
      assign(input: AssignInput!): Payload!
      buy(productId: ID!, quantity: Int!): Payload!
      mark(userIds: [ID!]!): Payload!
    }
    input AssignInput { userIds: [ID!]! productIds: [ID!]! }
    type Payload { ok: Boolean! results: [Person!]! }
    interface Node { id: ID! }
    union Result = Product | Person
    type Shop implements Node {
      id: ID!
      name: String!
      tags: [String!]!
      owner: Person!
      staff: [Person!]!
      products(first: Int, last: Int): ProductConnection!
    }
    type ShopConnection { edges: [ShopEdge!]! nodes: [Shop!]! pageInfo: PageInfo! total: Int! }
    type ShopEdge { cursor: String! node: Shop! }
    type ProductConnection {
      edges: [ProductEdge!]!
      nodes: [Product!]!
      pageInfo: PageInfo!
    }
    type ProductEdge { cursor: String! node: Product! }
    type PageInfo { hasNextPage: Boolean! }
    type Product implements Node {
      id: ID!
      name: String!
      variants: [Variant!]!
      holders(userIds: [ID!]!): [Person!]!
    }
    type Variant { sku: String! }
    type Person implements Node { id: ID! name: String! friends: [Person!]! }
    """
)
RULES = CostRules(default_page_size=20, max_page_size=100, list_size=10, max_ids=1000)


def cost(document: str, variables: dict[str, Any] | None = None, **options: Any) -> int:
    rules = options.pop("rules", RULES)
    return operation_cost(SCHEMA, parse(document), variables=variables, rules=rules, **options)


# --- objects and scalars ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{ version }", 0),
        ("{ __typename }", 0),
        ('{ shop(id: "1") { id name tags } }', 1),
        ('{ shop(id: "1") { owner { name } } }', 2),
        ('{ shop(id: "1") { __typename owner { __typename } } }', 2),
    ],
)
def test_scalars_cost_nothing_and_objects_one(document: str, expected: int) -> None:
    assert cost(document) == expected


# --- connections -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        # The connection itself, then one per row of the page
        ("{ shops(first: 5) { nodes { name } } }", 1 + 5),
        ("{ shops(last: 7) { nodes { name } } }", 1 + 7),
        ("{ shops { nodes { name } } }", 1 + 20),
        # An edge and its node are two objects per row; pageInfo is one
        ("{ shops(first: 5) { edges { cursor node { name } } pageInfo { hasNextPage } } }", 12),
        ("{ shops(first: 5) { total } }", 1),
        ("{ shops(first: 0) { nodes { name } } }", 1),
    ],
)
def test_a_connection_costs_its_page(document: str, expected: int) -> None:
    assert cost(document) == expected


def test_a_page_over_the_maximum_is_priced_at_the_maximum() -> None:
    # Execution refuses it with BAD_USER_INPUT, which says more than "too complex".
    assert cost("{ shops(first: 100000) { nodes { name } } }") == 1 + 100


def test_nested_connections_multiply() -> None:
    document = "{ shops(first: 10) { nodes { products(first: 30) { nodes { name } } } } }"

    assert cost(document) == 1 + 10 * (1 + 1 + 30)


def test_a_page_size_can_come_from_a_variable_or_its_default() -> None:
    document = "query ($n: Int = 3) { shops(first: $n) { nodes { name } } }"

    assert cost(document, {"n": 50}) == 51
    assert cost(document) == 4
    assert cost(document, {"n": None}) == 21
    assert cost(document, {"n": "many"}) == 21  # execution refuses the variable


def test_an_id_list_variable_left_out_counts_as_empty() -> None:
    # Execution refuses the missing required variable; the estimate must just not crash.
    assert cost("query ($ids: [ID!]!) { items(ids: $ids) { id } }") == 0


# --- plain lists -----------------------------------------------------------------------------


def test_a_list_of_unknown_size_gets_the_fixed_estimate() -> None:
    assert cost('{ shop(id: "1") { staff { name } } }') == 1 + 10
    assert cost('{ shop(id: "1") { staff { friends { name } } } }') == 1 + 10 * (1 + 10)


def test_a_list_of_scalars_costs_nothing() -> None:
    assert cost('{ shop(id: "1") { tags } }') == 1


def test_a_list_with_an_id_list_argument_is_as_long_as_the_argument() -> None:
    assert cost('{ items(ids: ["a", "b", "c"]) { id } }') == 3
    assert cost("query ($ids: [ID!]!) { items(ids: $ids) { id } }", {"ids": ["a"] * 40}) == 40
    assert cost('{ items(ids: "a") { id } }') == 1  # a single id stands for a list of one
    assert cost("{ items(ids: []) { id } }") == 0


def test_an_id_list_longer_than_the_maximum_is_priced_at_the_maximum() -> None:
    many = {"ids": [str(n) for n in range(5000)]}

    assert cost("query ($ids: [ID!]!) { items(ids: $ids) { id } }", many) == 1000


def test_an_id_list_argument_inside_a_connection_multiplies() -> None:
    document = """query ($users: [ID!]!) {
      shop(id: "1") { products(first: 10) { nodes { holders(userIds: $users) { name } } } }
    }"""

    assert cost(document, {"users": ["u1", "u2"]}) == 1 + 1 + 10 * (1 + 2)


# --- fragments, abstract types and merging ---------------------------------------------------


def test_named_and_inline_fragments_are_resolved() -> None:
    document = """
    { shop(id: "1") { ...ShopParts ... on Shop { owner { name } } } }
    fragment ShopParts on Shop { staff { ...PersonParts } }
    fragment PersonParts on Person { name friends { name } }
    """

    assert cost(document) == 1 + 10 * (1 + 10) + 1


def test_on_an_interface_the_costliest_possible_type_counts() -> None:
    document = """{
      items(ids: ["a", "b"]) {
        id
        ... on Product { variants { sku } }
        ... on Person { friends { friends { name } } }
      }
    }"""

    # A Person costs 1 + 10 * (1 + 10); a Product 1 + 10; each item is one or the other
    assert cost(document) == 2 * (1 + 10 * (1 + 10))


def test_fragments_on_other_types_are_left_out() -> None:
    document = '{ search(text: "x") { ... on Product { name } } }'

    assert cost(document) == 10


def test_fields_with_the_same_response_key_are_merged_as_execution_does() -> None:
    merged = (
        '{ shop(id: "1") { owner { name } owner { id } ...O } } fragment O on Shop { owner { id } }'
    )
    aliased = '{ shop(id: "1") { a: owner { name } b: owner { name } } }'

    assert cost(merged) == 2
    assert cost(aliased) == 3


def test_a_fragment_spread_twice_is_collected_once() -> None:
    document = '{ shop(id: "1") { ...F ...F } } fragment F on Shop { staff { name } }'

    assert cost(document) == 1 + 10


def test_a_fragment_cycle_is_priced_as_unbounded() -> None:
    # Validation refuses such a document; the estimator must still terminate.
    document = """
    { shop(id: "1") { staff { ...A } } }
    fragment A on Person { friends { ...B } }
    fragment B on Person { friends { ...A } }
    """

    assert cost(document) >= UNBOUNDED


def test_introspection_is_priced_like_any_selection() -> None:
    # GraphiQL's own query must fit comfortably under any sane limit, and the nested
    # `type { fields { type { fields ...` shape that makes introspection expensive costs more.
    assert 1_000 < cost(get_introspection_query()) < 30_000
    nested = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    assert cost(nested) == 1 + 10 * (1 + 10 * (1 + 1 + 10 * (1 + 1 + 10)))


# --- mutations -------------------------------------------------------------------------------


def test_a_mutation_costs_one_per_user_it_names() -> None:
    inline = 'mutation { assign(input: {userIds: ["a", "b", "c"], productIds: ["p"]}) { ok } }'
    through_a_variable = "mutation ($input: AssignInput!) { assign(input: $input) { ok } }"
    a_list_argument = 'mutation { mark(userIds: ["a", "b"]) { results { name } } }'

    assert cost(inline) == 3
    assert cost(through_a_variable, {"input": {"userIds": ["a"] * 250, "productIds": []}}) == 250
    assert cost(a_list_argument) == 2


def test_a_mutation_naming_no_user_costs_one() -> None:
    assert cost('mutation { buy(productId: "p", quantity: 5) { ok results { name } } }') == 1


def test_several_mutation_fields_add_up() -> None:
    document = """mutation ($users: [ID!]!) {
      a: mark(userIds: $users) { ok }
      b: mark(userIds: $users) { ok }
      c: buy(productId: "p", quantity: 1) { ok }
    }"""

    assert cost(document, {"users": ["u"] * 400}) == 801


def test_mutation_users_over_the_maximum_are_priced_at_the_maximum() -> None:
    document = "mutation ($users: [ID!]!) { mark(userIds: $users) { ok } }"

    assert cost(document, {"users": ["u"] * 5000}) == 1000


# --- operations ------------------------------------------------------------------------------


def test_the_named_operation_is_priced() -> None:
    document = """
    query Small { shops(first: 1) { nodes { name } } }
    query Large { shops(first: 90) { nodes { name } } }
    """

    assert cost(document, operation_name="Small") == 2
    assert cost(document, operation_name="Large") == 91


def test_an_operation_that_is_not_there_costs_nothing() -> None:
    assert cost("query A { version }", operation_name="B") == 0


def test_the_rules_set_the_prices() -> None:
    rules = CostRules(default_page_size=5, max_page_size=50, list_size=3, max_ids=10)
    document = '{ shops { nodes { staff { name } } } items(ids: ["a", "b"]) { id } }'

    assert cost(document, rules=rules) == 1 + 5 * (1 + 3) + 2
