"""/metrics: Prometheus text, no token needed, switched off by a setting, seats on demand."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from licgraph.db.engine import Database
from licgraph.db.repositories.products import ProductRepository
from licgraph.graphql.ids import to_global_id
from licgraph.services.seeding import seed_demo
from tests.http.conftest import BASE_URL, ClientFactory

METRICS = f"{BASE_URL}/metrics"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_metrics_answer_without_a_token_in_prometheus_text(
    client_with: ClientFactory,
) -> None:
    async with client_with() as client:
        response = await client.get(METRICS, headers={"Authorization": ""})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    names = {name for name, _ in samples(response.text)}
    assert {"licgraph_rate_limited_total", "licgraph_db_pool_connections_in_use"} <= names
    assert "licgraph_product_seats" not in names


async def test_a_request_moves_its_counters(client_with: ClientFactory) -> None:
    key = ("licgraph_requests_total", (("operation", "WhoAmI"), ("outcome", "ok")))
    async with client_with() as client:
        before = samples((await client.get(METRICS)).text).get(key, 0.0)
        answer = await client.post(
            f"{BASE_URL}/graphql", json={"query": "query WhoAmI { viewer { name } }"}
        )
        after = samples((await client.get(METRICS)).text)

    assert "errors" not in answer.json()
    assert after[key] == before + 1


async def test_metrics_can_be_switched_off(client_with: ClientFactory) -> None:
    async with client_with(metrics=False) as client:
        response = await client.get(METRICS)

    assert response.status_code == 404


async def test_seat_gauges_read_the_database_when_asked(
    client_with: ClientFactory, database: Database
) -> None:
    await seed_demo(database=database)
    async with database.connect() as connection:
        products = await ProductRepository(connection).every_product()

    async with client_with(metrics_seats=True) as client:
        found = samples((await client.get(METRICS)).text)

    assert products
    for product in products:
        labels = (
            ("customer", to_global_id("Customer", product.customer_id)),
            ("product", product.sku_part_number),
        )
        assert found[("licgraph_product_seats", labels)] == product.total_licenses
        assert found[("licgraph_product_seats_assigned", labels)] == product.assigned_licenses
