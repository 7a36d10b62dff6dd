"""The seed's flow from JavaScript: @urql/core with the TypeScript client generated from
examples/ (tools/client/flow.test.ts), against a real server, under Node's test runner."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.e2e.servers import Server
from tests.node_tools import installed_tools, run_in_tools

pytestmark = pytest.mark.e2e


@pytest.fixture
def engine_name() -> str:
    """The client speaks HTTP; the Python flow covers both engines: SQLite only."""
    return "sqlite"


@pytest.fixture(scope="module")
def compiled_flow() -> str:
    """Generate the client from the examples and compile it (tsc --strict); node's path."""
    installed_tools()
    run_in_tools("npm", "run", "--silent", "build")
    return str(shutil.which("node"))


def test_the_javascript_client_runs_the_seed_s_flow(server: Server, compiled_flow: str) -> None:
    token = server.token("admin-agent", "--name", "js-flow")
    env = {**server.env, "LICGRAPH_URL": server.graphql, "LICGRAPH_TOKEN": token}

    done = subprocess.run(  # noqa: S603 - our own compiled test
        [compiled_flow, "--test", "dist/client/flow.test.js"],
        cwd=installed_tools(),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "# pass 1" in done.stdout, done.stdout
    assert "# fail 0" in done.stdout, done.stdout
