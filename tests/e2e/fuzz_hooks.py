"""Schemathesis hooks for fuzzing a running licgraph (loaded with SCHEMATHESIS_HOOKS=this file).

`tests/e2e/test_fuzz.py` writes what the hooks need to a JSON file named by
LICGRAPH_FUZZ_DATA — global ids of the demo data by type (the scoped callers' own
customer's and the others'), some real cursors, and one token per caller — and names a
JSON-lines file in LICGRAPH_FUZZ_RECORD where every call is recorded.

- `ID` arguments get real ids of the demo data, ids of another customer, well-formed ids of
  nothing, ids with odd keys and malformed strings.
- Arguments whose name says what they hold (`customerId`, `userIds`, `revoke`,
  `usageLocation`, `quantity`, `first`, `after`, ...) mostly get a meaningful value (an id
  of that type, a country code, a real cursor), so that the fuzzer gets past "not a
  Customer id" to the rules.
- Each case is sent as one of several callers (partner-wide and scoped, writers and
  readers), drawn by Hypothesis like any other input.
- Errors that are the caller's doing by licgraph's error policy (NOT_FOUND, FORBIDDEN, ...)
  are not server errors; schemathesis knows only Apollo's client-error codes.
"""

from __future__ import annotations

import base64
import json
import os
import random
import threading
from pathlib import Path
from typing import Any

import graphql
import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from schemathesis.graphql.checks import GraphQLServerError

# Codes of licgraph's error policy that mean "the request was refused", not "the server broke".
CLIENT_ERROR_CODES = frozenset({"NOT_FOUND", "FORBIDDEN", "IDEMPOTENCY_KEY_REUSED"})
NODE_TYPES = ("Customer", "User", "Product", "ServicePlan", "LicenseEvent")
# Input fields and arguments (by name) that hold ids of one type.
TYPE_OF_ARGUMENT = {
    "customerId": "Customer",
    "userIds": "User",
    "userId": "User",
    "productId": "Product",
    "productIds": "Product",
    "revoke": "Product",
    "holdingProduct": "Product",
    "lackingProduct": "Product",
    "disabledServicePlanIds": "ServicePlan",
}
# How often a generated value of such an argument is swapped for a meaningful one.
SWAP_PROBABILITY = 0.9
LOCATIONS = ("US", "DE", "GB", "FR", "CN", "IN", "SE", "MX", "us", "De", "ZZ", "XX", "USA", "")
MALFORMED_IDS = (
    "",
    " ",
    "not-an-id",
    "Customer:1",
    "Q3VzdG9tZXI6",  # "Customer:" without a key
    "Q3VzdG9tZXI6MQ",  # "Customer:1" without its padding
    "Q3VzdG9tZXI6MQ==\n",
    "Q3VzdG9tZXI6MQ===",
    "%%%%",
    "////",
    "AAAA",
    "x" * 129,
    "8J+SqQ==",  # an emoji
)


def global_id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(Path(os.environ["LICGRAPH_FUZZ_DATA"]).read_text())
    return loaded


DATA = _data()
OWN: dict[str, list[str]] = DATA["own"]  # type name -> ids of the scoped callers' customer
FOREIGN: dict[str, list[str]] = DATA["foreign"]  # type name -> ids of the other customers
TOKENS: dict[str, str] = DATA["tokens"]
CALLER_OF_TOKEN = {token: caller for caller, token in TOKENS.items()}
WEIGHTED_CALLERS: list[str] = DATA["callers"]  # repeated names weigh more
CURSORS: list[str] = DATA["cursors"]  # real cursors of several lists


def weighted(*choices: tuple[int, st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    """One of the strategies, each drawn ``weight`` times out of the sum."""
    pool = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(pool).flatmap(lambda strategy: strategy)


def typed_id_strategy(type_name: str) -> st.SearchStrategy[str]:
    """An id of ``type_name``: own, foreign or of nothing."""
    missing = st.integers(min_value=10_000, max_value=10**18 - 1).map(
        lambda key: global_id(type_name, str(key))
    )
    fallback = [global_id(type_name, "1")]  # should a list of the demo data be empty
    return weighted(
        (6, st.sampled_from(OWN[type_name] or fallback)),
        (2, st.sampled_from(FOREIGN[type_name] or fallback)),
        (1, missing),
    )


def id_strategy() -> st.SearchStrategy[str]:
    """Ids a client might send: mostly real ones, then foreign, missing, odd and broken."""
    odd_keys = st.builds(
        global_id,
        st.sampled_from((*NODE_TYPES, "Token", "Partner", "customer", "Nope")),
        st.sampled_from(
            ("0", "-1", "01", "1.5", "1e3", " 1", "abc", "", "2147483648", "9" * 18, "9" * 19)
        ),
    )
    malformed = st.one_of(st.sampled_from(MALFORMED_IDS), st.text(max_size=24))
    return weighted(
        (12, st.sampled_from(NODE_TYPES).flatmap(typed_id_strategy)),
        (1, odd_keys),
        (1, malformed),
    )


schemathesis.graphql.scalar("ID", id_strategy().map(nodes.String))


class _Swapper:
    """Swap generated values of arguments named for what they hold (`customerId`, `userIds`,
    `usageLocation`, `quantity`, `first`, `after`, ...) for meaningful ones, mostly.

    Empty id lists mostly get a few ids. Values of another kind than the argument's, and
    Ints past 32 bits (negative cases), stay as generated. A
    hand-written walk: hypothesis-graphql builds its AST with lists where graphql-core's
    `visit` expects tuples.
    """

    def __init__(self, draw: random.Random) -> None:
        self.draw = draw

    def node(self, node: Any) -> Any:
        if isinstance(node, (list, tuple)):
            return type(node)(self.node(child) for child in node)
        if not isinstance(node, graphql.Node):
            return node
        if isinstance(node, (graphql.ArgumentNode, graphql.ObjectFieldNode)):
            value = self.value(node.name.value, node.value)
            if value is not None:
                return type(node)(name=node.name, value=value)
        return type(node)(**{key: self.node(getattr(node, key)) for key in node.keys})

    def value(self, name: str, value: graphql.ValueNode) -> graphql.ValueNode | None:
        """A new value for argument ``name``, or None to walk into the generated one."""
        if isinstance(value, graphql.ListValueNode) and name in TYPE_OF_ARGUMENT:
            values = list(value.values)
            if not values and self.draw.random() < SWAP_PROBABILITY:
                values = [graphql.StringValueNode(value="")] * self.draw.randint(1, 3)
            return graphql.ListValueNode(values=[self.value(name, v) or v for v in values])
        if self.draw.random() >= SWAP_PROBABILITY:
            return None
        if isinstance(value, graphql.StringValueNode):
            text = self.text(name)
            return None if text is None else graphql.StringValueNode(value=text)
        # An Int past 32 bits is how a negative case breaks an Int argument: keep it.
        if isinstance(value, graphql.IntValueNode) and abs(int(value.value)) < 2**31 - 1:
            number = self.number(name)
            return None if number is None else graphql.IntValueNode(value=str(number))
        return None

    def text(self, name: str) -> str | None:
        if name in TYPE_OF_ARGUMENT:
            return self.typed_id(TYPE_OF_ARGUMENT[name])
        if name == "usageLocation":
            return self.draw.choice(LOCATIONS)
        if name in {"after", "before"}:
            return self.draw.choice(CURSORS)
        if name == "idempotencyKey":  # a few keys, so that retries and reuses happen
            return self.draw.choice(("retry-1", "retry-2", "retry-3"))
        return None

    def number(self, name: str) -> int | None:
        if name == "quantity":
            return self.draw.choice((1, 1, 2, 5, 30, 10_000, 10_001, 0))
        if name in {"first", "last"}:
            return self.draw.choice((1, 2, 5, 10, 50, 100, 101, 0))
        return None

    def typed_id(self, type_name: str) -> str:
        pool = self.draw.choice((OWN[type_name],) * 6 + (FOREIGN[type_name],) * 2 + ((),))
        if pool:
            return str(self.draw.choice(pool))
        return global_id(type_name, str(self.draw.randint(10_000, 10**12)))


@schemathesis.hook
def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
    """The generated document with meaningful values in the arguments named for them."""
    if not isinstance(body, graphql.DocumentNode):
        return st.just(body)
    return st.randoms(use_true_random=False).map(lambda draw: _Swapper(draw).node(body))


@schemathesis.hook
def before_generate_headers(
    context: schemathesis.HookContext, strategy: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """Send each case as one of the callers."""
    return st.sampled_from(WEIGHTED_CALLERS).map(
        lambda caller: {"Authorization": f"Bearer {TOKENS[caller]}"}
    )


def error_codes(payload: Any) -> list[str]:
    """The `extensions.code` of every top-level error of a GraphQL response."""
    if not isinstance(payload, dict) or not isinstance(payload.get("errors"), list):
        return []
    return [
        str((error.get("extensions") or {}).get("code"))
        for error in payload["errors"]
        if isinstance(error, dict)
    ]


def _payload(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _first_message(payload: Any) -> str | None:
    """The first error's message, cut short (to tell refusals apart in the figures)."""
    if not isinstance(payload, dict) or not payload.get("errors"):
        return None
    error = payload["errors"][0]
    return str(error.get("message"))[:100] if isinstance(error, dict) else None


_RECORD_LOCK = threading.Lock()


def _record(entry: dict[str, Any]) -> None:
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    with _RECORD_LOCK, Path(os.environ["LICGRAPH_FUZZ_RECORD"]).open("a") as out:
        out.write(line)


def is_server_error(status: int, codes: list[str]) -> bool:
    return status >= 500 or "INTERNAL_SERVER_ERROR" in codes


@schemathesis.hook
def after_call(context: schemathesis.HookContext, case: Any, response: Any) -> None:
    """One JSON line per call: operation, caller, status, error codes (and, on a server
    error, the whole request and response so that it can be reproduced)."""
    payload = _payload(response)
    codes = error_codes(payload)
    sent = str(response.request.headers.get("Authorization", ""))
    entry: dict[str, Any] = {
        "operation": case.operation.label,
        "caller": CALLER_OF_TOKEN.get(sent.removeprefix("Bearer "), "unknown"),
        "status": response.status_code,
        "codes": codes,
        "data": isinstance(payload, dict) and payload.get("data") is not None,
        "message": _first_message(payload),
        "requestId": (response.headers.get("x-request-id") or [None])[0],
    }
    if is_server_error(response.status_code, codes):
        entry["query"] = case.body if isinstance(case.body, str) else json.dumps(case.body)
        entry["response"] = payload if payload is not None else response.text[:2000]
    _record(entry)


@schemathesis.hook
def filter_failure(
    context: schemathesis.HookContext, failure: Any, case: Any, response: Any
) -> bool:
    """Keep every failure except a "server error" whose codes are all client-error codes."""
    if not isinstance(failure, GraphQLServerError):
        return True
    codes = error_codes(_payload(response))
    return not codes or not set(codes) <= CLIENT_ERROR_CODES
