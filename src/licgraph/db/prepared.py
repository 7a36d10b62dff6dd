"""Prepared reads: a hot read built and compiled once, run by the driver itself on PostgreSQL.

Measured by ``bench/statement_bench.py`` (one customer by id, CPU per execution, quiet
machine): SQLAlchemy building the statement, finding it in its compiled cache and running
it through its asyncpg adapter costs about 240 µs; the statement built once, about 130 µs;
as a ``PreparedRead``, 80 µs; asyncpg alone, 50 µs. A page of users with their licenses is
four such reads and the token check.

So a ``PreparedRead`` is built once per dialect and scope variant (with named parameters; a
scoped caller's variant takes ``scope``) and compiled once. On a PostgreSQL connection
outside a transaction (the request's reads run in autocommit: ``engine.py``) its SQL goes
to asyncpg's ``fetch``, whose statement cache prepares it once per connection; each
parameter is converted by its type's bind processor, as SQLAlchemy would. The rows are
asyncpg records, which callers read by position as they read SQLAlchemy's rows, decoded by
the same codecs (SQLAlchemy installs its JSON codecs on each asyncpg connection;
``UTCDateTime`` needs no processing there). Everywhere else (SQLite, a write transaction)
the read runs through SQLAlchemy as any other statement. The engine's statement listeners
(statement counts, per-request SQL figures, spans) hear of a driver read as of SQLAlchemy's,
with a ``DriverExecution`` as its context; ``handle_error`` listeners do not (a failed
driver read raises asyncpg's own error). ``tests/integration/test_prepared_reads.py``
compares both paths row for row.

Cost: one compile per statement, dialect and scope variant per process; nothing per
execution but the parameter list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

Builder = Callable[[str, bool], Select[Any]]
"""Builds the statement for a dialect name ("postgresql", "sqlite") and whether the caller
is scoped to one customer (then the statement limits rows with ``in_scope``)."""


def in_scope(customer: ColumnElement[int], scoped: bool) -> list[ColumnElement[bool]]:
    """The condition limiting rows to the caller's customer (the ``scope`` parameter), if
    the statement is built for a scoped caller."""
    return [customer == bindparam("scope")] if scoped else []


@dataclass(frozen=True, slots=True)
class _Compiled:
    statement: Select[Any]
    sql: str
    names: tuple[str, ...]  # the parameters in positional order
    defaults: Mapping[str, Any]  # values bound in the statement itself (a LIMIT, say)
    processors: tuple[Callable[[Any], Any] | None, ...]  # each parameter's, in that order

    def values(self, parameters: Mapping[str, Any]) -> list[Any]:
        """The positional parameter values, each converted as its type does for the driver."""
        values = (parameters.get(name, self.defaults[name]) for name in self.names)
        return [
            value if process is None else process(value)
            for value, process in zip(values, self.processors, strict=True)
        ]


class PreparedRead:
    """One read statement, built once per dialect; rows come back as positional records."""

    def __init__(self, build: Builder) -> None:
        self._build = build
        self._compiled_for: dict[tuple[str, bool], _Compiled] = {}

    async def rows(
        self, connection: AsyncConnection, *, scope: int | None, **parameters: Any
    ) -> Sequence[Any]:
        """Every row the statement selects with ``parameters``, limited to ``scope``'s rows
        (None: every row)."""
        compiled = self._compiled(connection.dialect, scoped=scope is not None)
        if scope is not None:
            parameters["scope"] = scope
        if connection.dialect.driver == "asyncpg":
            adapted: Any = (await connection.get_raw_connection()).dbapi_connection
            if adapted.autocommit:  # in a transaction SQLAlchemy's adapter must begin it
                return await _fetch(connection, adapted.driver_connection, compiled, parameters)
        result = await connection.execute(compiled.statement, parameters)
        rows: Sequence[Any] = result.all()
        return rows

    def _compiled(self, dialect: Dialect, *, scoped: bool) -> _Compiled:
        found = self._compiled_for.get((dialect.name, scoped))
        if found is None:
            statement = self._build(dialect.name, scoped)
            compiled: Any = statement.compile(dialect=dialect)
            names = tuple(compiled.positiontup or ())
            found = self._compiled_for[dialect.name, scoped] = _Compiled(
                statement=statement,
                sql=compiled.string,
                names=names,
                defaults=compiled.construct_params(_check=False),
                processors=tuple(
                    compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
                    for name in names
                ),
            )
        return found


class DriverExecution:
    """The execution context statement listeners get for a read the driver ran: a place
    for their own attributes (a start time, a span), and nothing of SQLAlchemy's."""


async def _fetch(
    connection: AsyncConnection, driver: Any, compiled: _Compiled, parameters: Mapping[str, Any]
) -> Sequence[Any]:
    """The rows from asyncpg, announced to the engine's statement listeners as SQLAlchemy
    announces its own statements (so per-request counts, timings and spans see every read):
    ``before_cursor_execute`` and ``after_cursor_execute`` with no cursor."""
    values = compiled.values(parameters)
    sync = connection.sync_connection
    events: Any = sync.dispatch if sync is not None else None
    listened = events is not None and bool(
        events.before_cursor_execute or events.after_cursor_execute
    )
    context = DriverExecution()
    if listened:
        events.before_cursor_execute(sync, None, compiled.sql, values, context, False)
    records: Sequence[Any] = await driver.fetch(compiled.sql, *values)
    if listened:
        events.after_cursor_execute(sync, None, compiled.sql, values, context, False)
    return records
