"""Replaying the first result of a keyed request inside the request's own transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.repositories.idempotency import IdempotencyRepository
from licgraph.domain.idempotency import IdempotencyKeyReusedError

T = TypeVar("T")


async def run_once(
    connection: AsyncConnection,
    *,
    token_id: int,
    key: str | None,
    request_hash: str,
    run: Callable[[], Awaitable[T]],
    encode: Callable[[T], dict[str, Any]],
    decode: Callable[[dict[str, Any]], T],
    now: datetime,
) -> T:
    """``run()`` and remember its result under ``key``; a retry with the key replays it.

    The same key with another input raises ``IdempotencyKeyReusedError``. Without a key this
    is just ``run()``. Keys belong to one caller (token).
    """
    if key is None:
        return await run()
    store = IdempotencyRepository(connection)
    record = await store.find(token_id=token_id, key=key)
    if record is not None:
        if record.request_hash != request_hash:
            raise IdempotencyKeyReusedError(f"idempotencyKey {key!r} was used for another request")
        return decode(record.response)
    result = await run()
    await store.save(
        token_id=token_id, key=key, request_hash=request_hash, response=encode(result), now=now
    )
    return result
