"""The page benchmark's requests, and how to compare licgraph's page with PostGraphile's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import dataset
from servers import TYPENAME

Rows = list[tuple[int, str, list[int]]]  # (user pk, display name, product pks) per user
PAGE = """
query Page($customer: ID!) {
  customer(id: $customer) {
    users(first: 100) { nodes { id displayName licenses { product { id } } } }
  }
}"""
PAGE_POSTGRAPHILE = """
query Page($customer: Int!) {
  customerByRowId(rowId: $customer) {
    userAccountsByCustomerId(first: 100, orderBy: [DISPLAY_NAME_KEY_ASC, ROW_ID_ASC]) {
      nodes { rowId displayName
        licenseAssignmentsByUserId(orderBy: PRIMARY_KEY_ASC) {
          nodes { productByProductId { rowId } } } }
    }
  }
}"""
MANAGE = """
query Manage($customer: ID!, $selected: [ID!]!) {
  customer(id: $customer) {
    usersByIds(ids: $selected) { id displayName }
    products {
      id name totalLicenses assignedLicenses availableLicenses
      assignmentState(userIds: $selected)
      assignedUsers(userIds: $selected) { displayName }
    }
  }
}"""


@dataclass(frozen=True)
class Case:
    """One request kind sent to one server."""

    request: str
    server: str
    body: dict[str, Any]


def cases(api: dataset.Api, tenant: dataset.Tenant, *, postgraphile: bool) -> list[Case]:
    """The measured requests; the manage query selects the users of the first page."""
    page = {"query": PAGE, "variables": {"customer": tenant.customer_id}}
    nodes = api(PAGE, page["variables"])["customer"]["users"]["nodes"]
    selected = [node["id"] for node in nodes]
    manage_variables = {"customer": tenant.customer_id, "selected": selected}
    found = [
        Case("page", "licgraph", page),
        Case("manage", "licgraph", {"query": MANAGE, "variables": manage_variables}),
        Case("typename", "licgraph", TYPENAME),
        Case("typename", "bare", TYPENAME),
    ]
    if postgraphile:
        variables = {"customer": tenant.customer_pk}
        found.insert(
            1, Case("page", "postgraphile", {"query": PAGE_POSTGRAPHILE, "variables": variables})
        )
        found.append(Case("typename", "postgraphile", TYPENAME))
    return found


def licgraph_rows(data: dict[str, Any]) -> Rows:
    """(user pk, display name, product pks) per user of licgraph's page."""
    return [
        (
            dataset.pk(node["id"]),
            node["displayName"],
            [dataset.pk(held["product"]["id"]) for held in node["licenses"]],
        )
        for node in data["customer"]["users"]["nodes"]
    ]


def postgraphile_rows(data: dict[str, Any]) -> Rows:
    """The same shape from PostGraphile's page."""
    nodes = data["customerByRowId"]["userAccountsByCustomerId"]["nodes"]
    return [
        (
            node["rowId"],
            node["displayName"],
            [
                held["productByProductId"]["rowId"]
                for held in node["licenseAssignmentsByUserId"]["nodes"]
            ],
        )
        for node in nodes
    ]


def compare(rows: dict[str, Rows]) -> str:
    """Whether licgraph's and PostGraphile's pages hold the same users, names and products."""
    ours = rows["licgraph"]
    size = f"{len(ours)} users, {sum(len(products) for _, _, products in ours)} licenses"
    if "postgraphile" not in rows:
        return f"not compared (PostGraphile skipped); licgraph's page: {size}"
    verdict = "IDENTICAL" if ours == rows["postgraphile"] else "DIFFERENT"
    return f"{verdict} after mapping ids (users, names, product ids per user, in order): {size}"
