"""Decoding of id arguments; anything malformed is refused with BAD_USER_INPUT."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from licgraph.graphql.errors import BadUserInputError
from licgraph.graphql.ids import InvalidGlobalIdError, pk_of


def id_argument(global_id: str, type_name: str) -> int:
    """The primary key inside a ``type_name`` id argument."""
    try:
        return pk_of(global_id, type_name)
    except InvalidGlobalIdError as error:
        raise BadUserInputError(str(error)) from None


# Selections up to this size are remembered once decoded (a few recent ones).
REMEMBERED_SELECTION = 2_000


def id_list_argument(
    global_ids: Sequence[str], type_name: str, *, limit: int, argument: str
) -> list[int]:
    """Distinct primary keys of a list of ``type_name`` ids, in first-seen order."""
    check_id_count(len(global_ids), limit=limit, argument=argument)
    if len(global_ids) <= REMEMBERED_SELECTION:
        return list(_remembered_pks(tuple(global_ids), type_name))
    return list(_distinct_pks(global_ids, type_name))


@functools.lru_cache(maxsize=32)
def _remembered_pks(global_ids: tuple[str, ...], type_name: str) -> tuple[int, ...]:
    # The manage panel sends one selection to two fields of every product: decoded once.
    return _distinct_pks(global_ids, type_name)


def _distinct_pks(global_ids: Sequence[str], type_name: str) -> tuple[int, ...]:
    return tuple(dict.fromkeys(id_argument(global_id, type_name) for global_id in global_ids))


def check_id_count(count: int, *, limit: int, argument: str) -> None:
    """Refuse a list argument holding more than ``limit`` ids."""
    if count > limit:
        raise BadUserInputError(f"`{argument}` takes at most {limit} ids, got {count}")


MAX_TEXT_LENGTH = 256


def text_argument(value: str | None, *, argument: str) -> str | None:
    """A free-text argument (a search term, say), refused if it is too long or holds a NUL
    character, which PostgreSQL text can't store; an empty one means none."""
    if value is None or value == "":
        return None
    if "\x00" in value or len(value) > MAX_TEXT_LENGTH:
        raise BadUserInputError(
            f"`{argument}` must be at most {MAX_TEXT_LENGTH} characters, without NUL"
        )
    return value
