"""A real `licgraph serve` on a free loopback port, driven the way a new user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

LICGRAPH = str(Path(sys.executable).with_name("licgraph"))


@dataclass(frozen=True)
class Server:
    """A running server: where it is, and how to run the CLI against its database."""

    url: str
    env: dict[str, str]

    @property
    def graphql(self) -> str:
        return f"{self.url}/graphql"

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `licgraph ARGS` on the server's database; fails the test if it fails."""
        done = subprocess.run(  # noqa: S603 - our own console script
            [LICGRAPH, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done

    def token(self, role: str, *extra: str) -> str:
        """A fresh bearer token for ``role`` from `licgraph token create`."""
        return self.cli("token", "create", "--role", role, *extra).stdout.strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError("server did not become healthy")


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    """`licgraph seed demo`, then `licgraph serve` on its own port, stopped afterwards."""
    env = {**os.environ, "LICGRAPH_DATABASE_URL": database_url}
    port = free_port()
    running = Server(url=f"http://127.0.0.1:{port}", env=env)
    running.cli("seed", "demo")
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [LICGRAPH, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_until_healthy(running.url, process)
        yield running
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()
