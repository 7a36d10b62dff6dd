"""UserRepository on a real database: keyset pages both ways, counts, selections, order."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from licgraph.db.engine import Database
from licgraph.db.keyset import count_rows, fetch_pages
from licgraph.db.repositories.users import USERS, UserRepository
from licgraph.domain.directory import User, UserFilter, UserQuery
from licgraph.domain.paging import Key, Page, PageRequest
from tests import factories as make

# Equal names, names equal but for case, accents (which casefold keeps), ß (which casefold
# turns into "ss"), inserted out of order.
NAMES: list[tuple[str, str | None]] = [
    ("bob", "US"),
    ("Zoë", "DE"),
    ("Bob", None),
    ("Émile", "FR"),
    ("alice", "US"),
    ("STRASSE", "DE"),
    ("BOB", "US"),
    ("emile", None),
    ("Straße", "DE"),
    ("Ångström", "SE"),
    ("zoe", "US"),
    ("bob", "GB"),
    ("Alice", None),
    ("ångström", "SE"),
]
NO_FILTER = UserFilter()


@dataclass(frozen=True)
class Directory:
    customer: int
    other_customer: int
    users: dict[int, tuple[str, str | None]]  # id -> (display name, usage location)
    holders: frozenset[int]  # users holding `product`
    product: int
    foreigners: tuple[int, ...]


def expected_order(
    users: dict[int, tuple[str, str | None]], ids: set[int] | None = None
) -> list[int]:
    """The contract's order computed independently: casefolded display name, then id."""
    chosen = users if ids is None else {pk: users[pk] for pk in ids}
    return sorted(chosen, key=lambda pk: (chosen[pk][0].casefold(), pk))


@pytest.fixture
async def directory(database: Database) -> Directory:
    customer = await make.make_customer(database, "Contoso")
    other = await make.make_customer(database, "Fabrikam")
    product = await make.make_product(database, customer, total=100)
    users: dict[int, tuple[str, str | None]] = {}
    foreigners: list[int] = []
    for index, (name, location) in enumerate(NAMES):
        users[await make.make_user(database, customer, name, location)] = (name, location)
        if index % 4 == 0:  # foreign users with the same names interleave the ids
            foreigners.append(await make.make_user(database, other, name, location))
    holders = frozenset(list(users)[::3])
    for user_id in holders:
        await make.assign(database, user_id, product)
    return Directory(customer, other, users, holders, product, tuple(foreigners))


async def page(
    database: Database, directory: Directory, request: PageRequest, user_filter: UserFilter
) -> Page[User]:
    async with database.connect() as connection:
        pages = await fetch_pages(
            connection,
            USERS,
            owners=[directory.customer],
            query=UserQuery(None, user_filter),
            request=request,
            scope=None,
        )
    return pages[directory.customer]


async def count(
    database: Database, customer: int, search: str | None, user_filter: UserFilter
) -> int:
    async with database.connect() as connection:
        totals = await count_rows(
            connection, USERS, owners=[customer], query=UserQuery(search, user_filter), scope=None
        )
    return totals[customer]


def key_of(user: User) -> Key:
    return (user.display_name.casefold(), user.id)


async def walk(
    database: Database,
    directory: Directory,
    *,
    size: int,
    backwards: bool,
    user_filter: UserFilter = NO_FILTER,
) -> list[list[int]]:
    """Every page from one end to the other, each as its ids in list order."""
    pages: list[list[int]] = []
    cursor: Key | None = None
    while True:
        request = (
            PageRequest(limit=size, before=cursor, backwards=True)
            if backwards
            else PageRequest(limit=size, after=cursor)
        )
        result = await page(database, directory, request, user_filter)
        pages.append([user.id for user in result.rows])
        assert (result.has_next if backwards else result.has_previous) == (len(pages) > 1)
        if not (result.has_previous if backwards else result.has_next):
            break
        cursor = key_of(result.rows[0] if backwards else result.rows[-1])
    return pages[::-1] if backwards else pages


def flatten(pages: list[list[int]]) -> list[int]:
    return [pk for ids in pages for pk in ids]


# --- order -----------------------------------------------------------------------------


async def test_users_are_ordered_by_casefolded_name_then_id(
    database: Database, directory: Directory
) -> None:
    result = await page(database, directory, PageRequest(limit=100), NO_FILTER)

    assert [user.id for user in result.rows] == expected_order(directory.users)
    names = [user.display_name for user in result.rows]
    assert names[:2] == ["alice", "Alice"]
    assert names[2:6] == ["bob", "Bob", "BOB", "bob"]  # equal keys: insertion (id) order
    assert names[-3:] == ["Ångström", "ångström", "Émile"]  # accented after ASCII, by code point
    strasse = [name for name in names if name.casefold() == "strasse"]
    assert strasse == ["STRASSE", "Straße"]  # ß casefolds to ss: tie broken by id
    assert not result.has_next
    assert not result.has_previous


async def test_no_user_of_another_customer_appears(
    database: Database, directory: Directory
) -> None:
    result = await page(database, directory, PageRequest(limit=100), NO_FILTER)

    assert {user.customer_id for user in result.rows} == {directory.customer}
    assert not {user.id for user in result.rows} & set(directory.foreigners)


# --- keyset pages in both directions ---------------------------------------------------


@pytest.mark.parametrize("size", [1, 3, 5, 14])
async def test_walking_forwards_visits_every_user_once_in_order(
    database: Database, directory: Directory, size: int
) -> None:
    pages = await walk(database, directory, size=size, backwards=False)

    assert flatten(pages) == expected_order(directory.users)
    assert all(len(ids) == size for ids in pages[:-1])


@pytest.mark.parametrize("size", [1, 3, 5, 14])
async def test_walking_backwards_visits_every_user_once_in_order(
    database: Database, directory: Directory, size: int
) -> None:
    pages = await walk(database, directory, size=size, backwards=True)

    assert flatten(pages) == expected_order(directory.users)
    assert all(len(ids) == size for ids in pages[1:])


async def test_a_middle_page_knows_rows_lie_on_both_sides(
    database: Database, directory: Directory
) -> None:
    order = expected_order(directory.users)
    users = (await page(database, directory, PageRequest(limit=100), NO_FILTER)).rows
    fourth = key_of(users[3])

    forwards = await page(database, directory, PageRequest(limit=3, after=fourth), NO_FILTER)
    backwards = await page(
        database, directory, PageRequest(limit=3, before=fourth, backwards=True), NO_FILTER
    )

    assert [user.id for user in forwards.rows] == order[4:7]
    assert (forwards.has_previous, forwards.has_next) == (True, True)
    assert [user.id for user in backwards.rows] == order[0:3]
    assert (backwards.has_previous, backwards.has_next) == (False, True)


async def test_a_page_between_two_cursors_holds_exactly_the_rows_between(
    database: Database, directory: Directory
) -> None:
    order = expected_order(directory.users)
    users = (await page(database, directory, PageRequest(limit=100), NO_FILTER)).rows

    result = await page(
        database,
        directory,
        PageRequest(limit=100, after=key_of(users[2]), before=key_of(users[9])),
        NO_FILTER,
    )

    assert [user.id for user in result.rows] == order[3:9]


async def test_last_alone_gives_the_last_rows(database: Database, directory: Directory) -> None:
    result = await page(database, directory, PageRequest(limit=4, backwards=True), NO_FILTER)

    assert [user.id for user in result.rows] == expected_order(directory.users)[-4:]
    assert (result.has_previous, result.has_next) == (True, False)


@pytest.mark.parametrize("backwards", [False, True])
async def test_a_zero_limit_page_is_empty_but_knows_more_exist(
    database: Database, directory: Directory, backwards: bool
) -> None:
    result = await page(database, directory, PageRequest(limit=0, backwards=backwards), NO_FILTER)

    assert result.rows == []
    assert (result.has_next, result.has_previous) == ((False, True) if backwards else (True, False))


async def test_a_cursor_past_the_end_gives_an_empty_last_page(
    database: Database, directory: Directory
) -> None:
    result = await page(
        database, directory, PageRequest(limit=5, after=("\U0010ffff", 1)), NO_FILTER
    )

    assert result.rows == []
    assert (result.has_previous, result.has_next) == (True, False)


@pytest.mark.parametrize(
    "user_filter",
    [
        UserFilter(has_usage_location=True),
        UserFilter(has_usage_location=False),
        UserFilter(usage_location="DE"),
        UserFilter(holding_product_id=0),  # replaced by the real product below
        UserFilter(lacking_product_id=0),
        UserFilter(lacking_product_id=0, has_usage_location=True),
    ],
    ids=["located", "unlocated", "in-DE", "holding", "lacking", "lacking-and-located"],
)
@pytest.mark.parametrize("backwards", [False, True], ids=["forwards", "backwards"])
async def test_filtered_walks_visit_exactly_the_matching_users(
    database: Database, directory: Directory, user_filter: UserFilter, backwards: bool
) -> None:
    actual = with_product(user_filter, directory.product)
    matching = {pk for pk in directory.users if matches(directory, pk, actual)}

    pages = await walk(database, directory, size=2, backwards=backwards, user_filter=actual)

    assert flatten(pages) == expected_order(directory.users, matching)
    assert await count(database, directory.customer, None, actual) == len(matching)


def with_product(user_filter: UserFilter, product: int) -> UserFilter:
    return UserFilter(
        holding_product_id=None if user_filter.holding_product_id is None else product,
        lacking_product_id=None if user_filter.lacking_product_id is None else product,
        usage_location=user_filter.usage_location,
        has_usage_location=user_filter.has_usage_location,
    )


def matches(directory: Directory, pk: int, user_filter: UserFilter) -> bool:
    location = directory.users[pk][1]
    held = pk in directory.holders
    return (
        (user_filter.holding_product_id is None or held)
        and (user_filter.lacking_product_id is None or not held)
        and (user_filter.usage_location is None or location == user_filter.usage_location)
        and (
            user_filter.has_usage_location is None
            or (location is not None) == user_filter.has_usage_location
        )
    )


# --- count -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        (None, len(NAMES)),
        ("BOB", 4),
        ("ÉMILE", 1),  # case folds away, the accent does not: "emile" is another name
        ("zoe", 1),
        ("STRASSE", 2),  # ß casefolds to ss, so both spellings match
        ("no such user", 0),
        ("%", 0),  # LIKE wildcards are literal
        ("_", 0),
    ],
)
async def test_count_matches_the_search_case_insensitively(
    database: Database, directory: Directory, search: str | None, expected: int
) -> None:
    total = await count(database, directory.customer, search, NO_FILTER)

    assert total == expected


async def test_count_of_a_customer_without_users_is_zero(
    database: Database, directory: Directory
) -> None:
    empty = await make.make_customer(database, "Empty")

    total = await count(database, empty, None, NO_FILTER)

    assert total == 0


# --- selections --------------------------------------------------------------------------


async def test_of_customer_returns_the_given_users_in_list_order(
    database: Database, directory: Directory
) -> None:
    wanted = list(directory.users)[::2]
    shuffled = [*reversed(wanted), wanted[0], 999_999, *directory.foreigners]

    async with database.connect() as connection:
        users = await UserRepository(connection).of_customer(
            customer_id=directory.customer, ids=shuffled
        )

    assert [user.id for user in users] == expected_order(directory.users, set(wanted))


async def test_of_customer_with_no_ids_is_empty(database: Database, directory: Directory) -> None:
    async with database.connect() as connection:
        users = await UserRepository(connection).of_customer(customer_id=directory.customer, ids=[])

    assert users == []


async def test_by_ids_finds_users_of_any_customer_and_skips_missing_ones(
    database: Database, directory: Directory
) -> None:
    own = next(iter(directory.users))
    foreign = directory.foreigners[0]

    async with database.connect() as connection:
        found = await UserRepository(connection).by_ids([own, foreign, 999_999])

    assert set(found) == {own, foreign}
    assert found[own].display_name == directory.users[own][0]
    assert found[foreign].customer_id == directory.other_customer
