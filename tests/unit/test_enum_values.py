"""Enum value descriptions: every value gets one, and a table that misses one is refused."""

from __future__ import annotations

import pytest

from licgraph.domain.selection import AssignmentState
from licgraph.graphql.types.enum_values import describe
from licgraph.graphql.types.licensing import AssignmentStateEnum


def test_a_table_missing_a_value_is_refused() -> None:
    with pytest.raises(ValueError, match="AssignmentState: describe exactly"):
        describe(AssignmentStateEnum, {AssignmentState.ALL: "All of them."})
