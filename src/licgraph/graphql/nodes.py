"""`node` and `nodes`: any object by global id, filtered by what the caller may see."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from licgraph.graphql.arguments import check_id_count
from licgraph.graphql.context import Info
from licgraph.graphql.errors import BadUserInputError
from licgraph.graphql.ids import InvalidGlobalIdError, from_global_id
from licgraph.graphql.types.customer import Customer
from licgraph.graphql.types.license_event import LicenseEvent
from licgraph.graphql.types.product import Product, ServicePlan
from licgraph.graphql.types.relay import Node
from licgraph.graphql.types.user import User


async def _customer(info: Info, pk: int) -> Node | None:
    customer = await info.context.loaders.customer_by_id.load(pk)
    if customer is None or not info.context.principal.can_see(customer.id):
        return None
    return Customer.from_domain(customer)


async def _user(info: Info, pk: int) -> Node | None:
    user = await info.context.loaders.user_by_id.load(pk)
    if user is None or not info.context.principal.can_see(user.customer_id):
        return None
    return User.from_domain(user)


async def _product(info: Info, pk: int) -> Node | None:
    product = await info.context.loaders.product_by_id.load(pk)
    if product is None or not info.context.principal.can_see(product.customer_id):
        return None
    return Product.from_domain(product)


async def _service_plan(info: Info, pk: int) -> Node | None:
    plan = await info.context.loaders.service_plan_by_id.load(pk)
    if plan is None or await _product(info, plan.product_id) is None:
        return None
    return ServicePlan.from_domain(plan)


async def _license_event(info: Info, pk: int) -> Node | None:
    event = await info.context.loaders.license_event_by_id.load(pk)
    if event is None or not info.context.principal.can_see(event.customer_id):
        return None
    return LicenseEvent.from_domain(event)


_RESOLVERS: dict[str, Callable[[Info, int], Awaitable[Node | None]]] = {
    "Customer": _customer,
    "User": _user,
    "Product": _product,
    "ServicePlan": _service_plan,
    "LicenseEvent": _license_event,
}


async def resolve_node(info: Info, global_id: str) -> Node | None:
    """The object behind ``global_id`` if it exists and the caller may see it."""
    try:
        type_name, pk = from_global_id(global_id)
    except InvalidGlobalIdError as error:
        raise BadUserInputError(str(error)) from None
    resolver = _RESOLVERS.get(type_name)
    return await resolver(info, pk) if resolver else None


async def resolve_nodes(info: Info, global_ids: Sequence[str]) -> list[Node | None]:
    """``resolve_node`` for each id, batched by the loaders, in the order given."""
    check_id_count(len(global_ids), limit=info.context.settings.max_ids_per_request, argument="ids")
    return list(await asyncio.gather(*(resolve_node(info, gid) for gid in global_ids)))
