"""The token service on a real SQLite file: create, list, revoke, authenticate, demo tokens."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from licgraph.db.engine import Database
from licgraph.db.repositories.tokens import TokenRepository
from licgraph.db.tables import api_token_table
from licgraph.domain.access import InvalidScopeError, Principal, Role
from licgraph.domain.tokens import (
    InvalidTokenExpiryError,
    InvalidTokenNameError,
    TokenNameTakenError,
    UnknownTokenError,
    parse_token,
)
from licgraph.services.tokens import (
    TokenSelectorError,
    UnknownCustomerError,
    authenticate,
    create_token,
    list_tokens,
    replace_demo_tokens,
    revoke_token,
)
from tests.factories import make_customer, make_user

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)


async def last_used_at(database: Database, token_id: int) -> datetime | None:
    async with database.connect() as connection:
        query = select(api_token_table.c.last_used_at).where(api_token_table.c.id == token_id)
        value: datetime | None = await connection.scalar(query)
        return value


async def principals(database: Database, texts: Iterable[str]) -> list[Principal | None]:
    return [await authenticate(database=database, bearer=text) for text in texts]


# --- create -----------------------------------------------------------------------------


async def test_a_new_partner_token_authenticates_as_its_role(database: Database) -> None:
    # when
    token, text = await create_token(database=database, role=Role.ADMIN_AGENT)
    # then
    parsed = parse_token(text)
    assert parsed is not None
    assert token.name == f"admin-agent-{parsed.public_id}"
    assert token.customer_id is None
    assert token.created_at.tzinfo is not None
    assert await authenticate(database=database, bearer=text) == Principal(
        token_id=token.id, name=token.name, role=Role.ADMIN_AGENT, customer_id=None
    )


async def test_a_customer_side_token_is_scoped_to_its_customer(database: Database) -> None:
    # given
    customer_id = await make_customer(database)
    # when
    token, text = await create_token(
        database=database, role=Role.GLOBAL_ADMIN, name="contoso-admin", customer_id=customer_id
    )
    # then
    principal = await authenticate(database=database, bearer=text)
    assert principal == Principal(
        token_id=token.id, name="contoso-admin", role=Role.GLOBAL_ADMIN, customer_id=customer_id
    )


@pytest.mark.parametrize("role", [Role.GLOBAL_ADMIN, Role.USER_MANAGEMENT_ADMIN])
async def test_a_customer_side_role_without_customer_is_refused(
    database: Database, role: Role
) -> None:
    with pytest.raises(InvalidScopeError):
        await create_token(database=database, role=role)
    assert await list_tokens(database=database) == []


async def test_an_unknown_customer_is_refused(database: Database) -> None:
    with pytest.raises(UnknownCustomerError):
        await create_token(database=database, role=Role.READER, customer_id=999)
    assert await list_tokens(database=database) == []


async def test_a_taken_name_is_refused_even_when_its_token_is_revoked(database: Database) -> None:
    # given
    await create_token(database=database, role=Role.READER, name="ci")
    await revoke_token(database=database, name="ci")
    # when / then
    with pytest.raises(TokenNameTakenError, match="'ci'"):
        await create_token(database=database, role=Role.SALES_AGENT, name="ci")
    assert [token.name for token in await list_tokens(database=database)] == ["ci"]


async def test_a_reserved_name_and_a_past_expiry_are_refused(database: Database) -> None:
    with pytest.raises(InvalidTokenNameError):
        await create_token(database=database, role=Role.READER, name="demo-reader")
    past = datetime.now(UTC) - timedelta(minutes=1)
    with pytest.raises(InvalidTokenExpiryError):
        await create_token(database=database, role=Role.READER, expires_at=past)


# --- list -------------------------------------------------------------------------------


async def test_tokens_are_listed_oldest_first_with_their_scope_and_life(
    database: Database,
) -> None:
    # given
    customer_id = await make_customer(database)
    expires_at = datetime.now(UTC) + timedelta(days=3)
    await create_token(database=database, role=Role.READER, name="first", expires_at=expires_at)
    await create_token(
        database=database, role=Role.USER_MANAGEMENT_ADMIN, name="second", customer_id=customer_id
    )
    # when
    listed = await list_tokens(database=database)
    # then
    assert [(t.name, t.role, t.customer_id) for t in listed] == [
        ("first", Role.READER, None),
        ("second", Role.USER_MANAGEMENT_ADMIN, customer_id),
    ]
    assert listed[0].expires_at == expires_at
    assert listed[0].expires_at.tzinfo is not None
    assert listed[1].expires_at is None
    assert all(t.last_used_at is None and t.revoked_at is None for t in listed)


# --- revoke -----------------------------------------------------------------------------


async def test_a_token_revoked_by_name_stops_working_at_once(database: Database) -> None:
    # given
    _, text = await create_token(database=database, role=Role.HELPDESK_AGENT, name="desk")
    assert await authenticate(database=database, bearer=text) is not None
    # when
    revoked = await revoke_token(database=database, name="desk")
    # then
    assert revoked.revoked_at is not None
    assert await authenticate(database=database, bearer=text) is None


async def test_a_token_revoked_by_id_stops_working_and_revoking_again_keeps_the_time(
    database: Database,
) -> None:
    # given
    token, text = await create_token(database=database, role=Role.SALES_AGENT)
    # when
    first = await revoke_token(database=database, token_id=token.id)
    again = await revoke_token(database=database, token_id=token.id)
    # then
    assert first.revoked_at is not None
    assert again.revoked_at == first.revoked_at
    assert await authenticate(database=database, bearer=text) is None


async def test_revoking_an_unknown_token_is_refused(database: Database) -> None:
    with pytest.raises(UnknownTokenError, match="'ghost'"):
        await revoke_token(database=database, name="ghost")
    with pytest.raises(UnknownTokenError, match="id 42"):
        await revoke_token(database=database, token_id=42)


async def test_revoke_needs_exactly_one_selector(database: Database) -> None:
    token, _ = await create_token(database=database, role=Role.READER, name="r")
    with pytest.raises(TokenSelectorError):
        await revoke_token(database=database)
    with pytest.raises(TokenSelectorError):
        await revoke_token(database=database, name="r", token_id=token.id)


# --- authenticate -----------------------------------------------------------------------


async def test_the_right_public_id_with_a_wrong_secret_is_refused(database: Database) -> None:
    # given
    _, text = await create_token(database=database, role=Role.ADMIN_AGENT)
    parsed = parse_token(text)
    assert parsed is not None
    forged = f"lg_{parsed.public_id}_{'A' * len(parsed.secret)}"
    # when / then
    assert await authenticate(database=database, bearer=forged) is None


@pytest.mark.parametrize(
    "bearer",
    [
        "",
        "lg_",
        "Bearer x",
        "lg_AAAAAAAAAAAA_" + "A" * 43,  # well formed, unknown public id
        "not-a-token",
        "lg_AAAAAAAAAAAA_" + "A" * 10_000,
        "lg_' OR 1=1 --_" + "A" * 43,
    ],
)
async def test_malformed_or_unknown_bearers_authenticate_nobody(
    database: Database, bearer: str
) -> None:
    await create_token(database=database, role=Role.ADMIN_AGENT)
    assert await authenticate(database=database, bearer=bearer) is None


async def test_an_expired_token_is_refused(database: Database) -> None:
    # given
    expires_at = datetime.now(UTC) + timedelta(hours=1)
    _, text = await create_token(database=database, role=Role.READER, expires_at=expires_at)
    # when / then
    before = expires_at - timedelta(seconds=1)
    assert await authenticate(database=database, bearer=text, now=before) is not None
    assert await authenticate(database=database, bearer=text, now=expires_at) is None
    assert (
        await authenticate(database=database, bearer=text, now=expires_at + timedelta(days=1))
        is None
    )


async def test_last_use_is_recorded_at_most_once_a_minute(database: Database) -> None:
    # given
    token, text = await create_token(database=database, role=Role.READER)
    # when / then: the first use is recorded
    await authenticate(database=database, bearer=text, now=T0)
    assert await last_used_at(database, token.id) == T0
    # uses within the minute are not
    await authenticate(database=database, bearer=text, now=T0 + timedelta(seconds=30))
    await authenticate(database=database, bearer=text, now=T0 + timedelta(seconds=60))
    assert await last_used_at(database, token.id) == T0
    # a use after it is
    later = T0 + timedelta(seconds=61)
    await authenticate(database=database, bearer=text, now=later)
    assert await last_used_at(database, token.id) == later
    assert [t.last_used_at for t in await list_tokens(database=database)] == [later]


async def test_refused_bearers_record_no_use(database: Database) -> None:
    # given
    token, text = await create_token(database=database, role=Role.READER)
    await revoke_token(database=database, token_id=token.id)
    # when
    await authenticate(database=database, bearer=text, now=T0)
    # then
    assert await last_used_at(database, token.id) is None


async def test_the_guarded_update_writes_once_for_requests_that_saw_the_same_stale_value(
    database: Database,
) -> None:
    # given: two requests both loaded a stale last_used_at
    token, _ = await create_token(database=database, role=Role.READER)
    stale_before = T0 - timedelta(seconds=60)
    # when
    async with database.transaction() as connection:
        tokens = TokenRepository(connection)
        first = await tokens.record_use(token.id, now=T0, stale_before=stale_before)
    async with database.transaction() as connection:
        second = await TokenRepository(connection).record_use(
            token.id, now=T0 + timedelta(seconds=1), stale_before=stale_before
        )
    # then
    assert (first, second) == (True, False)
    assert await last_used_at(database, token.id) == T0


# --- demo tokens ------------------------------------------------------------------------


async def test_demo_tokens_cover_every_role_and_scope_customer_roles_to_the_largest_customer(
    database: Database,
) -> None:
    # given
    small = await make_customer(database, "Small")
    large = await make_customer(database, "Large")
    await make_user(database, small, "Ann")
    for name in ("Bob", "Cy", "Di"):
        await make_user(database, large, name)
    # when
    secrets = await replace_demo_tokens(database=database)
    # then
    assert set(secrets) == set(Role)
    for role, text in secrets.items():
        principal = await authenticate(database=database, bearer=text)
        assert principal is not None
        assert (principal.name, principal.role) == (f"demo-{role.value}", role)
        assert principal.customer_id == (large if role.is_customer_side else None)


async def test_replacing_demo_tokens_retires_the_old_ones_and_keeps_others(
    database: Database,
) -> None:
    # given
    customer_id = await make_customer(database)
    await make_user(database, customer_id, "Ann")
    _, own = await create_token(database=database, role=Role.ADMIN_AGENT, name="mine")
    old = await replace_demo_tokens(database=database)
    # when
    new = await replace_demo_tokens(database=database)
    # then
    assert set(await principals(database, old.values())) == {None}
    assert None not in await principals(database, new.values())
    assert await authenticate(database=database, bearer=own) is not None
    names = [token.name for token in await list_tokens(database=database)]
    assert sorted(names) == sorted(["mine", *(f"demo-{role.value}" for role in Role)])


async def test_demo_tokens_need_a_customer_with_users(database: Database) -> None:
    with pytest.raises(UnknownCustomerError):
        await replace_demo_tokens(database=database)
    assert await list_tokens(database=database) == []
