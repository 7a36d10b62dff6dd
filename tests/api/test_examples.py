"""Every example operation runs against the demo data with its own variables, error-free.

The examples' variables hold the ids of a fresh demo database, so this also proves that a
newcomer who runs `make run` can execute each one as it is.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from licgraph.db.engine import Database
from licgraph.graphql.examples import ExampleOperation, example_operations
from licgraph.services.seeding import seed_demo
from tests.api.conftest import Execute, data_of

EXAMPLES = {example.name: example for example in example_operations()}


@pytest.fixture
async def demo(database: Database) -> None:
    await seed_demo(database=database)


async def run(execute: Execute, example: ExampleOperation) -> dict[str, Any]:
    variables = json.loads(example.variables) if example.variables else None
    data = data_of(await execute(example.document, variables))
    # A wrong id is not an error (an unknown customer reads as null): catch it here.
    assert all(value is not None for value in data.values()), data
    return data


@pytest.mark.parametrize("name", list(EXAMPLES))
async def test_the_example_returns_data_without_errors(
    demo: None, execute: Execute, name: str
) -> None:
    await run(execute, EXAMPLES[name])


async def test_the_panel_shows_the_selection_and_a_tri_state_per_product(
    demo: None, execute: Execute
) -> None:
    customer = (await run(execute, EXAMPLES["ManageLicenses"]))["customer"]

    names = [user["displayName"] for user in customer["usersByIds"]]
    assert names == ["Adele Vance", "Lee Gu", "Megan Bowen", "Nestor Wilke"]
    states = {
        product["skuPartNumber"]: product["assignmentState"] for product in customer["products"]
    }
    assert (states["SPE_E3"], states["MCOEV"]) == ("SOME", "NONE")


async def test_the_save_example_shows_successes_and_typed_failures(
    demo: None, execute: Execute
) -> None:
    preview = (await run(execute, EXAMPLES["DryRunSave"]))["updateLicenses"]
    saved = (await run(execute, EXAMPLES["SaveLicenses"]))["updateLicenses"]

    def outcomes(payload: dict[str, Any]) -> list[tuple[str, list[str]]]:
        return [(r["status"], [e["__typename"] for e in r["errors"]]) for r in payload["results"]]

    expected = [
        ("SUCCEEDED", []),
        ("FAILED", ["UsageLocationRequiredError"]),
        ("FAILED", ["ProductUnavailableInLocationError"]),
        ("SUCCEEDED", []),
    ]
    assert outcomes(preview) == outcomes(saved) == expected
    assert (preview["applied"], saved["applied"]) == (False, True)


async def test_the_location_fix_then_lets_the_save_through(demo: None, execute: Execute) -> None:
    await run(execute, EXAMPLES["SetUsageLocation"])

    saved = (await run(execute, EXAMPLES["SaveLicenses"]))["updateLicenses"]

    megan = saved["results"][1]
    assert (megan["user"]["displayName"], megan["status"]) == ("Megan Bowen", "SUCCEEDED")
