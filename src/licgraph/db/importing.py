"""SQL of `licgraph import`: look-ups by external key and upserts that keep re-runs idempotent.

Upserts are ``INSERT ... ON CONFLICT DO UPDATE`` on the unique external keys (customers by
``external_id``, users by ``(customer_id, external_id)``, products by
``(customer_id, sku_part_number)``), sent as executemany batches like ``bulk_load``. Every
function expects the caller's transaction; list arguments are chunked below the engines'
parameter limits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Table, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.tables import (
    customer_table,
    license_assignment_table,
    product_table,
    product_unavailable_location_table,
    user_table,
)
from licgraph.domain.directory import sort_key
from licgraph.domain.importing import ImportedCustomer, ImportedEntitlement, ImportedUser

# Keys per IN list: under SQLite's 32,766 and asyncpg's 32,767 bound parameters.
LOOKUP_CHUNK = 10_000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class StoredCustomer:
    """A customer already in the database, as an import sees it."""

    id: int
    external_id: str | None
    name: str
    domain: str


@dataclass(frozen=True, slots=True)
class StoredUser:
    """A user already in the database, as an import sees it."""

    id: int
    customer_id: int
    external_id: str | None
    user_principal_name: str


async def customers_by_external_id(
    connection: AsyncConnection, keys: Iterable[str]
) -> dict[str, StoredCustomer]:
    """The customers that carry these external keys."""
    found = await _customers(connection, customer_table.c.external_id, keys)
    return {customer.external_id: customer for customer in found if customer.external_id}


async def customers_by_domain(
    connection: AsyncConnection, domains: Iterable[str]
) -> dict[str, StoredCustomer]:
    """The customers that own these domains."""
    found = await _customers(connection, customer_table.c.domain, domains)
    return {customer.domain: customer for customer in found}


async def assigned_licenses(
    connection: AsyncConnection, customer_ids: Iterable[int]
) -> dict[tuple[int, str], int]:
    """Seats held per ``(customer_id, sku_part_number)`` of these customers' products."""
    columns = (product_table.c.customer_id, product_table.c.sku_part_number)
    result: dict[tuple[int, str], int] = {}
    for chunk in _chunks(sorted(set(customer_ids))):
        query = select(*columns, product_table.c.assigned_licenses).where(
            product_table.c.customer_id.in_(chunk)
        )
        for customer_id, sku, assigned in await connection.execute(query):
            result[customer_id, sku] = assigned
    return result


async def users_by_principal_name(
    connection: AsyncConnection, names: Iterable[str]
) -> dict[str, StoredUser]:
    """The users who sign in with these names."""
    found: dict[str, StoredUser] = {}
    for chunk in _chunks(sorted(set(names))):
        query = select(*_USER_COLUMNS).where(user_table.c.user_principal_name.in_(chunk))
        for row in await connection.execute(query):
            found[row.user_principal_name] = StoredUser(*row)
    return found


async def users_by_external_id(
    connection: AsyncConnection, keys: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], StoredUser]:
    """The users known by these ``(customer_id, external_id)`` keys."""
    found: dict[tuple[int, str], StoredUser] = {}
    key_columns = tuple_(user_table.c.customer_id, user_table.c.external_id)
    for chunk in _chunks(sorted(set(keys))):
        query = select(*_USER_COLUMNS).where(key_columns.in_(chunk))
        for row in await connection.execute(query):
            user = StoredUser(*row)
            found[user.customer_id, str(user.external_id)] = user
    return found


async def held_license_locations(
    connection: AsyncConnection, user_ids: Iterable[int]
) -> dict[int, frozenset[str]]:
    """For each of these users who holds a license, where those licenses are unavailable."""
    held: defaultdict[int, set[str]] = defaultdict(set)
    location = product_unavailable_location_table.c.usage_location
    joined = license_assignment_table.outerjoin(
        product_unavailable_location_table,
        product_unavailable_location_table.c.product_id == license_assignment_table.c.product_id,
    )
    for chunk in _chunks(sorted(set(user_ids))):
        query = (
            select(license_assignment_table.c.user_id, location)
            .select_from(joined)
            .where(license_assignment_table.c.user_id.in_(chunk))
        )
        for user_id, unavailable_in in await connection.execute(query):
            held[user_id].update([unavailable_in] if unavailable_in else [])
    return {user_id: frozenset(places) for user_id, places in held.items()}


async def upsert_customers(
    connection: AsyncConnection, customers: Sequence[ImportedCustomer]
) -> None:
    """Insert new customers, update those whose external key exists."""
    rows = [
        {"external_id": c.key, "name": c.name, "name_key": sort_key(c.name), "domain": c.domain}
        for c in customers
    ]
    await _upsert(connection, customer_table, rows, keys=("external_id",))


async def upsert_products(
    connection: AsyncConnection, entitlements: Sequence[tuple[int, ImportedEntitlement]]
) -> None:
    """Insert new ``(customer_id, entitlement)`` products, update name and total of others."""
    rows = [
        {
            "customer_id": customer_id,
            "sku_part_number": e.sku_part_number,
            "name": e.name,
            "total_licenses": e.total_licenses,
            "assigned_licenses": 0,  # for new rows only: an update leaves the count alone
        }
        for customer_id, e in entitlements
    ]
    await _upsert(
        connection,
        product_table,
        rows,
        keys=("customer_id", "sku_part_number"),
        keep=("assigned_licenses",),
    )


async def upsert_users(
    connection: AsyncConnection, users: Sequence[tuple[int, ImportedUser]]
) -> None:
    """Insert new ``(customer_id, user)`` rows, update those whose external key exists."""
    rows = [
        {
            "customer_id": customer_id,
            "external_id": u.key,
            "display_name": u.display_name,
            "display_name_key": sort_key(u.display_name),
            "user_principal_name": u.user_principal_name,
            "usage_location": u.usage_location,
        }
        for customer_id, u in users
    ]
    await _upsert(connection, user_table, rows, keys=("customer_id", "external_id"))


_USER_COLUMNS = (
    user_table.c.id,
    user_table.c.customer_id,
    user_table.c.external_id,
    user_table.c.user_principal_name,
)


async def _customers(
    connection: AsyncConnection, column: Any, values: Iterable[str]
) -> list[StoredCustomer]:
    columns = (
        customer_table.c.id,
        customer_table.c.external_id,
        customer_table.c.name,
        customer_table.c.domain,
    )
    found: list[StoredCustomer] = []
    for chunk in _chunks(sorted(set(values))):
        rows = await connection.execute(select(*columns).where(column.in_(chunk)))
        found.extend(StoredCustomer(*row) for row in rows)
    return found


async def _upsert(
    connection: AsyncConnection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    keys: tuple[str, ...],
    keep: tuple[str, ...] = (),
) -> None:
    if not rows:  # an empty executemany would insert one row of defaults
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    changed = {name: statement.excluded[name] for name in rows[0] if name not in (*keys, *keep)}
    upsert = statement.on_conflict_do_update(index_elements=list(keys), set_=changed)
    for chunk in _chunks(rows):
        await connection.execute(upsert, list(chunk))


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]
