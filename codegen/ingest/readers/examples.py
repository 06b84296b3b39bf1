"""JSON examples in code fences: loading them with lines, and the schema a value shows."""

from __future__ import annotations

import json
from typing import Any

from ...errors import SpecgenError
from ...jsonpointer import join
from ..markdown import Fence
from ..yaml_lines import load_with_lines
from .fields import TYPE_TEXT, Field

_JSON_LANGS = frozenset({"json", "jsonc", "json5"})


def is_json_fence(fence: Fence) -> bool:
    if fence.lang in _JSON_LANGS:
        return True
    return fence.lang == "" and fence.content.lstrip()[:1] in {"{", "["}


def load_json(text: str, *, file: str, first_line: int, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecgenError(
            f"{what} is not valid JSON: {exc.msg}", file=file, line=first_line + exc.lineno - 1
        ) from None


def json_lines(text: str, *, file: str, first_line: int) -> dict[str, int]:
    """Pointer -> line inside a JSON example; empty when the YAML loader cannot place it."""
    try:
        _data, lines = load_with_lines(text, file=file, first_line=first_line)
    except SpecgenError:
        return {}
    return lines


def merge_schemas(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """One schema for two example values seen at the same place."""
    if first == second or not second:
        return first
    if not first:
        return second
    kinds = {first.get("type"), second.get("type")}
    if kinds == {"object"}:
        properties = dict(first.get("properties", {}))
        for key, value in second.get("properties", {}).items():
            properties[key] = merge_schemas(properties[key], value) if key in properties else value
        return {"type": "object", "properties": properties} if properties else {"type": "object"}
    if kinds == {"array"}:
        items = merge_schemas(first.get("items", {}), second.get("items", {}))
        return {"type": "array", "items": items} if items else {"type": "array"}
    if kinds == {"integer", "number"}:
        return {"type": "number"}
    members = list(first.get("oneOf", [first]))
    for member in second.get("oneOf", [second]):
        if member not in members:
            members.append(member)
    return {"oneOf": members}


def infer_schema(
    value: Any,
    value_pointer: str,
    schema_pointer: str,
    value_lines: dict[str, int],
    lines: dict[str, int],
    line: int,
) -> dict[str, Any]:
    """The schema an example value shows: types from values, nothing required, null untyped."""
    line = value_lines.get(value_pointer, line)
    lines.setdefault(schema_pointer, line)
    if isinstance(value, dict):
        properties = {
            key: infer_schema(
                item,
                join(value_pointer, key),
                join(schema_pointer, "properties", key),
                value_lines,
                lines,
                line,
            )
            for key, item in value.items()
        }
        return {"type": "object", "properties": properties} if properties else {"type": "object"}
    if isinstance(value, list):
        items: dict[str, Any] = {}
        for index, item in enumerate(value):
            items = merge_schemas(
                items,
                infer_schema(
                    item,
                    join(value_pointer, index),
                    join(schema_pointer, "items"),
                    value_lines,
                    lines,
                    line,
                ),
            )
        return {"type": "array", "items": items} if items else {"type": "array"}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        return {"type": "string"}
    return {}  # null says the field may be null, not what it is otherwise


def says_nothing(item: Field) -> bool:
    """A field whose schema says nothing about its values (no type, union or reference), or
    says it is an array and nothing of its items."""
    schema = item.schema
    if schema.get("type") == "array" and "items" not in schema:
        return True
    return not {"type", "oneOf", "anyOf", "$ref", "enum", "properties", TYPE_TEXT} & set(schema)


def kind_of(schema: dict[str, Any]) -> dict[str, Any]:
    """Only the type an example shows, and its items' type: an example value is one instance,
    not the shape of every value, so no properties are taken from it."""
    kind: dict[str, Any] = {"type": schema["type"]} if "type" in schema else {}
    items = schema.get("items")
    if kind.get("type") == "array" and isinstance(items, dict) and "type" in items:
        kind["items"] = {"type": items["type"]}
    return kind
