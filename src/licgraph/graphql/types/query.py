"""The root of every read."""

from __future__ import annotations

from typing import Annotated

import strawberry

from licgraph.db.repositories.customers import CUSTOMERS
from licgraph.graphql.arguments import id_argument, text_argument
from licgraph.graphql.context import Info
from licgraph.graphql.nodes import resolve_node, resolve_nodes
from licgraph.graphql.paging import AfterArg, BeforeArg, FirstArg, LastArg, connection
from licgraph.graphql.types.customer import Customer
from licgraph.graphql.types.relay import Connection, Node
from licgraph.graphql.types.viewer import Viewer, viewer_of
from licgraph.observability.record import note_customer


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
        return await connection(
            info,
            CUSTOMERS,
            Customer.from_domain,
            owner=None,  # the one list of the partner's customers (the scope applies)
            query=text_argument(search, argument="search"),
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="One customer; null if it does not exist or is not visible.")
    async def customer(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A Customer id.")],
    ) -> Customer | None:
        customer = await info.context.loaders.customer_by_id.load(id_argument(id, "Customer"))
        if customer is None:
            return None
        note_customer(customer.id)
        return Customer.from_domain(customer)
