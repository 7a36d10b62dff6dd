"""The group mutations: groups, their members and their licenses, each with dryRun and
idempotencyKey inside its input, as in a Save."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from licgraph.domain.license_change import LicenseChange
from licgraph.graphql.arguments import id_argument
from licgraph.graphql.context import Info
from licgraph.graphql.mutations.inputs import (
    DRY_RUN,
    IDEMPOTENCY_KEY,
    LicenseToAssign,
    product_ids_argument,
    user_ids_argument,
)
from licgraph.graphql.types.groups import GroupUpdatePayload
from licgraph.services.groups import GroupChangeRequest, GroupOperation, change_group

GROUP = "The Group to change."
MEMBERS = (
    "Users of the group's customer (at most the per-mutation user limit; duplicates count once)."
)
INPUT = "The group and what to change."


@strawberry.input(description="A new group of a customer's users.")
class CreateGroupInput:
    customer_id: strawberry.ID = strawberry.field(description="The Customer the group belongs to.")
    name: str = strawberry.field(description="Unique within the customer, case-insensitively.")
    description: str = strawberry.field(default="", description="What the group is for.")
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="A group's new name and description.")
class UpdateGroupInput:
    group_id: strawberry.ID = strawberry.field(description=GROUP)
    name: str = strawberry.field(description="Unique within the customer, case-insensitively.")
    description: str = strawberry.field(default="", description="What the group is for.")
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="A group to delete; what only it granted is revoked.")
class DeleteGroupInput:
    group_id: strawberry.ID = strawberry.field(description="The Group to delete.")
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="Users to make members of a group.")
class AddGroupMembersInput:
    group_id: strawberry.ID = strawberry.field(description=GROUP)
    user_ids: list[strawberry.ID] = strawberry.field(description=MEMBERS)
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="Members to take out of a group.")
class RemoveGroupMembersInput:
    group_id: strawberry.ID = strawberry.field(description=GROUP)
    user_ids: list[strawberry.ID] = strawberry.field(description=MEMBERS)
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(
    description="A change to the products a group grants; products not named stay as they are."
)
class SetGroupLicensesInput:
    group_id: strawberry.ID = strawberry.field(description=GROUP)
    assign: list[LicenseToAssign] | None = strawberry.field(
        default=None,
        description="Products to grant (or whose switched-off plans change); "
        "may be empty if `revoke` is not.",
    )
    revoke: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Products the group stops granting; may be empty if `assign` is not.",
    )
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.input(description="A group whose members' open license errors to retry.")
class ReprocessGroupLicensesInput:
    group_id: strawberry.ID = strawberry.field(description=GROUP)
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


async def _run(
    info: Info, operation: GroupOperation, input: Any, **fields: Any
) -> GroupUpdatePayload:
    context = info.context
    if hasattr(input, "group_id"):
        fields["group_id"] = id_argument(input.group_id, "Group")
    request = GroupChangeRequest(
        operation=operation,
        dry_run=input.dry_run,
        idempotency_key=input.idempotency_key,
        **fields,
    )
    result = await change_group(
        database=context.database,
        principal=context.principal,
        request=request,
        request_id=context.request_id,
        max_users=context.settings.max_users_per_mutation,
    )
    return await GroupUpdatePayload.build(info, result)


async def create_group(
    info: Info, input: Annotated[CreateGroupInput, strawberry.argument(description=INPUT)]
) -> GroupUpdatePayload:
    """Resolve `createGroup`."""
    return await _run(
        info,
        GroupOperation.CREATE,
        input,
        customer_id=id_argument(input.customer_id, "Customer"),
        name=input.name,
        description=input.description,
    )


async def update_group(
    info: Info, input: Annotated[UpdateGroupInput, strawberry.argument(description=INPUT)]
) -> GroupUpdatePayload:
    """Resolve `updateGroup`."""
    return await _run(
        info, GroupOperation.UPDATE, input, name=input.name, description=input.description
    )


async def delete_group(
    info: Info, input: Annotated[DeleteGroupInput, strawberry.argument(description=INPUT)]
) -> GroupUpdatePayload:
    """Resolve `deleteGroup`."""
    return await _run(info, GroupOperation.DELETE, input)


async def add_group_members(
    info: Info, input: Annotated[AddGroupMembersInput, strawberry.argument(description=INPUT)]
) -> GroupUpdatePayload:
    """Resolve `addGroupMembers`."""
    user_ids = user_ids_argument(input.user_ids, info.context.settings)
    return await _run(info, GroupOperation.ADD_MEMBERS, input, user_ids=user_ids)


async def remove_group_members(
    info: Info, input: Annotated[RemoveGroupMembersInput, strawberry.argument(description=INPUT)]
) -> GroupUpdatePayload:
    """Resolve `removeGroupMembers`."""
    user_ids = user_ids_argument(input.user_ids, info.context.settings)
    return await _run(info, GroupOperation.REMOVE_MEMBERS, input, user_ids=user_ids)


async def set_group_licenses(
    info: Info, input: Annotated[SetGroupLicensesInput, strawberry.argument(description=INPUT)]
) -> GroupUpdatePayload:
    """Resolve `setGroupLicenses`."""
    settings = info.context.settings
    change = LicenseChange(
        assign=tuple(item.to_domain(settings) for item in input.assign or ()),
        revoke=product_ids_argument(input.revoke or [], settings),
    )
    return await _run(info, GroupOperation.SET_LICENSES, input, change=change)


async def reprocess_group_licenses(
    info: Info,
    input: Annotated[ReprocessGroupLicensesInput, strawberry.argument(description=INPUT)],
) -> GroupUpdatePayload:
    """Resolve `reprocessGroupLicenses`."""
    return await _run(info, GroupOperation.REPROCESS, input)
