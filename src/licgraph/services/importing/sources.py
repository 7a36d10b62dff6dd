"""Reading import files: CSV (one kind per file) or one JSON document (any kinds).

A ``Source`` yields each data row with its physical, 1-based line number (a CSV header is
line 1), so every problem can be reported as ``FILE:LINE: reason``. Sources can be read
more than once: the import checks every row before it loads any.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from licgraph.domain.importing import ImportKind, RowError, kind_of_header


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one row (or a whole file, at line 1) can't be imported."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ImportFileError(Exception):
    """Raised when a file can't be read as an import at all (missing, not UTF-8, no header)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A data row: its line, and its values by column (or why it has none)."""

    line: int
    fields: Mapping[str, str]
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """The rows of one kind in one file."""

    name: str
    kind: ImportKind
    size: int  # rows, for progress (CSV: physical lines after the header, an upper bound)
    read: Callable[[], Iterator[SourceRow]]

    def rows(self) -> Iterator[SourceRow]:
        """Every data row, in file order."""
        return self.read()


def open_sources(paths: list[Path]) -> list[Source]:
    """The sources of the given files; ``.json`` files hold a document, others are CSV."""
    sources: list[Source] = []
    for path in paths:
        sources.extend(_json_sources(path) if path.suffix.lower() == ".json" else [_csv(path)])
    return sources


# --- CSV -------------------------------------------------------------------------------


def _csv(path: Path) -> Source:
    name = str(path)
    with _open(path) as file:
        header = next(csv.reader(file), None)
    if not header:
        raise ImportFileError(Problem(name, 1, "the file is empty: the first line names columns"))
    columns = tuple(column.strip() for column in header)
    try:
        kind = kind_of_header(columns)
    except RowError as error:
        raise ImportFileError(Problem(name, 1, str(error))) from None
    return Source(name, kind, _count_lines(path) - 1, lambda: _csv_rows(path, columns))


def _csv_rows(path: Path, columns: tuple[str, ...]) -> Iterator[SourceRow]:
    with _open(path) as file:
        reader = csv.reader(file, strict=True)
        next(reader)
        while True:
            line = reader.line_num + 1  # a quoted value may span lines: the row's first
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                yield SourceRow(line, {}, _unreadable(error))
                return  # the reader can't resync reliably after a broken line
            if cells:  # blank lines are skipped
                yield _csv_row(line, columns, cells)


def _csv_row(line: int, columns: tuple[str, ...], cells: list[str]) -> SourceRow:
    if len(cells) != len(columns):
        reason = f"{len(cells)} values, but the header names {len(columns)} columns"
        return SourceRow(line, {}, reason)
    return SourceRow(line, dict(zip(columns, cells, strict=True)))


def _unreadable(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text from here on; save the file as UTF-8"
    return f"not valid CSV from here on: {error}"


def _open(path: Path) -> Any:
    try:
        # utf-8-sig: spreadsheet programs start UTF-8 CSV files with a byte-order mark.
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ImportFileError(Problem(str(path), 1, error.strerror or str(error))) from None


def _count_lines(path: Path) -> int:
    count, last = 0, b"\n"
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


# --- JSON ------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")


_Lines = tuple[int, list[int]]  # a key's line, and its list elements' lines


class _RepeatedListError(Exception):
    """Raised when a JSON document names one list twice."""

    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key, self.line = key, line


def _json_sources(path: Path) -> list[Source]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        document = json.loads(text)
    except OSError as error:
        raise ImportFileError(Problem(name, 1, error.strerror or str(error))) from None
    except UnicodeDecodeError:
        raise ImportFileError(Problem(name, 1, "not UTF-8 text")) from None
    except json.JSONDecodeError as error:
        raise ImportFileError(Problem(name, error.lineno, f"not JSON: {error.msg}")) from None
    if not isinstance(document, dict) or not document:
        expected = ", ".join(kind.value for kind in ImportKind)
        reason = f"the document must be an object with lists named {expected}"
        raise ImportFileError(Problem(name, 1, reason))
    try:
        lines = _element_lines(text)
    except _RepeatedListError as error:
        raise ImportFileError(Problem(name, error.line, f"{error.key!r} appears twice")) from None
    return [_json_source(name, section, items, lines) for section, items in document.items()]


def _json_source(name: str, section: str, items: object, lines: Mapping[str, _Lines]) -> Source:
    kinds = {kind.value: kind for kind in ImportKind}
    key_line, element_lines = lines[section]
    if section not in kinds or not isinstance(items, list):
        reason = f"{section!r} is not one of the lists {', '.join(kinds)}"
        raise ImportFileError(Problem(name, key_line, reason))
    kind = kinds[section]
    rows = [_json_row(kind, line, item) for line, item in zip(element_lines, items, strict=True)]
    return Source(name, kind, len(rows), lambda: iter(rows))


def _json_row(kind: ImportKind, line: int, item: object) -> SourceRow:
    if not isinstance(item, dict):
        return SourceRow(line, {}, f"each {kind.value} entry must be an object")
    unknown = sorted(set(item) - set(kind.columns))
    if unknown:
        return SourceRow(line, {}, f"unknown field(s) {', '.join(unknown)}")
    fields: dict[str, str] = {}
    for column in kind.columns:
        value = item.get(column)
        if value is None:
            fields[column] = ""
        elif isinstance(value, str):
            fields[column] = value
        elif isinstance(value, int) and not isinstance(value, bool):
            fields[column] = str(value)
        else:
            return SourceRow(line, {}, f"{column} must be a string or a whole number")
    return SourceRow(line, fields)


def _element_lines(text: str) -> dict[str, _Lines]:
    """For each top-level key of a valid JSON object: its line, and the line where each
    element of its list starts (``json`` keeps no positions)."""
    decoder = json.JSONDecoder()
    lines: dict[str, _Lines] = {}
    position, line = 0, 1

    def skip(index: int) -> int:
        return _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]

    def line_at(index: int) -> int:
        nonlocal position, line
        line += text.count("\n", position, index)
        position = index
        return line

    index = skip(skip(0) + 1)  # past "{"
    while text[index] != "}":
        key_line = line_at(index)
        key, index = decoder.raw_decode(text, index)
        if key in lines:  # json.loads keeps the last one silently; an import must not
            raise _RepeatedListError(key, key_line)
        index = skip(skip(index) + 1)  # past ":"
        starts: list[int] = []
        lines[key] = (key_line, starts)
        if text[index] == "[":
            index = skip(index + 1)
            while text[index] != "]":
                starts.append(line_at(index))
                _, index = decoder.raw_decode(text, index)
                index = skip(index)
                index = skip(index + 1) if text[index] == "," else index
            index += 1
        else:
            _, index = decoder.raw_decode(text, index)
        index = skip(index)
        index = skip(index + 1) if text[index] == "," else index
    return lines
