"""`licgraph import` as an operator runs it, on both engines: the sample loads beside the
demo data, re-runs update and never duplicate, and one bad row loads nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from licgraph.db.engine import Database
from licgraph.db.tables import customer_table, product_table, user_table
from licgraph.services.seeding import seed_demo
from tests.integration.test_cli import ERROR_PREFIX, licgraph

SAMPLE = Path(__file__).parents[2] / "examples" / "import"
CSV_FILES = [SAMPLE / "customers.csv", SAMPLE / "users.csv", SAMPLE / "entitlements.csv"]


async def counts(database: Database) -> tuple[int, int, int]:
    async with database.connect() as connection:
        return tuple(  # type: ignore[return-value]
            [
                int(await connection.scalar(select(func.count()).select_from(table)) or 0)
                for table in (customer_table, user_table, product_table)
            ]
        )


@pytest.fixture
async def demo(database: Database) -> tuple[int, int, int]:
    await seed_demo(database=database)
    return await counts(database)


@pytest.fixture
def users_with_a_bad_line_7(tmp_path: Path) -> Path:
    lines = (SAMPLE / "users.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6] = lines[6].replace(",BR", ",Atlantis")
    bad = tmp_path / "users.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    return bad


async def test_the_sample_loads_into_a_database_holding_the_demo(
    database_url: str, database: Database, demo: tuple[int, int, int]
) -> None:
    run = await licgraph(database_url, "import", *map(str, CSV_FILES))

    assert run.code == 0, run.stderr
    assert run.stdout.startswith("Imported: customers: 2 new, 0 updated; users: 8 new")
    assert await counts(database) == (demo[0] + 2, demo[1] + 8, demo[2] + 4)


async def test_running_it_again_updates_and_never_duplicates(
    database_url: str, database: Database, demo: tuple[int, int, int]
) -> None:
    first = await licgraph(database_url, "import", *map(str, CSV_FILES))
    after_first = await counts(database)

    again = await licgraph(database_url, "import", *map(str, CSV_FILES))

    assert (first.code, again.code) == (0, 0), again.stderr
    assert "customers: 0 new, 2 updated; users: 0 new, 8 updated" in again.stdout
    assert await counts(database) == after_first


async def test_a_bad_row_on_line_7_names_it_and_loads_nothing(
    database_url: str, database: Database, demo: tuple[int, int, int], users_with_a_bad_line_7: Path
) -> None:
    files = [CSV_FILES[0], users_with_a_bad_line_7, CSV_FILES[2]]

    run = await licgraph(database_url, "import", *map(str, files))

    assert run.code == 2
    assert f"{users_with_a_bad_line_7}:7: usage location 'Atlantis'" in run.stderr
    assert f"{ERROR_PREFIX}1 problem(s); nothing was imported" in run.stderr
    assert await counts(database) == demo


async def test_the_json_document_loads_too(
    database_url: str, database: Database, demo: tuple[int, int, int]
) -> None:
    run = await licgraph(database_url, "import", str(SAMPLE / "import.json"))

    assert run.code == 0, run.stderr
    assert await counts(database) == (demo[0] + 1, demo[1] + 2, demo[2] + 1)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "FILE:1: the file is empty"),
        ("name,domain\n", "FILE:1: missing column(s) customer_key"),
        ("customer_key,name,domain,extra\n", "FILE:1: unknown column(s) extra"),
        ("customer_key,name,domain\nk,N\n", "FILE:2: 2 values, but the header names 3"),
        ('customer_key,name,domain\nk,"N,d.com\n', "FILE:2: not valid CSV"),
        ("customer_key,name,domain\nk,N\x00,d.com\n", "FILE:2: "),
        ("customer_key,name,domain\nk,Robert'); DROP TABLE customer;--,x\n", "FILE:2: domain"),
    ],
)
async def test_careless_or_hostile_files_get_one_clear_line_each(
    database_url: str, database: Database, tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(content, encoding="utf-8")

    run = await licgraph(database_url, "import", str(path))

    assert run.code == 2
    assert expected.replace("FILE", str(path)) in run.stderr
    assert "Traceback" not in run.stderr
    assert await counts(database) == (0, 0, 0)


async def test_a_missing_file_or_no_file_is_refused(database_url: str, tmp_path: Path) -> None:
    missing = await licgraph(database_url, "import", str(tmp_path / "nowhere.csv"))
    none = await licgraph(database_url, "import")

    assert missing.code == 2
    assert f"{tmp_path / 'nowhere.csv'}:1: No such file or directory" in missing.stderr
    assert none.code == 2
    assert "Missing argument" in none.stderr


async def test_a_user_of_an_unknown_customer_is_named(database_url: str, tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "users.csv", tmp_path / "users.csv")

    run = await licgraph(database_url, "import", str(tmp_path / "users.csv"))

    assert run.code == 2
    assert "users.csv:2: customer_key 'crm-1001' is neither in a customers file" in run.stderr
    assert "8 problem(s); nothing was imported" in run.stderr
