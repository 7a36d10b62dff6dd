"""The import's database checks, on both engines: what others own, seats already held and
locations that held licenses forbid are reported per row, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from licgraph.db.engine import Database
from licgraph.db.tables import customer_table, product_table, user_table
from licgraph.services.importing import (
    ImportRejectedError,
    ImportSummary,
    import_sources,
    open_sources,
)
from licgraph.services.seeding import seed_demo

CUSTOMERS = "customer_key,name,domain\n"
USERS = "customer_key,user_key,display_name,user_principal_name,usage_location\n"
ENTITLEMENTS = "customer_key,sku_part_number,name,total_licenses\n"


Write = Callable[[str, str], Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    def make(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


async def run(database: Database, *paths: Path) -> ImportSummary:
    return await import_sources(database=database, sources=open_sources(list(paths)))


async def rejected(database: Database, *paths: Path) -> list[str]:
    with pytest.raises(ImportRejectedError) as caught:
        await run(database, *paths)
    return [f"{Path(p.file).name}:{p.line}: {p.reason}" for p in caught.value.problems]


async def test_a_domain_of_another_customer_is_refused(database: Database, write: Write) -> None:
    await seed_demo(database=database)
    customers = write("c.csv", CUSTOMERS + "new,New,new.example.com\nk,Contoso 2,contoso.com\n")

    assert await rejected(database, customers) == [
        "c.csv:3: domain contoso.com belongs to 'Contoso Ltd.' already"
    ]


async def test_a_total_below_the_seats_held_is_refused(database: Database, write: Write) -> None:
    customers = write("c.csv", CUSTOMERS + "k,Tailspin,tailspin.example.com\n")
    await run(database, customers, write("e.csv", ENTITLEMENTS + "k,SPE_E3,E3,5\n"))
    async with database.transaction() as connection:
        await connection.execute(product_table.update().values(assigned_licenses=4))

    problems = await rejected(database, write("e2.csv", ENTITLEMENTS + "k,SPE_E3,E3,3\n"))

    assert problems == [
        "e2.csv:2: total_licenses 3 is below the 4 licenses already assigned;"
        " revoke some first or import a larger total"
    ]


async def test_a_sign_in_name_of_another_user_is_refused(database: Database, write: Write) -> None:
    await seed_demo(database=database)
    customers = write("c.csv", CUSTOMERS + "k,Tailspin,tailspin.example.com\n")
    users = write("u.csv", USERS + "k,u1,Adele Again,adele.vance@contoso.com,US\n")

    assert await rejected(database, customers, users) == [
        "u.csv:2: user_principal_name adele.vance@contoso.com belongs to another user"
    ]


async def claim(database: Database, *, upn: str) -> None:
    """Give Contoso and one of its demo users external keys, as an earlier import would."""
    async with database.transaction() as connection:
        await connection.execute(
            customer_table.update()
            .where(customer_table.c.domain == "contoso.com")
            .values(external_id="contoso")
        )
        await connection.execute(
            user_table.update()
            .where(user_table.c.user_principal_name == upn)
            .values(external_id="me")
        )


@pytest.mark.parametrize(
    ("location", "problem"),
    [
        ("CN", "the user holds a license that is unavailable in usage location CN"),
        ("", "a user who holds licenses needs a usage location; it can't be removed"),
    ],
)
async def test_a_location_the_user_s_licenses_forbid_is_refused(
    database: Database, write: Write, location: str, problem: str
) -> None:
    await seed_demo(database=database)
    await claim(database, upn="alex.wilber@contoso.com")  # holds E5 and Copilot (not in CN)
    row = f"contoso,me,Alex Wilber,alex.wilber@contoso.com,{location}\n"

    assert await rejected(database, write("u.csv", USERS + row)) == [f"u.csv:2: {problem}"]


async def test_an_allowed_move_updates_the_user_in_place(database: Database, write: Write) -> None:
    await seed_demo(database=database)
    await claim(database, upn="alex.wilber@contoso.com")
    row = "contoso,me,Alex W.,alex.wilber@contoso.com,gb\n"

    summary = await run(database, write("u.csv", USERS + row))

    assert summary.counts["users"] == [0, 1]
    async with database.connect() as connection:
        moved = (
            await connection.execute(
                select(user_table.c.display_name, user_table.c.usage_location).where(
                    user_table.c.external_id == "me"
                )
            )
        ).one()
    assert tuple(moved) == ("Alex W.", "GB")
