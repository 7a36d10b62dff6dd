"""The group mutations through GraphQL: payloads with exact data, top-level errors, roles.

What each change does to licenses is covered in depth by test_group_changes.py; this module
checks the public shape: inputs, payload fields, error codes and who may call what.
"""

from __future__ import annotations

from typing import Any

import pytest

from licgraph.db.engine import Database
from licgraph.domain.access import Role
from tests.api.conftest import Execute, data_of, error_codes
from tests.api.invariants import table_contents
from tests.api.world import World, to_assign
from tests.factories import make_token

pytestmark = pytest.mark.usefixtures("invariants_hold")

PAYLOAD = """
  group { name description memberCount licenses { product { name } disabledServicePlans { name } } }
  results {
    user { displayName }
    status
    licenses { product { name } enabledServicePlans { name } }
    errors { __typename code ... on InsufficientLicensesError { requested available } }
  }
  products { name assignedLicenses availableLicenses }
  succeededCount failedCount dryRun applied
"""
CREATE = f"mutation ($input: CreateGroupInput!) {{ createGroup(input: $input) {{ {PAYLOAD} }} }}"
UPDATE = f"mutation ($input: UpdateGroupInput!) {{ updateGroup(input: $input) {{ {PAYLOAD} }} }}"
DELETE = f"mutation ($input: DeleteGroupInput!) {{ deleteGroup(input: $input) {{ {PAYLOAD} }} }}"
ADD = f"""mutation ($input: AddGroupMembersInput!) {{
  addGroupMembers(input: $input) {{ {PAYLOAD} }} }}"""
REMOVE = f"""mutation ($input: RemoveGroupMembersInput!) {{
  removeGroupMembers(input: $input) {{ {PAYLOAD} }} }}"""
SET = f"""mutation ($input: SetGroupLicensesInput!) {{
  setGroupLicenses(input: $input) {{ {PAYLOAD} }} }}"""
REPROCESS = f"""mutation ($input: ReprocessGroupLicensesInput!) {{
  reprocessGroupLicenses(input: $input) {{ {PAYLOAD} }} }}"""
CREATE_ID = "mutation ($input: CreateGroupInput!) { createGroup(input: $input) { group { id } } }"


async def create(execute: Execute, world: World, name: str = "Designers") -> str:
    variables = {"input": {"customerId": world.gid("Customer", world.contoso), "name": name}}
    group = data_of(await execute(CREATE_ID, variables))["createGroup"]["group"]
    return str(group["id"])


def members(world: World, group: str, *users: int, **extra: Any) -> dict[str, Any]:
    return {"input": {"groupId": group, "userIds": [world.gid("User", u) for u in users], **extra}}


async def test_creating_a_group_answers_with_the_empty_group(
    execute: Execute, world: World
) -> None:
    variables = {
        "input": {
            "customerId": world.gid("Customer", world.contoso),
            "name": "Designers",
            "description": "Visio for the design team",
        }
    }

    result = data_of(await execute(CREATE, variables))["createGroup"]

    assert result == {
        "group": {
            "name": "Designers",
            "description": "Visio for the design team",
            "memberCount": 0,
            "licenses": [],
        },
        "results": [],
        "products": [],
        "succeededCount": 0,
        "failedCount": 0,
        "dryRun": False,
        "applied": True,
    }


async def test_licensing_a_group_reports_each_member_in_member_order(
    execute: Execute, world: World
) -> None:
    group = await create(execute, world)
    data_of(await execute(ADD, members(world, group, world.zoe, world.bob)))

    licensed = data_of(
        await execute(SET, {"input": {"groupId": group, "assign": [to_assign(world, world.visio)]}})
    )["setGroupLicenses"]

    assert licensed == {
        "group": {
            "name": "Designers",
            "description": "",
            "memberCount": 2,
            "licenses": [{"product": {"name": "Visio Plan 2"}, "disabledServicePlans": []}],
        },
        "results": [
            {
                "user": {"displayName": "bob Brown"},
                "status": "SUCCEEDED",
                "licenses": [
                    {"product": {"name": "Microsoft 365 E3"}, "enabledServicePlans": [
                        {"name": "Exchange Online"},
                        {"name": "Microsoft Teams"},
                        {"name": "SharePoint Online"},
                    ]},
                    {"product": {"name": "Visio Plan 2"}, "enabledServicePlans": []},
                    {"product": {"name": "Microsoft 365 Copilot"}, "enabledServicePlans": []},
                ],
                "errors": [],
            },
            {
                "user": {"displayName": "Zoë Zhang"},
                "status": "FAILED",
                "licenses": [{"product": {"name": "Microsoft 365 E5"}, "enabledServicePlans": []}],
                "errors": [
                    {
                        "__typename": "InsufficientLicensesError",
                        "code": "INSUFFICIENT_LICENSES",
                        "requested": 2,
                        "available": 1,
                    }
                ],
            },
        ],
        "products": [{"name": "Visio Plan 2", "assignedLicenses": 2, "availableLicenses": 0}],
        "succeededCount": 1,
        "failedCount": 1,
        "dryRun": False,
        "applied": True,
    }  # fmt: skip


async def test_a_reprocess_after_a_purchase_applies_the_open_error(
    execute: Execute, world: World
) -> None:
    group = await create(execute, world)
    data_of(await execute(ADD, members(world, group, world.zoe, world.bob)))
    assign = {"input": {"groupId": group, "assign": [to_assign(world, world.visio)]}}
    data_of(await execute(SET, assign))
    purchase = """mutation ($input: PurchaseLicensesInput!) {
      purchaseLicenses(input: $input) { product { availableLicenses } } }"""
    bought = {
        "input": {
            "customerId": world.gid("Customer", world.contoso),
            "productId": world.gid("Product", world.visio),
            "quantity": 1,
        }
    }
    data_of(await execute(purchase, bought))

    reprocessed = data_of(await execute(REPROCESS, {"input": {"groupId": group}}))

    result = reprocessed["reprocessGroupLicenses"]
    assert [(r["user"]["displayName"], r["status"]) for r in result["results"]] == [
        ("bob Brown", "UNCHANGED"),
        ("Zoë Zhang", "SUCCEEDED"),
    ]
    assert result["products"] == [
        {"name": "Visio Plan 2", "assignedLicenses": 3, "availableLicenses": 0}
    ]


async def test_a_dry_run_changes_nothing(
    execute: Execute, world: World, database: Database
) -> None:
    group = await create(execute, world)
    before = await table_contents(database)

    result = data_of(await execute(ADD, members(world, group, world.emile, dryRun=True)))

    assert result["addGroupMembers"]["dryRun"] is True
    assert result["addGroupMembers"]["applied"] is False
    assert await table_contents(database) == before


async def test_deleting_answers_with_no_group_and_renaming_with_the_new_name(
    execute: Execute, world: World
) -> None:
    group = await create(execute, world)

    renamed = data_of(await execute(UPDATE, {"input": {"groupId": group, "name": "Design"}}))
    deleted = data_of(await execute(DELETE, {"input": {"groupId": group}}))

    assert renamed["updateGroup"]["group"]["name"] == "Design"
    assert deleted["deleteGroup"]["group"] is None
    node = data_of(await execute("query ($id: ID!) { node(id: $id) { id } }", {"id": group}))
    assert node == {"node": None}


async def test_a_duplicate_name_is_bad_user_input_and_changes_nothing(
    execute: Execute, world: World, database: Database
) -> None:
    await create(execute, world, "Designers")
    before = await table_contents(database)
    variables = {"input": {"customerId": world.gid("Customer", world.contoso), "name": "DESIGNERS"}}

    result = await execute(CREATE, variables)

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert await table_contents(database) == before


@pytest.mark.parametrize(
    ("document", "extra"),
    [
        (ADD, {"userIds": []}),
        (SET, {}),
        (SET, {"assign": [{"productId": "UHJvZHVjdDox"}], "revoke": ["UHJvZHVjdDox"]}),
        (UPDATE, {"name": "   "}),
        (UPDATE, {"name": "Design", "description": "tab\u0000"}),
        (ADD, {"userIds": ["not-an-id"]}),
    ],
    ids=["no-users", "empty-change", "assign-and-revoke", "blank-name", "nul", "bad-id"],
)
async def test_careless_input_is_bad_user_input_and_changes_nothing(
    execute: Execute, world: World, database: Database, document: str, extra: dict[str, Any]
) -> None:
    group = await create(execute, world)
    before = await table_contents(database)

    result = await execute(document, {"input": {"groupId": group, **extra}})

    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert await table_contents(database) == before


async def test_another_customers_group_is_not_found_and_a_reader_may_not_change(
    execute: Execute, world: World, database: Database
) -> None:
    group = await create(execute, world)
    fabrikam_admin = await make_token(database, Role.GLOBAL_ADMIN, customer_id=world.fabrikam)
    reader = await make_token(database, Role.READER)
    missing = world.gid("Group", 999_999)

    foreign = await execute(REPROCESS, {"input": {"groupId": group}}, principal=fabrikam_admin)
    nothing = await execute(REPROCESS, {"input": {"groupId": missing}}, principal=fabrikam_admin)
    read_only = await execute(REPROCESS, {"input": {"groupId": group}}, principal=reader)

    assert error_codes(foreign) == error_codes(nothing) == ["NOT_FOUND"]
    assert foreign.errors is not None
    assert nothing.errors is not None
    assert foreign.errors[0].message == nothing.errors[0].message
    assert error_codes(read_only) == ["FORBIDDEN"]


async def test_a_retried_key_replays_the_first_payload(execute: Execute, world: World) -> None:
    group = await create(execute, world)
    variables = members(world, group, world.emile, world.bob, idempotencyKey="add-1")

    first = data_of(await execute(ADD, variables))
    again = data_of(await execute(ADD, variables))
    other = await execute(ADD, members(world, group, world.emile, idempotencyKey="add-1"))

    assert again == first
    assert error_codes(other) == ["IDEMPOTENCY_KEY_REUSED"]


REVOKE = """
mutation ($input: RevokeLicensesInput!) {
  revokeLicenses(input: $input) {
    results {
      status
      licenses { product { name } assignedDirectly inheritedFrom { name } }
      errors {
        __typename code message
        ... on InheritedLicenseError { product { name } groups { name } }
      }
    }
  }
}"""
LICENSES = """query ($id: ID!) { node(id: $id) { ... on User {
  licenses { product { name } assignedDirectly inheritedFrom { name } } } } }"""


async def test_a_direct_revoke_tells_the_truth_about_licenses_held_through_groups(
    execute: Execute, world: World
) -> None:
    # Émile holds E3 only through two groups; Alice directly and through one of them.
    groups = [await create(execute, world, name) for name in ("Support", "Sales")]
    for group in groups:
        data_of(
            await execute(
                SET, {"input": {"groupId": group, "assign": [to_assign(world, world.e3)]}}
            )
        )
    data_of(await execute(ADD, members(world, groups[0], world.emile)))
    data_of(await execute(ADD, members(world, groups[1], world.emile, world.alice)))

    def revoke(user: int) -> dict[str, Any]:
        return {
            "input": {
                "customerId": world.gid("Customer", world.contoso),
                "userIds": [world.gid("User", user)],
                "productIds": [world.gid("Product", world.e3)],
            }
        }

    refused = data_of(await execute(REVOKE, revoke(world.emile)))["revokeLicenses"]
    kept = data_of(await execute(REVOKE, revoke(world.alice)))["revokeLicenses"]

    assert refused["results"] == [
        {
            "status": "FAILED",
            "licenses": [
                {
                    "product": {"name": "Microsoft 365 E3"},
                    "assignedDirectly": False,
                    "inheritedFrom": [{"name": "Sales"}, {"name": "Support"}],
                }
            ],
            "errors": [
                {
                    "__typename": "InheritedLicenseError",
                    "code": "INHERITED_LICENSE",
                    "message": "Microsoft 365 E3 is not assigned directly: the user holds it "
                    "through 2 group(s) (see groups); take the user out of them, or have them "
                    "drop the product.",
                    "product": {"name": "Microsoft 365 E3"},
                    "groups": [{"name": "Sales"}, {"name": "Support"}],
                }
            ],
        }
    ]
    assert kept["results"] == [
        {
            "status": "SUCCEEDED",
            "licenses": [
                {
                    "product": {"name": "Microsoft 365 E3"},
                    "assignedDirectly": False,
                    "inheritedFrom": [{"name": "Sales"}],
                },
                {
                    "product": {"name": "Visio Plan 2"},
                    "assignedDirectly": True,
                    "inheritedFrom": [],
                },
            ],
            "errors": [],
        }
    ]
    alice = data_of(await execute(LICENSES, {"id": world.gid("User", world.alice)}))
    assert alice["node"]["licenses"] == kept["results"][0]["licenses"]


async def test_the_change_log_names_the_group_until_it_is_deleted(
    execute: Execute, world: World
) -> None:
    group = await create(execute, world, "Designers")
    data_of(await execute(ADD, members(world, group, world.emile)))
    assign = {"input": {"groupId": group, "assign": [to_assign(world, world.e3)]}}
    data_of(await execute(SET, assign))
    log = """query ($c: ID!) { customer(id: $c) { licenseEvents(first: 4) {
      nodes { action user { displayName } group { name } details } } } }"""
    variables = {"c": world.gid("Customer", world.contoso)}

    before = data_of(await execute(log, variables))["customer"]["licenseEvents"]["nodes"]
    data_of(await execute(DELETE, {"input": {"groupId": group}}))
    after = data_of(await execute(log, variables))["customer"]["licenseEvents"]["nodes"]

    designers = {"name": "Designers"}
    assert before == [
        {
            "action": "ASSIGNED",
            "user": {"displayName": "Émile Dubois"},
            "group": designers,
            "details": {"disabledServicePlanIds": [], "groupName": "Designers"},
        },
        {
            "action": "GROUP_LICENSES_CHANGED",
            "user": None,
            "group": designers,
            "details": {
                "groupName": "Designers",
                "assignedProductIds": [world.gid("Product", world.e3)],
                "revokedProductIds": [],
            },
        },
        {
            "action": "MEMBER_ADDED",
            "user": {"displayName": "Émile Dubois"},
            "group": designers,
            "details": {"groupName": "Designers"},
        },
        {
            "action": "GROUP_CREATED",
            "user": None,
            "group": designers,
            "details": {"groupName": "Designers"},
        },
    ]
    assert [(e["action"], e["group"], e["details"]["groupName"]) for e in after] == [
        ("GROUP_DELETED", None, "Designers"),
        ("REVOKED", None, "Designers"),
        ("ASSIGNED", None, "Designers"),
        ("GROUP_LICENSES_CHANGED", None, "Designers"),
    ]
