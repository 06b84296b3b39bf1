"""Bounds (``Constraints``) compared attribute by attribute: which got tighter, which looser."""

from __future__ import annotations

from typing import Literal

import msgspec

from ..ir.model import CONSTRAINT_KEYWORDS, Constraints

_LOWER = ("minimum", "exclusive_minimum", "min_items", "min_length")
_UPPER = ("maximum", "exclusive_maximum", "max_items", "max_length")


class BoundChange(msgspec.Struct, frozen=True):
    """One bound that moved: its JSON Schema keyword, which way it moved, both values as text."""

    name: str
    direction: Literal["tightened", "loosened"]
    before: str | None
    after: str | None


def _text(name: str, value: object) -> str | None:
    return None if value is None else f"{name} {value}"


def _direction(name: str, old: object, new: object) -> Literal["tightened", "loosened"]:
    if old is None:
        return "tightened"
    if new is None:
        return "loosened"
    if isinstance(old, int | float) and isinstance(new, int | float):
        if name in _LOWER:
            return "tightened" if new > old else "loosened"
        if name in _UPPER:
            return "tightened" if new < old else "loosened"
    # A different pattern may refuse values the old one allowed: treated as tightened.
    return "tightened"


def bound_changes(old: Constraints, new: Constraints) -> list[BoundChange]:
    """Every bound that differs between two Constraints, in a fixed order."""
    changes = []
    for name, keyword in CONSTRAINT_KEYWORDS.items():
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            direction = _direction(name, before, after)
            changes.append(
                BoundChange(keyword, direction, _text(keyword, before), _text(keyword, after))
            )
    return changes
