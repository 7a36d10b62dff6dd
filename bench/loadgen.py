"""Load: wrk at a fixed concurrency, or one request at a time for exact latencies."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from servers import BENCH, pinned, tool

WRK_SCRIPT = BENCH / "wrk_post.lua"
# wrk's default 2 s timeout would drop every slow answer from the latency figures.
WRK_TIMEOUT = "120s"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}
_LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_REQUESTS = re.compile(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m)", re.MULTILINE)
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_FAILURES = re.compile(r"^graphql failures: (\d+)$", re.MULTILINE)


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failures: int  # non-200 answers, GraphQL errors and socket errors

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk(
    url: str,
    body: Mapping[str, Any],
    *,
    authorization: str | None,
    connections: int,
    seconds: float,
    cpu: int | None,
) -> Load:
    """Drive ``url`` with wrk (one thread, ``connections`` open) and parse its figures."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(body, file)
    env = {**os.environ, "WRK_BODY_FILE": file.name, "WRK_AUTHORIZATION": authorization or ""}
    command = [
        tool("wrk", "apt-get install wrk"),
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={WRK_TIMEOUT}",
        "--latency",
        "-s",
        str(WRK_SCRIPT),
        url,
    ]
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments
            pinned(command, cpu), env=env, capture_output=True, text=True, check=True
        )
    finally:
        Path(file.name).unlink()
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> Load:
    """The figures of one ``wrk --latency`` report."""
    latencies = {m[1]: float(m[2]) * _UNITS[m[3]] for m in _LATENCY.finditer(output)}
    requests = _REQUESTS.search(output)
    if requests is None or set(latencies) != {"50", "99"}:
        raise ValueError(f"unexpected wrk output:\n{output}")
    socket_errors = _SOCKET_ERRORS.search(output)
    failures = _FAILURES.search(output)
    return Load(
        requests=int(requests[1]),
        seconds=float(requests[2]) * _UNITS[requests[3]] / 1e3,
        p50_ms=latencies["50"],
        p99_ms=latencies["99"],
        failures=(int(failures[1]) if failures else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    )


@dataclass(frozen=True)
class Latencies:
    """Wall times of requests sent one at a time, in milliseconds."""

    samples: list[float]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99_ms(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def one_at_a_time(
    client: httpx.Client, url: str, body: Mapping[str, Any], *, requests: int
) -> Latencies:
    """Send ``body`` ``requests`` times in a row; every answer must be 200 without errors."""
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        answer = client.post(url, json=body)
        samples.append((time.perf_counter() - started) * 1e3)
        check_answer(answer)
    return Latencies(samples)


def check_answer(answer: httpx.Response) -> dict[str, Any]:
    """The data of a successful GraphQL answer; raises on HTTP or GraphQL errors."""
    payload = answer.json()
    if answer.status_code != 200 or payload.get("errors"):
        raise RuntimeError(f"HTTP {answer.status_code}: {json.dumps(payload)[:2000]}")
    return dict(payload["data"])
