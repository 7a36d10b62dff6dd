"""The Manage licenses app in headless Chromium (Debian's, driven by playwright-core) against
a real `licgraph serve` on the demo data: the seed's whole flow with axe-core on every
screen, a reader, a helpdesk agent, a customer's own admin, the change log's pages, careless
input, a revoked and an expired token, a phone's width, the keyboard.

The browser side is frontend/tests/app.test.mjs under Node's test runner; this module starts
the server, makes the tokens it needs and runs it. Mandatory in CI like the GraphiQL test
(LICGRAPH_TEST_REQUIRE_CHROMIUM=1, LICGRAPH_TEST_REQUIRE_NODE=1).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.e2e.servers import LICGRAPH, Server
from tests.frontend_tools import installed_frontend

pytestmark = pytest.mark.e2e

REQUIRE_CHROMIUM = os.environ.get("LICGRAPH_TEST_REQUIRE_CHROMIUM") == "1"
BROWSER_TESTS = 11


@pytest.fixture
def engine_name() -> str:
    """The app speaks HTTP; the API's own tests cover both engines: SQLite only."""
    return "sqlite"


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if REQUIRE_CHROMIUM:
            pytest.fail("LICGRAPH_TEST_REQUIRE_CHROMIUM=1 but chromium is not installed")
        pytest.skip("chromium is needed to run the app")
    return found


def expired_token(server: Server, database_url: str) -> str:
    """A token whose expiry has passed (the CLI only makes future ones: back-date it)."""
    token = server.token("admin-agent", "--name", "app-expired", "--expires-in-days", "1")
    database = make_url(database_url).database
    assert database is not None
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE api_token SET expires_at = '2020-01-01 00:00:00.000000' WHERE name = ?",
            ("app-expired",),
        )
    return token


def contoso_id(server: Server, token: str) -> str:
    """The API id of the demo's showcase customer."""
    answer = httpx.post(
        server.graphql,
        json={"query": '{ customers(search: "Contoso") { edges { node { id } } } }'},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    [edge] = answer.json()["data"]["customers"]["edges"]
    return str(edge["node"]["id"])


def test_serve_says_where_the_app_is(server: Server, tmp_path: Path) -> None:
    banner = (tmp_path / "server.log").read_text(encoding="utf-8")

    assert f"The Manage licenses app is at {server.url}/app/" in banner


def test_the_app_in_a_real_browser(server: Server, chromium: str, database_url: str) -> None:
    frontend = installed_frontend()
    admin = server.token("admin-agent", "--name", "app-admin")
    customer = contoso_id(server, admin)
    env = {
        **server.env,
        "LICGRAPH_URL": server.url,
        "LICGRAPH_CHROMIUM": chromium,
        "LICGRAPH_CLI": LICGRAPH,
        "LICGRAPH_ADMIN_TOKEN": admin,
        "LICGRAPH_GLOBAL_ADMIN_TOKEN": server.token(
            "global-admin", "--customer", customer, "--name", "app-global"
        ),
        "LICGRAPH_READER_TOKEN": server.token("reader", "--name", "app-reader"),
        "LICGRAPH_HELPDESK_TOKEN": server.token("helpdesk-agent", "--name", "app-helpdesk"),
        "LICGRAPH_REVOKABLE_NAME": "app-revokable",
        "LICGRAPH_REVOKABLE_TOKEN": server.token("admin-agent", "--name", "app-revokable"),
        "LICGRAPH_EXPIRED_TOKEN": expired_token(server, database_url),
    }

    done = subprocess.run(  # noqa: S603 - node on our own test file
        [str(shutil.which("node")), "--test", "tests/app.test.mjs"],
        cwd=frontend,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-4000:]
    assert f"# pass {BROWSER_TESTS}" in done.stdout, done.stdout
    assert "# fail 0" in done.stdout, done.stdout
    assert "# skipped 0" in done.stdout, done.stdout
