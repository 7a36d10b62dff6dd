"""Every read of CONTRACT section 2, compared as exact data."""

from __future__ import annotations

import pytest

from licgraph.domain.access import Principal, Role
from tests.api.conftest import Execute, data_of, error_codes
from tests.api.world import World

VIEWER = (
    "{ viewer { name role partnerWide canChangeLicenses canPurchaseLicenses customer { name } } }"
)
CUSTOMERS = """
query ($first: Int, $after: String, $last: Int, $before: String, $search: String) {
  customers(first: $first, after: $after, last: $last, before: $before, search: $search) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage }
    edges { node { name domain } }
  }
}"""
CUSTOMER_USERS = """
query ($id: ID!, $search: String, $filter: UserFilter) {
  customer(id: $id) {
    users(first: 10, search: $search, filter: $filter) {
      totalCount
      nodes { displayName usageLocation }
    }
  }
}"""
USER_LICENSES = """
query ($id: ID!) {
  node(id: $id) {
    ... on User {
      displayName userPrincipalName usageLocation
      licenses {
        product { name }
        enabledServicePlans { name }
        disabledServicePlans { name }
        assignedAt
      }
    }
  }
}"""
PRODUCTS = """
query ($id: ID!) {
  customer(id: $id) {
    products {
      name totalLicenses assignedLicenses availableLicenses
      servicePlans { name requiredServicePlans { name } }
      requiredProducts { name }
      conflictingProducts { name }
      unavailableUsageLocations
    }
  }
}"""
SELECTION = """
query ($id: ID!, $userIds: [ID!]!) {
  customer(id: $id) {
    usersByIds(ids: $userIds) { displayName }
    products {
      name
      assignmentState(userIds: $userIds)
      assignedUsers(userIds: $userIds) { displayName }
    }
  }
}"""
NODES = "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
PRODUCT_BY_ID = "query ($c: ID!, $p: ID!) { customer(id: $c) { product(id: $p) { name } } }"


async def test_viewer_describes_a_partner_wide_agent(execute: Execute) -> None:
    result = await execute(VIEWER)

    assert data_of(result) == {
        "viewer": {
            "name": "admin",
            "role": "ADMIN_AGENT",
            "partnerWide": True,
            "canChangeLicenses": True,
            "canPurchaseLicenses": True,
            "customer": None,
        }
    }


async def test_viewer_describes_a_customer_scoped_reader(execute: Execute, world: World) -> None:
    reader = Principal(token_id=2, name="ro", role=Role.READER, customer_id=world.contoso)

    result = await execute(VIEWER, principal=reader)

    assert data_of(result) == {
        "viewer": {
            "name": "ro",
            "role": "READER",
            "partnerWide": False,
            "canChangeLicenses": False,
            "canPurchaseLicenses": False,
            "customer": {"name": "Contoso Ltd."},
        }
    }


async def test_customers_are_listed_by_name_with_a_total(execute: Execute, world: World) -> None:
    result = await execute(CUSTOMERS, {"first": 10})

    assert data_of(result)["customers"] == {
        "totalCount": 2,
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False},
        "edges": [
            {"node": {"name": "Contoso Ltd.", "domain": "contoso.example.com"}},
            {"node": {"name": "Fabrikam, Inc.", "domain": "fabrikam.example.com"}},
        ],
    }


async def test_customer_search_matches_name_or_domain_case_insensitively(
    execute: Execute, world: World
) -> None:
    by_name = await execute(CUSTOMERS, {"search": "FABRI"})
    by_domain = await execute(CUSTOMERS, {"search": "contoso.example"})

    assert [e["node"]["name"] for e in data_of(by_name)["customers"]["edges"]] == ["Fabrikam, Inc."]
    assert [e["node"]["name"] for e in data_of(by_domain)["customers"]["edges"]] == ["Contoso Ltd."]


async def test_last_alone_gives_the_last_page(execute: Execute, world: World) -> None:
    result = await execute(CUSTOMERS, {"last": 1})

    assert data_of(result)["customers"] == {
        "totalCount": 2,
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": True},
        "edges": [{"node": {"name": "Fabrikam, Inc.", "domain": "fabrikam.example.com"}}],
    }


async def test_users_are_sorted_case_insensitively(execute: Execute, world: World) -> None:
    result = await execute(CUSTOMER_USERS, {"id": world.gid("Customer", world.contoso)})

    assert data_of(result)["customer"]["users"] == {
        "totalCount": 5,
        "nodes": [
            {"displayName": "Alice Adams", "usageLocation": "US"},
            {"displayName": "bob Brown", "usageLocation": "GB"},
            {"displayName": "Nobody Located", "usageLocation": None},
            {"displayName": "Zoë Zhang", "usageLocation": "CN"},
            # casefold keeps accented capitals after ASCII, on every engine alike
            {"displayName": "Émile Dubois", "usageLocation": "FR"},
        ],
    }


@pytest.mark.parametrize(
    ("user_filter", "expected"),
    [
        ({"holdingProduct": "E3"}, ["Alice Adams", "bob Brown"]),
        ({"lackingProduct": "E3"}, ["Nobody Located", "Zoë Zhang", "Émile Dubois"]),
        ({"usageLocation": "fr"}, ["Émile Dubois"]),
        ({"hasUsageLocation": False}, ["Nobody Located"]),
        ({"holdingProduct": "E3", "lackingProduct": "VISIO"}, ["bob Brown"]),
    ],
)
async def test_users_can_be_filtered(
    execute: Execute, world: World, user_filter: dict[str, object], expected: list[str]
) -> None:
    products = {"E3": world.gid("Product", world.e3), "VISIO": world.gid("Product", world.visio)}
    resolved = {k: products.get(str(v), v) for k, v in user_filter.items()}

    result = await execute(
        CUSTOMER_USERS, {"id": world.gid("Customer", world.contoso), "filter": resolved}
    )

    users = data_of(result)["customer"]["users"]
    assert [u["displayName"] for u in users["nodes"]] == expected
    assert users["totalCount"] == len(expected)


async def test_users_can_be_searched_by_name_or_sign_in(execute: Execute, world: World) -> None:
    result = await execute(
        CUSTOMER_USERS, {"id": world.gid("Customer", world.contoso), "search": "ÉMILE"}
    )

    assert data_of(result)["customer"]["users"]["nodes"] == [
        {"displayName": "Émile Dubois", "usageLocation": "FR"}
    ]


async def test_a_user_shows_licenses_with_enabled_and_disabled_plans(
    execute: Execute, world: World
) -> None:
    result = await execute(USER_LICENSES, {"id": world.gid("User", world.alice)})

    node = data_of(result)["node"]
    assert node["licenses"] == [
        {
            "product": {"name": "Microsoft 365 E3"},
            "enabledServicePlans": [{"name": "Exchange Online"}, {"name": "SharePoint Online"}],
            "disabledServicePlans": [{"name": "Microsoft Teams"}],
            "assignedAt": "2026-01-02T03:04:05+00:00",
        },
        {
            "product": {"name": "Visio Plan 2"},
            "enabledServicePlans": [],
            "disabledServicePlans": [],
            "assignedAt": "2026-01-02T03:04:05+00:00",
        },
    ]


async def test_products_show_counts_plans_and_rules(execute: Execute, world: World) -> None:
    result = await execute(PRODUCTS, {"id": world.gid("Customer", world.contoso)})

    assert data_of(result)["customer"]["products"] == [
        {
            "name": "Microsoft 365 Copilot",
            "totalLicenses": 1,
            "assignedLicenses": 1,
            "availableLicenses": 0,
            "servicePlans": [],
            "requiredProducts": [{"name": "Microsoft 365 E3"}, {"name": "Microsoft 365 E5"}],
            "conflictingProducts": [],
            "unavailableUsageLocations": ["CN", "RU"],
        },
        {
            "name": "Microsoft 365 E3",
            "totalLicenses": 10,
            "assignedLicenses": 2,
            "availableLicenses": 8,
            "servicePlans": [
                {"name": "Exchange Online", "requiredServicePlans": []},
                {
                    "name": "Microsoft Teams",
                    "requiredServicePlans": [
                        {"name": "Exchange Online"},
                        {"name": "SharePoint Online"},
                    ],
                },
                {"name": "SharePoint Online", "requiredServicePlans": []},
            ],
            "requiredProducts": [],
            "conflictingProducts": [{"name": "Microsoft 365 E5"}],
            "unavailableUsageLocations": [],
        },
        {
            "name": "Microsoft 365 E5",
            "totalLicenses": 5,
            "assignedLicenses": 1,
            "availableLicenses": 4,
            "servicePlans": [],
            "requiredProducts": [],
            "conflictingProducts": [{"name": "Microsoft 365 E3"}],
            "unavailableUsageLocations": [],
        },
        {
            "name": "Visio Plan 2",
            "totalLicenses": 2,
            "assignedLicenses": 1,
            "availableLicenses": 1,
            "servicePlans": [],
            "requiredProducts": [{"name": "Microsoft 365 E3"}, {"name": "Microsoft 365 E5"}],
            "conflictingProducts": [],
            "unavailableUsageLocations": [],
        },
    ]


async def test_a_selection_reads_as_all_some_none_with_holders(
    execute: Execute, world: World
) -> None:
    selected = [world.gid("User", pk) for pk in (world.bob, world.alice, world.alice)]

    result = await execute(
        SELECTION, {"id": world.gid("Customer", world.contoso), "userIds": selected}
    )

    customer = data_of(result)["customer"]
    assert customer["usersByIds"] == [{"displayName": "Alice Adams"}, {"displayName": "bob Brown"}]
    assert customer["products"] == [
        {
            "name": "Microsoft 365 Copilot",
            "assignmentState": "SOME",
            "assignedUsers": [{"displayName": "bob Brown"}],
        },
        {
            "name": "Microsoft 365 E3",
            "assignmentState": "ALL",
            "assignedUsers": [{"displayName": "Alice Adams"}, {"displayName": "bob Brown"}],
        },
        {"name": "Microsoft 365 E5", "assignmentState": "NONE", "assignedUsers": []},
        {
            "name": "Visio Plan 2",
            "assignmentState": "SOME",
            "assignedUsers": [{"displayName": "Alice Adams"}],
        },
    ]


async def test_an_empty_selection_is_none_everywhere(execute: Execute, world: World) -> None:
    result = await execute(SELECTION, {"id": world.gid("Customer", world.contoso), "userIds": []})

    customer = data_of(result)["customer"]
    assert customer["usersByIds"] == []
    assert {p["assignmentState"] for p in customer["products"]} == {"NONE"}


async def test_users_of_another_customer_are_left_out_of_a_selection(
    execute: Execute, world: World
) -> None:
    selected = [world.gid("User", world.foreigner), world.gid("User", world.zoe)]

    result = await execute(
        SELECTION, {"id": world.gid("Customer", world.contoso), "userIds": selected}
    )

    customer = data_of(result)["customer"]
    assert customer["usersByIds"] == [{"displayName": "Zoë Zhang"}]
    states = {p["name"]: p["assignmentState"] for p in customer["products"]}
    assert states == {
        "Microsoft 365 Copilot": "NONE",
        "Microsoft 365 E3": "NONE",
        "Microsoft 365 E5": "ALL",
        "Visio Plan 2": "NONE",
    }


async def test_nodes_resolve_every_type_in_order(execute: Execute, world: World) -> None:
    ids = [
        world.gid("Customer", world.contoso),
        world.gid("User", world.bob),
        world.gid("Product", world.e3),
        world.gid("ServicePlan", world.teams),
        world.gid("User", 999_999),
        world.gid("Unknown", 1),
    ]

    result = await execute(NODES, {"ids": ids})

    assert data_of(result)["nodes"] == [
        {"__typename": "Customer", "id": ids[0]},
        {"__typename": "User", "id": ids[1]},
        {"__typename": "Product", "id": ids[2]},
        {"__typename": "ServicePlan", "id": ids[3]},
        None,
        None,
    ]


async def test_a_product_of_another_customer_is_not_found(execute: Execute, world: World) -> None:
    result = await execute(
        PRODUCT_BY_ID,
        {"c": world.gid("Customer", world.contoso), "p": world.gid("Product", world.fabrikam_e3)},
    )

    assert data_of(result) == {"customer": {"product": None}}


@pytest.mark.parametrize(
    ("variables", "message_part"),
    [
        ({"first": 101}, "between 0 and 100"),
        ({"first": -1}, "between 0 and 100"),
        ({"last": 500}, "between 0 and 100"),
        ({"first": 1, "last": 1}, "not both"),
        ({"after": "not-a-cursor"}, "not valid"),
        ({"after": "Y3Vyc29yOnYxOlsidXNlcnMiLCJ4IiwxXQ=="}, "does not belong"),
    ],
)
async def test_bad_paging_arguments_are_refused(
    execute: Execute, world: World, variables: dict[str, object], message_part: str
) -> None:
    result = await execute(CUSTOMERS, variables)

    assert result.data is None
    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None
    assert message_part in result.errors[0].message


@pytest.mark.parametrize("bad_id", ["", "!!!", "Q3VzdG9tZXI6", "VXNlcjoxMg==x", "VXNlcjotMQ=="])
async def test_malformed_ids_are_refused(execute: Execute, bad_id: str) -> None:
    result = await execute(NODES, {"ids": [bad_id]})

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None
    assert "Traceback" not in result.errors[0].message


async def test_a_user_id_where_a_customer_id_is_expected_is_refused(
    execute: Execute, world: World
) -> None:
    result = await execute(CUSTOMER_USERS, {"id": world.gid("User", world.alice)})

    assert error_codes(result) == ["BAD_USER_INPUT"]


NESTED_PAGES = """
query ($first: Int, $last: Int) {
  customers(first: 10) {
    nodes { name users(first: $first, last: $last) {
      totalCount pageInfo { hasNextPage hasPreviousPage } nodes { displayName } } }
  }
}"""
ONE_CUSTOMER_PAGE = """
query ($id: ID!, $first: Int, $last: Int) {
  customer(id: $id) { name users(first: $first, last: $last) {
    totalCount pageInfo { hasNextPage hasPreviousPage } nodes { displayName } } }
}"""


@pytest.mark.parametrize("window", [{"first": 2}, {"last": 2}, {"first": 0}])
async def test_user_pages_inside_a_customer_list_match_each_customer_alone(
    execute: Execute, world: World, window: dict[str, int]
) -> None:
    nested = data_of(await execute(NESTED_PAGES, window))["customers"]["nodes"]
    alone = [
        data_of(await execute(ONE_CUSTOMER_PAGE, {"id": world.gid("Customer", pk), **window}))[
            "customer"
        ]
        for pk in (world.contoso, world.fabrikam)
    ]

    assert nested == alone


SIBLINGS_OF_A_FAILING_FIELD = """
query ($customer: ID!, $product: ID!, $bad: [ID!]!) {
  customer(id: $customer) {
    products { unavailableUsageLocations assignmentState(userIds: $bad) }
    product(id: $product) {
      conflictingProducts { requiredProducts { unavailableUsageLocations } }
    }
  }
}"""


async def test_a_failing_field_does_not_break_its_siblings_loads(
    execute: Execute, world: World
) -> None:
    # graphql-core cancels the siblings of a field that fails; a load they shared with
    # other fields must not be cancelled under those (that escaped as a plain HTTP 500).
    variables = {
        "customer": world.gid("Customer", world.contoso),
        "product": world.gid("Product", world.e3),
        "bad": ["VXNlcjoyMTQ3NDgzNjQ4"],  # User:2147483648, beyond any key
    }

    for _ in range(20):
        result = await execute(SIBLINGS_OF_A_FAILING_FIELD, variables)

        assert error_codes(result) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (CUSTOMERS, {"search": "con\x00toso"}),
        (CUSTOMERS, {"search": "x" * 257}),
        (CUSTOMER_USERS, {"search": "a\x00b"}),
        (CUSTOMER_USERS, {"filter": {"usageLocation": "U\x00"}}),
    ],
)
async def test_text_postgresql_can_not_store_is_refused_as_bad_input(
    execute: Execute, world: World, document: str, variables: dict[str, object]
) -> None:
    result = await execute(document, {"id": world.gid("Customer", world.contoso), **variables})

    assert error_codes(result) == ["BAD_USER_INPUT"]
