"""The licensing rules asked about what a user holds, and seeds asking them by SKU."""

from __future__ import annotations

import pytest

from licgraph.domain.catalog import ProductRules, ServicePlan
from licgraph.domain.directory import User
from licgraph.domain.license_errors import (
    InvalidServicePlan,
    LicenseError,
    MissingDependency,
    MutuallyExclusiveLicenses,
    ProductUnavailableInLocation,
    ServicePlanDependency,
    UsageLocationRequired,
)
from licgraph.domain.license_rules import holding_errors
from licgraph.domain.outcomes import Holdings
from licgraph.services.seeding.dataset import LicenseSpec, PlanSpec, ProductSpec
from licgraph.services.seeding.rules import SeedRules

E3, E5, VISIO, PHONE = 1, 2, 3, 4
EXCHANGE, TEAMS = 11, 12
RULES = {
    E3: ProductRules(
        E3,
        conflicting_product_ids=frozenset({E5}),
        service_plans=(
            ServicePlan(EXCHANGE, E3, "Exchange"),
            ServicePlan(TEAMS, E3, "Teams", frozenset({EXCHANGE})),
        ),
    ),
    VISIO: ProductRules(VISIO, required_product_ids=frozenset({E3, E5})),
    PHONE: ProductRules(PHONE, unavailable_usage_locations=frozenset({"CN"})),
}


def user(location: str | None = "US") -> User:
    return User(7, 1, "Adele Vance", "adele@contoso.example", location)


def test_licenses_that_keep_every_rule_break_none() -> None:
    held: Holdings = {E3: frozenset({TEAMS}), VISIO: frozenset(), PHONE: frozenset()}

    assert holding_errors(user(), held, RULES) == ()


def test_no_licenses_need_no_usage_location() -> None:
    assert holding_errors(user(None), {}, RULES) == ()


@pytest.mark.parametrize(
    ("location", "held", "errors"),
    [
        pytest.param(None, {E3: frozenset()}, (UsageLocationRequired(7),), id="no-location"),
        pytest.param(
            "CN",
            {PHONE: frozenset()},
            (ProductUnavailableInLocation(PHONE, "CN"),),
            id="unavailable",
        ),
        pytest.param(
            "US",
            {E3: frozenset(), E5: frozenset()},
            (MutuallyExclusiveLicenses(E3, (E5,)), MutuallyExclusiveLicenses(E5, (E3,))),
            id="conflict-either-side",
        ),
        pytest.param(
            "US", {VISIO: frozenset()}, (MissingDependency(VISIO, (E3, E5)),), id="no-base"
        ),
        pytest.param(
            "US", {E3: frozenset({99})}, (InvalidServicePlan(E3, (99,)),), id="foreign-plan"
        ),
        pytest.param(
            "US",
            {E3: frozenset({EXCHANGE})},
            (ServicePlanDependency(E3, TEAMS, (EXCHANGE,)),),
            id="needed-plan-off",
        ),
    ],
)
def test_each_broken_rule_is_reported_with_its_typed_error(
    location: str | None, held: Holdings, errors: tuple[LicenseError, ...]
) -> None:
    assert holding_errors(user(location), held, RULES) == errors


CATALOG = (
    ProductSpec("E3", "E3", service_plans=(PlanSpec("Exchange"), PlanSpec("Teams", ("Exchange",)))),
    ProductSpec("E5", "E5", conflicts_with=("E3",)),
    ProductSpec("VISIO", "Visio", requires_any_of=("E3", "E5")),
)


@pytest.mark.parametrize(
    ("licenses", "location", "allowed"),
    [
        pytest.param((LicenseSpec("E3", ("Teams",)), LicenseSpec("VISIO")), "US", True, id="ok"),
        pytest.param((LicenseSpec("E3"),), None, False, id="no-location"),
        pytest.param((LicenseSpec("E3"), LicenseSpec("E5")), "US", False, id="conflict"),
        pytest.param((LicenseSpec("VISIO"),), "US", False, id="no-base"),
        pytest.param((LicenseSpec("E3", ("Exchange",)),), "US", False, id="needed-plan-off"),
        pytest.param((LicenseSpec("E3", ("Sway",)),), "US", False, id="unknown-plan"),
        pytest.param((LicenseSpec("E3"), LicenseSpec("E3")), "US", False, id="held-twice"),
    ],
)
def test_seeds_ask_the_domain_rules_by_sku_and_plan_name(
    licenses: tuple[LicenseSpec, ...], location: str | None, allowed: bool
) -> None:
    assert SeedRules(CATALOG).allows(licenses, usage_location=location) is allowed
