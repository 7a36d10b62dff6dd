"""graphql-http's GraphQL-over-HTTP audits, run by Node against a real server."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.servers import Server

pytestmark = pytest.mark.e2e

AUDIT_DIR = Path(__file__).parents[1] / "http_audit"
REQUIRE_NODE = os.environ.get("LICGRAPH_TEST_REQUIRE_NODE") == "1"
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.MULTILINE)
SERVER_AUDITS = 61


@pytest.fixture
def engine_name() -> str:
    """The audits exercise HTTP, not the database: SQLite only."""
    return "sqlite"


@pytest.fixture(scope="module")
def node() -> str:
    """The node executable, with the pinned audit package installed next to the script."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        if REQUIRE_NODE:
            pytest.fail("LICGRAPH_TEST_REQUIRE_NODE=1 but node/npm are not installed")
        pytest.skip("node and npm are needed for the graphql-http audits")
    if not (AUDIT_DIR / "node_modules" / "graphql-http").is_dir():
        # `npm ci` installs exactly package-lock.json, or fails.
        subprocess.run(  # noqa: S603 - fixed arguments
            [npm, "ci", "--prefix", str(AUDIT_DIR), "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return node


def test_every_graphql_over_http_audit_passes(server: Server, node: str) -> None:
    token = server.token("reader", "--name", "http-audit")

    done = subprocess.run(  # noqa: S603 - our own script
        [node, str(AUDIT_DIR / "audit.mjs"), server.graphql, token],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    summary = SUMMARY.search(done.stdout)
    assert summary is not None, done.stdout + done.stderr
    passed, failed = int(summary[1]), int(summary[2])
    assert (failed, done.returncode) == (0, 0), done.stdout
    # All of graphql-http 1.23.1's server audits (package-lock.json pins it); a new version
    # with more audits should change this number on purpose.
    assert passed == SERVER_AUDITS, done.stdout
