"""Operating against a real PostgreSQL that goes away and comes back."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL
from tests.e2e.servers import Server, free_port, launched, wait_until_healthy
from tests.e2e.tcp_proxy import TcpProxy

# A database server that goes away and comes back: PostgreSQL only (SQLite is a file).
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="set LICGRAPH_TEST_POSTGRES_URL"),
    pytest.mark.parametrize("engine_name", ["postgres"]),
]


@pytest.fixture
def proxied_postgres(database_url: str) -> Iterator[tuple[TcpProxy, str]]:
    """The test's PostgreSQL database, reached through a proxy the test can cut."""
    real = make_url(database_url)
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432, free_port())
    url = real.set(port=proxy.port).render_as_string(hide_password=False)
    yield proxy, url
    proxy.close()


@contextmanager
def serve(url: str, log: Path, **env: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`licgraph serve` on a free port, stopped (and its log closed) at the end."""
    server = Server.on_free_port({**os.environ, "LICGRAPH_DATABASE_URL": url, **env})
    with launched(server, log) as process:
        yield process, server.url


def wait_for_a_retry(log: Path, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Wait until the server has found the database down once (a busy machine starts slowly)."""
    deadline = time.monotonic() + timeout
    while "retrying" not in log.read_text() and process.poll() is None:
        assert time.monotonic() < deadline, "the server never tried the database"
        time.sleep(0.1)


def ready(base: str) -> int:
    return httpx.get(f"{base}/readyz", timeout=10).status_code


def test_the_server_waits_for_a_database_that_starts_late(
    proxied_postgres: tuple[TcpProxy, str], tmp_path: Path
) -> None:
    proxy, url = proxied_postgres  # not started: connections are refused

    with serve(url, tmp_path / "server.log", LICGRAPH_STARTUP_TIMEOUT="30") as (process, base):
        wait_for_a_retry(tmp_path / "server.log", process)
        assert process.poll() is None, "the server gave up instead of waiting"
        proxy.start()
        wait_until_healthy(base, process)
        assert ready(base) == 200
    assert "retrying" in (tmp_path / "server.log").read_text()


def test_readiness_follows_the_database(
    proxied_postgres: tuple[TcpProxy, str], tmp_path: Path
) -> None:
    proxy, url = proxied_postgres
    proxy.start()
    with serve(url, tmp_path / "server.log") as (process, base):
        wait_until_healthy(base, process)
        assert ready(base) == 200

        proxy.stop()
        assert ready(base) == 503
        assert httpx.get(f"{base}/healthz").status_code == 200  # alive, just not ready

        proxy.start()
        assert ready(base) == 200
