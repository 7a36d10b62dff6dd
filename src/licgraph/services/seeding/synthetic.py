"""A large generated data set, written in batches so a million users load in seconds."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

from licgraph.db import bulk_load
from licgraph.db.engine import Database
from licgraph.services.seeding.dataset import SeedSummary, UserSpec
from licgraph.services.seeding.loader import LoadedCatalog, load_customer, load_users
from licgraph.services.seeding.synthetic_data import SyntheticTenant

# Users per write transaction: big enough to amortise commits, small enough that memory
# stays flat and other writers get the SQLite lock between batches.
USERS_PER_BATCH = 10_000


def _ignore_progress(_: int) -> None:
    """Progress callback that does nothing."""


async def seed_synthetic(
    *,
    database: Database,
    customers: int,
    users: int,
    products: int,
    on_progress: Callable[[int], None] = _ignore_progress,
    seed: int = 0,
    batch_size: int = USERS_PER_BATCH,
) -> SeedSummary:
    """Append generated customers, each with ``users`` users and ``products`` products."""
    _check_sizes(customers=customers, users=users, products=products, batch_size=batch_size)
    assigned_at = datetime.now(UTC)
    summary = SeedSummary()
    for index in range(customers):
        async with database.transaction() as connection:
            # The next customer id names the tenant, so appended runs never reuse a domain;
            # the lock keeps a concurrent run from picking the same one.
            await bulk_load.lock_customers(connection)
            ordinal = await bulk_load.max_customer_id(connection) + 1
            tenant = SyntheticTenant(seed, index, ordinal, users, products)
            catalog = await load_customer(connection, tenant.customer)
        batches = tenant.user_batches(batch_size)
        summary += await _load_users(database, tenant, catalog, batches, on_progress, assigned_at)
    return summary


async def _load_users(
    database: Database,
    tenant: SyntheticTenant,
    catalog: LoadedCatalog,
    batches: Iterable[Sequence[UserSpec]],
    on_progress: Callable[[int], None],
    assigned_at: datetime,
) -> SeedSummary:
    # Each batch adds its licenses to the assigned counts in its own transaction, so the
    # invariant (assigned == rows <= total) holds at every commit, even if a run stops.
    assignments = 0
    for batch in batches:
        async with database.transaction() as connection:
            assignments += await load_users(connection, catalog, batch, assigned_at=assigned_at)
        on_progress(len(batch))
    return SeedSummary(1, tenant.user_count, tenant.product_count, assignments)


def _check_sizes(*, customers: int, users: int, products: int, batch_size: int) -> None:
    if customers < 1 or products < 1 or users < 0 or batch_size < 1:
        raise ValueError(
            "a synthetic data set needs customers >= 1, users >= 0, products >= 1 and"
            f" batch_size >= 1 (got customers={customers}, users={users},"
            f" products={products}, batch_size={batch_size})"
        )
