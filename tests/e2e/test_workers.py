"""`licgraph serve --workers 2`: one port, metrics and rate limits summed over both processes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.flows import events_of_request, run_example
from tests.e2e.servers import Server, launched, wait_until_healthy

pytestmark = pytest.mark.e2e

WORKERS = 2


def scrape(server: Server) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, by name and labels."""
    response = httpx.get(f"{server.url}/metrics", timeout=10)
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def worker_pids(server_pid: int) -> list[int]:
    """The worker processes the server started, from /proc (not multiprocessing's helper)."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return [pid for pid in map(int, children) if b"spawn_main" in _command_line(pid)]


def _command_line(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


@pytest.fixture
def two_workers(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, int]]:
    """A demo database served by `licgraph serve --workers 2`, and the server's pid."""
    server = Server.on_free_port(
        {
            **os.environ,
            "LICGRAPH_DATABASE_URL": database_url,
            "LICGRAPH_RATE_LIMIT_PER_SECOND": "0.001",
            "LICGRAPH_RATE_LIMIT_BURST": "8",
        }
    )
    server.cli("seed", "demo")
    with launched(server, tmp_path / "server.log", workers=WORKERS) as process:
        wait_until_healthy(server.url, process)
        yield server, process.pid


def test_metrics_count_a_save_and_every_request_over_both_workers(
    two_workers: tuple[Server, int],
) -> None:
    server, server_pid = two_workers
    assert len(worker_pids(server_pid)) == WORKERS
    token = server.token("admin-agent")
    before = scrape(server)

    answer = run_example(server.graphql, token, "SaveLicenses", request_id="metrics-save")
    # A new connection each time: the kernel spreads them over the workers' shared socket.
    for _ in range(5):
        run_example(server.graphql, token, "Viewer")
    assigned = events_of_request(server.graphql, token, "metrics-save").count("ASSIGNED")

    assert answer["data"]["updateLicenses"]["applied"] is True
    assert assigned > 0
    for _ in range(4):  # whichever worker answers a scrape, it reports the sums of both
        after = scrape(server)

        def gained(name: str, **labels: str) -> float:
            return value(after, name, **labels) - value(before, name, **labels)  # noqa: B023

        assert gained("licgraph_saves_total", status="applied") == 1
        assert gained("licgraph_licenses_assigned_total") == assigned
        assert gained("licgraph_requests_total", operation="SaveLicenses", outcome="ok") == 1
        assert gained("licgraph_requests_total", operation="Viewer", outcome="ok") == 5
        assert gained("licgraph_request_duration_seconds_count", operation="Viewer") == 5
        assert gained("licgraph_request_sql_statements_sum", operation="SaveLicenses") > 0


def test_the_rate_limit_holds_across_workers(two_workers: tuple[Server, int]) -> None:
    server, _ = two_workers
    token = server.token("reader")

    statuses = [
        httpx.post(
            server.graphql,
            json={"query": "{ viewer { name } }"},
            headers={"Authorization": f"Bearer {token}"},
        ).status_code
        for _ in range(12)
    ]

    # A burst of 8 for the token, whichever process each request reached.
    assert statuses.count(200) == 8
    assert statuses.count(429) == 4
    assert value(scrape(server), "licgraph_rate_limited_total") == 4
