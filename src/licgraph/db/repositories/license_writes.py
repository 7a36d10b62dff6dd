"""The write side of a Save: row locks, multi-row writes and seat counts guarded in SQL."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, select, update

from licgraph.db.repositories._sql import Repository
from licgraph.db.tables import license_assignment_table, product_table, user_table
from licgraph.domain.outcomes import Assigned, PlansChanged, Revoked, UserOutcome

_assignment = license_assignment_table
_product = product_table


class SeatGuardError(RuntimeError):
    """Raised when a seat count update would oversell a product; the transaction must roll back."""


class LicenseWriter(Repository):
    """Applies planned changes inside the caller's transaction."""

    async def lock(self, *, product_ids: Sequence[int], user_ids: Sequence[int]) -> None:
        """Lock the products, then the users, each in id order, so concurrent saves can't
        deadlock; a no-op on SQLite, whose BEGIN IMMEDIATE already serialises writers."""
        if self.connection.dialect.name == "sqlite":
            return
        for table, ids in ((_product, product_ids), (user_table, user_ids)):
            if ids:
                query = select(table.c.id).where(self.among(table.c.id, ids))
                await self.connection.execute(query.order_by(table.c.id).with_for_update())

    async def apply(
        self, outcomes: Iterable[UserOutcome], *, now: datetime, directly: bool = True
    ) -> None:
        """Write every change of ``outcomes``: a few multi-row statements, none per user.

        ``directly``: a Save, whose licenses are direct assignments; False for a group's
        reconciliation, which leaves direct assignments as they are (a new license it gives
        has none, its group sources are written by the caller).
        """
        revoked: dict[int, list[int]] = defaultdict(list)
        assigned: list[tuple[Any, ...]] = []
        replanned: list[dict[str, Any]] = []
        for outcome in outcomes:
            for change in outcome.changes:
                if isinstance(change, Revoked):
                    revoked[change.product_id].append(outcome.user_id)
                elif isinstance(change, Assigned):
                    assigned.append(_new_row(outcome.user_id, change, now, directly=directly))
                elif isinstance(change, PlansChanged):
                    replanned.append(_plan_row(outcome.user_id, change))
        await self._revoke(revoked)
        await self.insert_many(_assignment, _NEW_ROW_COLUMNS, assigned)
        await self._replan(replanned, directly=directly)

    async def set_direct(self, plans: Mapping[tuple[int, int], frozenset[int] | None]) -> None:
        """Record each (user, product) license's direct assignment: the plans it turns off,
        or None for none (groups alone grant it); a license no longer held is skipped.

        One statement per distinct (product, plans), whatever the number of users: a Save
        gives every user the same plans (an executemany would cost a statement per row).
        """
        users: dict[tuple[int, tuple[int, ...] | None], list[int]] = defaultdict(list)
        for (user_id, product_id), plan_ids in plans.items():
            key = None if plan_ids is None else tuple(sorted(plan_ids))
            users[product_id, key].append(user_id)
        for (product_id, direct), user_ids in sorted(users.items(), key=repr):
            await self.connection.execute(
                update(_assignment)
                .where(
                    _assignment.c.product_id == product_id,
                    self.among(_assignment.c.user_id, sorted(user_ids)),
                )
                .values(direct_disabled_service_plan_ids=None if direct is None else list(direct))
            )

    async def move_seats(self, seat_changes: Mapping[int, int]) -> None:
        """Move each product's assigned count; refuses (raises) rather than oversell."""
        for product_id, delta in sorted(seat_changes.items()):
            guarded = (
                update(_product)
                .where(
                    _product.c.id == product_id,
                    _product.c.assigned_licenses + delta <= _product.c.total_licenses,
                    _product.c.assigned_licenses + delta >= 0,
                )
                .values(assigned_licenses=_product.c.assigned_licenses + delta)
            )
            if (await self.connection.execute(guarded)).rowcount != 1:
                raise SeatGuardError(f"moving product {product_id} by {delta} would oversell it")

    async def _revoke(self, users_by_product: Mapping[int, list[int]]) -> None:
        for product_id, user_ids in sorted(users_by_product.items()):
            await self.connection.execute(
                delete(_assignment).where(
                    and_(
                        _assignment.c.product_id == product_id,
                        self.among(_assignment.c.user_id, user_ids),
                    )
                )
            )

    async def _replan(self, rows: list[dict[str, Any]], *, directly: bool) -> None:
        if rows:
            plans: dict[str, Any] = {"disabled_service_plan_ids": bindparam("b_disabled")}
            if directly:
                plans["direct_disabled_service_plan_ids"] = bindparam("b_disabled")
            statement = (
                update(_assignment)
                .where(
                    _assignment.c.user_id == bindparam("b_user_id"),
                    _assignment.c.product_id == bindparam("b_product_id"),
                )
                .values(**plans)
            )
            await self.connection.execute(statement, rows)


# A Save assigns directly: a new license's plans are its direct source's plans.
_NEW_ROW_COLUMNS = (
    "user_id",
    "product_id",
    "disabled_service_plan_ids",
    "direct_disabled_service_plan_ids",
    "assigned_at",
)


def _new_row(user_id: int, change: Assigned, now: datetime, *, directly: bool) -> tuple[Any, ...]:
    disabled = sorted(change.disabled_service_plan_ids)
    return (user_id, change.product_id, disabled, disabled if directly else None, now)


def _plan_row(user_id: int, change: PlansChanged) -> dict[str, Any]:
    return {
        "b_user_id": user_id,
        "b_product_id": change.product_id,
        "b_disabled": sorted(change.disabled_after),
    }
