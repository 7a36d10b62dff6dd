"""Roles, the caller and the rules between them (domain/access.py), without a database."""

from __future__ import annotations

import pytest

from licgraph.domain.access import InvalidScopeError, Principal, Role, check_scope

OWN = 1
OTHER = 2

# role -> (customer-side, may change licenses, may purchase); CONTRACT section 5.
RULES: list[tuple[Role, bool, bool, bool]] = [
    (Role.ADMIN_AGENT, False, True, True),
    (Role.SALES_AGENT, False, True, True),
    (Role.HELPDESK_AGENT, False, True, False),
    (Role.GLOBAL_ADMIN, True, True, False),
    (Role.USER_MANAGEMENT_ADMIN, True, True, False),
    (Role.READER, False, False, False),
]
PARTNER_ROLES = [role for role, customer_side, _, _ in RULES if not customer_side]
CUSTOMER_ROLES = [role for role, customer_side, _, _ in RULES if customer_side]


def caller(role: Role, customer_id: int | None) -> Principal:
    return Principal(token_id=1, name="t", role=role, customer_id=customer_id)


def test_the_roles_are_the_contract_names() -> None:
    assert [role.value for role in Role] == [
        "admin-agent",
        "sales-agent",
        "helpdesk-agent",
        "global-admin",
        "user-management-admin",
        "reader",
    ]
    assert {role for role, *_ in RULES} == set(Role)


@pytest.mark.parametrize(("role", "customer_side", "writes", "buys"), RULES)
@pytest.mark.parametrize("scope", [None, OWN])
def test_what_each_role_may_do(
    role: Role, customer_side: bool, writes: bool, buys: bool, scope: int | None
) -> None:
    principal = caller(role, scope)

    assert role.is_customer_side is customer_side
    assert principal.can_change_licenses is writes
    assert principal.can_purchase is buys


@pytest.mark.parametrize("role", list(Role))
def test_a_scoped_caller_sees_only_its_customer(role: Role) -> None:
    principal = caller(role, OWN)

    assert principal.can_see(OWN)
    assert not principal.can_see(OTHER)


@pytest.mark.parametrize("role", PARTNER_ROLES)
def test_an_unscoped_partner_role_sees_every_customer(role: Role) -> None:
    principal = caller(role, None)

    assert all(principal.can_see(customer_id) for customer_id in (OWN, OTHER, 10**9))


@pytest.mark.parametrize("role", CUSTOMER_ROLES)
def test_a_customer_side_role_needs_a_customer(role: Role) -> None:
    with pytest.raises(InvalidScopeError, match=f"role {role.value} acts on one customer"):
        check_scope(role, None)


@pytest.mark.parametrize("role", list(Role))
def test_any_role_may_be_scoped_to_one_customer(role: Role) -> None:
    check_scope(role, OWN)


@pytest.mark.parametrize("role", PARTNER_ROLES)
def test_a_partner_role_may_act_partner_wide(role: Role) -> None:
    check_scope(role, None)


def test_a_principal_is_immutable() -> None:
    principal = caller(Role.READER, OWN)

    with pytest.raises(AttributeError):
        principal.customer_id = None  # type: ignore[misc]
