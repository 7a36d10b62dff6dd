"""Per-request DataLoaders: each batch of keys costs one repository call (one SQL statement)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TypeVar

from strawberry.dataloader import DataLoader

from licgraph.db.engine import Database
from licgraph.db.repositories.assignments import AssignmentRepository
from licgraph.db.repositories.customers import CustomerRepository
from licgraph.db.repositories.events import LicenseEventRepository
from licgraph.db.repositories.products import ProductRepository
from licgraph.db.repositories.users import UserRepository
from licgraph.domain.catalog import Customer, Product, ProductRules, ServicePlan
from licgraph.domain.directory import User, UserFilter
from licgraph.domain.events import LicenseEvent
from licgraph.domain.licenses import LicenseAssignment
from licgraph.domain.paging import Page, PageRequest
from licgraph.domain.selection import SelectionHoldings

K = TypeVar("K")
V = TypeVar("V")


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose loads survive the cancellation of any one field awaiting them.

    graphql-core cancels the sibling fields of a field that fails. A plain DataLoader hands
    every field the same future for a key, so cancelling one waiter cancels the load for
    all of them, and the others see a CancelledError instead of their data.
    """

    def __init__(self, load_fn: Callable[[list[K]], Awaitable[Sequence[V]]]) -> None:
        super().__init__(load_fn)
        self._pending: set[asyncio.Future[V]] = set()

    def load(self, key: K) -> Awaitable[V]:
        shared = asyncio.ensure_future(super().load(key))
        if not shared.done():
            self._pending.add(shared)
            shared.add_done_callback(self._pending.discard)
        return asyncio.shield(shared)

    async def settle(self) -> None:
        """Wait for loads that cancelled fields left running, so none outlives the request."""
        await asyncio.gather(*self._pending, return_exceptions=True)


# A selection of users within one customer: (customer id, sorted distinct user ids).
SelectionKey = tuple[int, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class UserListKey:
    """One customer's user list as a client asked for it (search and filter)."""

    customer_id: int
    search: str | None
    user_filter: UserFilter


@dataclass(frozen=True, slots=True)
class UserPageKey:
    """One page of one customer's user list."""

    user_list: UserListKey
    request: PageRequest


@dataclass(frozen=True, slots=True)
class Loaders:
    """The loaders of one request; built fresh for every request, never shared."""

    customer_by_id: DataLoader[int, Customer | None]
    user_by_id: DataLoader[int, User | None]
    product_by_id: DataLoader[int, Product | None]
    service_plan_by_id: DataLoader[int, ServicePlan | None]
    products_by_customer_id: DataLoader[int, list[Product]]
    rules_by_product_id: DataLoader[int, ProductRules]
    licenses_by_user_id: DataLoader[int, list[LicenseAssignment]]
    holdings_by_selection: DataLoader[SelectionKey, SelectionHoldings]
    license_event_by_id: DataLoader[int, LicenseEvent | None]
    user_page: DataLoader[UserPageKey, Page[User]]
    user_count: DataLoader[UserListKey, int]


async def settle(loaders: Loaders) -> None:
    """Let every load of a request finish before the request ends."""
    for field in fields(loaders):
        loader = getattr(loaders, field.name)
        if isinstance(loader, SharedLoader):
            await loader.settle()


def _by_key(
    fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, V]]], missing: Callable[[], V]
) -> Callable[[list[K]], Awaitable[list[V]]]:
    """A batch function answering in key order, with ``missing()`` for absent keys."""

    async def load(keys: list[K]) -> list[V]:
        found = await fetch(keys)
        return [found.get(key, missing()) for key in keys]

    return load


def create_loaders(database: Database) -> Loaders:
    """Fresh loaders over ``database`` for one request."""

    async def customers(ids: Sequence[int]) -> Mapping[int, Customer]:
        async with database.connect() as connection:
            return await CustomerRepository(connection).by_ids(ids)

    async def users(ids: Sequence[int]) -> Mapping[int, User]:
        async with database.connect() as connection:
            return await UserRepository(connection).by_ids(ids)

    async def products(ids: Sequence[int]) -> Mapping[int, Product]:
        async with database.connect() as connection:
            return await ProductRepository(connection).by_ids(ids)

    async def plans(ids: Sequence[int]) -> Mapping[int, ServicePlan]:
        async with database.connect() as connection:
            return await ProductRepository(connection).service_plans_by_ids(ids)

    async def products_of_customers(ids: Sequence[int]) -> Mapping[int, list[Product]]:
        async with database.connect() as connection:
            return await ProductRepository(connection).by_customer_ids(ids)

    async def rules(ids: Sequence[int]) -> Mapping[int, ProductRules]:
        async with database.connect() as connection:
            return await ProductRepository(connection).rules_by_product_ids(ids)

    async def licenses(ids: Sequence[int]) -> Mapping[int, list[LicenseAssignment]]:
        async with database.connect() as connection:
            return await AssignmentRepository(connection).by_user_ids(ids)

    async def events(ids: Sequence[int]) -> Mapping[int, LicenseEvent]:
        async with database.connect() as connection:
            return await LicenseEventRepository(connection).by_ids(ids)

    async def selections(keys: list[SelectionKey]) -> list[SelectionHoldings]:
        # Distinct selections in one request are rare (one per screen); one statement each.
        async with database.connect() as connection:
            repository = AssignmentRepository(connection)
            return [
                await repository.holdings_of_selection(customer_id=customer_id, user_ids=ids)
                for customer_id, ids in keys
            ]

    async def user_pages(keys: list[UserPageKey]) -> list[Page[User]]:
        # A customers page asking for each customer's users: one statement per distinct
        # (search, filter, page) however many customers, not one per customer.
        found: dict[UserPageKey, Page[User]] = {}
        async with database.connect() as connection:
            repository = UserRepository(connection)
            for (search, user_filter, request), group in _grouped_pages(keys).items():
                pages = await repository.pages(
                    customer_ids=group, search=search, user_filter=user_filter, request=request
                )
                for customer_id, page in pages.items():
                    list_key = UserListKey(customer_id, search, user_filter)
                    found[UserPageKey(list_key, request)] = page
        return [found[key] for key in keys]

    async def user_counts(keys: list[UserListKey]) -> list[int]:
        found: dict[UserListKey, int] = {}
        async with database.connect() as connection:
            repository = UserRepository(connection)
            for (search, user_filter), group in _grouped_lists(keys).items():
                counts = await repository.counts(
                    customer_ids=group, search=search, user_filter=user_filter
                )
                for customer_id, count in counts.items():
                    found[UserListKey(customer_id, search, user_filter)] = count
        return [found[key] for key in keys]

    return Loaders(
        customer_by_id=SharedLoader(_by_key(customers, lambda: None)),
        user_by_id=SharedLoader(_by_key(users, lambda: None)),
        product_by_id=SharedLoader(_by_key(products, lambda: None)),
        service_plan_by_id=SharedLoader(_by_key(plans, lambda: None)),
        products_by_customer_id=SharedLoader(_by_key(products_of_customers, list)),
        rules_by_product_id=SharedLoader(_by_key(rules, lambda: ProductRules(product_id=0))),
        licenses_by_user_id=SharedLoader(_by_key(licenses, list)),
        holdings_by_selection=SharedLoader(selections),
        license_event_by_id=SharedLoader(_by_key(events, lambda: None)),
        user_page=SharedLoader(user_pages),
        user_count=SharedLoader(user_counts),
    )


def _grouped_pages(
    keys: list[UserPageKey],
) -> dict[tuple[str | None, UserFilter, PageRequest], list[int]]:
    groups: dict[tuple[str | None, UserFilter, PageRequest], list[int]] = {}
    for key in keys:
        list_key = key.user_list
        group = (list_key.search, list_key.user_filter, key.request)
        groups.setdefault(group, []).append(list_key.customer_id)
    return groups


def _grouped_lists(keys: list[UserListKey]) -> dict[tuple[str | None, UserFilter], list[int]]:
    groups: dict[tuple[str | None, UserFilter], list[int]] = {}
    for key in keys:
        groups.setdefault((key.search, key.user_filter), []).append(key.customer_id)
    return groups
