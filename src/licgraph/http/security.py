"""Browser safety for every response: security headers, and CORS for allowed origins only."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Defaults for every response; a response that sets its own (the GraphiQL page sets its
# Content-Security-Policy) keeps it. JSON needs no sources at all, and no page of ours is
# meant to be framed.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


class SecurityHeadersMiddleware:
    """Adds ``SECURITY_HEADERS`` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def browser_middleware(allowed_origins: tuple[str, ...]) -> list[Middleware]:
    """Security headers always; CORS only when origins are allowed (else no CORS headers,
    and a preflight finds no OPTIONS route: 405)."""
    middleware = [Middleware(SecurityHeadersMiddleware)]
    if allowed_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(allowed_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "X-Request-Id"],
                expose_headers=["X-Request-Id"],
                # Bearer tokens travel in a header, never in cookies: no credentials mode.
                allow_credentials=False,
                max_age=600,
            )
        )
    return middleware
