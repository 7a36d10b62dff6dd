"""Prepared reads (db/prepared.py) answer exactly what the same statement answers through
SQLAlchemy: on PostgreSQL in autocommit they run on asyncpg itself, in a transaction (and on
SQLite) through SQLAlchemy; rows, order, JSON and timestamps must agree, scoped or not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event, select

from licgraph.db.engine import Database
from licgraph.db.prepared import PreparedRead
from licgraph.db.repositories import assignments, customers, products, tokens, users
from licgraph.db.repositories._sql import id_list
from licgraph.db.tables import api_token_table
from licgraph.domain.tokens import Role
from tests import factories as make


async def _both_paths(
    database: Database, read: PreparedRead, *, scope: int | None, **parameters: Any
) -> tuple[Sequence[Any], Sequence[Any]]:
    """The rows of ``read`` on a read connection, then inside a write transaction."""
    async with database.connect() as connection:
        fast = await read.rows(connection, scope=scope, **parameters)
    async with database.transaction() as connection:
        through_sqlalchemy = await read.rows(connection, scope=scope, **parameters)
    return fast, through_sqlalchemy


@pytest.fixture
async def world(database: Database) -> dict[str, Any]:
    contoso = await make.make_customer(database, "Contoso")
    fabrikam = await make.make_customer(database, "Fabrikam")
    e3 = await make.make_product(database, contoso, "Microsoft 365 E3")
    visio = await make.make_product(database, contoso, "Visio")
    other = await make.make_product(database, fabrikam, "Project")
    ann = await make.make_user(database, contoso, "Ann", usage_location=None)
    bob = await make.make_user(database, contoso, "Bob")
    eve = await make.make_user(database, fabrikam, "Eve")
    await make.assign(database, ann, e3, disabled=(7, 3))
    await make.assign(database, ann, visio)
    await make.assign(database, bob, e3)
    await make.assign(database, eve, other)
    await make.make_token(database, Role.ADMIN_AGENT, name="reader")
    return {
        "customers": [contoso, fabrikam],
        "products": [e3, visio, other],
        "users": [ann, bob, eve],
        "contoso": contoso,
    }


def _reads(world: dict[str, Any], dialect: str) -> list[tuple[str, PreparedRead, dict[str, Any]]]:
    return [
        ("customers by id", customers._BY_IDS, {"ids": id_list(dialect, world["customers"])}),
        ("products by id", products._BY_IDS, {"ids": id_list(dialect, world["products"])}),
        (
            "products of customers",
            products._OF_CUSTOMERS,
            {"ids": id_list(dialect, world["customers"])},
        ),
        ("users by id", users._BY_IDS, {"ids": id_list(dialect, world["users"])}),
        ("licenses of users", assignments._OF_USERS, {"ids": id_list(dialect, world["users"])}),
        (
            "holdings of a selection",
            assignments._HOLDINGS,
            {"customer_id": world["contoso"], "ids": id_list(dialect, world["users"])},
        ),
    ]


@pytest.mark.parametrize("scoped", [False, True], ids=["partner-wide", "scoped"])
async def test_every_prepared_read_agrees_with_sqlalchemy(
    database: Database, world: dict[str, Any], scoped: bool
) -> None:
    dialect = database.engine.dialect.name
    scope = world["contoso"] if scoped else None
    for name, read, parameters in _reads(world, dialect):
        fast, slow = await _both_paths(database, read, scope=scope, **parameters)
        assert [tuple(row) for row in fast] == [tuple(row) for row in slow], name
        assert fast, f"{name}: the world has rows for it"


async def test_the_token_read_agrees_with_sqlalchemy(database: Database) -> None:
    principal = await make.make_token(database, Role.READER, name="someone")
    async with database.connect() as connection:
        public_id = await connection.scalar(
            select(api_token_table.c.public_id).where(api_token_table.c.id == principal.token_id)
        )
    fast, slow = await _both_paths(database, tokens._CREDENTIAL, scope=None, public_id=public_id)
    assert [tuple(row) for row in fast] == [tuple(row) for row in slow]
    assert len(fast) == 1


async def test_scoped_reads_see_their_customer_only(
    database: Database, world: dict[str, Any]
) -> None:
    dialect = database.engine.dialect.name
    async with database.connect() as connection:
        found = await users._BY_IDS.rows(
            connection, scope=world["contoso"], ids=id_list(dialect, world["users"])
        )
    assert sorted(row[0] for row in found) == sorted(world["users"][:2])


async def test_postgresql_reads_outside_a_transaction_run_on_asyncpg(
    database: Database, world: dict[str, Any]
) -> None:
    if database.is_sqlite:
        pytest.skip("SQLite reads always run through SQLAlchemy")
    async with database.connect() as connection:
        rows = await customers._BY_IDS.rows(
            connection, scope=None, ids=id_list("postgresql", world["customers"])
        )
    assert all(isinstance(row, asyncpg.Record) for row in rows)


async def test_an_empty_id_set_selects_nothing(database: Database, world: dict[str, Any]) -> None:
    dialect = database.engine.dialect.name
    fast, slow = await _both_paths(database, users._BY_IDS, scope=None, ids=id_list(dialect, []))
    assert list(fast) == list(slow) == []


async def test_statement_listeners_hear_of_every_read(
    database: Database, world: dict[str, Any]
) -> None:
    heard: list[tuple[str, str]] = []

    def before(*args: Any) -> None:
        if "FROM customer" in args[2]:
            args[4].started = "yes"  # listeners keep their own state on the context
            heard.append(("before", args[2]))

    def after(*args: Any) -> None:
        if "FROM customer" in args[2]:
            heard.append(("after", args[4].started))

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        async with database.connect() as connection:
            await customers._BY_IDS.rows(
                connection,
                scope=None,
                ids=id_list(database.engine.dialect.name, world["customers"]),
            )
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    assert [kind for kind, _ in heard] == ["before", "after"]
    assert heard[0][1].lstrip().upper().startswith("SELECT")
    assert heard[1][1] == "yes"
