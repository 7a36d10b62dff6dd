"""The change log: who changed what, when, in which request."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from strawberry.scalars import JSON

from licgraph.domain.events import EventAction
from licgraph.domain.events import EventFilter as DomainEventFilter
from licgraph.domain.events import LicenseEvent as DomainEvent
from licgraph.graphql.arguments import id_argument
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.types.enums import RoleEnum
from licgraph.graphql.types.licensing import Product, User
from licgraph.graphql.types.relay import Node

if TYPE_CHECKING:
    from licgraph.graphql.types.groups import Group

EventActionEnum = strawberry.enum(
    EventAction, name="LicenseEventAction", description="What a change did."
)


@strawberry.type(description="Who made a change: the token's name and its role at the time.")
class Actor:
    name: str = strawberry.field(description="The token's name.")
    role: RoleEnum = strawberry.field(description="The token's role.")  # type: ignore[valid-type]


@strawberry.input(description="Narrow the change log; all given conditions must hold.")
class LicenseEventFilter:
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only changes to this user."
    )
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only changes of this product."
    )
    action: EventActionEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only this kind of change."
    )

    def to_domain(self) -> DomainEventFilter:
        return DomainEventFilter(
            user_id=id_argument(self.user_id, "User") if self.user_id else None,
            product_id=id_argument(self.product_id, "Product") if self.product_id else None,
            action=self.action,
        )


@strawberry.type(description="One recorded change.")
class LicenseEvent(Node):
    occurred_at: datetime = strawberry.field(description="When the change was committed (UTC).")
    action: EventActionEnum = strawberry.field(description="What changed.")  # type: ignore[valid-type]
    actor: Actor = strawberry.field(description="Who changed it.")
    request_id: str = strawberry.field(
        description="The X-Request-Id of the request that made it (one save, many events)."
    )
    details: JSON = strawberry.field(
        description="Extra facts: disabled plans (ServicePlan ids), quantity bought, location set."
    )
    user_pk: strawberry.Private[int | None]
    product_pk: strawberry.Private[int | None]
    group_pk: strawberry.Private[int | None]
    customer_pk: strawberry.Private[int]

    @classmethod
    def from_domain(cls, event: DomainEvent) -> Self:
        if event.id is None:
            raise ValueError("an event is shown only once stored")
        return cls(
            id=strawberry.ID(to_global_id("LicenseEvent", event.id)),
            occurred_at=event.occurred_at,
            action=event.action,
            actor=Actor(name=event.actor.name, role=event.actor.role),
            request_id=event.request_id,
            details=JSON(_public_details(event.details)),
            user_pk=event.user_id,
            product_pk=event.product_id,
            group_pk=event.group_id,
            customer_pk=event.customer_id,
        )

    @strawberry.field(
        description="The group whose change it was; null for other changes and once the "
        "group is deleted (details keep its name)."
    )
    async def group(
        self, info: Info
    ) -> Annotated[Group, strawberry.lazy("licgraph.graphql.types.groups")] | None:
        from licgraph.graphql.types.groups import Group  # noqa: PLC0415 - groups import events

        if self.group_pk is None:
            return None
        group = await info.context.loaders.group_by_id.load(self.group_pk)
        return Group.from_domain(group) if group else None

    @strawberry.field(description="The user changed; null for purchases.")
    async def user(self, info: Info) -> User | None:
        if self.user_pk is None:
            return None
        user = await info.context.loaders.user_by_id.load(self.user_pk)
        return User.from_domain(user) if user else None

    @strawberry.field(description="The product changed; null for usage-location changes.")
    async def product(self, info: Info) -> Product | None:
        if self.product_pk is None:
            return None
        product = await info.context.loaders.product_by_id.load(self.product_pk)
        return Product.from_domain(product) if product else None


def _public_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """Event details with service plans and products as the opaque ids clients use."""
    return {key: _public(key, value) for key, value in details.items()}


def _public(key: str, value: Any) -> Any:
    if "ServicePlanIds" in key:  # disabledServicePlanIds, and its Before and After
        return [to_global_id("ServicePlan", pk) for pk in value]
    if key.endswith("ProductIds"):  # a group's assignedProductIds and revokedProductIds
        return [to_global_id("Product", pk) for pk in value]
    return value
