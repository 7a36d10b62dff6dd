"""Walking whole lists page by page, as First / Previous / Next / Last buttons do."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import insert

from licgraph.db.engine import Database
from licgraph.db.tables import customer_table, user_table
from licgraph.domain.directory import sort_key
from licgraph.graphql.ids import from_global_id, to_global_id
from tests import factories as make
from tests.api.conftest import Execute, data_of, error_codes

USER_COUNT = 260
CUSTOMER_COUNT = 30
PAGE = 25
FIRST_NAMES = ("anna", "Ben", "émile", "zoë", "Ølaf", "straße", "STRASSE", "dmitri", "Eve",
               "ångström", "bob", "Zed", "ian")  # fmt: skip
LAST_NAMES = ("smith", "O'Brien", "van der Berg", "ÅBERG", "lee", "Müller", "MÜLLER", "ng",
              "zhang", "Adams")  # fmt: skip

USERS = """
query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String,
       $filter: UserFilter) {
  customer(id: $id) {
    users(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id displayName } }
    }
  }
}"""
CUSTOMERS = """
query ($first: Int, $after: String, $last: Int, $before: String) {
  customers(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name } }
  }
}"""


@dataclass(frozen=True)
class Listed:
    """What the database holds, from which the expected order is computed independently."""

    names: dict[int, str]  # pk -> display name (or customer name)
    located: frozenset[int]

    def order(self, pks: set[int] | None = None) -> list[int]:
        chosen = self.names.keys() if pks is None else pks
        return sorted(chosen, key=lambda pk: (self.names[pk].casefold(), pk))


def user_name(index: int) -> str:
    """Deterministic names: every (first, last) pair twice, in varying case."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    name = f"{first} {last}"
    return (name, name.upper(), name.lower(), name)[index % 4]


@pytest.fixture
async def customer(database: Database) -> int:
    return await make.make_customer(database, "Walkers Ltd.", "walkers.example.com")


@pytest.fixture
async def users(database: Database, customer: int) -> Listed:
    """260 users inserted in one statement, in an order unrelated to their names."""
    other = await make.make_customer(database, "Bystanders", "bystanders.example.com")
    indexes = [(index * 97) % USER_COUNT for index in range(USER_COUNT)]
    rows = [
        {
            "customer_id": customer,
            "display_name": user_name(index),
            "display_name_key": sort_key(user_name(index)),
            "user_principal_name": f"walker{index}@walkers.example.com",
            "usage_location": None if index % 7 == 0 else "US",
        }
        for index in indexes
    ]
    async with database.transaction() as connection:
        await connection.execute(insert(user_table), rows)
    for index in range(5):  # another customer's users must never show up
        await make.make_user(database, other, user_name(index))
    return await _listed(database, customer)


async def _listed(database: Database, customer: int) -> Listed:
    async with database.connect() as connection:
        rows = list(
            await connection.execute(
                user_table.select().where(user_table.c.customer_id == customer)
            )
        )
    assert len(rows) == USER_COUNT
    return Listed(
        names={row.id: row.display_name for row in rows},
        located=frozenset(row.id for row in rows if row.usage_location is not None),
    )


def pks_of(connection: dict[str, Any]) -> list[int]:
    return [from_global_id(edge["node"]["id"])[1] for edge in connection["edges"]]


def check_cursors(connection: dict[str, Any]) -> None:
    edges, info = connection["edges"], connection["pageInfo"]
    assert info["startCursor"] == (edges[0]["cursor"] if edges else None)
    assert info["endCursor"] == (edges[-1]["cursor"] if edges else None)


async def users_page(execute: Execute, customer: int, **variables: Any) -> dict[str, Any]:
    result = await execute(USERS, {"id": to_global_id("Customer", customer), **variables})
    connection: dict[str, Any] = data_of(result)["customer"]["users"]
    check_cursors(connection)
    return connection


Read = Callable[..., Awaitable[dict[str, Any]]]


async def walk_forwards(
    execute: Execute, read: Read, size: int, **variables: Any
) -> list[dict[str, Any]]:
    pages = [await read(execute, first=size, **variables)]
    while pages[-1]["pageInfo"]["hasNextPage"]:
        after = pages[-1]["pageInfo"]["endCursor"]
        pages.append(await read(execute, first=size, after=after, **variables))
    return pages


async def walk_backwards(
    execute: Execute, read: Read, size: int, **variables: Any
) -> list[dict[str, Any]]:
    pages = [await read(execute, last=size, **variables)]
    while pages[-1]["pageInfo"]["hasPreviousPage"]:
        before = pages[-1]["pageInfo"]["startCursor"]
        pages.append(await read(execute, last=size, before=before, **variables))
    return pages


def flags(page: dict[str, Any]) -> tuple[bool, bool]:
    """(hasPreviousPage, hasNextPage)."""
    return page["pageInfo"]["hasPreviousPage"], page["pageInfo"]["hasNextPage"]


def check_walk(pages: list[dict[str, Any]], expected: list[int], size: int) -> None:
    """Pages given in list order: all rows once, in order, sizes and flags right."""
    assert [pk for page in pages for pk in pks_of(page)] == expected
    assert {page["totalCount"] for page in pages} == {len(expected)}
    assert len(pages) == -(-len(expected) // size)
    assert flags(pages[0]) == (False, len(pages) > 1)
    assert all(flags(page) == (True, True) for page in pages[1:-1])
    assert flags(pages[-1]) == (len(pages) > 1, False)


# --- users -------------------------------------------------------------------------------


async def test_walking_users_forwards_visits_each_once_in_order(
    execute: Execute, customer: int, users: Listed
) -> None:
    async def read(execute: Execute, **variables: Any) -> dict[str, Any]:
        return await users_page(execute, customer, **variables)

    pages = await walk_forwards(execute, read, PAGE)

    check_walk(pages, users.order(), PAGE)
    assert [len(pks_of(page)) for page in pages] == [PAGE] * 10 + [10]


async def test_walking_users_backwards_from_the_last_page_visits_each_once_in_order(
    execute: Execute, customer: int, users: Listed
) -> None:
    async def read(execute: Execute, **variables: Any) -> dict[str, Any]:
        return await users_page(execute, customer, **variables)

    pages = await walk_backwards(execute, read, PAGE)

    pages.reverse()
    # Backwards, the short page is the first one of the list.
    assert [len(pks_of(page)) for page in pages] == [10] + [PAGE] * 10
    assert [pk for page in pages for pk in pks_of(page)] == users.order()
    assert {page["totalCount"] for page in pages} == {USER_COUNT}
    assert flags(pages[0]) == (False, True)
    assert all(flags(page) == (True, True) for page in pages[1:-1])
    assert flags(pages[-1]) == (True, False)


async def test_the_order_is_casefolded_name_then_id_with_ties(
    execute: Execute, customer: int, users: Listed
) -> None:
    page = await users_page(execute, customer, first=100)

    names = [edge["node"]["displayName"] for edge in page["edges"]]
    assert names == [users.names[pk] for pk in users.order()[:100]]
    keys = [name.casefold() for name in names]
    assert len(set(keys)) < len(keys)  # the data has ties, so ids really break them
    assert len({name for name in names if name.casefold() == keys[0]}) > 1  # in mixed case


async def test_last_alone_gives_the_last_users(
    execute: Execute, customer: int, users: Listed
) -> None:
    page = await users_page(execute, customer, last=PAGE)

    assert pks_of(page) == users.order()[-PAGE:]
    assert flags(page) == (True, False)
    assert page["totalCount"] == USER_COUNT


async def test_previous_from_a_middle_page_returns_the_page_before_it(
    execute: Execute, customer: int, users: Listed
) -> None:
    first = await users_page(execute, customer, first=PAGE)
    second = await users_page(execute, customer, first=PAGE, after=first["pageInfo"]["endCursor"])

    previous = await users_page(
        execute, customer, last=PAGE, before=second["pageInfo"]["startCursor"]
    )

    assert pks_of(previous) == pks_of(first) == users.order()[:PAGE]
    assert pks_of(second) == users.order()[PAGE : 2 * PAGE]
    assert flags(second) == (True, True)
    assert flags(previous) == (False, True)


@pytest.mark.parametrize(
    ("variables", "expected_flags"),
    [({"first": 0}, (False, True)), ({"last": 0}, (True, False))],
    ids=["first-0", "last-0"],
)
async def test_a_zero_size_page_has_no_rows_but_a_total(
    execute: Execute,
    customer: int,
    users: Listed,
    variables: dict[str, int],
    expected_flags: tuple[bool, bool],
) -> None:
    page = await users_page(execute, customer, **variables)

    assert page["edges"] == []
    assert page["totalCount"] == USER_COUNT
    assert flags(page) == expected_flags
    assert page["pageInfo"]["startCursor"] is None
    assert page["pageInfo"]["endCursor"] is None


@pytest.mark.parametrize("backwards", [False, True], ids=["forwards", "backwards"])
@pytest.mark.parametrize("located", [True, False])
async def test_a_filtered_walk_visits_exactly_the_matching_users(
    execute: Execute, customer: int, users: Listed, located: bool, backwards: bool
) -> None:
    async def read(execute: Execute, **variables: Any) -> dict[str, Any]:
        return await users_page(
            execute, customer, filter={"hasUsageLocation": located}, **variables
        )

    pages = await (walk_backwards if backwards else walk_forwards)(execute, read, PAGE)

    matching = set(users.located) if located else set(users.names) - users.located
    expected = users.order(matching)
    assert len(expected) == (222 if located else 38)
    if backwards:
        pages.reverse()
        assert [pk for page in pages for pk in pks_of(page)] == expected
        assert {page["totalCount"] for page in pages} == {len(expected)}
    else:
        check_walk(pages, expected, PAGE)


async def test_an_empty_customer_has_one_empty_page(execute: Execute, database: Database) -> None:
    empty = await make.make_customer(database, "Nobody Home", "empty.example.com")

    page = await users_page(execute, empty, first=PAGE)

    assert page == {
        "totalCount": 0,
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
        "edges": [],
    }


# --- customers ---------------------------------------------------------------------------


@pytest.fixture
async def customers(database: Database) -> Listed:
    names = [
        ("Contoso", "contoso", "CONTOSO", "Fabrikam", "fabrikam", "Ærø Shipping", "Ölkraft",
         "Zeta", "alpha", "Alpha", "Äpfel GmbH", "beta")[index % 12]
        for index in range(CUSTOMER_COUNT)
    ]  # fmt: skip
    rows = [
        {"name": name, "name_key": sort_key(name), "domain": f"c{index}.example.com"}
        for index, name in enumerate(names)
    ]
    async with database.transaction() as connection:
        await connection.execute(insert(customer_table), rows)
        stored = list(await connection.execute(customer_table.select()))
    return Listed(names={row.id: row.name for row in stored}, located=frozenset())


async def customers_page(execute: Execute, **variables: Any) -> dict[str, Any]:
    connection: dict[str, Any] = data_of(await execute(CUSTOMERS, variables))["customers"]
    check_cursors(connection)
    return connection


@pytest.mark.parametrize("size", [7, 30, 100])
async def test_walking_customers_forwards_visits_each_once_in_order(
    execute: Execute, customers: Listed, size: int
) -> None:
    pages = await walk_forwards(execute, customers_page, size)

    check_walk(pages, customers.order(), size)


@pytest.mark.parametrize("size", [7, 30])
async def test_walking_customers_backwards_visits_each_once_in_order(
    execute: Execute, customers: Listed, size: int
) -> None:
    pages = await walk_backwards(execute, customers_page, size)

    pages.reverse()
    assert [pk for page in pages for pk in pks_of(page)] == customers.order()
    assert {page["totalCount"] for page in pages} == {CUSTOMER_COUNT}
    assert flags(pages[0]) == (False, len(pages) > 1)
    assert flags(pages[-1]) == (len(pages) > 1, False)


async def test_last_alone_gives_the_last_customers(execute: Execute, customers: Listed) -> None:
    page = await customers_page(execute, last=4)

    assert pks_of(page) == customers.order()[-4:]
    assert [edge["node"]["name"] for edge in page["edges"]][-1] == "Ölkraft"
    assert flags(page) == (True, False)


# --- cursors a client forged --------------------------------------------------------------


def forged(payload: str) -> str:
    return base64.urlsafe_b64encode(f"cursor:v1:{payload}".encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        forged('["customers","a",2147483648]'),
        forged("[" * 100_000),
        forged('["customers","\\ud800",1]'),
    ],
    ids=["int32-overflow", "deep-nesting", "lone-surrogate"],
)
async def test_a_hostile_cursor_is_refused_as_bad_input(
    execute: Execute, customers: Listed, cursor: str
) -> None:
    result = await execute(CUSTOMERS, {"first": 5, "after": cursor})

    assert error_codes(result) == ["BAD_USER_INPUT"]


async def test_the_largest_32_bit_id_in_a_cursor_is_a_valid_position(
    execute: Execute, customers: Listed
) -> None:
    cursor = forged('["customers","contoso",2147483647]')

    page = await customers_page(execute, first=100, after=cursor)

    names = [edge["node"]["name"] for edge in page["edges"]]
    assert names == [
        customers.names[pk]
        for pk in customers.order()
        if customers.names[pk].casefold() > "contoso"
    ]
