"""assignLicenses, revokeLicenses and updateLicenses: the Save, three ways to call it."""

from __future__ import annotations

from typing import Annotated

import strawberry

from licgraph.domain.license_change import LicenseChange
from licgraph.graphql.arguments import id_argument
from licgraph.graphql.context import Info
from licgraph.graphql.mutations.inputs import (
    ATOMIC,
    DRY_RUN,
    IDEMPOTENCY_KEY,
    USER_IDS,
    LicenseToAssign,
    product_ids_argument,
    user_ids_argument,
)
from licgraph.graphql.types.license_update import LicenseUpdatePayload
from licgraph.services.licenses import LicenseUpdateRequest, update_licenses

CUSTOMER = "The customer whose users change."
PRODUCTS_TO_REVOKE = "Products to take away (a user who lacks one is not an error)."


@strawberry.input(description="Give products to users.")
class AssignLicensesInput:
    customer_id: strawberry.ID = strawberry.field(description=CUSTOMER)
    user_ids: list[strawberry.ID] = strawberry.field(description=USER_IDS)
    licenses: list[LicenseToAssign] = strawberry.field(description="Products to assign.")
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)
    atomic: bool = strawberry.field(default=False, description=ATOMIC)


@strawberry.input(description="Take products away from users.")
class RevokeLicensesInput:
    customer_id: strawberry.ID = strawberry.field(description=CUSTOMER)
    user_ids: list[strawberry.ID] = strawberry.field(description=USER_IDS)
    product_ids: list[strawberry.ID] = strawberry.field(description=PRODUCTS_TO_REVOKE)
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)
    atomic: bool = strawberry.field(default=False, description=ATOMIC)


@strawberry.input(description="The single Save: assign some products and revoke others.")
class UpdateLicensesInput:
    customer_id: strawberry.ID = strawberry.field(description=CUSTOMER)
    user_ids: list[strawberry.ID] = strawberry.field(description=USER_IDS)
    assign: list[LicenseToAssign] | None = strawberry.field(
        default=None, description="Products to assign (may be empty if `revoke` is not)."
    )
    revoke: list[strawberry.ID] | None = strawberry.field(
        default=None, description=PRODUCTS_TO_REVOKE + " May be empty if `assign` is not."
    )
    dry_run: bool = strawberry.field(default=False, description=DRY_RUN)
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)
    atomic: bool = strawberry.field(default=False, description=ATOMIC)


async def save(
    info: Info,
    operation: str,
    input: AssignLicensesInput | RevokeLicensesInput | UpdateLicensesInput,
    change: LicenseChange,
) -> LicenseUpdatePayload:
    """Run one Save for the current caller and map its result."""
    context = info.context
    request = LicenseUpdateRequest(
        operation=operation,
        customer_id=id_argument(input.customer_id, "Customer"),
        user_ids=user_ids_argument(input.user_ids, context.settings),
        change=change,
        dry_run=input.dry_run,
        atomic=input.atomic,
        idempotency_key=input.idempotency_key,
    )
    result = await update_licenses(
        database=context.database,
        principal=context.principal,
        request=request,
        request_id=context.request_id,
        max_users=context.settings.max_users_per_mutation,
    )
    return await LicenseUpdatePayload.build(info, result)


async def assign_licenses(
    info: Info,
    input: Annotated[
        AssignLicensesInput,
        strawberry.argument(description="The customer, the users and what to change for them."),
    ],
) -> LicenseUpdatePayload:
    """Resolve `assignLicenses`."""
    settings = info.context.settings
    change = LicenseChange(
        assign=tuple(item.to_domain(settings) for item in input.licenses), revoke=()
    )
    return await save(info, "assignLicenses", input, change)


async def revoke_licenses(
    info: Info,
    input: Annotated[
        RevokeLicensesInput,
        strawberry.argument(description="The customer, the users and what to change for them."),
    ],
) -> LicenseUpdatePayload:
    """Resolve `revokeLicenses`."""
    change = LicenseChange(
        assign=(), revoke=product_ids_argument(input.product_ids, info.context.settings)
    )
    return await save(info, "revokeLicenses", input, change)


async def update_licenses_field(
    info: Info,
    input: Annotated[
        UpdateLicensesInput,
        strawberry.argument(description="The customer, the users and what to change for them."),
    ],
) -> LicenseUpdatePayload:
    """Resolve `updateLicenses`."""
    settings = info.context.settings
    change = LicenseChange(
        assign=tuple(item.to_domain(settings) for item in input.assign or ()),
        revoke=product_ids_argument(input.revoke or [], settings),
    )
    return await save(info, "updateLicenses", input, change)
