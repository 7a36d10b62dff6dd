"""Licenses held by users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class LicenseAssignment:
    """One product held by one user, with the service plans switched off for them."""

    user_id: int
    product_id: int
    disabled_service_plan_ids: frozenset[int]
    assigned_at: datetime
    # Whether a direct assignment is among its sources (else only groups grant it).
    assigned_directly: bool = True
