"""Media types of GraphQL over HTTP: which one a client accepts, and whether a body is JSON.

Pure functions over header values, following https://graphql.github.io/graphql-over-http/
and RFC 9110 content negotiation (quality values, most specific range wins).
"""

from __future__ import annotations

from dataclasses import dataclass

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"

# What we can answer in, in order of preference when a client likes several equally:
# plain JSON first, so that `*/*` and legacy clients keep getting what they always got.
SUPPORTED = (JSON, GRAPHQL_RESPONSE_JSON)

# How precisely a media range names a media type (RFC 9110: the most specific one counts).
EXACT, BY_TYPE, BY_ANY, NOT_AT_ALL = 2, 1, 0, -1

# The only encoding of GraphQL over HTTP; no charset parameter means UTF-8.
_UTF8 = frozenset({None, "utf-8"})


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header, such as ``application/*;q=0.5``."""

    type: str
    subtype: str
    quality: float
    charset: str | None
    position: int

    def specificity(self, media_type: str) -> int:
        """How precisely this range names ``media_type``: EXACT, BY_TYPE, BY_ANY or NOT_AT_ALL."""
        type_, _, subtype = media_type.partition("/")
        if (self.type, self.subtype) == (type_, subtype):
            return EXACT
        if self.type == type_ and self.subtype == "*":
            return BY_TYPE
        return BY_ANY if (self.type, self.subtype) == ("*", "*") else NOT_AT_ALL


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries are skipped."""
    ranges = (_media_range(part, position) for position, part in enumerate(header.split(",")))
    return [media_range for media_range in ranges if media_range is not None]


def negotiate(accept: str | None) -> str | None:
    """The media type to answer in, or None when the client accepts none we produce (406).

    No Accept header means ``application/json`` (the spec's legacy rule). Otherwise each
    supported type takes the quality of the most specific range naming it; the highest
    quality wins, then the range listed first, then our preference.
    """
    if accept is None or not accept.strip():
        return JSON
    ranges = parse_accept(accept)
    scored = [(_score(media_type, ranges), media_type) for media_type in SUPPORTED]
    acceptable = [(score, media_type) for score, media_type in scored if score is not None]
    return max(acceptable)[1] if acceptable else None


def accepts_html(accept: str | None) -> bool:
    """Whether the client names ``text/html`` explicitly: a browser navigating to the page."""
    ranges = parse_accept(accept or "")
    return any(r.specificity("text/html") == EXACT and r.quality > 0 for r in ranges)


def is_json_body(content_type: str | None) -> bool:
    """Whether a POST body declared as ``content_type`` is JSON in UTF-8 (else we answer 415)."""
    if not content_type:
        return False
    parsed = _media_range(content_type, 0)
    return (
        parsed is not None
        and (parsed.type, parsed.subtype) == ("application", "json")
        and parsed.charset in _UTF8
    )


def _score(media_type: str, ranges: list[MediaRange]) -> tuple[float, int, int] | None:
    matching = [r for r in ranges if r.specificity(media_type) != NOT_AT_ALL and r.charset in _UTF8]
    if not matching:
        return None
    best = max(matching, key=lambda r: r.specificity(media_type))
    if best.quality <= 0:
        return None
    # Larger is better: quality, then earlier position, then our own preference.
    return best.quality, -best.position, -SUPPORTED.index(media_type)


def _media_range(text: str, position: int) -> MediaRange | None:
    essence, *parameters = (piece.strip() for piece in text.split(";"))
    type_, slash, subtype = essence.lower().partition("/")
    if not (slash and type_ and subtype):
        return None
    options = dict(_parameter(parameter) for parameter in parameters)
    quality = _quality(options.get("q", "1"))
    if quality is None:
        return None
    charset = options.get("charset")
    return MediaRange(type_, subtype, quality, charset and charset.lower(), position)


def _parameter(text: str) -> tuple[str, str]:
    name, _, value = text.partition("=")
    return name.strip().lower(), value.strip().strip('"')


def _quality(text: str) -> float | None:
    try:
        quality = float(text)
    except ValueError:
        return None
    return quality if 0 <= quality <= 1 else None
