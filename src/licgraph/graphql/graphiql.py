"""licgraph's GraphiQL page: its assets ship in the package, so it works without a CDN.

The page opens with the example operations as tabs (with their variables), and its Headers
start with ``Authorization: Bearer `` plus the token the server was given for it — only
``licgraph serve --demo`` gives one (the admin demo token); otherwise the caller pastes theirs.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from starlette.responses import HTMLResponse

from licgraph.graphql.examples import example_operations

# Where app.py mounts the static assets; the page refers to them relatively from /graphql.
ASSETS_PACKAGE = ("licgraph", "static/graphiql")
# Replaced by the page's configuration, a JSON data block: data, not script, so it needs
# no 'unsafe-inline' and no nonce.
CONFIG_PLACEHOLDER = "__LICGRAPH_GRAPHIQL_CONFIG__"

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


def graphiql_page(*, token: str | None = None) -> HTMLResponse:
    """The GraphiQL page, under a policy that lets it load and talk to this origin only.

    ``token`` pre-fills the Headers of every tab; the page then persists nothing in the
    browser, so a reload always shows the examples with that token.
    """
    return HTMLResponse(
        _page_html(token), headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY}
    )


def page_config(token: str | None) -> dict[str, object]:
    """What the page script reads: the tabs, the headers new tabs start with, persistence."""
    headers = json.dumps({"Authorization": f"Bearer {token or ''}"}, indent=2)
    tabs = [
        {"query": example.document, "variables": example.variables, "headers": headers}
        for example in example_operations()
    ]
    return {"tabs": tabs, "headers": headers, "persistTabs": token is None}


@cache
def _page_html(token: str | None) -> str:
    template = (files("licgraph") / "static" / "graphiql.html").read_text(encoding="utf-8")
    return template.replace(CONFIG_PLACEHOLDER, _script_safe_json(page_config(token)))


def _script_safe_json(value: object) -> str:
    # Inside <script>, "</script>" or "<!--" would end the block early: JSON lets "<"
    # be written as \u003c, which no HTML parser reads as markup.
    return json.dumps(value).replace("<", "\\u003c")
