"""The evidence every docs-page reader yields for one field, whatever syntax stated it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TYPE_TEXT = "x-specgen-type-text"
"""On a schema: the type as written when no JSON Schema type could be read from it."""


@dataclass(frozen=True)
class Field:
    name: str
    schema: dict[str, Any]
    required: bool | None
    description: str
    type_text: str
    line: int
