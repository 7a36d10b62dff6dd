"""The Node tools of tools/ (pinned by tools/package-lock.json) for tests that run them.

Without node and npm those tests skip, unless LICGRAPH_TEST_REQUIRE_NODE=1 (CI): then
they fail, so CI can't pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS = Path(__file__).parents[1] / "tools"
REQUIRE_NODE = os.environ.get("LICGRAPH_TEST_REQUIRE_NODE") == "1"


def require_node() -> None:
    """Skip the test without node and npm, or fail it when CI requires them."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        if REQUIRE_NODE:
            pytest.fail("LICGRAPH_TEST_REQUIRE_NODE=1 but node/npm are not installed")
        pytest.skip("node and npm are needed for the Node tools")


def installed_tools() -> Path:
    """tools/ with its packages installed (`npm ci`, only when the lock changed)."""
    require_node()
    run_in_tools(str(TOOLS / "install"))
    return TOOLS


def run_in_tools(*command: str, env: dict[str, str] | None = None) -> None:
    """Run a command in tools/; fail the test with its output if it fails."""
    done = subprocess.run(  # noqa: S603 - our own scripts and npm
        command, cwd=TOOLS, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
