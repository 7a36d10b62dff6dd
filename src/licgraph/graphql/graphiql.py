"""licgraph's GraphiQL page: its assets ship in the package, so it works without a CDN."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from starlette.responses import HTMLResponse

# Where app.py mounts the static assets; the page refers to them relatively from /graphql.
ASSETS_PACKAGE = ("licgraph", "static/graphiql")

# Everything comes from this origin; no script runs inline and nothing is evaluated.
# Styles need 'unsafe-inline' because GraphiQL's dialogs inject <style> elements
# (react-remove-scroll); its CSS embeds fonts and images as data: URIs.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


def graphiql_page() -> HTMLResponse:
    """The GraphiQL page, under a policy that lets it load and talk to this origin only."""
    return HTMLResponse(_page_html(), headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})


@cache
def _page_html() -> str:
    return (files("licgraph") / "static" / "graphiql.html").read_text(encoding="utf-8")
