"""The real ``licgraph`` console script, run as a subprocess on the test's SQLite file."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from licgraph.config import Settings
from licgraph.db.engine import Database, create_database
from licgraph.db.tables import api_token_table
from licgraph.domain.access import Role
from licgraph.graphql.ids import to_global_id
from licgraph.services.tokens import authenticate, create_token, list_tokens, revoke_token
from tests.factories import make_customer

LICGRAPH = Path(sys.executable).with_name("licgraph")
ERROR_PREFIX = "licgraph: error: "
MOMENT = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
HEADER = ["ID", "NAME", "ROLE", "SCOPE", "CREATED (UTC)", "LAST USED (UTC)", "STATUS"]


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


async def licgraph(database_url: str, *args: str) -> Run:
    """Run the console script with ``LICGRAPH_DATABASE_URL`` set and no other LICGRAPH_*."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("LICGRAPH_")}
    env["LICGRAPH_DATABASE_URL"] = database_url
    process = await asyncio.create_subprocess_exec(
        LICGRAPH, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return Run(code=process.returncode, stdout=stdout.decode(), stderr=stderr.decode())


def cells(line: str) -> list[str]:
    return re.split(r" {2,}", line)


# --- db upgrade -------------------------------------------------------------------------


async def test_db_upgrade_migrates_a_new_database(tmp_path: Path) -> None:
    # given
    url = f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
    # when
    run = await licgraph(url, "db", "upgrade")
    # then
    assert run.code == 0, run.stderr
    assert re.fullmatch(r".*new\.db is at revision \w+\n", run.stdout)
    database = create_database(Settings(database_url=url))
    try:
        assert await list_tokens(database=database) == []
    finally:
        await database.dispose()


# --- token create / list / revoke -------------------------------------------------------


async def test_token_create_prints_the_token_alone_and_it_authenticates(
    database_url: str, database: Database
) -> None:
    # given
    customer_id = await make_customer(database)
    customer = to_global_id("Customer", customer_id)
    # when
    run = await licgraph(
        database_url,
        *("token", "create", "--role", "global-admin", "--customer", customer),
        *("--name", "contoso-admin", "--expires-in-days", "7"),
    )
    # then
    assert run.code == 0, run.stderr
    text = run.stdout.removesuffix("\n")
    assert run.stdout == f"{text}\n"
    assert re.fullmatch(r"lg_\w{12}_[\w-]{43}", text)
    assert "not shown again" in run.stderr
    principal = await authenticate(database=database, bearer=text)
    assert principal is not None
    assert (principal.name, principal.role, principal.customer_id) == (
        "contoso-admin",
        Role.GLOBAL_ADMIN,
        customer_id,
    )
    [token] = await list_tokens(database=database)
    assert token.expires_at is not None
    expected_expiry = datetime.now(UTC) + timedelta(days=7)
    assert abs(token.expires_at - expected_expiry) < timedelta(minutes=1)


async def test_token_list_prints_an_aligned_table_of_every_token(
    database_url: str, database: Database
) -> None:
    # given
    customer_id = await make_customer(database)
    partner, partner_text = await create_token(database=database, role=Role.READER, name="pw")
    await authenticate(database=database, bearer=partner_text)
    scoped, _ = await create_token(
        database=database, role=Role.USER_MANAGEMENT_ADMIN, name="scoped", customer_id=customer_id
    )
    gone, _ = await create_token(database=database, role=Role.SALES_AGENT, name="gone")
    await revoke_token(database=database, name="gone")
    old, _ = await create_token(database=database, role=Role.HELPDESK_AGENT, name="old")
    async with database.transaction() as connection:
        past = datetime(2026, 1, 1, tzinfo=UTC)
        await connection.execute(
            update(api_token_table).where(api_token_table.c.id == old.id).values(expires_at=past)
        )
    # when
    run = await licgraph(database_url, "token", "list")
    # then
    assert run.code == 0, run.stderr
    header, *rows = run.stdout.splitlines()
    assert cells(header) == HEADER
    table = [cells(row) for row in rows]
    customer = to_global_id("Customer", customer_id)
    assert [row[:4] + row[5:] for row in table] == [
        [str(partner.id), "pw", "reader", "partner-wide", table[0][5], "active"],
        [str(scoped.id), "scoped", "user-management-admin", customer, "never", "active"],
        [str(gone.id), "gone", "sales-agent", "partner-wide", "never", "revoked"],
        [str(old.id), "old", "helpdesk-agent", "partner-wide", "never", "expired"],
    ]
    assert all(re.fullmatch(MOMENT, row[4]) for row in table)
    assert re.fullmatch(MOMENT, table[0][5])
    status_column = header.index("STATUS")
    assert all(
        row.index(status) == status_column
        for row, status in zip(rows, ["active", "active", "revoked", "expired"], strict=True)
    )


async def test_token_revoke_by_name_and_by_id(database_url: str, database: Database) -> None:
    # given
    _, by_name = await create_token(database=database, role=Role.READER, name="a")
    b, by_id = await create_token(database=database, role=Role.READER, name="b")
    # when
    first = await licgraph(database_url, "token", "revoke", "--name", "a")
    second = await licgraph(database_url, "token", "revoke", "--id", str(b.id))
    # then
    assert (first.code, second.code) == (0, 0), first.stderr + second.stderr
    assert "'a'" in first.stdout
    assert f"id {b.id}" in second.stdout
    assert await authenticate(database=database, bearer=by_name) is None
    assert await authenticate(database=database, bearer=by_id) is None


# --- errors -----------------------------------------------------------------------------


async def test_each_operator_error_is_one_line_on_stderr_and_exit_code_2(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    # given: one case per kind of mistake, as (database URL, arguments, what the line says)
    await create_token(database=database, role=Role.READER, name="taken")
    unknown_customer = to_global_id("Customer", 999)
    cases = {
        "unknown role": (database_url, ["token", "create", "--role", "wizard"], "'--role'"),
        "customer-side role without customer": (
            database_url,
            ["token", "create", "--role", "global-admin"],
            "give --customer",
        ),
        "malformed customer id": (
            database_url,
            ["token", "create", "--role", "reader", "--customer", "nope"],
            "'nope' is not a valid id",
        ),
        "unknown customer": (
            database_url,
            ["token", "create", "--role", "reader", "--customer", unknown_customer],
            f"no customer has the id {unknown_customer}",
        ),
        "taken name": (
            database_url,
            ["token", "create", "--role", "reader", "--name", "taken"],
            "'taken' exists already",
        ),
        "unknown token": (database_url, ["token", "revoke", "--name", "ghost"], "'ghost'"),
        "revoke without selector": (database_url, ["token", "revoke"], "--name NAME or --id ID"),
        "bad database URL": ("mysql://db/licgraph", ["token", "list"], "database URL must"),
        "database file unreachable": (
            f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}",
            ["token", "list"],
            "unable to open database file",
        ),
        "database server unreachable": (
            "postgresql+asyncpg://licgraph:secret@127.0.0.1:1/licgraph",
            ["token", "list"],
            "database error",
        ),
        "database not migrated": (
            f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}",
            ["token", "list"],
            "licgraph db upgrade",
        ),
    }
    # when
    runs = await asyncio.gather(*(licgraph(url, *args) for url, args, _ in cases.values()))
    # then
    failures = {
        case: run
        for (case, (_, _, says)), run in zip(cases.items(), runs, strict=True)
        if not (
            run.code == 2
            and run.stdout == ""
            and run.stderr.startswith(ERROR_PREFIX)
            and run.stderr.count("\n") == 1
            and says in run.stderr
            and "Traceback" not in run.stderr
        )
    }
    assert failures == {}
