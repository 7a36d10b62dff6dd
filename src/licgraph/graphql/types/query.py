"""The root of every read."""

from __future__ import annotations

from typing import Annotated

import strawberry

from licgraph.domain.catalog import Customer as DomainCustomer
from licgraph.domain.directory import sort_key
from licgraph.domain.paging import Key
from licgraph.graphql.arguments import id_argument, text_argument
from licgraph.graphql.context import Info
from licgraph.graphql.nodes import resolve_node, resolve_nodes
from licgraph.graphql.paging import (
    AfterArg,
    BeforeArg,
    FirstArg,
    LastArg,
    paging_arguments,
    to_connection,
)
from licgraph.graphql.types.customer import Customer
from licgraph.graphql.types.relay import Connection, Node
from licgraph.graphql.types.viewer import Viewer, viewer_of
from licgraph.services.directory import count_customers, page_customers

CUSTOMER_LIST = "customers"


def customer_key(customer: DomainCustomer) -> Key:
    """The position of a customer in the list order (name case-insensitively, then id)."""
    return (sort_key(customer.name), customer.id)


@strawberry.type(description="Reads.")
class Query:
    @strawberry.field(description="The caller: role and scope.")
    def viewer(self, info: Info) -> Viewer:
        return viewer_of(info)

    @strawberry.field(
        description="Any object by its global id; null if it does not exist "
        "or the caller may not see it."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")],
    ) -> Node | None:
        return await resolve_node(info, id)

    @strawberry.field(
        description="Objects by global id, in the order given (null where not found)."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids.")],
    ) -> list[Node | None]:
        return await resolve_nodes(info, ids)

    @strawberry.field(description="The customers the caller may see, sorted by name.")
    async def customers(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
        search: Annotated[
            str | None, strawberry.argument(description="Part of a name or domain.")
        ] = None,
    ) -> Connection[Customer]:
        request = paging_arguments(
            kind=CUSTOMER_LIST,
            shape=(str, int),
            first=first,
            after=after,
            last=last,
            before=before,
            settings=info.context.settings,
        )
        search = text_argument(search, argument="search")
        database, scope = info.context.database, info.context.principal.customer_id
        page = await page_customers(database=database, scope=scope, search=search, request=request)

        async def count_total() -> int:
            return await count_customers(database=database, scope=scope, search=search)

        return to_connection(
            page,
            kind=CUSTOMER_LIST,
            key=customer_key,
            node=Customer.from_domain,
            count_total=count_total,
        )

    @strawberry.field(description="One customer; null if it does not exist or is not visible.")
    async def customer(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A Customer id.")],
    ) -> Customer | None:
        pk = id_argument(id, "Customer")
        if not info.context.principal.can_see(pk):
            return None
        customer = await info.context.loaders.customer_by_id.load(pk)
        return Customer.from_domain(customer) if customer else None
