"""What every repository shares: its connection, the caller's scope, and text search."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

import orjson
from sqlalchemy import (
    ARRAY,
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    String,
    Table,
    any_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.prepared import PreparedRead


class Repository:
    """Statements over one connection; its reads see ``scope``'s rows only (None: every row).

    Reads made for a caller (the request's loaders) pass the caller's customer scope, so
    another customer's rows come back as absent; use cases that checked access themselves
    read unscoped.
    """

    def __init__(self, connection: AsyncConnection, *, scope: int | None = None) -> None:
        self.connection = connection
        self.scope = scope

    def visible(self, query: Select[Any], customer: ColumnElement[int]) -> Select[Any]:
        """``query`` limited to rows whose ``customer`` column is in scope."""
        return query if self.scope is None else query.where(customer == self.scope)

    def among(self, column: ColumnElement[int], ids: Collection[int]) -> ColumnElement[bool]:
        """``column IN ids`` with the ids as one parameter (see ``among``)."""
        return among(self.connection.dialect.name, column, ids)

    async def read(self, prepared: PreparedRead, **parameters: Any) -> Sequence[Any]:
        """The rows of a prepared read, limited to the scope; pass id sets through ``ids``."""
        return await prepared.rows(self.connection, scope=self.scope, **parameters)

    def ids(self, ids: Collection[int]) -> Any:
        """An id set as an ``among_parameter`` takes it on this connection's engine."""
        return id_list(self.connection.dialect.name, ids)

    async def insert_many(
        self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert ``rows`` (values in ``columns`` order) in the fewest round trips the engine has.

        PostgreSQL: one binary COPY through asyncpg, in the open transaction. SQLite: one
        executemany of the rows as the driver takes them. Either way each value is converted
        by its column type once (the same value in many rows, a save's timestamp, once).
        """
        if not rows:
            return
        # Column by column: one conversion function mapped over each (C loops, not ours).
        values = zip(*rows, strict=True)
        converted = [
            _converted(table, column, column_values, self.connection)
            for column, column_values in zip(columns, values, strict=True)
        ]
        ready = list(zip(*converted, strict=True))
        if self.connection.dialect.name == "postgresql":
            raw = await self.connection.get_raw_connection()
            await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
                table.name, records=ready, columns=list(columns)
            )
            return
        placeholders = ", ".join("?" for _ in columns)
        statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608 - names from our own tables
        await self.connection.exec_driver_sql(statement, ready)


def _converted(
    table: Table, column: str, values: Sequence[Any], connection: AsyncConnection
) -> Sequence[Any]:
    """``values`` of ``column`` as its type hands them to the driver."""
    dialect = connection.dialect
    # The dialect's own form of the type: on SQLite it is what turns datetimes into text.
    process = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    return values if process is None else list(map(_remembering(process), values))


def _remembering(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``process``, skipped when a value is the one before (the rows of a save share one
    timestamp)."""
    last: list[Any] = [object(), None]

    def convert(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return convert


def among(dialect: str, column: ColumnElement[int], ids: Collection[int]) -> ColumnElement[bool]:
    """``column IN ids``, the ids sent as one parameter however many there are.

    An IN list binds one parameter per id: 10,000 ids are 10,000 parameters to render, send
    and parse, and a new statement text for every length, which PostgreSQL's prepared
    statement cache never sees twice. PostgreSQL takes an array (``= ANY``), SQLite a JSON
    text (``json_each``).
    """
    return _among(dialect, column, bindparam(None, id_list(dialect, ids), type_=_ID_LIST[dialect]))


def among_parameter(dialect: str, column: ColumnElement[int], name: str) -> ColumnElement[bool]:
    """``among`` for a statement built once: the ids come as parameter ``name``, a value
    made by ``id_list``."""
    return _among(dialect, column, bindparam(name, type_=_ID_LIST[dialect]))


def id_list(dialect: str, ids: Collection[int]) -> Any:
    """An id set as ``among``'s parameter takes it: an array, or a JSON text on SQLite."""
    return list(ids) if dialect == "postgresql" else orjson.dumps(list(ids)).decode()


_ID_LIST: dict[str, Any] = {"postgresql": ARRAY(Integer), "sqlite": String()}


def _among(
    dialect: str, column: ColumnElement[int], ids: BindParameter[Any]
) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return column == any_(ids)
    return column.in_(select(func.json_each(ids).table_valued("value").c.value))


def contains_text(term: str, *columns: ColumnElement[Any]) -> ColumnElement[bool]:
    """Case-insensitive substring match of ``term`` against casefolded ``columns``."""
    escaped = term.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(*(column.like(pattern, escape="\\") for column in columns))
