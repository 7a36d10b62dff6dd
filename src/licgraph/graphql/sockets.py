"""WebSocket connections for subscriptions: who is on them, and what keeps them honest.

A connection authenticates once, with the token in its ``connection_init`` payload
(``{"Authorization": "Bearer ..."}``); a watchdog then checks that token again every few
seconds and closes the connection (4403) once it is revoked or expired, ending its
subscriptions, and closes a connection that has had no subscription for the idle timeout.
A token holds at most ``max_subscriptions_per_token`` live subscriptions in a process.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import structlog
from starlette.websockets import WebSocket, WebSocketState

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal
from licgraph.graphql.errors import SubscriptionLimitError
from licgraph.graphql.loaders import Loaders
from licgraph.services.live import ChangeFeed
from licgraph.services.tokens import authenticate

log = structlog.get_logger(__name__)

REVOKED = 4403  # graphql-transport-ws's "Forbidden"
IDLE = 4000


class TokenSubscriptions:
    """Live subscriptions per token in this process, against a limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._counts: Counter[int] = Counter()

    def claim(self, token_id: int) -> None:
        """Count one more subscription of the token, or refuse it over the limit."""
        if self._counts[token_id] >= self.limit:
            raise SubscriptionLimitError(
                f"this token already holds {self.limit} live subscriptions "
                "(LICGRAPH_MAX_SUBSCRIPTIONS_PER_TOKEN); end one first"
            )
        self._counts[token_id] += 1

    def release(self, token_id: int) -> None:
        """Count one subscription of the token less."""
        self._counts[token_id] -= 1
        if self._counts[token_id] <= 0:
            del self._counts[token_id]


def bearer_in(payload: dict[str, Any]) -> str | None:
    """The token of ``{"Authorization": "Bearer ..."}`` in a connection_init payload."""
    value = next((value for key, value in payload.items() if key.lower() == "authorization"), None)
    if not isinstance(value, str):
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


@dataclass
class SocketContext:
    """The context of every operation on one WebSocket connection (``Context``'s fields too).

    ``loaders`` are replaced before each event a subscription sends, so an event never
    shows data cached for an earlier one.
    """

    websocket: WebSocket
    database: Database
    settings: Settings
    feed: ChangeFeed
    subscriptions: TokenSubscriptions
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    connection_params: dict[str, Any] = field(default_factory=dict)
    principal: Principal | None = None
    loaders: Loaders | None = None
    _bearer: str | None = None
    _active: int = 0
    _idle_since: float = field(default_factory=time.monotonic)
    _watchdog: asyncio.Task[None] | None = None

    async def authenticate(self) -> bool:
        """Whether the connection_init payload carries a usable token; starts the watchdog."""
        self._bearer = bearer_in(self.connection_params)
        principal = self._bearer and await authenticate(database=self.database, bearer=self._bearer)
        if not principal:
            return False
        self.principal = principal
        self.fresh_loaders()
        self._watchdog = asyncio.create_task(self._watch())
        return True

    def fresh_loaders(self) -> Loaders:
        """New loaders for the caller (before each event)."""
        assert self.principal is not None  # noqa: S101 - only after authenticate()
        self.loaders = Loaders(database=self.database, principal=self.principal)
        return self.loaders

    @property
    def caller(self) -> Principal:
        """The authenticated caller (operations only run after connection_ack)."""
        assert self.principal is not None  # noqa: S101 - set before connection_ack
        return self.principal

    def claim_subscription(self) -> None:
        """Count a new subscription of this connection's token, within the token's limit.

        Claimed when the subscription is accepted (so a refusal is its error, not a broken
        stream); ``release_subscription`` ends it, from the stream's ``finally``.
        """
        self.subscriptions.claim(self.caller.token_id)
        self._active += 1

    def release_subscription(self) -> None:
        """The end of a subscription ``claim_subscription`` counted."""
        self._active -= 1
        self._idle_since = time.monotonic()
        self.subscriptions.release(self.caller.token_id)

    async def _watch(self) -> None:
        settings = self.settings
        while self.websocket.application_state is WebSocketState.CONNECTED:
            await asyncio.sleep(settings.websocket_auth_check_seconds)
            assert self._bearer is not None  # noqa: S101 - set before the watchdog starts
            if await authenticate(database=self.database, bearer=self._bearer) is None:
                await self._close(REVOKED, "Forbidden: the token was revoked or expired")
                return
            idle_for = time.monotonic() - self._idle_since
            if self._active == 0 and idle_for > settings.websocket_idle_timeout_seconds:
                await self._close(IDLE, "Idle timeout: no subscription")
                return

    async def _close(self, code: int, reason: str) -> None:
        log.info("closing websocket", code=code, reason=reason, request_id=self.request_id)
        with contextlib.suppress(RuntimeError, OSError):  # already closing
            await self.websocket.close(code=code, reason=reason)

    async def end(self) -> None:
        """Stop the watchdog (the connection is gone)."""
        if self._watchdog is not None:
            self._watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watchdog
