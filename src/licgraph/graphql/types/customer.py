"""Customers of the partner, with their users and products."""

from __future__ import annotations

from typing import Annotated, Self

import strawberry

from licgraph.db.repositories.events import LICENSE_EVENTS
from licgraph.db.repositories.groups import GROUPS
from licgraph.db.repositories.license_jobs import LICENSE_JOBS
from licgraph.db.repositories.users import USERS
from licgraph.domain.catalog import Customer as DomainCustomer
from licgraph.domain.directory import UserFilter as DomainUserFilter
from licgraph.domain.directory import UserQuery
from licgraph.domain.events import EventFilter as DomainEventFilter
from licgraph.domain.license_jobs import JobFilter, JobStatus
from licgraph.graphql.arguments import id_argument, id_list_argument, text_argument
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.paging import AfterArg, BeforeArg, FirstArg, LastArg, connection
from licgraph.graphql.types.groups import Group
from licgraph.graphql.types.license_event import LicenseEvent, LicenseEventFilter
from licgraph.graphql.types.license_job import LicenseJob, LicenseJobStatusEnum
from licgraph.graphql.types.licensing import Product, User
from licgraph.graphql.types.relay import Connection, Node


@strawberry.input(description="Conditions on a customer's users; all given ones must hold.")
class UserFilter:
    holding_product: strawberry.ID | None = strawberry.field(
        default=None, description="Only users who hold this product."
    )
    lacking_product: strawberry.ID | None = strawberry.field(
        default=None, description="Only users who do not hold this product."
    )
    usage_location: str | None = strawberry.field(
        default=None, description="Only users with this usage location (ISO 3166 alpha-2)."
    )
    has_usage_location: bool | None = strawberry.field(
        default=None, description="true: only users with a usage location; false: only without."
    )

    def to_domain(self) -> DomainUserFilter:
        return DomainUserFilter(
            holding_product_id=_optional_id(self.holding_product, "Product"),
            lacking_product_id=_optional_id(self.lacking_product, "Product"),
            usage_location=_location(self.usage_location),
            has_usage_location=self.has_usage_location,
        )


def _location(usage_location: str | None) -> str | None:
    text = text_argument(usage_location, argument="usageLocation")
    return text.upper() if text else None


def _optional_id(global_id: strawberry.ID | None, type_name: str) -> int | None:
    return None if global_id is None else id_argument(global_id, type_name)


@strawberry.type(description="A customer account of the partner.")
class Customer(Node):
    pk: strawberry.Private[int]
    name: str = strawberry.field(description="The customer's name.")
    domain: str = strawberry.field(description="The customer's primary domain.")

    @classmethod
    def from_domain(cls, customer: DomainCustomer) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("Customer", customer.id)),
            pk=customer.id,
            name=customer.name,
            domain=customer.domain,
        )

    @strawberry.field(
        description="The customer's users, sorted by display name (case-insensitive) then id."
    )
    async def users(
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
        filter: Annotated[
            UserFilter | None, strawberry.argument(description="Conditions on users.")
        ] = None,
    ) -> Connection[User]:
        query = UserQuery(
            search=text_argument(search, argument="search"),
            user_filter=filter.to_domain() if filter else DomainUserFilter(),
        )
        return await connection(
            info,
            USERS,
            User.from_domain,
            owner=self.pk,
            query=query,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="The given users of this customer, sorted like `users`; "
        "ids of other customers or of no user are left out."
    )
    async def users_by_ids(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="User ids.")],
    ) -> list[User]:
        pks = id_list_argument(
            ids, "User", limit=info.context.settings.max_ids_per_request, argument="ids"
        )
        holdings = await info.context.loaders.holdings_by_selection.load(
            (self.pk, tuple(sorted(pks)))
        )
        return [User.from_domain(user) for user in holdings.users]

    @strawberry.field(description="The change log of this customer, newest first.")
    async def license_events(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
        filter: Annotated[
            LicenseEventFilter | None, strawberry.argument(description="Conditions on events.")
        ] = None,
    ) -> Connection[LicenseEvent]:
        return await connection(
            info,
            LICENSE_EVENTS,
            LicenseEvent.from_domain,
            owner=self.pk,
            query=filter.to_domain() if filter else DomainEventFilter(),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="The customer's groups, by name (case-insensitive), then id.")
    async def groups(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
        search: Annotated[
            str | None, strawberry.argument(description="Part of a group's name.")
        ] = None,
    ) -> Connection[Group]:
        return await connection(
            info,
            GROUPS,
            Group.from_domain,
            owner=self.pk,
            query=text_argument(search, argument="search"),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="The customer's license jobs, newest first.")
    async def license_jobs(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
        status: Annotated[
            LicenseJobStatusEnum | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only jobs with this status."),
        ] = None,
    ) -> Connection[LicenseJob]:
        return await connection(
            info,
            LICENSE_JOBS,
            LicenseJob.from_domain,
            owner=self.pk,
            query=JobFilter(status=status if isinstance(status, JobStatus) else None),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Every product the customer is entitled to, by name.")
    async def products(self, info: Info) -> list[Product]:
        products = await info.context.loaders.products_by_customer_id.load(self.pk)
        return [Product.from_domain(product) for product in products]

    @strawberry.field(description="One of the customer's products; null if it is not theirs.")
    async def product(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A Product id.")],
    ) -> Product | None:
        product = await info.context.loaders.product_by_id.load(id_argument(id, "Product"))
        if product is None or product.customer_id != self.pk:
            return None
        return Product.from_domain(product)
