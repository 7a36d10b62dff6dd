"""How a product stands for a set of selected users (the "Manage licenses" tri-state)."""

from __future__ import annotations

import enum


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
