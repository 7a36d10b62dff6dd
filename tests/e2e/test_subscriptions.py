"""Subscriptions over WebSocket against real servers, with gql's WebSocket transport
(graphql-transport-ws): job progress, change-log events from another server process, scopes,
revocation, limits, origins and idle connections."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from gql import Client, GraphQLRequest
from gql.transport.exceptions import (
    TransportConnectionFailed,
    TransportQueryError,
)
from gql.transport.websockets import WebsocketsTransport

from tests.e2e.servers import LICGRAPH, Server, serving

pytestmark = pytest.mark.e2e

SETTINGS = {
    "LICGRAPH_RATE_LIMIT_PER_SECOND": "0",
    "LICGRAPH_JOB_RUNNER": "false",  # jobs are worked by a `licgraph worker` the test starts
    "LICGRAPH_JOB_CHUNK_SIZE": "10",
    "LICGRAPH_JOB_POLL_SECONDS": "0.1",
    "LICGRAPH_SUBSCRIPTION_POLL_SECONDS": "0.1",
    "LICGRAPH_WEBSOCKET_AUTH_CHECK_SECONDS": "0.3",
    "LICGRAPH_WEBSOCKET_IDLE_TIMEOUT_SECONDS": "1",
    "LICGRAPH_MAX_SUBSCRIPTIONS_PER_TOKEN": "3",
}
JOB_UPDATES = """
subscription ($id: ID!) {
  licenseJob(id: $id) { id status totalUsers processedUsers succeededCount failedCount
                        unchangedCount errorSummary { code count } }
}"""
EVENTS = """
subscription ($customer: ID!) {
  licenseEvents(customerId: $customer) { id action user { id } product { name } requestId }
}"""
START = """
mutation ($input: StartLicenseJobInput!) { startLicenseJob(input: $input) { job { id } } }"""
SAVE = """
mutation ($input: UpdateLicensesInput!) { updateLicenses(input: $input) { succeededCount } }"""
CONTOSO = """
{ customers(search: "contoso", first: 1) { nodes { id
    products { id name availableLicenses }
    users(first: 100, filter: { hasUsageLocation: true }) { nodes { id } } } } }"""
LOG = """
query ($c: ID!) { customer(id: $c) { licenseEvents(first: 100) { nodes { id } } } }"""


@dataclass(frozen=True)
class Pair:
    """Two servers on one database (a subscriber on one, writes through the other)."""

    writer: Server
    reader: Server
    token: str

    def post(self, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
        answer = httpx.post(
            self.writer.graphql,
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token or self.token}"},
            timeout=60,
        ).json()
        assert "errors" not in answer, answer
        return answer["data"]

    def ws(self, token: str | None = None, **headers: str) -> WebsocketsTransport:
        url = self.reader.graphql.replace("http://", "ws://")
        return WebsocketsTransport(
            url=url,
            init_payload={"Authorization": f"Bearer {token or self.token}"},
            subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
            headers=headers or None,
        )


@pytest.fixture
def pair(database_url: str, tmp_path: Path) -> Iterator[Pair]:
    env = {**os.environ, **SETTINGS, "LICGRAPH_DATABASE_URL": database_url}
    writer, reader = Server.on_free_port(env), Server.on_free_port(env)
    writer.cli("seed", "demo")
    with ExitStack() as stack:
        stack.enter_context(serving(writer, tmp_path / "writer.log"))
        stack.enter_context(serving(reader, tmp_path / "reader.log"))
        yield Pair(writer, reader, writer.token("admin-agent", "--name", "subscriber"))


@pytest.fixture
def worker(pair: Pair, tmp_path: Path) -> Iterator[Any]:
    """Starts a `licgraph worker` when called; stopped after the test."""
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        with (tmp_path / "worker.log").open("ab") as log:
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own console script
                    [LICGRAPH, "worker"], env=pair.writer.env, stdout=log, stderr=log
                )
            )

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=15)


def contoso(pair: Pair) -> dict[str, Any]:
    found: dict[str, Any] = pair.post(CONTOSO, {})["customers"]["nodes"][0]
    return found


def product_named(customer: dict[str, Any], name: str) -> str:
    return str(next(p["id"] for p in customer["products"] if p["name"] == name))


async def collect(stream: AsyncIterator[dict[str, Any]], *, count: int) -> list[dict[str, Any]]:
    found = []
    async with asyncio.timeout(60):
        async for item in stream:
            found.append(item)
            if len(found) == count:
                break
    return found


async def test_a_job_streams_its_progress_in_order_and_completes_with_the_final_counts(
    pair: Pair, worker: Any
) -> None:
    customer = contoso(pair)
    job = pair.post(
        START,
        {
            "input": {
                "customerId": customer["id"],
                "target": {"filter": {}},
                "assign": [{"productId": product_named(customer, "Power BI Pro")}],
            }
        },
    )["startLicenseJob"]["job"]
    updates: list[dict[str, Any]] = []
    async with Client(transport=pair.ws()) as session:
        async with asyncio.timeout(120):
            async for update in session.subscribe(
                GraphQLRequest(JOB_UPDATES, variable_values={"id": job["id"]})
            ):
                updates.append(update["licenseJob"])
                if len(updates) == 1:
                    worker()  # the job is worked only once the subscriber has seen it queued
    # (the stream completed: the job ended)
    first, last = updates[0], updates[-1]
    assert (first["status"], first["processedUsers"]) == ("QUEUED", 0)
    processed = [update["processedUsers"] for update in updates]
    assert processed == sorted(set(processed)), processed  # each update moves forward
    # A subscriber sees the job as it is when it looks: chunks that commit between two looks
    # arrive as one update (the counts are totals), so how many depends on timing.
    assert len(updates) >= 2
    assert last["status"] == "SUCCEEDED"
    assert last["processedUsers"] == last["totalUsers"]
    assert (
        last["succeededCount"] + last["failedCount"] + last["unchangedCount"]
        == (last["totalUsers"])
    )
    # An ended job: one message, then complete.
    async with Client(transport=pair.ws()) as session:
        again = [
            u async for u in session.subscribe(GraphQLRequest(JOB_UPDATES, variable_values=job))
        ]
    assert again == [{"licenseJob": last}]


async def test_change_log_entries_arrive_from_another_server_in_commit_order(pair: Pair) -> None:
    customer = contoso(pair)
    users = [user["id"] for user in customer["users"]["nodes"]]
    product = product_named(customer, "Power BI Pro")
    received: list[dict[str, Any]] = []
    arrived = asyncio.Event()

    async def receive(session: Any) -> None:
        variables = {"customer": customer["id"]}
        async for item in session.subscribe(GraphQLRequest(EVENTS, variable_values=variables)):
            received.append(item["licenseEvents"])
            arrived.set()

    async with Client(transport=pair.ws()) as session:
        receiving = asyncio.ensure_future(receive(session))
        await asyncio.sleep(0.5)  # subscribed
        changed = 0
        for batch in range(3):  # three Saves through the *other* server
            ids = users[batch * 10 : batch * 10 + 10]
            change = {
                "customerId": customer["id"],
                "userIds": ids,
                "assign": [{"productId": product}],
            }
            answer = await asyncio.to_thread(pair.post, SAVE, {"input": change})
            changed += answer["updateLicenses"]["succeededCount"]
        async with asyncio.timeout(30):
            while len(received) < changed:  # (no await between the check and the wait)
                arrived.clear()
                await arrived.wait()
        await asyncio.sleep(0.5)  # nothing more comes
        receiving.cancel()
    logged = pair.post(LOG, {"c": customer["id"]})["customer"]["licenseEvents"]["nodes"]
    assert changed > 0
    # Exactly the log's newest entries, oldest first: commit order, no gap, no repeat.
    assert [event["id"] for event in received] == [e["id"] for e in reversed(logged[:changed])]
    assert {event["product"]["name"] for event in received} == {"Power BI Pro"}
    assert {event["action"] for event in received} == {"ASSIGNED"}


async def test_a_scoped_token_is_refused_another_customers_job_and_events(pair: Pair) -> None:
    customer = contoso(pair)
    job = pair.post(
        START,
        {
            "input": {
                "customerId": customer["id"],
                "target": {"filter": {}},
                "revoke": [product_named(customer, "Power BI Pro")],
            }
        },
    )["startLicenseJob"]["job"]
    others = pair.post('{ customers(search: "fabrikam", first: 1) { nodes { id } } }', {})[
        "customers"
    ]["nodes"]
    scoped = pair.writer.token("global-admin", "--customer", others[0]["id"])
    async with Client(transport=pair.ws(scoped)) as session:
        for query, variables in (
            (JOB_UPDATES, {"id": job["id"]}),
            (EVENTS, {"customer": customer["id"]}),
        ):
            with pytest.raises(TransportQueryError) as refused:
                await collect(
                    session.subscribe(GraphQLRequest(query, variable_values=variables)), count=1
                )
            assert refused.value.errors[0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_revoked_tokens_subscription_is_closed(pair: Pair) -> None:
    customer = contoso(pair)
    token = pair.writer.token("reader", "--name", "soon-revoked")
    async with Client(transport=pair.ws(token)) as session:
        stream = session.subscribe(
            GraphQLRequest(EVENTS, variable_values={"customer": customer["id"]})
        )
        receiving = asyncio.ensure_future(collect(stream, count=1))
        await asyncio.sleep(0.5)
        await asyncio.to_thread(pair.writer.cli, "token", "revoke", "--name", "soon-revoked")
        with pytest.raises(TransportConnectionFailed) as closed:
            async with asyncio.timeout(10):
                await receiving
    cause = closed.value.__cause__
    assert isinstance(cause, websockets.ConnectionClosed)
    assert cause.rcvd is not None
    assert (cause.rcvd.code, cause.rcvd.reason) == (
        4403,
        "Forbidden: the token was revoked or expired",
    )


async def test_a_bad_token_gets_no_connection(pair: Pair) -> None:
    with pytest.raises(TransportConnectionFailed) as closed:
        async with Client(transport=pair.ws("lg_not_a_token")) as session:
            await session.execute(GraphQLRequest("{ viewer { name } }"))
    cause = closed.value.__cause__
    assert isinstance(cause, websockets.ConnectionClosed)
    assert cause.rcvd is not None
    assert cause.rcvd.code == 4403


async def test_subscriptions_per_token_are_limited(pair: Pair) -> None:
    customer = contoso(pair)
    variables = {"customer": customer["id"]}
    async with Client(transport=pair.ws()) as session:
        streams = [
            asyncio.ensure_future(
                collect(
                    session.subscribe(GraphQLRequest(EVENTS, variable_values=variables)), count=1
                )
            )
            for _ in range(3)
        ]
        await asyncio.sleep(0.5)
        with pytest.raises(TransportQueryError) as refused:
            await collect(
                session.subscribe(GraphQLRequest(EVENTS, variable_values=variables)), count=1
            )
        for stream in streams:
            stream.cancel()
    assert refused.value.errors[0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"


async def test_browsers_from_other_origins_are_refused_scripts_and_own_origin_accepted(
    pair: Pair,
) -> None:
    url = pair.reader.graphql.replace("http://", "ws://")
    protocol = ["graphql-transport-ws"]
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(url, subprotocols=protocol, origin="https://evil.example"):
            pass
    assert refused.value.response.status_code == 403
    for origin in (None, pair.reader.url):
        async with websockets.connect(url, subprotocols=protocol, origin=origin) as socket:
            assert socket.subprotocol == "graphql-transport-ws"


async def test_an_idle_connection_is_closed(pair: Pair) -> None:
    url = pair.reader.graphql.replace("http://", "ws://")
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {pair.token}"}}
        await socket.send(json.dumps(init))
        assert "connection_ack" in await socket.recv()
        async with asyncio.timeout(10):
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await socket.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4000


@pytest.fixture
def patient_server(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    """One server that would look for news only every 60 s (so a notice must wake it)."""
    env = {
        **os.environ,
        "LICGRAPH_DATABASE_URL": database_url,
        "LICGRAPH_RATE_LIMIT_PER_SECOND": "0",
        "LICGRAPH_SUBSCRIPTION_POLL_SECONDS": "60",
        "LICGRAPH_JOB_POLL_SECONDS": "60",
    }
    server = Server.on_free_port(env)
    server.cli("seed", "demo")
    token = server.token("admin-agent")
    with serving(server, tmp_path / "server.log"):
        time.sleep(1)  # the runner's first look (at start) is over: it now waits for a notice
        yield server, token


async def test_a_commit_wakes_the_same_servers_subscribers_and_runner_at_once(
    patient_server: tuple[Server, str],
) -> None:
    server, token = patient_server
    pair = Pair(writer=server, reader=server, token=token)
    customer = contoso(pair)
    product = product_named(customer, "Power BI Pro")
    async with Client(transport=pair.ws()) as session:
        updates = session.subscribe(
            GraphQLRequest(EVENTS, variable_values={"customer": customer["id"]})
        )
        first = asyncio.ensure_future(anext(updates))
        await asyncio.sleep(0.5)  # subscribed
        job = await asyncio.to_thread(
            pair.post,
            START,
            {
                "input": {
                    "customerId": customer["id"],
                    # users who lack it (30 free seats: at least one event)
                    "target": {"filter": {"lackingProduct": product, "hasUsageLocation": True}},
                    "assign": [{"productId": product}],
                }
            },
        )
        # Well within the 60 s either would wait without a notice: the runner took the job
        # when it started, and its chunk's change-log entry reached the subscriber.
        async with asyncio.timeout(20):
            event = await first
        watched = session.subscribe(
            GraphQLRequest(JOB_UPDATES, variable_values={"id": job["startLicenseJob"]["job"]["id"]})
        )
        final = [update["licenseJob"] async for update in watched][-1]
    assert event["licenseEvents"]["action"] == "ASSIGNED"
    assert final["status"] == "SUCCEEDED"
