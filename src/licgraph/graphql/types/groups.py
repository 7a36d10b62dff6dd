"""Groups: a customer's groups of users, the products they grant, and group mutations' payload."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Self

import strawberry

from licgraph.db.repositories.groups import GROUP_LICENSE_ERRORS, GROUP_MEMBERS
from licgraph.domain.groups import Group as DomainGroup
from licgraph.domain.groups import GroupLicense as DomainGroupLicense
from licgraph.domain.groups import GroupLicenseError as DomainGroupLicenseError
from licgraph.domain.license_errors import LicenseError as DomainLicenseError
from licgraph.graphql.arguments import text_argument
from licgraph.graphql.batch_fields import batch_field
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.paging import AfterArg, BeforeArg, FirstArg, LastArg, connection
from licgraph.graphql.types.license_errors import LicenseError, error_names, license_errors
from licgraph.graphql.types.license_update import UserLicenseResult
from licgraph.graphql.types.licensing import (
    Product,
    ServicePlan,
    User,
    disabled_plans_of,
    enabled_plans_of,
)
from licgraph.graphql.types.relay import Connection, Node
from licgraph.services.groups import GroupUpdateResult


async def _granted_products(licenses: Sequence[GroupLicense], info: Info) -> list[Product]:
    found = await info.context.loaders.product_by_id.load_many([g.product_pk for g in licenses])
    if None in found:  # a foreign key makes this impossible
        raise LookupError("a product a group grants is missing")
    return [Product.from_domain(product) for product in found if product is not None]


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
        disabled_plans_of,
        graphql_type=list[ServicePlan],
        description="Service plans the group turns off (a member gets a plan when any of "
        "their sources turns it on).",
    )
    enabled_service_plans: list[ServicePlan] = batch_field(
        enabled_plans_of,
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

    @strawberry.field(description="The members, in member order (display name, then id).")
    async def members(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
        search: Annotated[
            str | None,
            strawberry.argument(description="Part of a display name or sign-in name."),
        ] = None,
    ) -> Connection[User]:
        return await connection(
            info,
            GROUP_MEMBERS,
            User.from_domain,
            owner=self.pk,
            query=text_argument(search, argument="search"),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="Users whose licenses can't follow the group yet, one per user and "
        "product, in member order; each stays until a reprocess lets the change apply."
    )
    async def license_errors(
        self, info: Info, first: FirstArg = None, after: AfterArg = None
    ) -> Connection[GroupLicenseError]:
        return await connection(
            info,
            GROUP_LICENSE_ERRORS,
            GroupLicenseError.from_domain,
            owner=self.pk,
            query=None,
            first=first,
            after=after,
            last=None,
            before=None,
        )

    member_count: int = batch_field(
        _member_counts, graphql_type=int, description="How many users are members."
    )
    licenses: list[GroupLicense] = batch_field(
        _licenses_of,
        graphql_type=list[GroupLicense],
        description="The products the group grants its members, ordered by product.",
    )


@strawberry.type(description="A member's license from a group that can't be applied yet.")
class GroupLicenseError:
    user_pk: strawberry.Private[int]
    product_pk: strawberry.Private[int]
    domain_errors: strawberry.Private[tuple[DomainLicenseError, ...]]
    since: datetime = strawberry.field(description="Since when the license has been waiting.")

    @classmethod
    def from_domain(cls, error: DomainGroupLicenseError) -> Self:
        return cls(
            user_pk=error.user_id,
            product_pk=error.product_id,
            domain_errors=error.errors,
            since=error.since,
        )

    @strawberry.field(description="The user (or former member) waiting.")
    async def user(self, info: Info) -> User | None:
        user = await info.context.loaders.user_by_id.load(self.user_pk)
        return None if user is None else User.from_domain(user)

    @strawberry.field(description="The product the user can't be given or can't lose yet.")
    async def product(self, info: Info) -> Product | None:
        product = await info.context.loaders.product_by_id.load(self.product_pk)
        return None if product is None else Product.from_domain(product)

    @strawberry.field(description="Why, as in a Save's result.")
    async def errors(self, info: Info) -> list[LicenseError]:
        names = await error_names(info, self.domain_errors)
        return license_errors(self.domain_errors, names)


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
