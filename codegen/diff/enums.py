"""Enum changes of one scalar: values added or removed, open vs closed, an enum appearing or going."""

from __future__ import annotations

import json

from ..ir.model import Direction, ScalarType

EnumChange = tuple[str, str | None, str | None]
"""(kind in the rules table, before, after)."""


def _state(node: ScalarType) -> str:
    values = ", ".join(json.dumps(item.value) for item in node.enum)
    return f"{'open' if node.enum_open else 'closed'} [{values}]"


def _appeared(direction: Direction, new: ScalarType) -> str:
    if direction == "response":
        return "response-enum-added"
    return "request-enum-added-open" if new.enum_open else "request-enum-added-closed"


def _went(direction: Direction, old: ScalarType) -> str:
    if direction == "request":
        return "request-enum-removed"
    return "response-enum-removed-open" if old.enum_open else "response-enum-removed-closed"


def _added(direction: Direction, new: ScalarType) -> str:
    if direction == "request":
        return "request-enum-value-added"
    return "response-enum-value-added-open" if new.enum_open else "response-enum-value-added-closed"


def _removed(direction: Direction, new: ScalarType) -> str:
    if direction == "response":
        return "response-enum-value-removed"
    return (
        "request-enum-value-removed-open" if new.enum_open else "request-enum-value-removed-closed"
    )


def enum_changes(direction: Direction, old: ScalarType, new: ScalarType) -> list[EnumChange]:
    """How the enum of one scalar changed, as seen from the given side of a call."""
    if not old.enum and not new.enum:
        return []
    if not old.enum:
        return [(_appeared(direction, new), None, _state(new))]
    if not new.enum:
        return [(_went(direction, old), _state(old), None)]
    changes: list[EnumChange] = []
    old_values = {json.dumps(item.value) for item in old.enum}
    new_values = {json.dumps(item.value) for item in new.enum}
    changes += [(_added(direction, new), None, value) for value in sorted(new_values - old_values)]
    changes += [
        (_removed(direction, new), value, None) for value in sorted(old_values - new_values)
    ]
    if old.enum_open != new.enum_open:
        kind = f"{direction}-enum-{'opened' if new.enum_open else 'closed'}"
        changes.append((kind, _state(old), _state(new)))
    return changes
