"""Every benchmark script runs end to end at a tiny size and prints its figure tables.

CI proves the scripts work; no time, rate or ratio is asserted (they depend on the machine),
only that each script exits 0, prints its tables and, for the page, that licgraph's and
PostGraphile's bodies were compared and found identical.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench

BENCH = Path(__file__).parents[2] / "bench"
POSTGRES_URL = os.environ.get("LICGRAPH_TEST_POSTGRES_URL", "")
REQUIRE_TOOLS = os.environ.get("LICGRAPH_TEST_REQUIRE_BENCH_TOOLS") == "1"
REQUIRE_NODE = os.environ.get("LICGRAPH_TEST_REQUIRE_NODE") == "1"
needs_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="LICGRAPH_TEST_POSTGRES_URL unset")


def _require(tool: str, *, required: bool) -> None:
    if shutil.which(tool) is None:
        if required:
            pytest.fail(f"{tool} is required here but not installed")
        pytest.skip(f"{tool} is needed by the benchmark")


def run_script(name: str, *args: str) -> str:
    """``bench/NAME --small ARGS``; its stdout, after checking it exited 0."""
    done = subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, str(BENCH / name), "--small", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def table_rows(output: str, first_column: str) -> list[list[str]]:
    """The cells of every Markdown table row whose first cell is ``first_column``."""
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in output.splitlines()
        if line.startswith("|")
    ]
    return [row for row in rows if row[0] == first_column]


@needs_postgres
def test_page_bench_prints_every_server_and_identical_bodies() -> None:
    _require("wrk", required=REQUIRE_TOOLS)
    _require("taskset", required=REQUIRE_TOOLS)
    with_node = shutil.which("npm") is not None or REQUIRE_NODE
    extra = [] if with_node else ["--skip-postgraphile"]

    output = run_script("page_bench.py", "--postgres-url", POSTGRES_URL, *extra)

    page_servers = {row[1] for row in table_rows(output, "page (100 users + licenses)")}
    typename_servers = {row[1] for row in table_rows(output, "{ __typename }")}
    assert table_rows(output, "manage-licenses (100 x products)")
    if with_node:
        assert page_servers == {"licgraph", "PostGraphile 5"}
        assert typename_servers == {"licgraph", "PostGraphile 5", "bare Strawberry"}
        assert "page bodies: IDENTICAL" in output
    else:
        assert page_servers == {"licgraph"}
    assert table_rows(output, "page req/s vs PostGraphile")


def test_save_bench_prints_the_floors_of_each_engine() -> None:
    _require("taskset", required=REQUIRE_TOOLS)
    engines = ["--engines", "sqlite,postgres", "--postgres-url", POSTGRES_URL]

    output = run_script("save_bench.py", *(engines if POSTGRES_URL else ["--engines", "sqlite"]))

    assert len(table_rows(output, "SQLite")) == 3  # assign, revoke; memory
    if POSTGRES_URL:
        assert len(table_rows(output, "PostgreSQL")) == 3
    assert table_rows(output, "SQLite save vs stdlib sqlite3 floor")


def test_job_bench_prints_job_and_save_rates_and_subscriber_latency() -> None:
    _require("taskset", required=REQUIRE_TOOLS)
    engines = ["--engines", "sqlite,postgres", "--postgres-url", POSTGRES_URL]

    output = run_script("job_bench.py", *(engines if POSTGRES_URL else ["--engines", "sqlite"]))

    assert len(table_rows(output, "SQLite")) == 2  # rates; latency
    if POSTGRES_URL:
        assert len(table_rows(output, "PostgreSQL")) == 2


@needs_postgres
def test_scale_bench_prints_every_request() -> None:
    _require("taskset", required=REQUIRE_TOOLS)

    output = run_script("scale_bench.py", "--postgres-url", POSTGRES_URL)

    for request in ("first page", "last page (last: 100)", "totalCount"):
        assert table_rows(output, request), request
    assert table_rows(output, "deep page p50 vs first page p50")


@needs_postgres
def test_group_bench_prints_each_call_beside_the_save() -> None:
    output = run_script("group_bench.py", "--postgres-url", POSTGRES_URL)

    for call in ("setGroupLicenses: grant", "setGroupLicenses: drop", "Save: assign"):
        assert table_rows(output, call), call


@needs_postgres
def test_statement_bench_prints_every_way_on_both_engines() -> None:
    output = run_script("statement_bench.py", "--postgres-url", POSTGRES_URL)

    for engine in ("SQLite", "PostgreSQL"):
        ways = [row[1] for row in table_rows(output, engine)]
        assert ways == ["built each time", "built once", "PreparedRead", "floor (driver)"]


def test_observability_bench_prints_each_app() -> None:
    output = run_script("observability_bench.py")

    apps = ["bare", "log + metrics", "log only", "log + metrics + OTel"]
    assert [table_rows(output, app) != [] for app in apps] == [True] * len(apps)
