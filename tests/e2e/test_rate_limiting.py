"""Rate limiting on real servers: 429 past the burst, recovery at the rate, one bucket per
token whichever server process answers."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.e2e.servers import Server, serving

pytestmark = pytest.mark.e2e

VIEWER = {"query": "{ viewer { name } }"}
StartServers = Callable[..., list[Server]]


@pytest.fixture
def start_servers(database_url: str, tmp_path: Path) -> Iterator[StartServers]:
    """Start ``count`` servers on the test's database with a rate limit of their own."""
    with ExitStack() as stack:

        def start(count: int, *, per_second: float, burst: int) -> list[Server]:
            env = {
                **os.environ,
                "LICGRAPH_DATABASE_URL": database_url,
                "LICGRAPH_RATE_LIMIT_PER_SECOND": str(per_second),
                "LICGRAPH_RATE_LIMIT_BURST": str(burst),
            }
            # One at a time: each migrates the database when it starts.
            return [
                stack.enter_context(serving(Server.on_free_port(env), tmp_path / f"server-{n}.log"))
                for n in range(count)
            ]

        yield start


def ask(server: Server, token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.post(server.graphql, json=VIEWER, headers=headers, timeout=10)


def test_a_token_past_its_burst_gets_429_and_recovers_after_the_wait(
    start_servers: StartServers,
) -> None:
    # Given a server allowing bursts of 5 requests, refilled at 1 a second
    [server] = start_servers(1, per_second=1, burst=5)
    token = server.token("reader", "--name", "limited")
    other = server.token("reader", "--name", "bystander")

    # When the token makes 5 requests at once, then one more
    burst = [ask(server, token) for _ in range(5)]
    refused = ask(server, token)

    # Then the first 5 run and the 6th is refused with how long to wait
    assert [response.status_code for response in burst] == [200] * 5
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    wait = error["extensions"]["retryAfterSeconds"]
    assert 0 < wait <= 1
    # And another token is not affected
    assert ask(server, other).status_code == 200

    # When the token waits as told, it may make a request again (and only one)
    time.sleep(wait + 0.02)
    assert ask(server, token).status_code == 200
    assert ask(server, token).status_code == 429


def test_two_server_processes_share_one_bucket_per_token(
    start_servers: StartServers,
) -> None:
    # Given two server processes on one database, with buckets of 10 that barely refill
    servers = start_servers(2, per_second=0.01, burst=10)
    token = servers[0].token("reader", "--name", "shared")

    # When the token alternates 30 requests between them
    statuses = [ask(servers[n % 2], token).status_code for n in range(30)]

    # Then the first 10 get through, 5 on each process, and not one more on either
    assert statuses == [200] * 10 + [429] * 20
