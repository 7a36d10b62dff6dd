"""GraphiQL in a real headless Chromium: it renders offline, within its policy, same-origin only."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from licgraph.graphql.examples import FLOW_ORDER
from tests.e2e.servers import LICGRAPH, Server, free_port, wait_until_healthy

pytestmark = pytest.mark.e2e

# What Chromium calls a request the browser makes on its own (updates, time sync).
BROWSER_ITSELF = "not an origin"
CSP_VIOLATION = "Content Security Policy"
# A token in the Headers editor as CodeMirror renders it: `"Bearer lg_<id>_<secret>"`.
DEMO_TOKEN = re.compile(r"Bearer (lg_[A-Za-z0-9]+_[A-Za-z0-9_-]+)")
CONFIG_BLOCK = re.compile(r'<script id="licgraph-graphiql-config".*?</script>', re.DOTALL)
TAB_TITLE = re.compile(r'<button[^>]*class="[^"]*graphiql-tab-button[^"]*"[^>]*>([^<]*)<')


@dataclass(frozen=True)
class Visit:
    """What a page load left behind: the rendered DOM, console lines, requests by origin."""

    dom: str
    console: list[str]
    requests: list[tuple[str, str]]

    def requests_from(self, origin: str) -> list[str]:
        """URLs the page of ``origin`` requested."""
        return [url for initiator, url in self.requests if initiator == origin]


@pytest.fixture
def engine_name() -> str:
    """The page does not depend on the database engine: SQLite only."""
    return "sqlite"


@pytest.fixture
def demo_server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    """`licgraph serve --demo` on an empty database, as `make run` starts it."""
    env = {**os.environ, "LICGRAPH_DATABASE_URL": database_url}
    port = free_port()
    log = (tmp_path / "demo-server.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [LICGRAPH, "serve", "--demo", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, timeout=60)
        yield Server(url=f"http://127.0.0.1:{port}", env=env)
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def rendered(dom: str) -> str:
    """The DOM without the page's configuration: what GraphiQL itself shows."""
    return CONFIG_BLOCK.sub("", dom)


def tab_titles(dom: str) -> list[str]:
    """The titles of GraphiQL's tabs, in order."""
    return [html.unescape(title) for title in TAB_TITLE.findall(dom)]


def visit(chromium: str, url: str, workdir: Path) -> Visit:
    """Load ``url`` headless with no other host resolvable; dump the DOM once it settled."""
    netlog = workdir / "netlog.json"
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={workdir / 'profile'}",
            # Console messages, CSP violations included, go to stderr.
            "--enable-logging=stderr",
            "--log-level=0",
            f"--log-net-log={netlog}",
            # Offline on purpose: a CDN would not resolve even on a connected machine.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=15000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return Visit(dom=done.stdout, console=console, requests=_requests(netlog))


def _requests(netlog: Path) -> list[tuple[str, str]]:
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        (event["params"].get("initiator", BROWSER_ITSELF), event["params"]["url"])
        for event in log["events"]
        if event["type"] == start_job and "url" in event.get("params", {})
    ]


def test_graphiql_renders_offline_within_its_policy(
    server: Server, chromium: str, tmp_path: Path
) -> None:
    page = visit(chromium, server.graphql, tmp_path)

    # GraphiQL rendered: its editors, the example tabs and the headers waiting for a token.
    for rendered in ("graphiql-container", "graphiql-query-editor", "CodeMirror", "viewer"):
        assert rendered in page.dom
    assert tab_titles(page.dom) == list(FLOW_ORDER)
    assert "Bearer " in page.dom
    assert DEMO_TOKEN.search(page.dom) is None  # no server token outside demo mode
    assert "Loading GraphiQL" not in page.dom
    assert [line for line in page.console if CSP_VIOLATION in line] == []
    # Everything the page asked for came from the server: assets and the schema fetch.
    fetched = page.requests_from(server.url)
    assert {url.removeprefix(server.url) for url in fetched} >= {
        "/graphiql/graphiql.min.js",
        "/graphiql/react.production.min.js",
        "/graphiql/licgraph-graphiql.js",
        "/graphql",
    }
    assert [url for url in fetched if not url.startswith(f"{server.url}/")] == []
    assert {initiator for initiator, _ in page.requests} <= {server.url, BROWSER_ITSELF}


def test_under_serve_demo_the_admin_token_is_in_the_headers(
    demo_server: Server, chromium: str, tmp_path: Path
) -> None:
    page = visit(chromium, demo_server.graphql, tmp_path)

    assert tab_titles(page.dom) == list(FLOW_ORDER)
    [token] = set(DEMO_TOKEN.findall(rendered(page.dom)))
    viewer = httpx.post(
        demo_server.graphql,
        json={"query": "{ viewer { role } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert viewer.json()["data"] == {"viewer": {"role": "ADMIN_AGENT"}}
    assert [line for line in page.console if CSP_VIOLATION in line] == []


def test_the_harness_would_see_a_violation(chromium: str, tmp_path: Path) -> None:
    # Without this, a silent change in Chromium's logging would make the test above vacuous.
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<meta http-equiv='Content-Security-Policy' content=\"script-src 'none'\">"
        "<script>document.title = 'ran'</script>",
        encoding="utf-8",
    )

    page = visit(chromium, bad.as_uri(), tmp_path)

    assert any(CSP_VIOLATION in line for line in page.console)
