"""The "Manage licenses" tri-state (domain/selection.py), without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from licgraph.domain.directory import User
from licgraph.domain.selection import AssignmentState, SelectionHoldings, assignment_state


@pytest.mark.parametrize(
    ("selected", "holding", "expected"),
    [
        (0, 0, AssignmentState.NONE),  # an empty selection is NONE, never ALL
        (1, 0, AssignmentState.NONE),
        (1, 1, AssignmentState.ALL),
        (2, 1, AssignmentState.SOME),
        (300, 0, AssignmentState.NONE),
        (300, 1, AssignmentState.SOME),
        (300, 299, AssignmentState.SOME),
        (300, 300, AssignmentState.ALL),
    ],
)
def test_a_selection_is_all_some_or_none(
    selected: int, holding: int, expected: AssignmentState
) -> None:
    assert assignment_state(selected=selected, holding=holding) is expected


@pytest.mark.parametrize(
    ("selected", "holding"),
    [(0, 1), (2, 3), (5, -1), (-1, 0), (-2, -1)],
)
def test_impossible_counts_are_refused(selected: int, holding: int) -> None:
    with pytest.raises(ValueError, match=f"holding={holding}"):
        assignment_state(selected=selected, holding=holding)


def test_the_enum_values_are_the_contract_names() -> None:
    assert [state.value for state in AssignmentState] == ["ALL", "SOME", "NONE"]


@given(data=st.data(), selected=st.integers(min_value=0, max_value=10_000))
def test_the_state_agrees_with_set_semantics(data: st.DataObject, selected: int) -> None:
    holding = data.draw(st.integers(min_value=0, max_value=selected))

    state = assignment_state(selected=selected, holding=holding)

    assert (state is AssignmentState.NONE) == (holding == 0)
    assert (state is AssignmentState.ALL) == (0 < holding == selected)
    assert (state is AssignmentState.SOME) == (0 < holding < selected)


@given(selected=st.integers(min_value=0, max_value=1_000), extra=st.integers(1, 1_000))
def test_more_holders_than_selected_users_is_always_refused(selected: int, extra: int) -> None:
    with pytest.raises(ValueError, match="must lie between"):
        assignment_state(selected=selected, holding=selected + extra)


def test_holdings_default_to_no_holders() -> None:
    alice = User(
        id=1, customer_id=1, display_name="Alice", user_principal_name="a@x", usage_location="US"
    )

    holdings = SelectionHoldings(users=[alice])

    assert holdings.holders_by_product_id == {}
    assert SelectionHoldings(users=[]).holders_by_product_id is not holdings.holders_by_product_id
