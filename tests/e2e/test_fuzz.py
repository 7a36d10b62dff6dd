"""Schemathesis fuzzes a real server, queries and mutations, and finds no server error.

The fuzzer (`schemathesis run`, GraphQL mode) gets valid global ids of the demo data and
tokens of several callers from `tests/e2e/fuzz_hooks.py`; every response is recorded, and
the test fails on any 5xx or INTERNAL_SERVER_ERROR, quoting the request, the response and
the server's log lines for it. LICGRAPH_TEST_FUZZ_SECONDS bounds the run (default 60);
LICGRAPH_TEST_FUZZ_SEED replays a run.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import graphql as graphql_core
import httpx
import pytest

from tests.e2e.servers import Server

pytestmark = pytest.mark.e2e

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
HOOKS = Path(__file__).with_name("fuzz_hooks.py")
FUZZ_SECONDS = int(os.environ.get("LICGRAPH_TEST_FUZZ_SECONDS", "60"))
FUZZ_SEED = os.environ.get("LICGRAPH_TEST_FUZZ_SEED", "")
OWN_CUSTOMER = "Contoso Ltd."

# Who the fuzzer speaks as; a caller listed twice is drawn twice as often. Writers weigh
# most so that mutations get past the permission check and reach the rules.
CALLERS: dict[str, tuple[str, ...]] = {
    "admin-agent": ("admin-agent",),
    "admin-agent@contoso": ("admin-agent", "--customer", "{own}"),
    "global-admin@contoso": ("global-admin", "--customer", "{own}"),
    "user-management-admin@contoso": ("user-management-admin", "--customer", "{own}"),
    "sales-agent": ("sales-agent",),
    "helpdesk-agent": ("helpdesk-agent",),
    "reader": ("reader",),
    "reader@contoso": ("reader", "--customer", "{own}"),
}
WEIGHTS = {"admin-agent": 3, "admin-agent@contoso": 3, "global-admin@contoso": 2}

IDS_OF_A_CUSTOMER = """
query ($id: ID!) {
  customer(id: $id) {
    users(first: 40) { nodes { id } pageInfo { startCursor endCursor } }
    unlocated: users(first: 5, filter: {hasUsageLocation: false}) { nodes { id } }
    products { id servicePlans { id } }
    licenseEvents(first: 10) { nodes { id } pageInfo { startCursor endCursor } }
  }
}
"""
PURCHASE = """mutation ($customer: ID!, $product: ID!) {
  purchaseLicenses(input: {customerId: $customer, productId: $product, quantity: 1}) { applied }
}"""
CUSTOMERS = """{
  customers(first: 100) { nodes { id name } pageInfo { startCursor endCursor } }
  two: customers(first: 2) { pageInfo { startCursor endCursor } }
}"""


@pytest.fixture(autouse=True)
def no_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fuzzer sends far more than a person would; 429s would only cut it short."""
    monkeypatch.setenv("LICGRAPH_RATE_LIMIT_PER_SECOND", "0")


@dataclass(frozen=True)
class Figures:
    """What a fuzz run did, from the hooks' record of every call."""

    calls: list[dict[str, Any]]

    @property
    def server_errors(self) -> list[dict[str, Any]]:
        return [
            call
            for call in self.calls
            if call["status"] >= 500 or "INTERNAL_SERVER_ERROR" in call["codes"]
        ]

    def summary(self) -> str:
        by_status = Counter(call["status"] for call in self.calls)
        by_code = Counter(code for call in self.calls for code in call["codes"] or ["(none)"])
        by_operation = Counter(call["operation"] for call in self.calls)
        by_caller = Counter(call["caller"] for call in self.calls)
        answered = Counter(call["operation"] for call in self.calls if not call["codes"])
        return "\n".join(
            [
                f"calls: {len(self.calls)}",
                f"by status: {dict(sorted(by_status.items()))}",
                f"by error code: {dict(by_code.most_common())}",
                f"by operation: {dict(by_operation.most_common())}",
                f"by caller: {dict(by_caller.most_common())}",
                f"answered without errors, by operation: {dict(answered.most_common())}",
                f"server errors: {len(self.server_errors)}",
            ]
        )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def graphql(server: Server, token: str, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        server.graphql,
        json={"query": query, "variables": variables},
        headers=bearer(token),
        timeout=30,
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def cursors_of(*page_infos: dict[str, Any]) -> list[str]:
    return [cursor for info in page_infos for cursor in info.values() if cursor]


def ids_of_customer(server: Server, token: str, customer_id: str) -> dict[str, list[str]]:
    """The customer's id, ids of some of its users, products, plans and events (by type),
    and cursors of its lists (after a purchase, so that its change log is not empty)."""
    customer = graphql(server, token, IDS_OF_A_CUSTOMER, id=customer_id)["customer"]
    product = customer["products"][0]["id"]
    graphql(server, token, PURCHASE, customer=customer_id, product=product)
    customer = graphql(server, token, IDS_OF_A_CUSTOMER, id=customer_id)["customer"]
    products = customer["products"]
    users = customer["users"]["nodes"] + customer["unlocated"]["nodes"]
    return {
        "Customer": [customer_id],
        "User": [user["id"] for user in users],
        "Product": [product["id"] for product in products],
        "ServicePlan": [plan["id"] for product in products for plan in product["servicePlans"]],
        "LicenseEvent": [event["id"] for event in customer["licenseEvents"]["nodes"]],
        "cursors": cursors_of(customer["users"]["pageInfo"], customer["licenseEvents"]["pageInfo"]),
    }


def merged(groups: list[dict[str, list[str]]]) -> dict[str, list[str]]:
    return {key: [value for group in groups for value in group[key]] for key in groups[0]}


def fuzz_data(server: Server) -> dict[str, Any]:
    """Tokens for every caller, ids of the demo data (Contoso's own and the others'), cursors."""
    admin = server.token("admin-agent", "--name", "fuzz-setup")
    lists = graphql(server, admin, CUSTOMERS)
    customers = lists["customers"]["nodes"]
    own_id = next(customer["id"] for customer in customers if customer["name"] == OWN_CUSTOMER)
    tokens = {
        caller: server.token(*(arg.format(own=own_id) for arg in args), "--name", f"fuzz-{caller}")
        for caller, args in CALLERS.items()
    }
    own = ids_of_customer(server, admin, own_id)
    foreign = merged(
        [ids_of_customer(server, admin, c["id"]) for c in customers if c["id"] != own_id]
    )
    return {
        "tokens": tokens,
        "callers": [caller for caller in CALLERS for _ in range(WEIGHTS.get(caller, 1))],
        "own": own,
        "foreign": foreign,
        "cursors": [
            *own.pop("cursors"),
            *foreign.pop("cursors"),
            *cursors_of(lists["customers"]["pageInfo"], lists["two"]["pageInfo"]),
        ],
        "admin": admin,
    }


def served_schema(server: Server, token: str) -> str:
    """The server's schema as it introspects (the CLI's -H would override each case's caller,
    so schemathesis reads the schema from a file instead of introspecting itself)."""
    introspection = graphql(server, token, graphql_core.get_introspection_query())
    return graphql_core.print_schema(graphql_core.build_client_schema(introspection))


def run_schemathesis(server: Server, data: dict[str, Any], workdir: Path) -> tuple[int, str]:
    (workdir / "fuzz-data.json").write_text(json.dumps(data))
    (workdir / "schema.graphql").write_text(served_schema(server, data["admin"]))
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": str(HOOKS),
        "LICGRAPH_FUZZ_DATA": str(workdir / "fuzz-data.json"),
        "LICGRAPH_FUZZ_RECORD": str(workdir / "fuzz-calls.jsonl"),
    }
    command = [
        SCHEMATHESIS,
        "run",
        str(workdir / "schema.graphql"),
        "--url",
        server.graphql,
        "--max-time",
        str(FUZZ_SECONDS),
        "--generation-database",
        "none",
        "--workers",
        "1",
        # Refusing a valid-looking but useless input (first: 500, a foreign id) is the API's
        # job, so positive data may be rejected; everything else is checked.
        "--exclude-checks",
        "positive_data_acceptance",
        "--continue-on-failure",
        "--no-color",
        *(["--seed", FUZZ_SEED] if FUZZ_SEED else []),
    ]
    done = subprocess.run(  # noqa: S603 - the venv's own schemathesis
        command,
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=FUZZ_SECONDS + 180,
        check=False,
    )
    (workdir / "schemathesis.out").write_text(done.stdout + done.stderr)
    return done.returncode, done.stdout + done.stderr


def recorded_calls(workdir: Path) -> Figures:
    lines = (workdir / "fuzz-calls.jsonl").read_text().splitlines()
    return Figures([json.loads(line) for line in lines])


def logged_errors(server_log: Path) -> dict[str, dict[str, Any]]:
    """The server's "unexpected error" log records (structlog JSON), by request id."""
    records: dict[str, dict[str, Any]] = {}
    for line in server_log.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and record.get("request_id"):
            records[record["request_id"]] = record
    return records


def cause(record: dict[str, Any] | None) -> str:
    """The innermost exception of a logged error and the deepest licgraph frame it passed."""
    if not record or not record.get("exception"):
        return "(no log record)"
    chain = record["exception"]
    frames = [
        f"{frame['filename'].split('/src/')[-1]}:{frame['lineno']}"
        for frame in chain[0].get("frames", [])
        if "/src/licgraph/" in frame["filename"]
    ]
    innermost = chain[-1]
    where = frames[-1] if frames else "?"
    return f"{innermost['exc_type']}: {innermost['exc_value'][:300]} (at {where})"


def unhandled(server_log: Path) -> str:
    """Exceptions that escaped the app to uvicorn ("Exception in ASGI application"): their
    last line and the deepest licgraph frame, for 500s that carry no request id."""
    found: set[str] = set()
    lines = server_log.read_text(errors="replace").splitlines()
    for start, line in enumerate(lines):
        if "Exception in ASGI application" not in line:
            continue
        block = [*itertools.takewhile(lambda text: not text.startswith("INFO:"), lines[start:])]
        frames = [text.strip() for text in block if "/src/licgraph/" in text]
        where = frames[-1].removeprefix("File ") if frames else "?"
        found.add(f"unhandled {block[-1].strip()} (at {where})")
    return "; ".join(sorted(found)) or "(no log record)"


def explain(errors: list[dict[str, Any]], server_log: Path) -> str:
    """Server errors grouped by operation and cause, each with one request to replay."""
    records = logged_errors(server_log)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for error in errors:
        record = records.get(error.get("requestId") or "")
        reason = cause(record) if record or error["status"] < 500 else unhandled(server_log)
        groups.setdefault((error["operation"], reason), []).append(error)
    return "\n\n".join(
        f"{len(group)} x {operation} -> {cause_text}\n"
        f"  e.g. as {group[0]['caller']} (request {group[0]['requestId']}), status "
        f"{group[0]['status']}:\n{group[0].get('query')}\n"
        f"  response: {json.dumps(group[0].get('response'))[:600]}"
        for (operation, cause_text), group in groups.items()
    )


def test_fuzzing_finds_no_server_error(server: Server, tmp_path: Path) -> None:
    data = fuzz_data(server)

    exit_code, output = run_schemathesis(server, data, tmp_path)

    figures = recorded_calls(tmp_path)
    print(figures.summary())  # shown with `pytest -s`; the run's artefacts stay in tmp_path
    assert not figures.server_errors, explain(figures.server_errors, tmp_path / "server.log")
    assert exit_code == 0, output[-6000:]
    operations = {call["operation"] for call in figures.calls}
    assert {"Mutation.updateLicenses", "Mutation.purchaseLicenses", "Query.nodes"} <= operations
    assert len(figures.calls) >= FUZZ_SECONDS, "the fuzzer hardly reached the server"
