"""The demo's customers: who they are, what they own, and which users hold what.

Contoso is the showcase (300 users, every product, hand-picked people for every rule);
the others are smaller tenants with a different mix, so lists and scopes differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from licgraph.services.seeding.dataset import LicenseSpec
from licgraph.services.seeding.microsoft import (
    COPILOT,
    E1,
    E3,
    E5,
    EXCHANGE_1,
    EXCHANGE_2,
    POWER_BI,
    PROJECT,
    SWAY,
    TEAMS,
    TEAMS_PHONE,
    VISIO,
    VIVA_ENGAGE,
)


@dataclass(frozen=True, slots=True)
class Wish:
    """Generated user number ``i`` gets ``license`` when ``i % every == offset`` and rules allow."""

    license: LicenseSpec
    every: int
    offset: int = 0
    # Only for users who hold nothing yet (a stand-alone mailbox, not a suite user's extra).
    standalone: bool = False


@dataclass(frozen=True, slots=True)
class NamedUser:
    """A hand-placed user whose licenses show one rule; the demo refuses invalid ones."""

    display_name: str
    usage_location: str | None
    licenses: tuple[LicenseSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoCustomer:
    """A demo tenant: its owned products with free seats, its users and their licenses."""

    name: str
    domain: str
    user_count: int
    locations: tuple[str, ...]
    # Generated user ``i`` has no usage location when ``i % every == every // 2``.
    no_location_every: int
    free_licenses: tuple[tuple[str, int], ...]
    wishes: tuple[Wish, ...]
    named_users: tuple[NamedUser, ...] = ()
    first_person: int = 0


def lic(sku: str, *disabled_plans: str) -> LicenseSpec:
    """A license with some plans switched off."""
    return LicenseSpec(sku, disabled_plans)


# Weighted like a multinational's workforce: mostly US, then Europe and Asia.
_CONTOSO_LOCATIONS = (
    "US", "US", "GB", "DE", "US", "IN", "FR", "US", "NL", "GB",
    "BR", "US", "JP", "DE", "CN", "US", "IN", "CA", "ES", "AU",
)  # fmt: skip
# Free seats per product: plenty of E3, a few of Visio, none of Copilot ("Buy more").
_CONTOSO_FREE = (
    (E3, 50), (E5, 5), (E1, 20), (EXCHANGE_1, 25), (EXCHANGE_2, 3),
    (VISIO, 2), (PROJECT, 10), (POWER_BI, 30), (TEAMS_PHONE, 15), (COPILOT, 0),
)  # fmt: skip
_FABRIKAM_FREE = (
    (E5, 5), (EXCHANGE_1, 10), (EXCHANGE_2, 3), (POWER_BI, 8),
    (PROJECT, 4), (COPILOT, 2), (TEAMS_PHONE, 6),
)  # fmt: skip

CONTOSO = DemoCustomer(
    name="Contoso Ltd.",
    domain="contoso.com",
    user_count=300,
    locations=_CONTOSO_LOCATIONS,
    no_location_every=25,
    free_licenses=_CONTOSO_FREE,
    wishes=(
        Wish(lic(E3, TEAMS, SWAY), every=27),
        Wish(lic(E3, SWAY, VIVA_ENGAGE), every=9),
        Wish(lic(E3), every=3),
        Wish(lic(E5), every=10, offset=1),
        Wish(lic(E1), every=6, offset=2),
        Wish(lic(EXCHANGE_1), every=4, offset=1, standalone=True),
        Wish(lic(EXCHANGE_2), every=8, offset=3, standalone=True),
        Wish(lic(VISIO), every=4),
        Wish(lic(PROJECT), every=7),
        Wish(lic(POWER_BI), every=5, offset=4),
        Wish(lic(TEAMS_PHONE), every=8),
        Wish(lic(COPILOT), every=11),
    ),
    named_users=(
        NamedUser("Adele Vance", "US", (lic(E3), lic(VISIO))),
        NamedUser("Alex Wilber", "US", (lic(E5), lic(COPILOT))),
        NamedUser("Megan Bowen", None),
        NamedUser("Lee Gu", "CN", (lic(E3),)),
        NamedUser("Pradeep Gupta", "IN", (lic(E3),)),
        NamedUser("Nestor Wilke", "US"),
        NamedUser("Isaiah Langer", "GB", (lic(E3, SWAY, VIVA_ENGAGE),)),
        NamedUser("Johanna Lorenz", "DE", (lic(E3, TEAMS),)),
        NamedUser("Lidia Holloway", "US", (lic(E1),)),
        NamedUser("Diego Siciliani", "DE", (lic(EXCHANGE_1),)),
        NamedUser("Patti Fernandez", "US", (lic(E5), lic(TEAMS_PHONE), lic(POWER_BI))),
        NamedUser("Grady Archie", None),
        NamedUser("Joni Sherman", "FR", (lic(POWER_BI),)),
        NamedUser("Miriam Graham", "US", (lic(E3), lic(PROJECT))),
        NamedUser("Henrietta Mueller", "DE"),
        NamedUser("Lynne Robbins", "GB", (lic(E3), lic(TEAMS_PHONE))),
        # Lower-case and accented initials: ordering must ignore case on every engine.
        NamedUser("émilie Laurent", "FR", (lic(E3),)),
        NamedUser("Zoë Åberg", "SE"),
        NamedUser("Øyvind Hansen", "NO", (lic(E1),)),
        NamedUser("jan de Vries", "NL", (lic(E3), lic(POWER_BI))),
    ),
)

FABRIKAM = DemoCustomer(
    name="Fabrikam, Inc.",
    domain="fabrikam.com",
    user_count=40,
    locations=("US", "US", "CA", "MX", "BR", "US", "GB"),
    no_location_every=13,
    free_licenses=_FABRIKAM_FREE,
    wishes=(
        Wish(lic(E5), every=2),
        Wish(lic(EXCHANGE_1), every=3, offset=1, standalone=True),
        Wish(lic(EXCHANGE_2), every=5, offset=3, standalone=True),
        Wish(lic(POWER_BI), every=4, offset=1),
        Wish(lic(COPILOT), every=6),
        Wish(lic(PROJECT), every=5),
        Wish(lic(TEAMS_PHONE), every=4, offset=2),
    ),
    named_users=(NamedUser("ángel Ruiz", "MX", (lic(E5),)),),
    first_person=1000,
)

NORTHWIND = DemoCustomer(
    name="Northwind Traders",
    domain="northwindtraders.com",
    user_count=25,
    locations=("GB", "GB", "IE", "FR", "DE", "ES", "IT", "NL"),
    no_location_every=12,
    free_licenses=((E1, 8), (EXCHANGE_1, 5), (VISIO, 3), (POWER_BI, 0), (PROJECT, 2)),
    wishes=(
        Wish(lic(E1), every=2, offset=1),
        Wish(lic(EXCHANGE_1), every=4, standalone=True),
        Wish(lic(VISIO), every=3),
        Wish(lic(POWER_BI), every=5, offset=2),
        Wish(lic(PROJECT), every=7),
    ),
    first_person=2000,
)

ADATUM = DemoCustomer(
    name="Adatum Corporation",
    domain="adatum.com",
    user_count=12,
    locations=("IN", "CN", "JP", "SG", "AU", "US"),
    no_location_every=6,
    # Copilot is owned but none was bought yet: zero of zero seats.
    free_licenses=((E3, 4), (TEAMS_PHONE, 5), (COPILOT, 0), (POWER_BI, 2)),
    wishes=(
        Wish(lic(E3), every=3),
        Wish(lic(E3), every=3, offset=1),
        Wish(lic(TEAMS_PHONE), every=2),
        Wish(lic(POWER_BI), every=3, offset=2),
    ),
    first_person=2500,
)

DEMO_CUSTOMERS = (CONTOSO, FABRIKAM, NORTHWIND, ADATUM)
