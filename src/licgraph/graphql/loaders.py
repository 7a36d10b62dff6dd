"""Per-request DataLoaders, declared as a table: a batch of keys costs one repository call.

Every read of a request goes through these loaders, and every loader reads through
repositories limited to the caller's scope (``db/reads.py``): another customer's rows come
back as absent (None, an empty list or an empty page), so no resolver or node type has a
visibility check to forget. Loaders are made on first use; a request pays for those it uses.

Adding a loader is one line in ``Loaders``; adding a list is one ``KeysetList`` declaration
in its repository, read through ``Loaders.pages`` and ``Loaders.counts``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from strawberry.dataloader import DataLoader, LoaderTask, get_current_batch

from licgraph.db.engine import Database
from licgraph.db.keyset import KeysetList, Owner
from licgraph.db.reads import Reads, Repositories
from licgraph.domain.access import Principal
from licgraph.domain.catalog import Customer, Product, ProductRules, ServicePlan
from licgraph.domain.directory import User
from licgraph.domain.events import LicenseEvent
from licgraph.domain.groups import Group, GroupLicense
from licgraph.domain.license_errors import LicenseErrorCode
from licgraph.domain.license_jobs import LicenseJob
from licgraph.domain.licenses import LicenseAssignment
from licgraph.domain.paging import Page, PageRequest
from licgraph.domain.selection import SelectionHoldings

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Q = TypeVar("Q", bound=Hashable)
T = TypeVar("T")


class _SharedFuture(asyncio.Future[Any]):
    """A load's result, shared by every field that asked for its key.

    graphql-core cancels the sibling fields of a field that fails. A waiter's cancellation
    must end that waiter only, not the load the other waiters still need: a future that
    refuses to be cancelled makes the waiting task cancel itself once the result is in
    (what ``asyncio.shield`` does, without a future and a callback per load).
    """

    def cancel(self, msg: Any = None) -> bool:
        return False


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose loads survive the cancellation of any one field awaiting them."""

    def __init__(self, load_fn: Callable[[list[K]], Awaitable[Sequence[V]]]) -> None:
        super().__init__(load_fn)
        self._futures: list[asyncio.Future[Any]] = []

    def load(self, key: K) -> asyncio.Future[V]:
        future: asyncio.Future[V] | None = self.cache_map.get(key)
        if future is None:
            future = _SharedFuture(loop=self.loop)
            self.cache_map.set(key, future)
            # Not Batch.add_task: its callback cancels a batch whose futures all were,
            # which never happens to futures that can't be cancelled.
            get_current_batch(self).tasks.append(LoaderTask(key, future))
            self._futures.append(future)
        return future

    async def load_many(self, keys: Iterable[K]) -> list[V]:
        """The values of ``keys`` in order; a key asked twice is loaded and waited for once
        (a page's hundreds of licenses name a handful of products)."""
        keys = list(keys)
        futures = {key: self.load(key) for key in dict.fromkeys(keys)}
        for future in futures.values():
            # One batch sets them all: after the first wait the rest are done already,
            # so this costs one wake-up, where gather() would register one per key.
            if not future.done():
                await future
        values = {key: future.result() for key, future in futures.items()}
        return [values[key] for key in keys]

    async def settle(self) -> None:
        """Wait for loads that cancelled fields left running, so none outlives the request;
        then forget every value (see ``Loaders.settle``)."""
        await asyncio.gather(*(future for future in self._futures if not future.done()))
        self._futures.clear()
        self.clear_all()
        self.batch = None  # its tasks hold the last batch's futures


Batch = Callable[[Repositories, list[K]], Awaitable[Sequence[V]]]


class LoaderRecipe(Generic[K, V]):
    """A row of the loader table: how one batch of keys is read."""

    def __init__(self, batch: Batch[K, V]) -> None:
        self.batch = batch
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, loaders: None, owner: type) -> LoaderRecipe[K, V]: ...
    @overload
    def __get__(self, loaders: Loaders, owner: type) -> SharedLoader[K, V]: ...
    def __get__(self, loaders: Loaders | None, owner: type) -> Any:
        if loaders is None:
            return self
        # Kept on the instance: later lookups find it there and skip this descriptor.
        loader = loaders.__dict__[self.name] = self.loader(loaders.reads)
        return loader

    def loader(self, reads: Reads) -> SharedLoader[K, V]:
        """A fresh loader reading with ``reads``."""
        batch = self.batch

        async def load(keys: list[K]) -> Sequence[V]:
            return await reads.run(lambda repositories: batch(repositories, keys))

        return SharedLoader(load)


def by_key(
    fetch: Callable[[Repositories, list[K]], Awaitable[Mapping[K, V]]],
    missing: Callable[[K], V],
) -> LoaderRecipe[K, V]:
    """A loader answering in key order from a ``{key: value}`` fetch, ``missing(key)`` else."""

    async def batch(repositories: Repositories, keys: list[K]) -> list[V]:
        found = await fetch(repositories, keys)
        return [found[key] if key in found else missing(key) for key in keys]

    return LoaderRecipe(batch)


def by_id(
    fetch: Callable[[Repositories, list[K]], Awaitable[Mapping[K, V]]],
) -> LoaderRecipe[K, V | None]:
    """A loader of rows by id: None for an id that names nothing the caller may see."""
    return by_key(fetch, _none)


def _none(_: object) -> None:
    return None


def _empty(_: object) -> list[Any]:
    return []


def _zero(_: object) -> int:
    return 0


def _no_rules(product_id: int) -> ProductRules:
    return ProductRules(product_id=product_id)


# A selection of users within one customer: (customer id, sorted distinct user ids).
SelectionKey = tuple[int, tuple[int, ...]]


async def _selections(
    repositories: Repositories, keys: list[SelectionKey]
) -> list[SelectionHoldings]:
    # Distinct selections in one request are rare (one per screen); one statement each.
    return [
        await repositories.assignments.holdings_of_selection(customer_id=customer, user_ids=ids)
        for customer, ids in keys
    ]


@dataclass(frozen=True, slots=True)
class ListKey(Generic[Q]):
    """One owner's list as a client asked for it (a customer's users with a search, say)."""

    owner: Owner
    query: Q


@dataclass(frozen=True, slots=True)
class PageKey(Generic[Q]):
    """One page of one owner's list."""

    list_key: ListKey[Q]
    request: PageRequest


def _pages_of(listing: KeysetList[Q, T]) -> LoaderRecipe[PageKey[Q], Page[T]]:
    """Pages of a list: one statement per distinct (query, page), however many owners."""

    async def batch(repositories: Repositories, keys: list[PageKey[Q]]) -> list[Page[T]]:
        groups: dict[tuple[Q, PageRequest], list[Owner]] = {}
        for key in keys:
            groups.setdefault((key.list_key.query, key.request), []).append(key.list_key.owner)
        found: dict[PageKey[Q], Page[T]] = {}
        for (query, request), owners in groups.items():
            pages = await repositories.pages(listing, owners=owners, query=query, request=request)
            found.update(
                {PageKey(ListKey(owner, query), request): page for owner, page in pages.items()}
            )
        return [found[key] for key in keys]

    return LoaderRecipe(batch)


def _counts_of(listing: KeysetList[Q, Any]) -> LoaderRecipe[ListKey[Q], int]:
    """Totals of a list: one grouped statement per distinct query, however many owners."""

    async def batch(repositories: Repositories, keys: list[ListKey[Q]]) -> list[int]:
        groups: dict[Q, list[Owner]] = {}
        for key in keys:
            groups.setdefault(key.query, []).append(key.owner)
        found: dict[ListKey[Q], int] = {}
        for query, owners in groups.items():
            totals = await repositories.counts(listing, owners=owners, query=query)
            found.update({ListKey(owner, query): total for owner, total in totals.items()})
        return [found[key] for key in keys]

    return LoaderRecipe(batch)


class Loaders:
    """The loaders of one request (built fresh for every request, never shared)."""

    customer_by_id: LoaderRecipe[int, Customer | None] = by_id(
        lambda r, ids: r.customers.by_ids(ids)
    )
    user_by_id: LoaderRecipe[int, User | None] = by_id(lambda r, ids: r.users.by_ids(ids))
    product_by_id: LoaderRecipe[int, Product | None] = by_id(lambda r, ids: r.products.by_ids(ids))
    service_plan_by_id: LoaderRecipe[int, ServicePlan | None] = by_id(
        lambda r, ids: r.products.service_plans_by_ids(ids)
    )
    license_event_by_id: LoaderRecipe[int, LicenseEvent | None] = by_id(
        lambda r, ids: r.events.by_ids(ids)
    )
    license_job_by_id: LoaderRecipe[int, LicenseJob | None] = by_id(
        lambda r, ids: r.license_jobs.by_ids(ids)
    )
    error_summary_by_job_id: LoaderRecipe[int, list[tuple[LicenseErrorCode, int]]] = by_key(
        lambda r, ids: r.license_jobs.error_summaries(ids), _empty
    )
    products_by_customer_id: LoaderRecipe[int, list[Product]] = by_key(
        lambda r, ids: r.products.by_customer_ids(ids), _empty
    )
    rules_by_product_id: LoaderRecipe[int, ProductRules] = by_key(
        lambda r, ids: r.products.rules_by_product_ids(ids), _no_rules
    )
    licenses_by_user_id: LoaderRecipe[int, list[LicenseAssignment]] = by_key(
        lambda r, ids: r.assignments.by_user_ids(ids), _empty
    )
    group_by_id: LoaderRecipe[int, Group | None] = by_id(lambda r, ids: r.groups.by_ids(ids))
    licenses_by_group_id: LoaderRecipe[int, list[GroupLicense]] = by_key(
        lambda r, ids: r.groups.licenses_by_group_ids(ids), _empty
    )
    groups_by_license: LoaderRecipe[tuple[int, int], list[Group]] = by_key(
        lambda r, keys: r.groups.granting_groups(keys), _empty
    )
    groups_by_user_id: LoaderRecipe[int, list[Group]] = by_key(
        lambda r, ids: r.groups.of_users(ids), _empty
    )
    member_count_by_group_id: LoaderRecipe[int, int] = by_key(
        lambda r, ids: r.groups.member_counts(ids), _zero
    )
    holdings_by_selection: LoaderRecipe[SelectionKey, SelectionHoldings] = LoaderRecipe(_selections)

    def __init__(self, *, database: Database, principal: Principal) -> None:
        self.reads = Reads(database, scope=principal.customer_id)
        self._lists: dict[tuple[str, str], SharedLoader[Any, Any]] = {}

    def pages(self, listing: KeysetList[Q, T]) -> SharedLoader[PageKey[Q], Page[T]]:
        """The page loader of a declared list."""
        return self._of_list("pages", listing, _pages_of)

    def counts(self, listing: KeysetList[Q, Any]) -> SharedLoader[ListKey[Q], int]:
        """The total-count loader of a declared list."""
        return self._of_list("counts", listing, _counts_of)

    def _of_list(
        self,
        kind: str,
        listing: KeysetList[Any, Any],
        recipe: Callable[[KeysetList[Any, Any]], LoaderRecipe[Any, Any]],
    ) -> SharedLoader[Any, Any]:
        loader = self._lists.get((kind, listing.name))
        if loader is None:
            loader = self._lists[(kind, listing.name)] = recipe(listing).loader(self.reads)
        return loader

    async def settle(self) -> None:
        """Let every load of the request finish before the request ends, then forget what
        they read.

        graphql-core's execution context is a reference cycle (it holds bound methods of
        itself), and through the request's context it reaches these loaders: their values
        would wait for the cyclic collector. Forgotten here, a page's thousand objects are
        freed when the response is, and the collector finds a few dozen.
        """
        for loader in [*vars(self).values(), *self._lists.values()]:
            if isinstance(loader, SharedLoader):
                await loader.settle()
