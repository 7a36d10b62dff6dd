"""The Manage licenses app at /app/: a prebuilt single-page app that ships in the package.

Its sources are in frontend/ (built with esbuild into static/app/); it talks to /graphql
only, so it runs offline and under a policy stricter than GraphiQL's: no inline script or
style at all, nothing from another origin.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

# Where the build puts the bundle and stylesheet that index.html refers to as assets/….
ASSETS_PACKAGE = ("licgraph", "static/app/assets")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


def app_routes() -> list[BaseRoute]:
    """/app/ (the page), /app (redirects there) and /app/assets/ (bundle and stylesheet)."""
    return [
        Route("/app", _to_app),
        Route("/app/", _app_page),
        Mount("/app/assets", StaticFiles(packages=[ASSETS_PACKAGE]), name="app-assets"),
    ]


async def _to_app(_: Request) -> Response:
    # The page loads its assets relatively: it must be served from /app/, not /app.
    return RedirectResponse("/app/", status_code=308)


async def _app_page(_: Request) -> Response:
    return HTMLResponse(
        _page_html(),
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache"},
    )


@cache
def _page_html() -> str:
    return (files("licgraph") / "static" / "app" / "index.html").read_text(encoding="utf-8")
