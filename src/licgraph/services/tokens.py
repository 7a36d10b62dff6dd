"""Token use cases: create, list and revoke API tokens, and authenticate a bearer."""

from __future__ import annotations

from datetime import UTC, datetime

import structlog
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.engine import Database
from licgraph.db.repositories.customers import CustomerRepository
from licgraph.db.repositories.tokens import TokenRepository
from licgraph.domain.access import Principal, Role, check_scope
from licgraph.domain.tokens import (
    DEMO_NAME_PREFIX,
    LAST_USED_RESOLUTION,
    ApiToken,
    TokenNameTakenError,
    UnknownTokenError,
    check_expiry,
    check_token_name,
    default_token_name,
    demo_token_name,
    hash_secret,
    mint_token,
    parse_token,
)

log = structlog.get_logger(__name__)


class UnknownCustomerError(LookupError):
    """Raised when a token is to be scoped to a customer that does not exist."""


class TokenSelectorError(ValueError):
    """Raised when a revoke names neither or both of a token's name and id."""


async def create_token(
    *,
    database: Database,
    role: Role,
    name: str | None = None,
    customer_id: int | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; return it with its text, which is shown once and never stored."""
    now = _now()
    check_scope(role, customer_id)
    check_expiry(expires_at, now)
    if name is not None:
        check_token_name(name)
    async with database.transaction() as connection:
        return await _insert(
            connection, role=role, name=name, customer_id=customer_id, expires_at=expires_at
        )


async def list_tokens(*, database: Database) -> list[ApiToken]:
    """Every token, revoked and expired ones included, oldest first."""
    async with database.connect() as connection:
        return await TokenRepository(connection).list_tokens()


async def revoke_token(
    *, database: Database, name: str | None = None, token_id: int | None = None
) -> ApiToken:
    """Revoke the token with this name or id at once; revoking it again changes nothing."""
    if (name is None) == (token_id is None):
        raise TokenSelectorError("name the token to revoke by its name or by its id (one of them)")
    async with database.transaction() as connection:
        token = await _find(connection, name=name, token_id=token_id)
        return await TokenRepository(connection).mark_revoked(token.id, at=_now())


async def authenticate(
    *, database: Database, bearer: str, now: datetime | None = None
) -> Principal | None:
    """The caller a bearer token stands for, or None if it is malformed, unknown or unusable."""
    text = parse_token(bearer)
    if text is None:
        return None
    now = now or _now()
    async with database.connect() as connection:
        credential = await TokenRepository(connection).find_credential(text.public_id)
    if credential is None or not credential.accepts(text.secret, now):
        return None
    if credential.token.needs_last_used_update(now):
        await _record_use(database, credential.token.id, now=now)
    return credential.token.principal()


async def replace_demo_tokens(*, database: Database) -> dict[Role, str]:
    """Replace the demo tokens with fresh ones, one per role; return their texts."""
    async with database.transaction() as connection:
        # Deleted rather than revoked, so that the demo names are free again.
        await TokenRepository(connection).delete_tokens_named(prefix=DEMO_NAME_PREFIX)
        customer_id = await TokenRepository(connection).customer_with_most_users()
        return {role: await _insert_demo(connection, role, customer_id) for role in Role}


async def _insert(
    connection: AsyncConnection,
    *,
    role: Role,
    name: str | None,
    customer_id: int | None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    if customer_id is not None and not await CustomerRepository(connection).by_ids([customer_id]):
        raise UnknownCustomerError("the token's customer does not exist")
    text = mint_token()
    name = name or default_token_name(role, text.public_id)
    if await TokenRepository(connection).token_name_exists(name):
        raise TokenNameTakenError(f"a token named {name!r} exists already: choose another name")
    token = await TokenRepository(connection).insert_token(
        name=name,
        public_id=text.public_id,
        secret_hash=hash_secret(text.secret),
        role=role,
        customer_id=customer_id,
        created_at=_now(),
        expires_at=expires_at,
    )
    return token, str(text)


async def _insert_demo(connection: AsyncConnection, role: Role, customer_id: int | None) -> str:
    if role.is_customer_side and customer_id is None:
        raise UnknownCustomerError(f"no customer has users to scope the {role.value} token to")
    scope = customer_id if role.is_customer_side else None
    _, text = await _insert(connection, role=role, name=demo_token_name(role), customer_id=scope)
    return text


async def _find(connection: AsyncConnection, *, name: str | None, token_id: int | None) -> ApiToken:
    if token_id is not None:
        token = await TokenRepository(connection).find_token_by_id(token_id)
    else:
        token = await TokenRepository(connection).find_token_by_name(name or "")
    if token is None:
        selector = f"id {token_id}" if token_id is not None else f"name {name!r}"
        raise UnknownTokenError(f"no token has the {selector}")
    return token


async def _record_use(database: Database, token_id: int, *, now: datetime) -> None:
    # Only reached when the loaded value is stale, so a busy token writes about once a
    # minute; the guarded update keeps concurrent requests from writing it twice. It is
    # bookkeeping: when the database is too busy to take it, the request goes on without.
    try:
        async with database.transaction() as connection:
            await TokenRepository(connection).record_use(
                token_id, now=now, stale_before=now - LAST_USED_RESOLUTION
            )
    except SQLAlchemyError as error:
        log.warning("token last-used time not recorded", token_id=token_id, error=str(error))


def _now() -> datetime:
    return datetime.now(UTC)
