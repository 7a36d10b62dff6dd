"""Keyset paging: validated page requests and opaque cursors."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

Key = tuple[str | int, ...]
T = TypeVar("T")

_CURSOR_PREFIX = "cursor:v1:"
MAX_CURSOR_LENGTH = 1024
# Keys hold 32-bit INTEGER ids: a larger number in a cursor can't come from a real row.
_MIN_KEY_INT, _MAX_KEY_INT = -(2**31), 2**31 - 1


class InvalidPageRequestError(ValueError):
    """Raised when paging arguments are out of range, combined wrongly or do not decode."""


@dataclass(frozen=True, slots=True)
class PageRequest:
    """One page of a keyset-ordered list: ``limit`` rows after or before a key, or from an end.

    ``backwards`` pages come from the end of the list (``last``/``before``); rows are still
    returned in list order.
    """

    limit: int
    after: Key | None = None
    before: Key | None = None
    backwards: bool = False


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Rows of one page in list order, each row's key, and whether more rows lie either side.

    ``keys[i]`` is the position of ``rows[i]`` in the list's order (what its cursor holds).
    """

    rows: list[T]
    keys: list[Key]
    has_previous: bool
    has_next: bool

    def __post_init__(self) -> None:
        if len(self.rows) != len(self.keys):
            raise ValueError(f"{len(self.rows)} rows but {len(self.keys)} keys")


def encode_cursor(kind: str, key: Key) -> str:
    """An opaque, URL-safe cursor for the row with ``key`` in a list of ``kind``."""
    payload = json.dumps([kind, *key], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode((_CURSOR_PREFIX + payload).encode()).decode()


def decode_cursor(kind: str, cursor: str, shape: tuple[type, ...]) -> Key:
    """The key inside ``cursor``; refuses cursors of another list or of the wrong shape."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidPageRequestError("the cursor is not valid")
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(text)
        decoded = json.loads(text.removeprefix(_CURSOR_PREFIX))
    except (ValueError, UnicodeError, binascii.Error, RecursionError) as error:
        raise InvalidPageRequestError("the cursor is not valid") from error
    if not isinstance(decoded, list) or not decoded or decoded[0] != kind:
        raise InvalidPageRequestError("the cursor does not belong to this list")
    key = tuple(decoded[1:])
    if len(key) != len(shape) or not all(
        _is(value, kind_) for value, kind_ in zip(key, shape, strict=True)
    ):
        raise InvalidPageRequestError("the cursor is not valid")
    return key


def _is(value: object, expected: type) -> bool:
    """Whether a key part has the expected type and fits every database engine."""
    if isinstance(value, bool) or not isinstance(value, expected):
        return False  # bool is an int in Python; a cursor never holds one
    if isinstance(value, int):
        return _MIN_KEY_INT <= value <= _MAX_KEY_INT
    if isinstance(value, str):
        return "\x00" not in value and _encodes(value)
    return True


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")  # lone surrogates do not
    except UnicodeEncodeError:
        return False
    return True


def page_request(
    *,
    first: int | None,
    after: Key | None,
    last: int | None,
    before: Key | None,
    default_size: int,
    max_size: int,
) -> PageRequest:
    """Validate Relay paging arguments (already decoded) into one keyset page request."""
    if first is not None and last is not None:
        raise InvalidPageRequestError("pass either `first` or `last`, not both")
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= max_size:
            raise InvalidPageRequestError(f"`{name}` must be between 0 and {max_size}, got {size}")
    if last is not None or (first is None and before is not None and after is None):
        return PageRequest(
            limit=last if last is not None else default_size,
            after=after,
            before=before,
            backwards=True,
        )
    return PageRequest(
        limit=first if first is not None else default_size, after=after, before=before
    )
