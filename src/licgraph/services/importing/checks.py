"""The first pass of an import: every row of every file against the row rules and against
the other rows (repeated keys, domains, sign-in names), before the database is touched."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field

from licgraph.domain.importing import (
    ImportedCustomer,
    ImportedEntitlement,
    ImportedUser,
    ImportKind,
    RowError,
    customer_from,
    entitlement_from,
    user_from,
)
from licgraph.services.importing.sources import Problem, Source

Imported = ImportedCustomer | ImportedUser | ImportedEntitlement
PARSERS: dict[ImportKind, Callable[..., Imported]] = {
    ImportKind.CUSTOMERS: customer_from,
    ImportKind.USERS: user_from,
    ImportKind.ENTITLEMENTS: entitlement_from,
}


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """A row that passed the row rules, with where it came from."""

    file: str
    line: int
    value: Imported


@dataclass
class _FirstSeen:
    """Where each unique value was first seen, to name it when it repeats."""

    what: str
    seen: dict[Hashable, tuple[str, int]] = field(default_factory=dict)

    def repeat(self, value: Hashable, file: str, line: int) -> str | None:
        first = self.seen.setdefault(value, (file, line))
        if first == (file, line):
            return None
        where = f"line {first[1]}" if first[0] == file else f"{first[0]}:{first[1]}"
        return f"{self.what} repeats {where}"


def parsed_rows(source: Source) -> Iterator[ParsedRow | Problem]:
    """Each row of ``source`` parsed by its kind's rules, or the problem with it."""
    parse = PARSERS[source.kind]
    for row in source.rows():
        if row.error is not None:
            yield Problem(source.name, row.line, row.error)
            continue
        try:
            yield ParsedRow(source.name, row.line, parse(row.fields))
        except RowError as error:
            yield Problem(source.name, row.line, str(error))


def check_files(sources: Iterable[Source], on_row: Callable[[], None]) -> list[Problem]:
    """Every problem of every row that can be seen without the database, in file order."""
    uniques = {
        "customer": _FirstSeen("customer_key"),
        "domain": _FirstSeen("domain"),
        "user": _FirstSeen("customer_key and user_key"),
        "upn": _FirstSeen("user_principal_name"),
        "product": _FirstSeen("customer_key and sku_part_number"),
    }
    problems: list[Problem] = []
    for source in sources:
        for item in parsed_rows(source):
            on_row()
            if isinstance(item, Problem):
                problems.append(item)
                continue
            problems.extend(
                Problem(item.file, item.line, reason)
                for reason in _repeats(item, uniques)
                if reason is not None
            )
    return problems


def _repeats(row: ParsedRow, uniques: dict[str, _FirstSeen]) -> list[str | None]:
    value, file, line = row.value, row.file, row.line
    if isinstance(value, ImportedCustomer):
        return [
            uniques["customer"].repeat(value.key, file, line),
            uniques["domain"].repeat(value.domain, file, line),
        ]
    if isinstance(value, ImportedUser):
        return [
            uniques["user"].repeat((value.customer_key, value.key), file, line),
            uniques["upn"].repeat(value.user_principal_name, file, line),
        ]
    return [uniques["product"].repeat((value.customer_key, value.sku_part_number), file, line)]
