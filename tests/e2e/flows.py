"""The seed's Save and change log from examples/, sent to a real server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

EXAMPLES = Path(__file__).parents[2] / "examples"


def example(name: str) -> tuple[str, dict[str, Any]]:
    """The document of examples/NAME.graphql and its variables."""
    variables = EXAMPLES / f"{name}.variables.json"
    document = (EXAMPLES / f"{name}.graphql").read_text()
    return document, json.loads(variables.read_text()) if variables.exists() else {}


def run_example(
    url: str, token: str, name: str, *, request_id: str | None = None, **changes: Any
) -> dict[str, Any]:
    """POST examples/NAME with its variables (``changes`` replace some); the JSON answer."""
    document, variables = example(name)
    headers = {"Authorization": f"Bearer {token}"}
    if request_id:
        headers["X-Request-Id"] = request_id
    body = {"query": document, "variables": {**variables, **changes}}
    response = httpx.post(url, json=body, headers=headers, timeout=30)
    answer: dict[str, Any] = response.json()
    return answer


def events_of_request(url: str, token: str, request_id: str) -> list[str]:
    """The actions of the change-log entries that the request ``request_id`` wrote."""
    page = run_example(url, token, "ChangeLogPage", first=100)
    nodes = page["data"]["customer"]["licenseEvents"]["nodes"]
    return [node["action"] for node in nodes if node["requestId"] == request_id]
