"""A cap on request bodies: 413 before anything reads, parses or buffers more than the cap."""

from __future__ import annotations

import json

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE_CODE = "PAYLOAD_TOO_LARGE"


class BodySizeLimitMiddleware:
    """Answers 413 to a request whose body is over ``max_bytes``.

    A declared ``Content-Length`` over the cap is refused before a byte of the body is
    read (the server itself holds a body to its declared length). A body sent without a
    length (chunked) is read up to the cap, then handed on or refused.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = content_length(scope)
        if declared is not None:
            if declared > self.max_bytes:
                await self._refuse(send)
                return
            await self.app(scope, receive, send)
            return
        body = await read_at_most(receive, self.max_bytes)
        if body is None:
            await self._refuse(send)
            return
        await self.app(scope, replay(body, receive), send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "errors": [
                    {
                        "message": f"The request body is over {self.max_bytes} bytes.",
                        "extensions": {"code": TOO_LARGE_CODE, "maxBytes": self.max_bytes},
                    }
                ]
            }
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            # The unread rest of the body would be taken for the next request.
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def body_size_limit(max_bytes: int) -> Middleware:
    """The middleware entry for ``Starlette(middleware=[...])``; list it last (innermost), so
    that a 413 still gets the security and CORS headers of the middleware around it."""
    return Middleware(BodySizeLimitMiddleware, max_bytes=max_bytes)


def content_length(scope: Scope) -> int | None:
    """The declared body length, or None if the request declares none (or nonsense)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def read_at_most(receive: Receive, limit: int) -> bytes | None:
    """The whole body if it is at most ``limit`` bytes, else None (having read just past it)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            # The client went away: let the application see the disconnect.
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that yields ``body`` once, then defers to the real one."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
