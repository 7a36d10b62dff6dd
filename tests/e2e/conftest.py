"""A real `licgraph serve` on a free loopback port, driven the way a new user would."""

from __future__ import annotations

import os
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
