"""Trusted documents over real HTTP: a manifest built by the CLI, GET and POST, hostile input."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from licgraph.domain.trusted_documents import document_hash
from tests.conftest import sqlite_url
from tests.e2e.servers import LICGRAPH, Server, serving

pytestmark = pytest.mark.e2e

EXAMPLES = Path(__file__).parents[2] / "examples"
VIEWER = (EXAMPLES / "Viewer.graphql").read_text()
CUSTOMERS = (EXAMPLES / "CustomersPage.graphql").read_text()
SAVE = (EXAMPLES / "SaveLicenses.graphql").read_text()
AD_HOC = "{ viewer { name role } }"
UNKNOWN = "0" * 64
GRAPHQL_RESPONSE = "application/graphql-response+json"


def persisted(text_or_hash: str) -> dict[str, Any]:
    sha = text_or_hash if len(text_or_hash) == 64 else document_hash(text_or_hash)
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`licgraph persisted-operations build examples/ > manifest.json`, as the README says."""
    path = tmp_path_factory.mktemp("manifest") / "manifest.json"
    with path.open("w") as output:
        subprocess.run(  # noqa: S603 - our own console script
            [LICGRAPH, "persisted-operations", "build", str(EXAMPLES)], stdout=output, check=True
        )
    return path


def demo_server(folder: Path, manifest: Path, **env: str) -> Server:
    database = sqlite_url(folder / "licgraph.db")
    server = Server.on_free_port(
        {
            **os.environ,
            "LICGRAPH_DATABASE_URL": database,
            "LICGRAPH_PERSISTED_OPERATIONS": str(manifest),
            "LICGRAPH_RATE_LIMIT_PER_SECOND": "0",
            **env,
        }
    )
    server.cli("db", "upgrade")
    server.cli("seed", "demo")
    return server


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory, manifest: Path) -> Iterator[Server]:
    """A server with a manifest that still runs ad-hoc documents."""
    folder = tmp_path_factory.mktemp("open")
    with serving(demo_server(folder, manifest), folder / "server.log") as running:
        yield running


@pytest.fixture(scope="module")
def locked_server(tmp_path_factory: pytest.TempPathFactory, manifest: Path) -> Iterator[Server]:
    """A server in persisted-only mode."""
    folder = tmp_path_factory.mktemp("locked")
    server = demo_server(folder, manifest, LICGRAPH_ONLY_PERSISTED="true")
    with serving(server, folder / "server.log") as running:
        yield running


def bearer(server: Server) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token('admin-agent')}"}


def post(server: Server, body: dict[str, Any], **headers: str) -> httpx.Response:
    return httpx.post(server.graphql, json=body, headers={**bearer(server), **headers})


def get(server: Server, params: dict[str, Any], **headers: str) -> httpx.Response:
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return httpx.get(server.graphql, params=encoded, headers={**bearer(server), **headers})


def code_of(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def test_the_manifest_holds_every_example_under_its_hash(manifest: Path) -> None:
    entries = json.loads(manifest.read_text())

    files = sorted(EXAMPLES.glob("*.graphql"))
    assert entries == {document_hash(p.read_text()): p.read_text() for p in files}


def test_a_hash_alone_runs_the_document_over_post(open_server: Server) -> None:
    response = post(open_server, {"extensions": persisted(VIEWER)})

    assert response.status_code == 200
    assert response.json()["data"]["viewer"]["role"] == "ADMIN_AGENT"


def test_a_hash_alone_runs_the_document_over_get_with_variables(open_server: Server) -> None:
    params = {"extensions": persisted(CUSTOMERS), "variables": {"first": 2}}

    response = get(open_server, params)

    assert response.status_code == 200
    page = response.json()["data"]["customers"]
    assert len(page["edges"]) == 2
    assert page["totalCount"] > 2


@pytest.mark.parametrize("send", [post, get])
def test_an_unknown_hash_is_not_found(open_server: Server, send: Any) -> None:
    response = send(open_server, {"extensions": persisted(UNKNOWN)})

    assert response.status_code == 200
    assert "data" not in response.json()
    assert code_of(response) == "PERSISTED_QUERY_NOT_FOUND"


def test_not_found_is_a_400_in_the_graphql_response_media_type(open_server: Server) -> None:
    response = post(open_server, {"extensions": persisted(UNKNOWN)}, accept=GRAPHQL_RESPONSE)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert code_of(response) == "PERSISTED_QUERY_NOT_FOUND"


def test_an_apq_retry_with_the_text_runs_it_when_ad_hoc_documents_are_allowed(
    open_server: Server,
) -> None:
    response = post(open_server, {"query": AD_HOC, "extensions": persisted(AD_HOC)})

    assert "errors" not in response.json()
    assert response.json()["data"]["viewer"]["role"] == "ADMIN_AGENT"


HOSTILE_EXTENSIONS = [
    {"persistedQuery": "x"},
    {"persistedQuery": {"version": 1}},
    {"persistedQuery": {"version": 2, "sha256Hash": document_hash(VIEWER)}},
    {"persistedQuery": {"version": 1, "sha256Hash": document_hash(VIEWER).upper()}},
    {"persistedQuery": {"version": 1, "sha256Hash": document_hash(VIEWER)[:40]}},
    {"persistedQuery": {"version": 1, "sha256Hash": ["a"] * 64}},
    {"persistedQuery": {"version": 1, "sha256Hash": "' OR 1=1 --" + "a" * 53}},
]


@pytest.mark.parametrize("send", [post, get])
@pytest.mark.parametrize("extensions", HOSTILE_EXTENSIONS)
def test_a_malformed_persisted_query_is_a_bad_request(
    open_server: Server, send: Any, extensions: dict[str, Any]
) -> None:
    response = send(open_server, {"extensions": extensions})

    assert response.status_code == 400
    assert code_of(response) == "BAD_REQUEST"
    assert "persistedQuery" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("send", [post, get])
def test_a_trusted_hash_with_other_text_is_refused(open_server: Server, send: Any) -> None:
    # Else any text could run under a trusted document's name.
    response = send(open_server, {"query": AD_HOC, "extensions": persisted(VIEWER)})

    assert response.status_code == 400
    assert code_of(response) == "BAD_REQUEST"


def test_a_persisted_mutation_is_refused_over_get(open_server: Server) -> None:
    response = get(open_server, {"extensions": persisted(SAVE)})

    assert response.status_code == 405


@pytest.mark.parametrize("send", [post, get])
def test_persisted_only_refuses_an_ad_hoc_document(locked_server: Server, send: Any) -> None:
    response = send(locked_server, {"query": AD_HOC})

    assert response.status_code == 200
    assert "data" not in response.json()
    assert code_of(response) == "PERSISTED_QUERY_REQUIRED"


@pytest.mark.parametrize("send", [post, get])
def test_persisted_only_refuses_an_unknown_document(locked_server: Server, send: Any) -> None:
    for body in (
        {"extensions": persisted(UNKNOWN)},
        {"query": AD_HOC, "extensions": persisted(AD_HOC)},
    ):
        response = send(locked_server, body)

        assert "data" not in response.json()
        assert code_of(response) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize("send", [post, get])
def test_persisted_only_runs_a_trusted_document(locked_server: Server, send: Any) -> None:
    response = send(locked_server, {"extensions": persisted(VIEWER)})

    assert response.json()["data"]["viewer"]["role"] == "ADMIN_AGENT"


def test_persisted_only_refuses_an_ad_hoc_mutation_and_writes_nothing(
    locked_server: Server,
) -> None:
    change_log = {"extensions": persisted((EXAMPLES / "ChangeLogPage.graphql").read_text())}
    variables = json.loads((EXAMPLES / "ChangeLogPage.variables.json").read_text())
    before = post(locked_server, {**change_log, "variables": variables}).json()
    save = json.loads((EXAMPLES / "SaveLicenses.variables.json").read_text())

    refused = post(
        locked_server, {"query": SAVE.replace("SaveLicenses", "Sneaky"), "variables": save}
    )

    assert code_of(refused) == "PERSISTED_QUERY_REQUIRED"
    assert post(locked_server, {**change_log, "variables": variables}).json() == before


def test_a_server_refuses_to_start_with_a_bad_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"0" * 64: VIEWER}))
    env = {
        **os.environ,
        "LICGRAPH_DATABASE_URL": sqlite_url(tmp_path / "licgraph.db"),
        "LICGRAPH_PERSISTED_OPERATIONS": str(manifest),
    }

    done = subprocess.run(  # noqa: S603 - our own console script
        [LICGRAPH, "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"licgraph: error: {manifest}: entry '{'0' * 64}': it is not the SHA-256 of its document"
    )
