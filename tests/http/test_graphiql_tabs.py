"""The GraphiQL page opens with the example operations as tabs; only a demo server puts a
token in its Headers."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from licgraph.app import create_app
from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.graphql.examples import example_operations
from tests.http.conftest import BASE_URL, GRAPHQL

PAGE = {"Accept": "text/html"}
CONFIG = re.compile(
    r'<script id="licgraph-graphiql-config" type="application/json">(.*?)</script>', re.DOTALL
)


async def served_config(
    settings: Settings, database: Database, token: str | None = None
) -> tuple[dict[str, Any], str]:
    app = create_app(settings, database=database, graphiql_token=token)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        page = (await client.get(GRAPHQL, headers=PAGE)).text
    [data] = CONFIG.findall(page)
    return json.loads(data), page


async def test_the_page_opens_every_example_as_a_tab_in_the_flow_s_order(
    settings: Settings, database: Database
) -> None:
    config, _ = await served_config(settings, database)

    examples = example_operations()
    assert [tab["query"] for tab in config["tabs"]] == [e.document for e in examples]
    assert [tab["variables"] for tab in config["tabs"]] == [e.variables for e in examples]


async def test_without_a_token_the_headers_wait_for_one_and_tabs_persist(
    settings: Settings, database: Database
) -> None:
    config, _ = await served_config(settings, database)

    assert json.loads(config["headers"]) == {"Authorization": "Bearer "}
    assert {tab["headers"] for tab in config["tabs"]} == {config["headers"]}
    assert config["persistTabs"] is True


async def test_a_demo_token_fills_every_tab_s_headers_and_nothing_persists(
    settings: Settings, database: Database
) -> None:
    config, _ = await served_config(settings, database, token="lg_demo_secret")

    assert json.loads(config["headers"]) == {"Authorization": "Bearer lg_demo_secret"}
    assert {tab["headers"] for tab in config["tabs"]} == {config["headers"]}
    assert config["persistTabs"] is False


async def test_markup_in_the_data_can_not_end_its_block(
    settings: Settings, database: Database
) -> None:
    hostile = "</script><script>alert(1)</script>"

    config, page = await served_config(settings, database, token=hostile)

    assert json.loads(config["headers"]) == {"Authorization": f"Bearer {hostile}"}
    # The data block and the four scripts of the page, nothing more.
    assert page.count("</script>") == 5
