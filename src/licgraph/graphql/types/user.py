"""Users of a customer."""

from __future__ import annotations

from typing import Self

import strawberry

from licgraph.domain.directory import User as DomainUser
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.types.product import LicenseAssignment
from licgraph.graphql.types.relay import Node


@strawberry.type(description="A user of a customer.")
class User(Node):
    pk: strawberry.Private[int]
    customer_pk: strawberry.Private[int]
    display_name: str = strawberry.field(description="Name shown in lists; lists sort by it.")
    user_principal_name: str = strawberry.field(description="Sign-in name, unique.")
    usage_location: str | None = strawberry.field(
        description="ISO 3166 alpha-2 country where the user uses services; null: not set, "
        "and then no license can be assigned."
    )

    @classmethod
    def from_domain(cls, user: DomainUser) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("User", user.id)),
            pk=user.id,
            customer_pk=user.customer_id,
            display_name=user.display_name,
            user_principal_name=user.user_principal_name,
            usage_location=user.usage_location,
        )

    @strawberry.field(description="The licenses the user holds, ordered by product.")
    async def licenses(self, info: Info) -> list[LicenseAssignment]:
        held = await info.context.loaders.licenses_by_user_id.load(self.pk)
        return [LicenseAssignment.from_domain(license) for license in held]
