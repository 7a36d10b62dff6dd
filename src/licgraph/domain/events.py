"""The change log: one event per real change, newest first when read back."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from licgraph.domain.access import Principal, Role
from licgraph.domain.outcomes import Assigned, LicenseMutation, PlansChanged, Revoked, UserOutcome


class EventAction(enum.Enum):
    """What a change did."""

    ASSIGNED = "ASSIGNED"
    REVOKED = "REVOKED"
    PLANS_CHANGED = "PLANS_CHANGED"
    PURCHASED = "PURCHASED"
    USAGE_LOCATION_SET = "USAGE_LOCATION_SET"
    GROUP_CREATED = "GROUP_CREATED"
    GROUP_DELETED = "GROUP_DELETED"
    MEMBER_ADDED = "MEMBER_ADDED"
    MEMBER_REMOVED = "MEMBER_REMOVED"
    GROUP_LICENSES_CHANGED = "GROUP_LICENSES_CHANGED"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change: the token's name and role at the time."""

    name: str
    role: Role

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        """The actor behind an authenticated caller."""
        return cls(name=principal.name, role=principal.role)


@dataclass(frozen=True, slots=True)
class LicenseEvent:
    """One recorded change; ``id`` is None until it is stored."""

    customer_id: int
    occurred_at: datetime
    action: EventAction
    actor: Actor
    request_id: str
    user_id: int | None = None
    product_id: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None
    group_id: int | None = None


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Narrows the change log to one user and/or one product and/or one action."""

    user_id: int | None = None
    product_id: int | None = None
    action: EventAction | None = None


def license_events(
    outcomes: Iterable[UserOutcome],
    *,
    customer_id: int,
    actor: Actor,
    request_id: str,
    now: datetime,
) -> Iterator[LicenseEvent]:
    """The events recording the changes of ``outcomes`` (failed ones have none)."""
    for outcome in outcomes:
        for change in outcome.changes:
            yield LicenseEvent(
                customer_id=customer_id,
                occurred_at=now,
                action=_action_of(change),
                actor=actor,
                request_id=request_id,
                user_id=outcome.user_id,
                product_id=change.product_id,
                details=_details_of(change),
            )


def _action_of(change: LicenseMutation) -> EventAction:
    if isinstance(change, Assigned):
        return EventAction.ASSIGNED
    if isinstance(change, Revoked):
        return EventAction.REVOKED
    return EventAction.PLANS_CHANGED


def _details_of(change: LicenseMutation) -> dict[str, Any]:
    if isinstance(change, Assigned):
        return {"disabledServicePlanIds": sorted(change.disabled_service_plan_ids)}
    if isinstance(change, PlansChanged):
        return {
            "disabledServicePlanIdsBefore": sorted(change.disabled_before),
            "disabledServicePlanIdsAfter": sorted(change.disabled_after),
        }
    return {}
