"""A type as a docs page writes it in a table cell (``string``, ``array of Message``, ``int / null``)
read into JSON Schema."""

from __future__ import annotations

import re
from typing import Any

from .text import distinct, plain

_SCALAR_TYPES = {
    "string": "string", "str": "string", "text": "string",
    "integer": "integer", "int": "integer",
    "number": "number", "float": "number", "double": "number",
    "boolean": "boolean", "bool": "boolean",
    "object": "object", "dict": "object", "map": "object",
    "array": "array", "list": "array",
    "null": "null",
}  # fmt: skip
_ARRAY_OF = re.compile(r"^(?:array|list)\s*(?:of\s+(.+)|<(.+)>|\[(.+)\])$")
_UNION_SPLIT = re.compile(r"\s*(?:/|\||,|\bor\b)\s*")


def _single_type(part: str) -> dict[str, Any] | None:
    text = re.sub(r"^(?:an?|the)\s+", "", part.strip())
    if text.endswith("[]"):
        inner = _single_type(text[:-2])
        return {"type": "array", "items": inner} if inner is not None else {"type": "array"}
    match = _ARRAY_OF.match(text)
    if match:
        # "array of Message objects": certainly an array, of items this cell cannot type.
        inner = _single_type(next(group for group in match.groups() if group))
        return {"type": "array", "items": inner} if inner is not None else {"type": "array"}
    if text in _SCALAR_TYPES:
        return {"type": _SCALAR_TYPES[text]}
    if text.endswith("s") and text[:-1] in _SCALAR_TYPES:  # "array of strings"
        return {"type": _SCALAR_TYPES[text[:-1]]}
    return None


def union_schema(members: list[dict[str, Any]]) -> dict[str, Any]:
    kept: list[dict[str, Any]] = distinct(members)
    if len(kept) == 1:
        return kept[0]
    scalars = [m for m in kept if m.get("type") not in {"array", "object", "null"}]
    # "string/array" means a string or an array of strings: a bare array takes the one scalar.
    if len(scalars) == 1:
        kept = [
            {"type": "array", "items": dict(scalars[0])} if m == {"type": "array"} else m
            for m in kept
        ]
    others = [m for m in kept if m != {"type": "null"}]
    if len(others) == 1 and len(kept) == 2 and set(others[0]) == {"type"}:
        return {"type": [others[0]["type"], "null"]}
    return {"oneOf": kept}


def schema_for_type(text: str) -> dict[str, Any] | None:
    """The JSON Schema a type cell says; ``{}`` when empty, None when it cannot be read."""
    cleaned = re.sub(r"\([^)]*\)", "", plain(text).lower()).strip()
    if not cleaned:
        return {}
    parts = [part for part in _UNION_SPLIT.split(cleaned) if part]
    members = [_single_type(part) for part in parts]
    known = [member for member in members if member is not None]
    if not known or len(known) != len(members):
        return None
    return union_schema(known)
