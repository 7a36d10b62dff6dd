"""Opaque Relay global ids: base64 of ``TypeName:primary_key``."""

from __future__ import annotations

import base64
import binascii
import functools
import re

_ID_SHAPE = re.compile(r"([A-Za-z]+):([1-9][0-9]{0,9})")
# Primary keys are 32-bit INTEGER columns; a larger key names nothing on any engine.
MAX_PK = 2**31 - 1
MAX_ID_LENGTH = 128


class InvalidGlobalIdError(ValueError):
    """Raised when a global id does not decode, or names another type than the one expected."""


@functools.lru_cache(maxsize=2**16)
def to_global_id(type_name: str, pk: int) -> str:
    """The public id of the ``type_name`` row with primary key ``pk``.

    Remembered: a page names the same products hundreds of times.
    """
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


@functools.lru_cache(maxsize=2**16)
def from_global_id(global_id: str) -> tuple[str, int]:
    """The type name and primary key inside ``global_id``.

    Remembered (ids that fail are not): a selection of 100 users is sent to every product.
    """
    if len(global_id) > MAX_ID_LENGTH:
        raise InvalidGlobalIdError("the id is too long to be valid")
    try:
        text = base64.b64decode(global_id.encode("ascii"), validate=True).decode("ascii")
    except (ValueError, UnicodeError, binascii.Error):
        raise InvalidGlobalIdError(f"{global_id!r} is not a valid id") from None
    match = _ID_SHAPE.fullmatch(text)
    if match is None or int(match.group(2)) > MAX_PK:
        raise InvalidGlobalIdError(f"{global_id!r} is not a valid id")
    return match.group(1), int(match.group(2))


def pk_of(global_id: str, type_name: str) -> int:
    """The primary key of a ``type_name`` id; any other id is refused."""
    found_type, pk = from_global_id(global_id)
    if found_type != type_name:
        raise InvalidGlobalIdError(f"{global_id!r} is not a {type_name} id")
    return pk
