"""Users, products and the licenses between them.

One module because the schema links them in a cycle: a User holds LicenseAssignments, each
of a Product, whose ``assignedUsers`` are Users.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Protocol, Self

import strawberry

from licgraph.domain.catalog import Product as DomainProduct
from licgraph.domain.catalog import ServicePlan as DomainServicePlan
from licgraph.domain.directory import User as DomainUser
from licgraph.domain.licenses import LicenseAssignment as DomainLicense
from licgraph.domain.selection import AssignmentState, SelectionHoldings, assignment_state
from licgraph.graphql.arguments import id_list_argument
from licgraph.graphql.batch_fields import batch_field
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.types.relay import Node

if TYPE_CHECKING:
    from licgraph.graphql.types.groups import Group

AssignmentStateEnum = strawberry.enum(
    AssignmentState,
    name="AssignmentState",
    description="Whether ALL, SOME or NONE of the given users hold a product.",
)

SELECTED_USERS = "Selected users (User ids); ids of other customers are ignored."


@strawberry.type(description="A service inside a product that can be switched off per user.")
class ServicePlan(Node):
    pk: strawberry.Private[int]
    required_pks: strawberry.Private[frozenset[int]]
    name: str = strawberry.field(description="The plan's name.")

    @classmethod
    def from_domain(cls, plan: DomainServicePlan) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("ServicePlan", plan.id)),
            pk=plan.id,
            required_pks=plan.required_service_plan_ids,
            name=plan.name,
        )

    @strawberry.field(
        description="Plans of the same product that must stay enabled while this one is enabled."
    )
    async def required_service_plans(self, info: Info) -> list[ServicePlan]:
        plans = await info.context.loaders.service_plan_by_id.load_many(sorted(self.required_pks))
        return [ServicePlan.from_domain(plan) for plan in plans if plan is not None]


@strawberry.type(description="A customer's entitlement to a product: its seats and its rules.")
class Product(Node):
    pk: strawberry.Private[int]
    customer_pk: strawberry.Private[int]
    sku_part_number: str = strawberry.field(description="The product's SKU, e.g. SPE_E3.")
    name: str = strawberry.field(description="The product's display name.")
    total_licenses: int = strawberry.field(description="Seats the customer owns.")
    assigned_licenses: int = strawberry.field(description="Seats held by users.")
    available_licenses: int = strawberry.field(
        description="Seats free to assign (0: offer to buy more)."
    )

    @classmethod
    def from_domain(cls, product: DomainProduct) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("Product", product.id)),
            pk=product.id,
            customer_pk=product.customer_id,
            sku_part_number=product.sku_part_number,
            name=product.name,
            total_licenses=product.total_licenses,
            assigned_licenses=product.assigned_licenses,
            available_licenses=product.available_licenses,
        )

    @strawberry.field(description="Service plans the product contains, by name.")
    async def service_plans(self, info: Info) -> list[ServicePlan]:
        rules = await info.context.loaders.rules_by_product_id.load(self.pk)
        return [ServicePlan.from_domain(plan) for plan in rules.service_plans]

    @strawberry.field(
        description="Products of which a user needs at least one to hold this one (empty: none)."
    )
    async def required_products(self, info: Info) -> list[Product]:
        rules = await info.context.loaders.rules_by_product_id.load(self.pk)
        return await _products(info, rules.required_product_ids)

    @strawberry.field(description="Products a user may not hold together with this one.")
    async def conflicting_products(self, info: Info) -> list[Product]:
        rules = await info.context.loaders.rules_by_product_id.load(self.pk)
        return await _products(info, rules.conflicting_product_ids)

    @strawberry.field(
        description="Usage locations (ISO 3166 alpha-2) where the product can't be assigned; "
        "empty: available everywhere."
    )
    async def unavailable_usage_locations(self, info: Info) -> list[str]:
        rules = await info.context.loaders.rules_by_product_id.load(self.pk)
        return sorted(rules.unavailable_usage_locations)

    @strawberry.field(
        description="Whether ALL, SOME or NONE of the given users hold this product "
        "(an empty selection gives NONE).",
    )
    async def assignment_state(
        self,
        info: Info,
        user_ids: Annotated[list[strawberry.ID], strawberry.argument(description=SELECTED_USERS)],
    ) -> AssignmentStateEnum:  # type: ignore[valid-type]
        holdings = await self._holdings(info, user_ids)
        holding = len(holdings.holders_by_product_id.get(self.pk, ()))
        return assignment_state(selected=len(holdings.users), holding=holding)

    @strawberry.field(description="Those of the given users who hold this product, sorted by name.")
    async def assigned_users(
        self,
        info: Info,
        user_ids: Annotated[list[strawberry.ID], strawberry.argument(description=SELECTED_USERS)],
    ) -> list[User]:
        holdings = await self._holdings(info, user_ids)
        return [User.from_domain(user) for user in holdings.holders_by_product_id.get(self.pk, ())]

    async def _holdings(self, info: Info, user_ids: list[strawberry.ID]) -> SelectionHoldings:
        pks = id_list_argument(
            user_ids, "User", limit=info.context.settings.max_ids_per_request, argument="userIds"
        )
        key = (self.customer_pk, tuple(sorted(pks)))
        return await info.context.loaders.holdings_by_selection.load(key)


async def _products(info: Info, pks: frozenset[int]) -> list[Product]:
    products = await info.context.loaders.product_by_id.load_many(sorted(pks))
    return [Product.from_domain(product) for product in products if product is not None]


async def _held_products(licenses: Sequence[LicenseAssignment], info: Info) -> list[Product]:
    pks = [license.product_pk for license in licenses]
    # A page's hundreds of licenses name a handful of products: one object for each.
    distinct = list(dict.fromkeys(pks))
    found = await info.context.loaders.product_by_id.load_many(distinct)
    products = {}
    for pk, product in zip(distinct, found, strict=True):
        if product is None:  # a foreign key makes this impossible
            raise LookupError(f"product {pk} of an assignment is missing")
        products[pk] = Product.from_domain(product)
    return [products[pk] for pk in pks]


class PlansSwitchedOff(Protocol):
    """A product held or granted, with the service plans switched off for it."""

    @property
    def product_pk(self) -> int: ...

    @property
    def disabled_pks(self) -> frozenset[int]: ...


async def service_plans_of(
    holdings: Sequence[PlansSwitchedOff], info: Info, *, enabled: bool
) -> list[list[ServicePlan]]:
    """Each holding's product's service plans that are on (``enabled``) or off for it."""
    rules = await info.context.loaders.rules_by_product_id.load_many(
        [holding.product_pk for holding in holdings]
    )
    return [
        [
            ServicePlan.from_domain(plan)
            for plan in product_rules.service_plans
            if (plan.id not in holding.disabled_pks) is enabled
        ]
        for holding, product_rules in zip(holdings, rules, strict=True)
    ]


async def enabled_plans_of(holdings: Sequence[PlansSwitchedOff], info: Info) -> list[Any]:
    """A batch field's resolver: the plans on, for a level of licenses or group licenses."""
    return await service_plans_of(holdings, info, enabled=True)


async def disabled_plans_of(holdings: Sequence[PlansSwitchedOff], info: Info) -> list[Any]:
    """A batch field's resolver: the plans off, for a level of licenses or group licenses."""
    return await service_plans_of(holdings, info, enabled=False)


async def _granting_groups(licenses: Sequence[LicenseAssignment], info: Info) -> list[Any]:
    from licgraph.graphql.types.groups import Group  # noqa: PLC0415 - groups import licensing

    found = await info.context.loaders.groups_by_license.load_many(
        [(license.user_pk, license.product_pk) for license in licenses]
    )
    return [[Group.from_domain(group) for group in groups] for groups in found]


@strawberry.type(description="A product held by a user, with the service plans switched off.")
class LicenseAssignment:
    user_pk: strawberry.Private[int]
    product_pk: strawberry.Private[int]
    disabled_pks: strawberry.Private[frozenset[int]]
    assigned_at: datetime = strawberry.field(description="When the product was assigned (UTC).")
    assigned_directly: bool = strawberry.field(
        description="Whether the product is assigned to the user directly (a Save); false "
        "when only groups grant it (see inheritedFrom)."
    )

    @classmethod
    def from_domain(cls, license: DomainLicense) -> Self:
        return cls(
            user_pk=license.user_id,
            product_pk=license.product_id,
            disabled_pks=license.disabled_service_plan_ids,
            assigned_at=license.assigned_at,
            assigned_directly=license.assigned_directly,
        )

    inherited_from: list[Annotated[Group, strawberry.lazy("licgraph.graphql.types.groups")]] = (
        batch_field(
            _granting_groups,
            graphql_type=list[Annotated["Group", strawberry.lazy("licgraph.graphql.types.groups")]],
            description="The groups the user holds the product through, by name (empty: "
            "assigned directly only).",
        )
    )

    product: Product = batch_field(
        _held_products, graphql_type=Product, description="The product held."
    )
    enabled_service_plans: list[ServicePlan] = batch_field(
        enabled_plans_of,
        graphql_type=list[ServicePlan],
        description="Service plans of the product that are on for this user.",
    )
    disabled_service_plans: list[ServicePlan] = batch_field(
        disabled_plans_of,
        graphql_type=list[ServicePlan],
        description="Service plans of the product switched off for this user.",
    )


async def _licenses_of(users: Sequence[User], info: Info) -> list[list[LicenseAssignment]]:
    held = await info.context.loaders.licenses_by_user_id.load_many([user.pk for user in users])
    return [[LicenseAssignment.from_domain(license) for license in each] for each in held]


async def _groups_of(users: Sequence[User], info: Info) -> list[Any]:
    from licgraph.graphql.types.groups import Group  # noqa: PLC0415 - groups import licensing

    found = await info.context.loaders.groups_by_user_id.load_many([user.pk for user in users])
    return [[Group.from_domain(group) for group in groups] for groups in found]


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

    groups: list[Annotated[Group, strawberry.lazy("licgraph.graphql.types.groups")]] = batch_field(
        _groups_of,
        graphql_type=list[Annotated["Group", strawberry.lazy("licgraph.graphql.types.groups")]],
        description="The groups the user is a member of, by name.",
    )
    licenses: list[LicenseAssignment] = batch_field(
        _licenses_of,
        graphql_type=list[LicenseAssignment],
        description="The licenses the user holds, ordered by product.",
    )
