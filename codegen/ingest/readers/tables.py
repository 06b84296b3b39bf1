"""Reader of parameter tables: columns found by header words, one field a row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...errors import SpecgenError
from ..markdown import Table
from .fields import TYPE_TEXT, Field
from .prose import is_numeric, prose_default, prose_range
from .text import plain, scalar, word_list
from .type_cells import schema_for_type

_TYPE_WORDS = frozenset({"type", "types"})
_NAME_WORDS = frozenset(
    {"name", "parameter", "parameters", "param", "field", "fields", "property", "key", "header"}
    | {"attribute", "argument"}
)
_REQUIRED_WORDS = frozenset({"required", "optional", "mandatory", "req"})
DESCRIPTION_WORDS = frozenset(
    {"description", "desc", "details", "notes", "meaning", "explanation", "summary", "comment"}
)
_DEFAULT_WORDS = frozenset({"default"})
_STATUS_WORDS = frozenset({"code", "status"})

_YES = frozenset({"yes", "y", "true", "required", "✓", "✔", "✅"})
_NO = frozenset({"no", "n", "false", "optional", "-", "—", "–", "✗", "❌"})
_NO_VALUE = frozenset({"", "-", "—", "–", "n/a"})
STATUS = re.compile(r"^([1-5](?:\d\d|XX))\b\s*(.*)$")


@dataclass(frozen=True)
class Columns:
    name: int
    type: int
    required: int | None
    description: int | None
    default: int | None


def cell(cells: tuple[str, ...], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def find_column(header: tuple[str, ...], words: frozenset[str], taken: set[int]) -> int | None:
    for index, cell in enumerate(header):
        if index not in taken and words & set(word_list(cell)):
            return index
    return None


def parameter_columns(header: tuple[str, ...]) -> Columns | None:
    """The columns of a parameter table, found by header name in any order; None if not one."""
    taken: set[int] = set()
    type_column = find_column(header, _TYPE_WORDS, taken)
    if type_column is None:
        return None
    taken.add(type_column)
    name_column = find_column(header, _NAME_WORDS, taken)
    if name_column is None:
        return None
    taken.add(name_column)
    columns: dict[str, int | None] = {}
    for role, words in (
        ("required", _REQUIRED_WORDS),
        ("default", _DEFAULT_WORDS),
        ("description", DESCRIPTION_WORDS),
    ):
        found = find_column(header, words, taken)
        if found is not None:
            taken.add(found)
        columns[role] = found
    return Columns(
        name=name_column,
        type=type_column,
        required=columns["required"],
        description=columns["description"],
        default=columns["default"],
    )


def status_columns(table: Table) -> tuple[int, int | None] | None:
    """(status column, description column) of an error-code table whose codes are HTTP statuses."""
    for index, header_cell in enumerate(table.header):
        if not (_STATUS_WORDS & set(word_list(header_cell))) or not table.rows:
            continue
        # "Error code" columns of names like invalid_api_key are not statuses; keep looking.
        codes = [plain(cell(row.cells, index)) for row in table.rows]
        if all(STATUS.match(code) for code in codes):
            return index, find_column(table.header, DESCRIPTION_WORDS, {index})
    return None


def required_flag(text: str) -> bool | None:
    value = plain(text).lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def schema_from_row(type_text: str, description: str, default_text: str) -> dict[str, Any]:
    typed = schema_for_type(type_text)
    schema: dict[str, Any] = dict(typed) if typed is not None else {}
    if description:
        schema["description"] = description
    if plain(default_text).lower() not in _NO_VALUE:
        schema["default"] = scalar(default_text)
    else:
        found, value = prose_default(description)
        if found:
            schema["default"] = value
    bounds = prose_range(description)
    if bounds is not None and is_numeric(schema):
        schema["minimum"], schema["maximum"] = bounds
    if typed is None:
        schema[TYPE_TEXT] = type_text
    return schema


def read_fields(table: Table, columns: Columns, file: str) -> list[Field]:
    fields: list[Field] = []
    for row in table.rows:
        name = plain(cell(row.cells, columns.name))
        if not name:
            raise SpecgenError("parameter table row has no name", file=file, line=row.line)
        description = cell(row.cells, columns.description)
        type_text = cell(row.cells, columns.type)
        schema = schema_from_row(type_text, description, cell(row.cells, columns.default))
        required = required_flag(cell(row.cells, columns.required))
        fields.append(Field(name, schema, required, description, type_text, row.line))
    return fields
