"""A generated tenant for scale: its catalog, its users and their licenses, all deterministic.

Products split in two halves. The first (rounded up) is unrestricted: no dependency, no
conflict, available everywhere. The rest carry the rules: each requires any of two
unrestricted products, conflicts with a neighbour, or is unavailable in a few locations.
Initial licenses only come from unrestricted products plus add-ons with no location rule,
so no generated user breaks a rule whatever their location.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from licgraph.services.seeding.dataset import (
    CustomerSpec,
    LicenseSpec,
    PlanSpec,
    ProductSpec,
    UserSpec,
)
from licgraph.services.seeding.names import FIRST_NAMES, LAST_NAMES, mail_name

# Repeats weight the mix towards the larger markets; every entry is a real ISO 3166 code.
LOCATIONS = (
    "US", "US", "US", "US", "GB", "GB", "DE", "DE", "FR", "NL",
    "IN", "IN", "CN", "BR", "JP", "CA", "AU", "ES", "IT", "SE", "PL", "MX", "SG",
)  # fmt: skip
_RESTRICTABLE = tuple(sorted(set(LOCATIONS)))
_FAMILIES = (
    "Secure Mail", "Team Sites", "Analytics Studio", "Cloud Storage", "Voice Calling",
    "Device Management", "Forms and Surveys", "Video Meetings", "Workflow Automation",
    "Identity Protection", "Project Planner", "Diagram Designer",
)  # fmt: skip
_PLAN_FEATURES = ("Core Service", "Web App", "Desktop App", "Mobile App", "Admin Reports")
_COMPANY_WORDS = (
    ("Alpine", "Blue Yonder", "Coho", "Lucerne", "Margie's", "Proseware", "Trey", "Wide World",
     "Woodgrove", "Litware", "Relecloud", "Tailspin", "Wingtip", "Fourth Coffee", "Humongous"),
    ("Airlines", "Bank", "Publishing", "Research", "Logistics", "Toys", "Winery", "Insurance",
     "Importers", "Health", "Energy", "Travel", "Foods", "Systems", "Media"),
)  # fmt: skip
# User i holds a license when i % 10 is one of these (30%); every 50th has a plan switched
# off, every 30th also holds an add-on.
_HOLDING_PERIOD = 10
_HOLDING_RESIDUES = frozenset({0, 3, 6})
_TRIMMED_EVERY = 50
_ADD_ON_EVERY = 30
_FEW_FREE_SEATS = 3
_FEW_SEATS_EVERY = 4  # every fourth product has only a few free seats


def _mail_names() -> dict[tuple[str, str], str]:
    return {(f, la): mail_name(f, la) for f in FIRST_NAMES for la in LAST_NAMES}


_MAIL_NAMES = _mail_names()  # computed once: normalising Unicode per user is the slow part


class _Rules(NamedTuple):
    requires_any_of: tuple[str, ...] = ()
    conflicts_with: tuple[str, ...] = ()
    unavailable_in: tuple[str, ...] = ()


# Not slotted: cached_property stores its value in the instance dictionary.
@dataclass(frozen=True)
class SyntheticTenant:
    """Customer ``index`` of a synthetic run with ``seed``; ``ordinal`` keeps its names unique."""

    seed: int
    index: int
    ordinal: int
    user_count: int
    product_count: int

    @property
    def unrestricted_count(self) -> int:
        """How many products carry no rule (at least half)."""
        return self.product_count - self.product_count // 2

    @cached_property
    def customer(self) -> CustomerSpec:
        """The customer with its products, totals computed from the licenses its users hold."""
        rng = random.Random(self._rng_seed(salt=1))  # noqa: S311 - reproducible, not secret
        company = " ".join(rng.choice(words) for words in _COMPANY_WORDS)
        slug = mail_name(*company.split()).replace(".", "")
        held = self._held_counts()
        products = tuple(self._product(j, held[_sku(j)]) for j in range(self.product_count))
        return CustomerSpec(f"{company} {self.ordinal}", f"{slug}-{self.ordinal}.example", products)

    def user_batches(self, size: int) -> Iterator[list[UserSpec]]:
        """The users in order, ``size`` at a time, generated lazily so memory stays flat."""
        rng = random.Random(self._rng_seed(salt=2))  # noqa: S311 - reproducible, not secret
        domain = self.customer.domain
        for start in range(0, self.user_count, size):
            stop = min(start + size, self.user_count)
            yield [self._user(i, rng, domain) for i in range(start, stop)]

    def licenses_for(self, i: int) -> tuple[LicenseSpec, ...]:
        """The licenses user ``i`` starts with; they never depend on the user's location."""
        if i % _HOLDING_PERIOD not in _HOLDING_RESIDUES:
            return ()
        product = (i // _HOLDING_PERIOD) % self.unrestricted_count
        return self._holdings[product, i % _TRIMMED_EVERY == 0, i % _ADD_ON_EVERY == 0]

    def _user(self, i: int, rng: random.Random, domain: str) -> UserSpec:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        upn = f"{_MAIL_NAMES[first, last]}.{i + 1}@{domain}"
        return UserSpec(f"{first} {last}", upn, rng.choice(LOCATIONS), self.licenses_for(i))

    @cached_property
    def _holdings(self) -> dict[tuple[int, bool, bool], tuple[LicenseSpec, ...]]:
        # Few distinct license tuples exist: build each once, share it between users.
        return {
            (u, trimmed, with_addon): self._holding(u, trimmed=trimmed, with_addon=with_addon)
            for u in range(self.unrestricted_count)
            for trimmed in (False, True)
            for with_addon in (False, True)
        }

    def _holding(self, u: int, *, trimmed: bool, with_addon: bool) -> tuple[LicenseSpec, ...]:
        # The last plan is required by no other, so switching it off is always valid.
        disabled = (_plans(u)[-1].name,) if trimmed else ()
        base = LicenseSpec(_sku(u), disabled)
        addon = self._addon_for(u)
        return (base, LicenseSpec(addon)) if with_addon and addon else (base,)

    def _addon_for(self, u: int) -> str | None:
        for j in range(self.unrestricted_count, self.product_count):
            rules = self._rules(j)
            if _sku(u) in rules.requires_any_of and not rules.unavailable_in:
                return _sku(j)
        return None

    def _held_counts(self) -> Counter[str]:
        held: Counter[str] = Counter()
        for i in range(self.user_count):
            held.update(license_.sku_part_number for license_ in self.licenses_for(i))
        return held

    def _product(self, j: int, held: int) -> ProductSpec:
        few = j % _FEW_SEATS_EVERY == _FEW_SEATS_EVERY - 1
        free = _FEW_FREE_SEATS if few else max(10, held // 2, self.user_count // 20)
        family = _FAMILIES[j % len(_FAMILIES)]
        name = f"{family} (Plan {j // len(_FAMILIES) + 1})"
        return ProductSpec(_sku(j), name, held + free, _plans(j), *self._rules(j))

    def _rules(self, j: int) -> _Rules:
        unrestricted = self.unrestricted_count
        r = j - unrestricted
        if r < 0:
            return _Rules()
        requires = tuple(dict.fromkeys((_sku(r % unrestricted), _sku((r + 1) % unrestricted))))
        has_partner = r % 4 == 0 and j + 1 < self.product_count
        return _Rules(
            requires_any_of=requires if r % 4 in (0, 2) else (),
            conflicts_with=(_sku(j + 1),) if has_partner else (),
            unavailable_in=_restricted_locations(r) if r % 4 else (),
        )

    def _rng_seed(self, *, salt: int) -> int:
        return (self.seed * 1_000_003 + self.index) * 10 + salt


def _sku(j: int) -> str:
    return f"SYN_{j + 1:04d}"


def _plans(j: int) -> tuple[PlanSpec, ...]:
    family = _FAMILIES[j % len(_FAMILIES)]
    names = [f"{family} {feature}" for feature in _PLAN_FEATURES[: 3 + j % 3]]
    # The web app runs on the core service: the one plan-requires-plan rule per product.
    core, web, *others = names
    return (PlanSpec(core), PlanSpec(web, requires=(core,)), *(PlanSpec(n) for n in others))


def _restricted_locations(r: int) -> tuple[str, ...]:
    count = len(_RESTRICTABLE)
    return tuple(sorted({_RESTRICTABLE[r % count], _RESTRICTABLE[(r * 7 + 3) % count]}))
