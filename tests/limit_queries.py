"""GraphQL documents just at and just over each abuse limit, for in-process and HTTP tests."""

from __future__ import annotations

from licgraph.graphql.ids import to_global_id

# Every customer's users with their licenses: 100 x 100 users, each with its licenses.
EVERYONE_EVERYWHERE = """{
  customers(first: 100) {
    nodes { users(first: 100) { nodes { licenses { product { name } } } } }
  }
}"""


def user_ids(count: int, start: int = 1_000_000) -> list[str]:
    """Ids of users that do not exist (they decode fine and match nothing)."""
    return [to_global_id("User", pk) for pk in range(start, start + count)]


def nested(depth: int) -> str:
    """A valid query ``depth`` levels deep (as the depth limit counts) that costs nothing."""
    selection = "name"
    for _ in range(depth - 1):
        selection = f"requiredProducts {{ {selection} }}"
    # No ids: the list is empty, so the cost is 0 and only the depth can refuse it.
    return f"{{ nodes(ids: []) {{ ... on Product {{ {selection} }} }} }}"


def aliased(count: int) -> str:
    """A query of ``count`` aliased fields."""
    return "{ " + " ".join(f"a{n}: viewer {{ name }}" for n in range(count)) + " }"


def tokens(count: int) -> str:
    """A valid document of exactly ``count`` lexical tokens (12 of them around the ids)."""
    ids = " ".join(f'"{global_id}"' for global_id in user_ids(count - 12))
    return f"{{ nodes(ids: [{ids}]) {{ id }} }}"
