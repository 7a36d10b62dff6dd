"""The job of CONTRACT section 1, step by step, with a real GraphQL client over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from gql import Client, GraphQLRequest, gql
from gql.client import AsyncClientSession
from gql.transport.httpx import HTTPXAsyncTransport

from tests.e2e.servers import Server

pytestmark = pytest.mark.e2e

CUSTOMERS = gql("{ customers(first: 10) { totalCount nodes { id name } } }")
USERS = gql("""
query Users($customer: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  customer(id: $customer) {
    users(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id displayName usageLocation }
    }
  }
}""")
MANAGE = gql("""
query Manage($customer: ID!, $selected: [ID!]!) {
  customer(id: $customer) {
    usersByIds(ids: $selected) { id displayName }
    products {
      id skuPartNumber availableLicenses assignmentState(userIds: $selected)
      assignedUsers(userIds: $selected) { id }
      servicePlans { id name }
    }
  }
}""")
SAVE = gql("""
mutation Save($input: UpdateLicensesInput!) {
  updateLicenses(input: $input) {
    applied dryRun succeededCount failedCount
    products { skuPartNumber assignedLicenses availableLicenses }
    results {
      userId status user { displayName }
      licenses { product { skuPartNumber } disabledServicePlans { name } }
      errors { __typename code message }
    }
  }
}""")
EVENTS = gql("""
query Events($customer: ID!) {
  customer(id: $customer) {
    licenseEvents(first: 50) {
      totalCount
      nodes { action user { id } product { skuPartNumber } actor { name role } requestId }
    }
  }
}""")


@pytest.fixture
async def session(server: Server) -> AsyncIterator[AsyncClientSession]:
    token = server.token("admin-agent", "--name", "flow-admin")
    transport = HTTPXAsyncTransport(
        url=server.graphql, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    async with Client(transport=transport, fetch_schema_from_transport=True) as connected:
        yield connected


async def run(
    session: AsyncClientSession, document: GraphQLRequest, **variables: Any
) -> dict[str, Any]:
    return await session.execute(GraphQLRequest(document, variable_values=variables))


async def test_select_across_pages_read_the_tri_state_save_and_read_back(
    session: AsyncClientSession,
) -> None:
    # 1. List customers; choose the big one.
    customers = (await run(session, CUSTOMERS))["customers"]["nodes"]
    contoso = next(c["id"] for c in customers if c["name"] == "Contoso Ltd.")

    # 2. Page users: First, Next, Last, Previous.
    first = (await run(session, USERS, customer=contoso, first=25))["customer"]["users"]
    second_cursor = first["pageInfo"]["endCursor"]
    second = (await run(session, USERS, customer=contoso, first=25, after=second_cursor))[
        "customer"
    ]["users"]
    last = (await run(session, USERS, customer=contoso, last=25))["customer"]["users"]
    assert first["totalCount"] == 300
    assert (first["pageInfo"]["hasPreviousPage"], first["pageInfo"]["hasNextPage"]) == (False, True)
    assert (last["pageInfo"]["hasPreviousPage"], last["pageInfo"]["hasNextPage"]) == (True, False)
    assert {u["id"] for u in first["nodes"]}.isdisjoint(u["id"] for u in second["nodes"])

    # Tick located users on three pages.
    ticked = [u for page in (first, second, last) for u in page["nodes"] if u["usageLocation"]]
    ticked = [ticked[0], ticked[1], ticked[30], ticked[-1]]
    selected = [u["id"] for u in ticked]

    # 3 + 4. Selected users in list order, and the products' tri-state.
    manage = (await run(session, MANAGE, customer=contoso, selected=selected))["customer"]
    assert [u["id"] for u in manage["usersByIds"]] == selected  # pages were in list order
    products = {p["skuPartNumber"]: p for p in manage["products"]}
    power_bi = products["POWER_BI_PRO"]
    assert power_bi["assignmentState"] in {"NONE", "SOME", "ALL"}
    holders = {u["id"] for u in power_bi["assignedUsers"]}

    # 5. One Save: assign Power BI to everyone selected, revoke Project.
    save_input = {
        "customerId": contoso,
        "userIds": selected,
        "assign": [{"productId": power_bi["id"]}],
        "revoke": [products["PROJECTPROFESSIONAL"]["id"]],
        "idempotencyKey": "flow-save-1",
    }
    preview = (await run(session, SAVE, input={**save_input, "dryRun": True}))["updateLicenses"]
    saved = (await run(session, SAVE, input=save_input))["updateLicenses"]

    # 6. The confirmation: every selected user, their licenses after, every error.
    assert preview["applied"] is False
    assert saved["applied"] is True
    assert [r["userId"] for r in saved["results"]] == selected
    assert saved["succeededCount"] + saved["failedCount"] <= len(selected)
    for result in saved["results"]:
        held = {license["product"]["skuPartNumber"] for license in result["licenses"]}
        if result["status"] == "SUCCEEDED":
            assert "POWER_BI_PRO" in held
            assert "PROJECTPROFESSIONAL" not in held
        assert (result["status"] == "FAILED") == bool(result["errors"])
    counts = {p["skuPartNumber"]: p for p in saved["products"]}
    newly = sum(1 for r in saved["results"] if r["status"] == "SUCCEEDED") - len(holders)
    assert counts["POWER_BI_PRO"]["availableLicenses"] <= power_bi["availableLicenses"]
    assert newly <= power_bi["availableLicenses"]

    # The retry with the same key replays the confirmation exactly.
    assert (await run(session, SAVE, input=save_input))["updateLicenses"] == saved

    # The change log names the actor and the request of every change.
    events = (await run(session, EVENTS, customer=contoso))["customer"]["licenseEvents"]
    assigned = {
        e["user"]["id"]
        for e in events["nodes"]
        if e["action"] == "ASSIGNED" and e["product"]["skuPartNumber"] == "POWER_BI_PRO"
    }
    succeeded = {r["userId"] for r in saved["results"] if r["status"] == "SUCCEEDED"}
    assert assigned == succeeded - holders
    assert {e["actor"]["name"] for e in events["nodes"]} == {"flow-admin"}
    assert len({e["requestId"] for e in events["nodes"]}) == 1
