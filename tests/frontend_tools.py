"""The app's Node side (frontend/, pinned by its package-lock.json) for the tests that run it.

Like tests/node_tools.py: without node and npm these tests skip, unless
LICGRAPH_TEST_REQUIRE_NODE=1 (CI), which makes them fail instead.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.node_tools import require_node

FRONTEND = Path(__file__).parents[1] / "frontend"


def installed_frontend() -> Path:
    """frontend/ with its packages installed (`npm ci`, only when the lock changed)."""
    require_node()
    run_in_frontend(str(FRONTEND / "install"))
    return FRONTEND


def run_in_frontend(
    *command: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run a command in frontend/; fail the test with its output if it fails."""
    done = subprocess.run(  # noqa: S603 - our own scripts, node and npm
        command, cwd=FRONTEND, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-4000:]
    return done
