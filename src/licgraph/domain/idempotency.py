"""Idempotency keys: a retry with the same key and input replays; another input is refused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

MAX_KEY_LENGTH = 255


class IdempotencyKeyReusedError(ValueError):
    """Raised when a key already served a request with a different input."""


class InvalidIdempotencyKeyError(ValueError):
    """Raised when a key is empty or longer than the store accepts."""


def check_key(key: str) -> str:
    """``key`` if it is usable."""
    if not key or len(key) > MAX_KEY_LENGTH or "\x00" in key:
        raise InvalidIdempotencyKeyError(
            f"idempotencyKey must hold 1 to {MAX_KEY_LENGTH} characters, without NUL"
        )
    return key


def fingerprint(operation: str, request: Mapping[str, Any]) -> str:
    """A stable hash of an operation and its input (order of mapping keys does not matter)."""
    canonical = json.dumps([operation, request], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
