"""A real `licgraph serve` on a free loopback port, driven the way a new user would."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.servers import Server, serving


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    """`licgraph seed demo`, then `licgraph serve` on its own port, stopped afterwards."""
    demo = Server.on_free_port({**os.environ, "LICGRAPH_DATABASE_URL": database_url})
    demo.cli("seed", "demo")
    with serving(demo, tmp_path / "server.log") as running:
        yield running


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's headless Chromium (skipped without it, unless LICGRAPH_TEST_REQUIRE_CHROMIUM=1)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("LICGRAPH_TEST_REQUIRE_CHROMIUM") == "1":
            pytest.fail("LICGRAPH_TEST_REQUIRE_CHROMIUM=1 but chromium is not installed")
        pytest.skip("chromium is needed to render GraphiQL")
    return found
