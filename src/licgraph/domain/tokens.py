"""API tokens: their text format, how secrets are minted and checked, and the stored token."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from licgraph.domain.access import Principal, Role

TOKEN_PREFIX = "lg"  # noqa: S105 - the fixed start of every token, not a secret
PUBLIC_ID_LENGTH = 12
SECRET_BYTES = 32
NAME_MAX_LENGTH = 100
DEMO_NAME_PREFIX = "demo-"

# How stale ``last_used_at`` may get: recording every use would make every request a write,
# and on SQLite each write takes the single database-wide write lock.
LAST_USED_RESOLUTION = timedelta(seconds=60)

# The public id has no "_" (it separates the parts); the secret is url-safe base64 and may.
_PUBLIC_ID_ALPHABET = string.ascii_letters + string.digits
_SECRET_LENGTH = math.ceil(SECRET_BYTES * 4 / 3)  # unpadded base64 of SECRET_BYTES
_TOKEN_SHAPE = re.compile(
    rf"{TOKEN_PREFIX}_([A-Za-z0-9]{{{PUBLIC_ID_LENGTH}}})_([A-Za-z0-9_-]{{{_SECRET_LENGTH}}})"
)


class TokenNameTakenError(ValueError):
    """Raised when a new token is given the name of an existing token."""


class InvalidTokenNameError(ValueError):
    """Raised when a token name is empty, too long, padded, unprintable or reserved."""


class InvalidTokenExpiryError(ValueError):
    """Raised when a new token's expiry is not a timezone-aware moment in the future."""


class UnknownTokenError(LookupError):
    """Raised when no token has the name or id a command asked for."""


@dataclass(frozen=True, slots=True)
class TokenText:
    """A token as the caller holds it: ``lg_<public_id>_<secret>``."""

    public_id: str
    secret: str

    def __str__(self) -> str:
        return f"{TOKEN_PREFIX}_{self.public_id}_{self.secret}"


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A stored token as everyone may see it: its name, role, scope and life, never its secret."""

    id: int
    name: str
    role: Role
    customer_id: int | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def is_expired(self, now: datetime) -> bool:
        """Whether the token's expiry has passed at ``now``."""
        return self.expires_at is not None and now >= self.expires_at

    def is_usable(self, now: datetime) -> bool:
        """Whether the token may authenticate at ``now``: neither revoked nor expired."""
        return self.revoked_at is None and not self.is_expired(now)

    def needs_last_used_update(self, now: datetime) -> bool:
        """Whether ``last_used_at`` is older than the resolution we record it at."""
        return self.last_used_at is None or self.last_used_at < now - LAST_USED_RESOLUTION

    def principal(self) -> Principal:
        """The caller this token authenticates."""
        return Principal(
            token_id=self.id, name=self.name, role=self.role, customer_id=self.customer_id
        )


@dataclass(frozen=True, slots=True)
class StoredCredential:
    """A token together with the hash of its secret, as loaded to check a bearer."""

    token: ApiToken
    secret_hash: str

    def accepts(self, secret: str, now: datetime) -> bool:
        """Whether ``secret`` is this token's secret and the token is usable at ``now``."""
        # Compare first, whatever the token's state, so that timing says nothing about it.
        matches = hmac.compare_digest(hash_secret(secret), self.secret_hash)
        return matches and self.token.is_usable(now)


def mint_token() -> TokenText:
    """A fresh random token: a public id to find it by and a 256-bit secret."""
    public_id = "".join(secrets.choice(_PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))
    return TokenText(public_id=public_id, secret=secrets.token_urlsafe(SECRET_BYTES))


def parse_token(text: str) -> TokenText | None:
    """The parts of a token's text, or None if it is not shaped like a licgraph token."""
    match = _TOKEN_SHAPE.fullmatch(text)
    if match is None:
        return None
    return TokenText(public_id=match.group(1), secret=match.group(2))


def hash_secret(secret: str) -> str:
    """The SHA-256 hex digest stored in place of a secret."""
    # A plain fast hash is right here, unlike for passwords: secrets are 256 random bits,
    # so no dictionary or brute-force attack applies, and a slow KDF would only add latency
    # to every request.
    return hashlib.sha256(secret.encode()).hexdigest()


def default_token_name(role: Role, public_id: str) -> str:
    """The name a token gets when none is given: unique because its public id is."""
    return f"{role.value}-{public_id}"


def demo_token_name(role: Role) -> str:
    """The name of the demo token of ``role`` that ``serve --demo`` prints."""
    return f"{DEMO_NAME_PREFIX}{role.value}"


def check_token_name(name: str) -> None:
    """Refuse a name that would be hard to type, list or tell apart, or is reserved."""
    if not name or len(name) > NAME_MAX_LENGTH:
        raise InvalidTokenNameError(f"a token name has 1 to {NAME_MAX_LENGTH} characters")
    if name != name.strip() or not name.isprintable():
        raise InvalidTokenNameError(f"token name {name!r} has padding or unprintable characters")
    if name.startswith(DEMO_NAME_PREFIX):
        raise InvalidTokenNameError(
            f"token names starting with {DEMO_NAME_PREFIX!r} are kept for `licgraph serve --demo`"
        )


def check_expiry(expires_at: datetime | None, now: datetime) -> None:
    """Refuse an expiry that is naive or not after ``now``."""
    if expires_at is None:
        return
    if expires_at.tzinfo is None:
        raise InvalidTokenExpiryError("a token's expiry must be timezone-aware")
    if expires_at <= now:
        raise InvalidTokenExpiryError("a token's expiry must be in the future")
