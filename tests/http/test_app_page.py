"""The Manage licenses app at /app/: served by the package, under its own strict policy."""

from __future__ import annotations

import re

import httpx

from licgraph.http.app_page import CONTENT_SECURITY_POLICY
from tests.http.conftest import BASE_URL

APP = f"{BASE_URL}/app/"


def asset_paths(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(assets/[^"]+)"', html)


async def test_the_page_is_served_without_a_token_under_a_strict_policy(
    client: httpx.AsyncClient,
) -> None:
    client.headers.pop("authorization", None)

    response = await client.get(APP)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "unsafe" not in policy  # no inline script or style, nothing evaluated
    assert "script-src 'self';" in policy
    assert "connect-src 'self';" in policy
    assert response.headers["x-frame-options"] == "DENY"


async def test_the_page_loads_its_two_assets_and_nothing_inline(client: httpx.AsyncClient) -> None:
    html = (await client.get(APP)).text

    assert asset_paths(html) == ["assets/app.css", "assets/main.js"]
    assert "<script>" not in html
    assert "style=" not in html
    assert "//" not in re.sub(r"<!--.*?-->", "", html).replace('href="../graphql"', "")


async def test_every_asset_is_served_by_the_package(client: httpx.AsyncClient) -> None:
    html = (await client.get(APP)).text

    for path in asset_paths(html):
        asset = await client.get(f"{APP}{path}")
        assert asset.status_code == 200, path
        kind = "text/css" if path.endswith(".css") else "text/javascript"
        assert asset.headers["content-type"].startswith(kind), path
        assert asset.content, path


async def test_app_without_its_slash_redirects_to_the_page(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{BASE_URL}/app")

    assert response.status_code == 308
    assert response.headers["location"] == "/app/"


async def test_unknown_or_escaping_asset_paths_are_not_found(client: httpx.AsyncClient) -> None:
    for path in ["assets/nothing.js", "assets/../index.html", "assets/%2e%2e/%2e%2e/app.py"]:
        response = await client.get(f"{APP}{path}")
        assert response.status_code == 404, path
