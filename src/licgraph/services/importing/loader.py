"""The second pass of an import: in one transaction, check the rows against the database
(domains and sign-in names owned by others, seats already assigned, locations that licenses
held forbid) and upsert them by external key. Any problem rolls everything back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db import importing as db
from licgraph.domain.importing import (
    ImportedCustomer,
    ImportedEntitlement,
    ImportedUser,
    ImportKind,
    location_blocks_licenses,
    total_below_assigned,
)
from licgraph.services.importing.checks import ParsedRow, parsed_rows
from licgraph.services.importing.sources import Problem, Source

# Users per look-up and upsert batch: amortises round trips, keeps memory flat.
USERS_PER_BATCH = 5_000
T = TypeVar("T")


@dataclass
class ImportSummary:
    """How many rows of each kind an import inserted and updated."""

    counts: dict[str, list[int]] = field(
        default_factory=lambda: {kind.value: [0, 0] for kind in ImportKind}
    )

    def add(self, kind: ImportKind, *, new: int, updated: int) -> None:
        self.counts[kind.value][0] += new
        self.counts[kind.value][1] += updated

    def __str__(self) -> str:
        return "; ".join(
            f"{kind}: {new:,} new, {updated:,} updated"
            for kind, (new, updated) in self.counts.items()
        )


class _Load:
    """One import's pass over the database, inside the caller's transaction."""

    def __init__(
        self, connection: AsyncConnection, sources: Sequence[Source], on_rows: Callable[[int], None]
    ) -> None:
        self.connection = connection
        self.sources = sources
        self.on_rows = on_rows
        self.problems: list[Problem] = []
        self.summary = ImportSummary()
        self.customer_ids: dict[str, int | None] = {}
        # Customers of the files: while a problem holds their upsert back, rows naming them
        # are still checked, just not against a customer id they don't have yet.
        self.file_customers: set[str] = set()

    async def run(self) -> ImportSummary:
        await self._customers(self._parsed(ImportKind.CUSTOMERS))
        await self._entitlements(self._parsed(ImportKind.ENTITLEMENTS))
        for batch in _batches(self._parsed(ImportKind.USERS), USERS_PER_BATCH):
            await self._users(batch)
        return self.summary

    def _parsed(self, kind: ImportKind) -> Iterator[ParsedRow]:
        for source in self.sources:
            if source.kind is kind:
                # Every row passed the first pass: only parsed rows come back.
                yield from (row for row in parsed_rows(source) if isinstance(row, ParsedRow))

    def _problem(self, row: ParsedRow, reason: str) -> None:
        self.problems.append(Problem(row.file, row.line, reason))

    async def _customers(self, rows: Iterable[ParsedRow]) -> None:
        rows = list(rows)
        customers = [_as(row, ImportedCustomer) for row in rows]
        self.file_customers = {c.key for c in customers}
        known = await db.customers_by_external_id(self.connection, self.file_customers)
        owners = await db.customers_by_domain(self.connection, [c.domain for c in customers])
        for row, customer in zip(rows, customers, strict=True):
            owner = owners.get(customer.domain)
            if owner is not None and owner.external_id != customer.key:
                self._problem(row, f"domain {customer.domain} belongs to {owner.name!r} already")
        if not self.problems:
            await db.upsert_customers(self.connection, customers)
        self.summary.add(ImportKind.CUSTOMERS, new=len(rows) - len(known), updated=len(known))
        self.on_rows(len(rows))

    async def _entitlements(self, rows: Iterable[ParsedRow]) -> None:
        rows = list(rows)
        entitlements = [_as(row, ImportedEntitlement) for row in rows]
        ids = await self._resolve(rows, [e.customer_key for e in entitlements])
        assigned = await db.assigned_licenses(self.connection, {i for i in ids if i is not None})
        upserts: list[tuple[int, ImportedEntitlement]] = []
        for row, entitlement, customer_id in zip(rows, entitlements, ids, strict=True):
            if customer_id is None:
                continue
            held = assigned.get((customer_id, entitlement.sku_part_number))
            reason = (
                None if held is None else total_below_assigned(entitlement.total_licenses, held)
            )
            if reason is not None:
                self._problem(row, reason)
            upserts.append((customer_id, entitlement))
        if not self.problems:
            await db.upsert_products(self.connection, upserts)
        updated = sum(1 for c, e in upserts if (c, e.sku_part_number) in assigned)
        self.summary.add(ImportKind.ENTITLEMENTS, new=len(rows) - updated, updated=updated)
        self.on_rows(len(rows))

    async def _users(self, rows: Sequence[ParsedRow]) -> None:
        users = [_as(row, ImportedUser) for row in rows]
        ids = await self._resolve(rows, [u.customer_key for u in users])
        keyed = [(c, u) for c, u in zip(ids, users, strict=True) if c is not None]
        stored = await db.users_by_external_id(self.connection, [(c, u.key) for c, u in keyed])
        by_name = await db.users_by_principal_name(
            self.connection, [u.user_principal_name for u in users]
        )
        moving = [s.id for c, u in keyed if (s := stored.get((c, u.key))) is not None]
        held = await db.held_license_locations(self.connection, moving)
        for row, user, customer_id in zip(rows, users, ids, strict=True):
            self._check_user(row, user, customer_id, stored, by_name, held)
        if not self.problems:
            await db.upsert_users(self.connection, [(c, u) for c, u in keyed if c is not None])
        self.summary.add(ImportKind.USERS, new=len(rows) - len(stored), updated=len(stored))
        self.on_rows(len(rows))

    def _check_user(
        self,
        row: ParsedRow,
        user: ImportedUser,
        customer_id: int | None,
        stored: dict[tuple[int, str], db.StoredUser],
        by_name: dict[str, db.StoredUser],
        held: dict[int, frozenset[str]],
    ) -> None:
        owner = by_name.get(user.user_principal_name)
        same = customer_id is not None and stored.get((customer_id, user.key)) == owner
        if owner is not None and not same:
            name = user.user_principal_name
            self._problem(row, f"user_principal_name {name} belongs to another user")
        existing = None if customer_id is None else stored.get((customer_id, user.key))
        if existing is not None and existing.id in held:
            blocked = location_blocks_licenses(user.usage_location, held[existing.id])
            if blocked is not None:
                self._problem(row, blocked)

    async def _resolve(self, rows: Sequence[ParsedRow], keys: Sequence[str]) -> list[int | None]:
        """Customer ids for ``keys``; a key neither imported nor stored is a row's problem."""
        missing = {key for key in keys if key not in self.customer_ids}
        found = await db.customers_by_external_id(self.connection, missing)
        self.customer_ids.update({key: c.id for key, c in found.items()})
        ids: list[int | None] = []
        for row, key in zip(rows, keys, strict=True):
            customer_id = self.customer_ids.get(key)
            if customer_id is None and key not in self.file_customers:
                self._problem(
                    row,
                    f"customer_key {key!r} is neither in a customers file nor in the database",
                )
            ids.append(customer_id)
        return ids


async def load_checked(
    connection: AsyncConnection, sources: Sequence[Source], on_rows: Callable[[int], None]
) -> tuple[ImportSummary, list[Problem]]:
    """Check the rows against the database and upsert them while none has a problem."""
    load = _Load(connection, sources, on_rows)
    summary = await load.run()
    return summary, load.problems


def _as(row: ParsedRow, kind: type[T]) -> T:
    assert isinstance(row.value, kind)  # noqa: S101 - the kind's parser made it
    return row.value


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
