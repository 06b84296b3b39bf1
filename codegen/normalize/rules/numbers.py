"""Rule integer-with-fractional-evidence: an ``integer`` the document itself writes fractions for
becomes ``number``.

Evidence is what the document writes with a decimal point: example and default values, bounds,
enum values, and decimals in the description ("between -2.0 and 2.0", "values like 0.8").
"""

from __future__ import annotations

from typing import Any

from ...jsonpointer import join
from ..context import RuleContext
from ..evidence import Evidence, schema_types
from ..prose import decimals_in

RULE_ID = "integer-with-fractional-evidence"
KEEPS_SHAPE = True  # changes only keywords that hold no schema (see rules.SHAPE_KEEPING)

_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_INTEGER_FORMATS = ("int32", "int64", "int8", "int16", "uint8", "uint32", "uint64")


def _fraction(value: Any) -> bool:
    """A float is written with a decimal point or exponent (YAML and JSON keep 1.0 a float)."""
    return isinstance(value, float)


def fractional_evidence(pointer: str, schema: dict[str, Any], evidence: Evidence) -> list[str]:
    """Every place the document writes a fraction for the values of this schema, in words."""
    found: list[str] = []
    for sample in evidence.at(pointer):
        if _fraction(sample.value):
            found.append(f"{sample.kind} {sample.value!r} at {sample.origin}")
    for keyword in _BOUNDS:
        if _fraction(schema.get(keyword)):
            found.append(f"{keyword} {schema[keyword]!r}")
    enum = schema.get("enum")
    if isinstance(enum, list):
        found += [f"enum value {v!r}" for v in enum if _fraction(v)]
    description = schema.get("description")
    if isinstance(description, str):
        found += [f'"{d}" in the description' for d in decimals_in(description)]
    return found


def _declared_integer(schema: dict[str, Any]) -> str | None:
    """Why the markup itself insists on integers, beyond ``type``; None if it does not."""
    fmt = schema.get("format")
    if fmt in _INTEGER_FORMATS:
        return f"format {fmt}"
    enum = schema.get("enum")
    values = [v for v in enum if v is not None] if isinstance(enum, list) else []
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return f"enum {values}"
    return None


def apply(context: RuleContext) -> None:
    evidence = context.evidence()
    for pointer, schema in context.schemas():
        types = schema_types(schema)
        if "integer" not in types:
            continue
        reasons = fractional_evidence(pointer, schema, evidence)
        if not reasons:
            continue
        declared = _declared_integer(schema)
        if declared is not None:
            context.warn(
                join(pointer, "type"),
                f"integer field with fractional evidence, but its {declared} says integer; "
                "left integer",
                evidence="; ".join(reasons),
            )
            continue
        before = schema["type"]
        widened = list(dict.fromkeys("number" if t == "integer" else t for t in types))
        after: str | list[str] = widened[0] if isinstance(before, str) else widened
        schema["type"] = after
        context.repair(
            join(pointer, "type"),
            "integer widened to number: the document writes fractional values for it",
            before=before,
            after=after,
            evidence="; ".join(reasons),
        )
