"""How a product stands for a set of selected users (the "Manage licenses" tri-state)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from licgraph.domain.directory import User


class AssignmentState(enum.Enum):
    """Whether all, some or none of the selected users hold a product."""

    ALL = "ALL"
    SOME = "SOME"
    NONE = "NONE"


def assignment_state(*, selected: int, holding: int) -> AssignmentState:
    """Classify a product for a selection of ``selected`` users, ``holding`` of whom hold it."""
    if holding < 0 or holding > selected:
        raise ValueError(f"holding={holding} must lie between 0 and selected={selected}")
    if holding == 0:
        return AssignmentState.NONE
    if holding == selected:
        return AssignmentState.ALL
    return AssignmentState.SOME


@dataclass(frozen=True, slots=True)
class SelectionHoldings:
    """The selected users that exist in one customer, in list order, and who holds what."""

    users: list[User]
    holders_by_product_id: dict[int, list[User]] = field(default_factory=dict)
