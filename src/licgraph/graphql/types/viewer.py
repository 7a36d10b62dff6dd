"""The caller, as the API sees it."""

from __future__ import annotations

import strawberry

from licgraph.graphql.context import Info
from licgraph.graphql.types.customer import Customer
from licgraph.graphql.types.enums import RoleEnum


@strawberry.type(description="The authenticated caller: who they are and what they may do.")
class Viewer:
    name: str = strawberry.field(description="The name of the caller's token.")
    role: RoleEnum = strawberry.field(description="The caller's role.")  # type: ignore[valid-type]
    can_change_licenses: bool = strawberry.field(
        description="Whether the caller may assign and revoke licenses and set usage locations."
    )
    can_purchase_licenses: bool = strawberry.field(
        description="Whether the caller may buy more licenses."
    )
    scope_pk: strawberry.Private[int | None]

    @strawberry.field(
        description="Whether the caller acts on every customer of the partner (not scoped)."
    )
    def partner_wide(self) -> bool:
        return self.scope_pk is None

    @strawberry.field(description="The one customer the caller is limited to; null: partner-wide.")
    async def customer(self, info: Info) -> Customer | None:
        if self.scope_pk is None:
            return None
        customer = await info.context.loaders.customer_by_id.load(self.scope_pk)
        return Customer.from_domain(customer) if customer else None


def viewer_of(info: Info) -> Viewer:
    """The caller of the current request."""
    principal = info.context.principal
    return Viewer(
        name=principal.name,
        role=principal.role,
        can_change_licenses=principal.can_change_licenses,
        can_purchase_licenses=principal.can_purchase,
        scope_pk=principal.customer_id,
    )
