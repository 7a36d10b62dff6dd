"""The reads of one request: every repository over one connection, limited to a scope."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.engine import Database
from licgraph.db.keyset import KeysetList, Owner, count_rows, fetch_pages
from licgraph.db.repositories.assignments import AssignmentRepository
from licgraph.db.repositories.customers import CustomerRepository
from licgraph.db.repositories.events import LicenseEventRepository
from licgraph.db.repositories.groups import GroupRepository
from licgraph.db.repositories.license_jobs import LicenseJobRepository
from licgraph.db.repositories.products import ProductRepository
from licgraph.db.repositories.users import UserRepository
from licgraph.domain.paging import Page, PageRequest

Q = TypeVar("Q", bound=Hashable)
T = TypeVar("T")


class Repositories:
    """The repositories of one batch of reads, over one connection, each limited to ``scope``."""

    def __init__(self, connection: AsyncConnection, scope: int | None) -> None:
        self.customers = CustomerRepository(connection, scope=scope)
        self.users = UserRepository(connection, scope=scope)
        self.products = ProductRepository(connection, scope=scope)
        self.assignments = AssignmentRepository(connection, scope=scope)
        self.events = LicenseEventRepository(connection, scope=scope)
        self.groups = GroupRepository(connection, scope=scope)
        self.license_jobs = LicenseJobRepository(connection, scope=scope)
        self._connection = connection
        self._scope = scope

    async def pages(
        self,
        listing: KeysetList[Q, T],
        *,
        owners: Sequence[Owner],
        query: Q,
        request: PageRequest,
    ) -> dict[Owner, Page[T]]:
        """The same page of each owner's ``listing`` (see ``keyset.fetch_pages``)."""
        return await fetch_pages(
            self._connection,
            listing,
            owners=owners,
            query=query,
            request=request,
            scope=self._scope,
        )

    async def counts(
        self, listing: KeysetList[Q, Any], *, owners: Sequence[Owner], query: Q
    ) -> dict[Owner, int]:
        """How many rows each owner's ``listing`` holds (see ``keyset.count_rows``)."""
        return await count_rows(
            self._connection, listing, owners=owners, query=query, scope=self._scope
        )


@dataclass(frozen=True, slots=True)
class Reads:
    """How a request reads: its database, and the customer its caller is scoped to (or None)."""

    database: Database
    scope: int | None

    async def run(self, read: Callable[[Repositories], Awaitable[T]]) -> T:
        """``read`` with repositories limited to the scope, on a pooled read connection."""
        async with self.database.connect() as connection:
            return await read(Repositories(connection, self.scope))
