"""API tokens in the database; the secret hash leaves this module only to be checked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import bindparam, delete, func, insert, select, update

from licgraph.db.prepared import PreparedRead
from licgraph.db.repositories._sql import Repository
from licgraph.db.tables import api_token_table, user_table
from licgraph.domain.access import Role
from licgraph.domain.tokens import ApiToken, StoredCredential

_TOKEN = api_token_table
_USER = user_table

# Every column but the secret hash: what an ApiToken is built from.
_PUBLIC_COLUMNS = [column for column in _TOKEN.c if column.name not in {"public_id", "secret_hash"}]
# Every request looks its token up: one statement object, so SQLAlchemy's cache key for it is
# worked out once, not on every request.
_CREDENTIAL_COLUMNS = [*(column.name for column in _PUBLIC_COLUMNS), "secret_hash"]
# Every request checks its token: a prepared read (tokens are partner-wide: no scope).
_CREDENTIAL = PreparedRead(
    lambda _dialect, _scoped: select(*_PUBLIC_COLUMNS, _TOKEN.c.secret_hash).where(
        _TOKEN.c.public_id == bindparam("public_id")
    )
)


class TokenRepository(Repository):
    """API tokens; the secret hash leaves this class only to be checked."""

    async def customer_with_most_users(self) -> int | None:
        """The customer with the most users (the lowest id among equals); None if none has any."""
        users = func.count(_USER.c.id)
        query = (
            select(_USER.c.customer_id)
            .group_by(_USER.c.customer_id)
            .order_by(users.desc(), _USER.c.customer_id)
            .limit(1)
        )
        return cast(int | None, (await self.connection.execute(query)).scalar())

    async def token_name_exists(self, name: str) -> bool:
        """Whether a token (revoked or not) already has this name."""
        query = select(_TOKEN.c.id).where(_TOKEN.c.name == name)
        return (await self.connection.execute(query)).first() is not None

    async def insert_token(
        self,
        *,
        name: str,
        public_id: str,
        secret_hash: str,
        role: Role,
        customer_id: int | None,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> ApiToken:
        """Store a new token and return it."""
        values: dict[str, Any] = {
            "name": name,
            "public_id": public_id,
            "secret_hash": secret_hash,
            "role": role.value,
            "customer_id": customer_id,
            "created_at": created_at,
            "expires_at": expires_at,
        }
        statement = insert(_TOKEN).values(values).returning(_TOKEN.c.id)
        token_id = (await self.connection.execute(statement)).scalar_one()
        return await self._require_token(token_id)

    async def list_tokens(self) -> list[ApiToken]:
        """Every token, oldest first."""
        result = await self.connection.execute(select(*_PUBLIC_COLUMNS).order_by(_TOKEN.c.id))
        return [_token_of(row) for row in result.mappings()]

    async def find_token_by_id(self, token_id: int) -> ApiToken | None:
        """The token with this id, if any."""
        query = select(*_PUBLIC_COLUMNS).where(_TOKEN.c.id == token_id)
        row = (await self.connection.execute(query)).mappings().first()
        return None if row is None else _token_of(row)

    async def find_token_by_name(self, name: str) -> ApiToken | None:
        """The token with this name, if any."""
        query = select(*_PUBLIC_COLUMNS).where(_TOKEN.c.name == name)
        row = (await self.connection.execute(query)).mappings().first()
        return None if row is None else _token_of(row)

    async def find_credential(self, public_id: str) -> StoredCredential | None:
        """The token with this public id and its secret hash, if any."""
        found = await _CREDENTIAL.rows(self.connection, scope=None, public_id=public_id)
        if not found:
            return None
        row = dict(zip(_CREDENTIAL_COLUMNS, found[0], strict=True))
        return StoredCredential(token=_token_of(row), secret_hash=row["secret_hash"])

    async def mark_revoked(self, token_id: int, *, at: datetime) -> ApiToken:
        """Revoke the token at ``at`` unless it is revoked already; return it as it now stands."""
        statement = (
            update(_TOKEN)
            .where(_TOKEN.c.id == token_id, _TOKEN.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        await self.connection.execute(statement)
        return await self._require_token(token_id)

    async def record_use(self, token_id: int, *, now: datetime, stale_before: datetime) -> bool:
        """Set ``last_used_at`` to ``now`` unless another request did since ``stale_before``."""
        # The guard makes concurrent requests with the same token write at most once between them.
        last_used = _TOKEN.c.last_used_at
        statement = (
            update(_TOKEN)
            .where(_TOKEN.c.id == token_id)
            .where(last_used.is_(None) | (last_used < stale_before))
            .values(last_used_at=now)
        )
        result = await self.connection.execute(statement)
        return result.rowcount > 0

    async def delete_tokens_named(self, *, prefix: str) -> int:
        """Delete every token whose name starts with ``prefix``; return how many went."""
        statement = delete(_TOKEN).where(_TOKEN.c.name.startswith(prefix, autoescape=True))
        return (await self.connection.execute(statement)).rowcount

    async def _require_token(self, token_id: int) -> ApiToken:
        token = await self.find_token_by_id(token_id)
        if token is None:  # only if the row vanished inside our own transaction
            raise LookupError(f"token {token_id} disappeared")
        return token


def _token_of(row: Mapping[Any, Any]) -> ApiToken:
    return ApiToken(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        customer_id=row["customer_id"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        last_used_at=row["last_used_at"],
        revoked_at=row["revoked_at"],
    )
