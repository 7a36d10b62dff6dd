"""Real `licgraph serve` processes on free loopback ports, for end-to-end and stress tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

LICGRAPH = str(Path(sys.executable).with_name("licgraph"))


@dataclass(frozen=True)
class Server:
    """A running server: where it is, and how to run the CLI against its database."""

    url: str
    env: dict[str, str]

    @classmethod
    def on_free_port(cls, env: Mapping[str, str]) -> Server:
        """A server to start with ``env`` on a port nothing listens on yet."""
        return cls(url=f"http://127.0.0.1:{free_port()}", env=dict(env))

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

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


@contextmanager
def launched(server: Server, log: Path, *, workers: int = 1) -> Iterator[subprocess.Popen[bytes]]:
    """`licgraph serve --workers N` for ``server``, its output in ``log``, stopped at the end.

    One worker unless asked (the default, one per core, would double most tests' CPU). It
    does not wait for the server to listen: `serving` does.
    """
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own console script
            [LICGRAPH, "serve", "--port", str(server.port), "--workers", str(workers)],
            env=server.env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            process.wait(timeout=15)


@contextmanager
def serving(server: Server, log: Path, *, workers: int = 1) -> Iterator[Server]:
    """`licgraph serve` for ``server`` once it answers /healthz, stopped at the end."""
    with launched(server, log, workers=workers) as process:
        wait_until_healthy(server.url, process)
        yield server
