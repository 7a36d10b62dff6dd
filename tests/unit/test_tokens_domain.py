"""Token text, secrets and the stored token's rules, without a database."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from licgraph.domain.access import Principal, Role
from licgraph.domain.tokens import (
    LAST_USED_RESOLUTION,
    ApiToken,
    InvalidTokenExpiryError,
    InvalidTokenNameError,
    StoredCredential,
    TokenText,
    check_expiry,
    check_token_name,
    default_token_name,
    demo_token_name,
    hash_secret,
    mint_token,
    parse_token,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
PUBLIC_ID = "AbCdEf123456"
SECRET = "s" * 43


def a_token(**changes: object) -> ApiToken:
    token = ApiToken(
        id=7,
        name="ops",
        role=Role.HELPDESK_AGENT,
        customer_id=None,
        created_at=NOW - timedelta(days=1),
        expires_at=None,
        last_used_at=None,
        revoked_at=None,
    )
    return dataclasses.replace(token, **changes)


def a_credential(secret: str = SECRET, **changes: object) -> StoredCredential:
    return StoredCredential(token=a_token(**changes), secret_hash=hash_secret(secret))


# --- text -------------------------------------------------------------------------------


def test_a_minted_token_reads_back_from_its_text() -> None:
    # given
    minted = mint_token()
    # when
    parsed = parse_token(str(minted))
    # then
    assert parsed == minted
    assert str(minted) == f"lg_{minted.public_id}_{minted.secret}"


def test_minted_tokens_have_a_12_character_public_id_without_separator_and_a_long_secret() -> None:
    # when
    minted = [mint_token() for _ in range(50)]
    # then
    assert all(len(token.public_id) == 12 and "_" not in token.public_id for token in minted)
    assert all(len(token.secret) == 43 for token in minted)
    assert len({token.public_id for token in minted}) == 50
    assert len({token.secret for token in minted}) == 50


def test_a_secret_may_contain_the_separator() -> None:
    # given
    token = TokenText(public_id=PUBLIC_ID, secret="_" * 20 + "-" * 23)
    # when / then
    assert parse_token(str(token)) == token


@pytest.mark.parametrize(
    "text",
    [
        "",
        "lg_",
        "lg__",
        "Bearer lg_AbCdEf123456_" + SECRET,
        " lg_AbCdEf123456_" + SECRET,
        "lg_AbCdEf123456_" + SECRET + "\n",
        "xx_AbCdEf123456_" + SECRET,
        "lg_AbCdEf12345_" + SECRET,
        "lg_AbCdEf1234567_" + SECRET,
        "lg_AbCdEf12345-_" + SECRET,
        "lg_AbCdEf123456_" + SECRET[:-1],
        "lg_AbCdEf123456_" + SECRET + "s",
        "lg_AbCdEf123456_" + "s" * 42 + "=",
        "lg_AbCdEf123456" + SECRET,
        "lg_ÀbCdEf123456_" + SECRET,
        "x" * 10_000,
    ],
)
def test_malformed_text_is_not_a_token(text: str) -> None:
    assert parse_token(text) is None


def test_the_stored_hash_is_the_sha256_hex_of_the_secret() -> None:
    assert hash_secret("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_default_and_demo_names_carry_the_role() -> None:
    assert default_token_name(Role.SALES_AGENT, PUBLIC_ID) == "sales-agent-AbCdEf123456"
    assert demo_token_name(Role.USER_MANAGEMENT_ADMIN) == "demo-user-management-admin"


# --- names and expiry -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ops", "CI pipeline (nightly)", "a" * 100, "démo", "x-demo-1"])
def test_a_reasonable_name_is_accepted(name: str) -> None:
    check_token_name(name)


@pytest.mark.parametrize("name", ["", " ops", "ops ", "a\tb", "a\nb", "a" * 101, "demo-ops"])
def test_an_unusable_or_reserved_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidTokenNameError):
        check_token_name(name)


def test_an_expiry_in_the_future_or_none_is_accepted() -> None:
    check_expiry(None, NOW)
    check_expiry(NOW + timedelta(seconds=1), NOW)


@pytest.mark.parametrize(
    "expires_at", [NOW, NOW - timedelta(days=1), datetime(2030, 1, 1)], ids=["now", "past", "naive"]
)
def test_an_expiry_now_in_the_past_or_naive_is_refused(expires_at: datetime) -> None:
    with pytest.raises(InvalidTokenExpiryError):
        check_expiry(expires_at, NOW)


# --- the stored token -------------------------------------------------------------------


def test_the_token_value_holds_no_secret() -> None:
    names = {field.name for field in dataclasses.fields(ApiToken)}
    assert names == {
        "id",
        "name",
        "role",
        "customer_id",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    }


def test_a_credential_accepts_its_own_secret_only() -> None:
    # given
    credential = a_credential()
    # when / then
    assert credential.accepts(SECRET, NOW)
    assert not credential.accepts("t" * 43, NOW)
    assert not credential.accepts("", NOW)


def test_a_revoked_token_accepts_nothing() -> None:
    credential = a_credential(revoked_at=NOW - timedelta(seconds=1))
    assert not credential.accepts(SECRET, NOW)


def test_a_token_works_until_its_expiry_and_not_from_then_on() -> None:
    # given
    credential = a_credential(expires_at=NOW)
    # when / then
    assert credential.accepts(SECRET, NOW - timedelta(microseconds=1))
    assert not credential.accepts(SECRET, NOW)
    assert credential.token.is_expired(NOW)
    assert not credential.token.is_usable(NOW + timedelta(days=1))


@pytest.mark.parametrize(
    ("last_used_at", "stale"),
    [
        (None, True),
        (NOW, False),
        (NOW - LAST_USED_RESOLUTION + timedelta(seconds=1), False),
        (NOW - LAST_USED_RESOLUTION, False),
        (NOW - LAST_USED_RESOLUTION - timedelta(seconds=1), True),
    ],
    ids=["never", "just now", "59 s ago", "60 s ago", "61 s ago"],
)
def test_last_use_is_recorded_at_most_once_a_minute(
    last_used_at: datetime | None, stale: bool
) -> None:
    assert a_token(last_used_at=last_used_at).needs_last_used_update(NOW) is stale


def test_a_token_authenticates_as_its_principal() -> None:
    token = a_token(role=Role.GLOBAL_ADMIN, customer_id=3)
    assert token.principal() == Principal(
        token_id=7, name="ops", role=Role.GLOBAL_ADMIN, customer_id=3
    )
