"""Stored first responses of keyed requests, per caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from licgraph.db.repositories._sql import Repository
from licgraph.db.tables import idempotency_record_table

_record = idempotency_record_table


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """The fingerprint of the first request made with a key, and its response."""

    request_hash: str
    response: dict[str, Any]


class IdempotencyRepository(Repository):
    """Finds and saves records inside the Save's own transaction."""

    async def find(self, *, token_id: int, key: str) -> IdempotencyRecord | None:
        """The record of ``key`` for this caller, if any."""
        row = (
            await self.connection.execute(
                select(_record.c.request_hash, _record.c.response).where(
                    _record.c.token_id == token_id, _record.c.key == key
                )
            )
        ).first()
        return IdempotencyRecord(row.request_hash, row.response) if row else None

    async def save(
        self, *, token_id: int, key: str, request_hash: str, response: dict[str, Any], now: datetime
    ) -> None:
        """Keep the first response of ``key``; a concurrent twin fails on the primary key."""
        await self.connection.execute(
            insert(_record).values(
                token_id=token_id,
                key=key,
                request_hash=request_hash,
                response=response,
                created_at=now,
            )
        )
