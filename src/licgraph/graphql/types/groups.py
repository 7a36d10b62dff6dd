"""Groups: a customer's groups of users, the products they grant, and group mutations' payload."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import strawberry

from licgraph.domain.groups import Group as DomainGroup
from licgraph.domain.groups import GroupLicense as DomainGroupLicense
from licgraph.graphql.batch_fields import batch_field
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.types.license_errors import error_names
from licgraph.graphql.types.license_update import UserLicenseResult
from licgraph.graphql.types.licensing import Product, ServicePlan
from licgraph.graphql.types.relay import Node
from licgraph.services.groups import GroupUpdateResult


async def _granted_products(licenses: Sequence[GroupLicense], info: Info) -> list[Product]:
    found = await info.context.loaders.product_by_id.load_many([g.product_pk for g in licenses])
    if None in found:  # a foreign key makes this impossible
        raise LookupError("a product a group grants is missing")
    return [Product.from_domain(product) for product in found if product is not None]


async def _plans(
    licenses: Sequence[GroupLicense], info: Info, *, enabled: bool
) -> list[list[ServicePlan]]:
    rules = await info.context.loaders.rules_by_product_id.load_many(
        [license.product_pk for license in licenses]
    )
    return [
        [
            ServicePlan.from_domain(plan)
            for plan in product_rules.service_plans
            if (plan.id not in license.disabled_pks) is enabled
        ]
        for license, product_rules in zip(licenses, rules, strict=True)
    ]


async def _enabled_plans(licenses: Sequence[GroupLicense], info: Info) -> list[list[ServicePlan]]:
    return await _plans(licenses, info, enabled=True)


async def _disabled_plans(licenses: Sequence[GroupLicense], info: Info) -> list[list[ServicePlan]]:
    return await _plans(licenses, info, enabled=False)


@strawberry.type(description="A product a group grants its members, with the plans it turns off.")
class GroupLicense:
    product_pk: strawberry.Private[int]
    disabled_pks: strawberry.Private[frozenset[int]]

    @classmethod
    def from_domain(cls, license: DomainGroupLicense) -> Self:
        return cls(product_pk=license.product_id, disabled_pks=license.disabled_service_plan_ids)

    product: Product = batch_field(
        _granted_products, graphql_type=Product, description="The product granted."
    )
    disabled_service_plans: list[ServicePlan] = batch_field(
        _disabled_plans,
        graphql_type=list[ServicePlan],
        description="Service plans the group turns off (a member gets a plan when any of "
        "their sources turns it on).",
    )
    enabled_service_plans: list[ServicePlan] = batch_field(
        _enabled_plans,
        graphql_type=list[ServicePlan],
        description="Service plans of the product the group turns on.",
    )


async def _licenses_of(groups: Sequence[Group], info: Info) -> list[list[GroupLicense]]:
    granted = await info.context.loaders.licenses_by_group_id.load_many([g.pk for g in groups])
    return [[GroupLicense.from_domain(license) for license in each] for each in granted]


async def _member_counts(groups: Sequence[Group], info: Info) -> list[int]:
    return await info.context.loaders.member_count_by_group_id.load_many([g.pk for g in groups])


@strawberry.type(
    description="A customer's group of users: its members should hold the products it "
    "grants (desired state, reconciled at once)."
)
class Group(Node):
    pk: strawberry.Private[int]
    customer_pk: strawberry.Private[int]
    name: str = strawberry.field(
        description="The group's name, unique per customer (case-insensitively)."
    )
    description: str = strawberry.field(description="What the group is for (may be empty).")

    @classmethod
    def from_domain(cls, group: DomainGroup) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("Group", group.id)),
            pk=group.id,
            customer_pk=group.customer_id,
            name=group.name,
            description=group.description,
        )

    member_count: int = batch_field(
        _member_counts, graphql_type=int, description="How many users are members."
    )
    licenses: list[GroupLicense] = batch_field(
        _licenses_of,
        graphql_type=list[GroupLicense],
        description="The products the group grants its members, ordered by product.",
    )


@strawberry.type(description="The outcome of a group mutation.")
class GroupUpdatePayload:
    group: Group | None = strawberry.field(
        description="The group after the change; null after deleteGroup (and for a dry run "
        "of createGroup, which creates nothing)."
    )
    results: list[UserLicenseResult] = strawberry.field(
        description="One per affected member, in member order (display name, then id); "
        "ids that named no user of the customer come last, as requested."
    )
    products: list[Product] = strawberry.field(
        description="The products the change touched, with their counts after it "
        "(as they would be, in a dry run)."
    )
    succeeded_count: int = strawberry.field(description="Members with status SUCCEEDED.")
    failed_count: int = strawberry.field(
        description="Members with status FAILED: they keep their licenses and are listed "
        "in the group's license errors until a reprocess lets the change apply."
    )
    dry_run: bool = strawberry.field(description="Whether this was a dry run.")
    applied: bool = strawberry.field(
        description="Whether the change was written (false for a dry run)."
    )

    @classmethod
    async def build(cls, info: Info, result: GroupUpdateResult) -> Self:
        """The payload for ``result``; error messages name products and plans."""
        update = result.update
        names = await error_names(info, [e for item in update.results for e in item.errors])
        return cls(
            group=None if result.group is None else Group.from_domain(result.group),
            results=[UserLicenseResult.from_domain(item, names) for item in update.results],
            products=[Product.from_domain(product) for product in update.products],
            succeeded_count=update.succeeded_count,
            failed_count=update.failed_count,
            dry_run=update.dry_run,
            applied=update.applied,
        )
