"""Defaults and ranges a field's description states in prose."""

from __future__ import annotations

import re
from typing import Any

from .text import NUMBER, number, scalar

_RANGE_PATTERNS = (
    re.compile(rf"\(\s*({NUMBER})\s*(?:-|–|—|to|\.\.)\s*({NUMBER})\s*\)"),
    re.compile(rf"\bbetween\s+({NUMBER})\s+and\s+({NUMBER})", re.I),
    re.compile(rf"\brange\s*[:=]?\s*\[?\s*({NUMBER})\s*(?:-|–|—|to|,|\.\.)\s*({NUMBER})", re.I),
)
_VALUE = r"`[^`]*`|\"[^\"]*\"|'[^']*'"
_DEFAULT_PATTERNS = (
    re.compile(rf"\bdefault(?:\s+value)?\s*[:=]\s*({_VALUE}|[\w.\-+]+)", re.I),
    re.compile(rf"\bdefaults?\s+(?:is|to)\s+({_VALUE}|{NUMBER}\b|true\b|false\b|null\b)", re.I),
)


def is_numeric(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return (kind is None and "oneOf" not in schema) or bool({"integer", "number"} & set(kinds))


def prose_default(description: str) -> tuple[bool, Any]:
    for pattern in _DEFAULT_PATTERNS:
        match = pattern.search(description)
        if match:
            raw = match.group(1)
            if raw[:1] not in "`\"'" and not re.fullmatch(NUMBER, raw):
                raw = raw.rstrip(".")
            return True, scalar(raw)
    return False, None


def prose_range(description: str) -> tuple[int | float, int | float] | None:
    for pattern in _RANGE_PATTERNS:
        match = pattern.search(description)
        if match:
            return number(match.group(1)), number(match.group(2))
    return None
