"""The floors of a Save: the same rows written the fastest plain way each engine offers.

A floor writes what licgraph's Save writes — one assignment row per (user, product), one
change-log row per change, and each product's seat count moved under the same guard
(``assigned + k <= total``) — in one transaction, with none of the reads, planning, GraphQL
or HTTP around it. SQLite: stdlib ``sqlite3`` with ``executemany``. PostgreSQL: asyncpg
``copy_records_to_table`` for the rows, array parameters for the revoke.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

ACTOR_NAME, ACTOR_ROLE, REQUEST_ID = "bench-floor", "ADMIN_AGENT", "bench-floor"
ASSIGNED_DETAILS, REVOKED_DETAILS = '{"disabledServicePlanIds": []}', "{}"
EVENT_COLUMNS = (
    "customer_id",
    "occurred_at",
    "action",
    "user_id",
    "product_id",
    "actor_name",
    "actor_role",
    "request_id",
    "details",
)


class SeatGuardError(RuntimeError):
    """Raised when a floor's guarded seat update would oversell (the data set is wrong)."""


@dataclass(frozen=True)
class Change:
    """The same change for every user: assign (``sign`` 1) or revoke (-1) the products."""

    customer_pk: int
    user_pks: Sequence[int]
    product_pks: Sequence[int]
    sign: int

    @property
    def action(self) -> str:
        return "ASSIGNED" if self.sign > 0 else "REVOKED"

    @property
    def details(self) -> str:
        return ASSIGNED_DETAILS if self.sign > 0 else REVOKED_DETAILS

    def pairs(self) -> list[tuple[int, int]]:
        """(user, product) in the order a Save writes them: user by user."""
        return [(user, product) for user in self.user_pks for product in self.product_pks]


def sqlite_floor(path: str, change: Change) -> float:
    """Seconds for stdlib sqlite3 to apply ``change`` in one transaction."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous=NORMAL")  # as licgraph sets it
        connection.execute("PRAGMA foreign_keys=ON")
        started = time.perf_counter()
        _sqlite_apply(connection, change)
        return time.perf_counter() - started
    finally:
        connection.close()


def _sqlite_apply(connection: sqlite3.Connection, change: Change) -> None:
    # SQLAlchemy stores DateTime as this text on SQLite; the floor writes the same.
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    pairs = change.pairs()
    connection.execute("BEGIN IMMEDIATE")
    try:
        for product in change.product_pks:
            _sqlite_guard(connection, product, change.sign * len(change.user_pks))
        if change.sign > 0:
            connection.executemany(
                "INSERT INTO license_assignment"
                " (user_id, product_id, disabled_service_plan_ids, assigned_at)"
                " VALUES (?, ?, '[]', ?)",
                [(user, product, now) for user, product in pairs],
            )
        else:
            connection.executemany(
                "DELETE FROM license_assignment WHERE user_id = ? AND product_id = ?", pairs
            )
        connection.executemany(
            f"INSERT INTO license_event ({', '.join(EVENT_COLUMNS)})"  # noqa: S608 - constants
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_event(change, user, product, now) for user, product in pairs],
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _sqlite_guard(connection: sqlite3.Connection, product: int, delta: int) -> None:
    cursor = connection.execute(
        "UPDATE product SET assigned_licenses = assigned_licenses + ?"
        " WHERE id = ? AND assigned_licenses + ? <= total_licenses"
        " AND assigned_licenses + ? >= 0",
        (delta, product, delta, delta),
    )
    if cursor.rowcount != 1:
        raise SeatGuardError(f"moving product {product} by {delta} would oversell it")


def _event(change: Change, user: int, product: int, now: object) -> tuple[object, ...]:
    return (
        change.customer_pk,
        now,
        change.action,
        user,
        product,
        ACTOR_NAME,
        ACTOR_ROLE,
        REQUEST_ID,
        change.details,
    )


def postgres_floor(libpq_url: str, change: Change) -> float:
    """Seconds for asyncpg to apply ``change`` in one transaction (COPY for the rows)."""
    return asyncio.run(_postgres_floor(libpq_url, change))


async def _postgres_floor(libpq_url: str, change: Change) -> float:
    connection = await asyncpg.connect(libpq_url)
    try:
        started = time.perf_counter()
        async with connection.transaction():
            await _postgres_apply(connection, change)
        return time.perf_counter() - started
    finally:
        await connection.close()


async def _postgres_apply(connection: asyncpg.Connection, change: Change) -> None:
    now = datetime.now(UTC)
    delta = change.sign * len(change.user_pks)
    for product in change.product_pks:
        status = await connection.execute(
            "UPDATE product SET assigned_licenses = assigned_licenses + $1"
            " WHERE id = $2 AND assigned_licenses + $1 <= total_licenses"
            " AND assigned_licenses + $1 >= 0",
            delta,
            product,
        )
        if status != "UPDATE 1":
            raise SeatGuardError(f"moving product {product} by {delta} would oversell it")
    pairs = change.pairs()
    if change.sign > 0:
        await connection.copy_records_to_table(
            "license_assignment",
            records=[(user, product, "[]", now) for user, product in pairs],
            columns=("user_id", "product_id", "disabled_service_plan_ids", "assigned_at"),
        )
    else:
        await connection.execute(
            "DELETE FROM license_assignment"
            " WHERE product_id = ANY($1::int[]) AND user_id = ANY($2::int[])",
            list(change.product_pks),
            list(change.user_pks),
        )
    await connection.copy_records_to_table(
        "license_event",
        records=[_event(change, user, product, now) for user, product in pairs],
        columns=EVENT_COLUMNS,
    )
