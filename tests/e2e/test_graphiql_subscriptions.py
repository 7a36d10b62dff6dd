"""Watching a license job from GraphiQL's subscription pane, in a real headless Chromium
driven over the DevTools protocol: the page's own fetcher subscribes over WebSocket with the
Headers editor's token, and the response pane follows the job as it changes."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.e2e.servers import LICGRAPH, Server, free_port, wait_until_healthy

pytestmark = pytest.mark.e2e

ADMIN_TOKEN = re.compile(r"admin-agent\s+(lg_\S+)")
SUBSCRIPTION = "subscription Watch($id: ID!) { licenseJob(id: $id) { status processedUsers } }"
QUERY_EDITOR = "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror"
VARIABLES_EDITOR = "document.querySelector('.graphiql-editor-tool .CodeMirror').CodeMirror"
WAIT_SECONDS = 30
RESPONSE = "document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()"


@pytest.fixture
def engine_name() -> str:
    """The page does not depend on the database engine: SQLite only."""
    return "sqlite"


@pytest.fixture
def demo(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    """`licgraph serve --demo` (jobs left queued: no runner) and its admin token."""
    env = {**os.environ, "LICGRAPH_DATABASE_URL": database_url, "LICGRAPH_JOB_RUNNER": "false"}
    port = free_port()
    log_path = tmp_path / "demo.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own console script
            [LICGRAPH, "serve", "--demo", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", process, timeout=60)
            token = ADMIN_TOKEN.search(log_path.read_text())
            assert token is not None
            yield Server(url=f"http://127.0.0.1:{port}", env=env), token.group(1)
        finally:
            process.terminate()
            process.wait(timeout=15)


class DevTools:
    """One page of a headless Chromium, driven over the DevTools protocol."""

    def __init__(self, socket: websockets.ClientConnection) -> None:
        self.socket = socket
        self.serial = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.serial += 1
        await self.socket.send(json.dumps({"id": self.serial, "method": method, "params": params}))
        while True:
            message = json.loads(await self.socket.recv())
            if message.get("id") == self.serial:
                assert "result" in message, message
                result: dict[str, Any] = message["result"]
                return result

    async def evaluate(self, expression: str) -> Any:
        answer = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return answer["result"].get("value")

    async def until(self, expression: str) -> Any:
        """The value of ``expression`` once it is truthy (no exception, not empty)."""
        async with asyncio.timeout(WAIT_SECONDS):
            while True:
                value = await self.evaluate(
                    f"(() => {{ try {{ return {expression} }} catch (e) {{ return null }} }})()"
                )
                if value:
                    return value
                await asyncio.sleep(0.1)


@pytest.fixture
def page_socket(chromium: str, tmp_path: Path) -> Iterator[str]:
    """A headless Chromium with the DevTools protocol on; the WebSocket URL of its page."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--remote-debugging-port={port}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        url = None
        while url is None:
            try:
                targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
                url = next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]
            except (httpx.TransportError, StopIteration):
                assert time.monotonic() < deadline, "Chromium did not start"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def post(server: Server, token: str, query: str, variables: dict[str, Any]) -> Any:
    answer = httpx.post(
        server.graphql,
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert "errors" not in answer, answer
    return answer["data"]


async def test_graphiql_subscription_pane_follows_a_job(
    demo: tuple[Server, str], page_socket: str
) -> None:
    server, token = demo
    customer = post(
        server, token, '{ customers(search: "contoso", first: 1) { nodes { id } } }', {}
    )
    customer_id = customer["customers"]["nodes"][0]["id"]
    products = post(
        server, token, "query($c: ID!) { customer(id: $c) { products { id } } }", {"c": customer_id}
    )["customer"]["products"]
    job = post(
        server,
        token,
        "mutation($i: StartLicenseJobInput!) { startLicenseJob(input: $i) { job { id } } }",
        {"i": {"customerId": customer_id, "target": {"filter": {}}, "revoke": [products[0]["id"]]}},
    )["startLicenseJob"]["job"]
    async with websockets.connect(page_socket, max_size=None) as socket:
        browser = DevTools(socket)
        # Given GraphiQL (the demo token in its Headers editor) with the subscription typed in
        await browser.call("Page.navigate", url=server.graphql)
        await browser.until(f"!!{QUERY_EDITOR}")
        await browser.evaluate(f"{QUERY_EDITOR}.setValue({json.dumps(SUBSCRIPTION)})")
        await browser.evaluate(
            f"{VARIABLES_EDITOR}.setValue({json.dumps(json.dumps({'id': job['id']}))})"
        )
        await asyncio.sleep(1)  # GraphiQL reads the operation name off the editor, debounced
        # When it is run, the pane shows the job as it is; when the job changes, it follows
        await browser.evaluate("document.querySelector('.graphiql-execute-button').click()")
        queued = await browser.until(f"{RESPONSE}.includes('QUEUED') && {RESPONSE}")
        post(
            server,
            token,
            "mutation($i: CancelLicenseJobInput!) "
            "{ cancelLicenseJob(input: $i) { job { status } } }",
            {"i": {"jobId": job["id"]}},
        )
        cancelled = await browser.until(f"{RESPONSE}.includes('CANCELLED') && {RESPONSE}")
    assert json.loads(queued)["data"]["licenseJob"]["status"] == "QUEUED"
    assert json.loads(cancelled)["data"]["licenseJob"]["status"] == "CANCELLED"
