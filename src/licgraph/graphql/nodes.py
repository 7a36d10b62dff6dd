"""`node` and `nodes`: any object by global id (the loaders leave out what the caller can't see)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from licgraph.graphql.arguments import check_id_count
from licgraph.graphql.context import Info
from licgraph.graphql.errors import BadUserInputError
from licgraph.graphql.ids import InvalidGlobalIdError, from_global_id
from licgraph.graphql.loaders import Loaders, SharedLoader
from licgraph.graphql.types.customer import Customer
from licgraph.graphql.types.groups import Group
from licgraph.graphql.types.license_event import LicenseEvent
from licgraph.graphql.types.license_job import LicenseJob
from licgraph.graphql.types.licensing import Product, ServicePlan, User
from licgraph.graphql.types.relay import Node

# Each node type: the loader of its rows by id, and how a row becomes the type.
_NODE_TYPES: dict[
    str, tuple[Callable[[Loaders], SharedLoader[int, Any]], Callable[[Any], Node]]
] = {
    "Customer": (lambda loaders: loaders.customer_by_id, Customer.from_domain),
    "User": (lambda loaders: loaders.user_by_id, User.from_domain),
    "Product": (lambda loaders: loaders.product_by_id, Product.from_domain),
    "ServicePlan": (lambda loaders: loaders.service_plan_by_id, ServicePlan.from_domain),
    "LicenseEvent": (lambda loaders: loaders.license_event_by_id, LicenseEvent.from_domain),
    "Group": (lambda loaders: loaders.group_by_id, Group.from_domain),
    "LicenseJob": (lambda loaders: loaders.license_job_by_id, LicenseJob.from_domain),
}


async def resolve_node(info: Info, global_id: str) -> Node | None:
    """The object behind ``global_id`` if it exists and the caller may see it."""
    try:
        type_name, pk = from_global_id(global_id)
    except InvalidGlobalIdError as error:
        raise BadUserInputError(str(error)) from None
    if type_name not in _NODE_TYPES:
        return None
    loader_of, to_node = _NODE_TYPES[type_name]
    row = await loader_of(info.context.loaders).load(pk)
    return None if row is None else to_node(row)


async def resolve_nodes(info: Info, global_ids: Sequence[str]) -> list[Node | None]:
    """``resolve_node`` for each id, batched by the loaders, in the order given."""
    check_id_count(len(global_ids), limit=info.context.settings.max_ids_per_request, argument="ids")
    found: list[Node | None] = await asyncio.gather(
        *(resolve_node(info, global_id) for global_id in global_ids)
    )
    return found
