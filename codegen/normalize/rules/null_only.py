"""Rule null-only-field: a field typed only ``null`` gets the type its examples show, or is marked.

A field whose type is ``'null'`` alone is an exporter's way of saying "I saw null here". With
non-null example values the field becomes nullable of the type they show (objects get properties
inferred from the values); with none it is marked ``x-specgen-unknown: type`` for the merge.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...jsonpointer import join, split
from ...openapi_walk import iter_subschemas
from ..context import RuleContext
from ..evidence import json_type, schema_types
from ..marks import UNKNOWN

RULE_ID = "null-only-field"

# Where ``{type: 'null'}`` is the ordinary 3.1 way of saying "or null", not a field.
_UNION_KEYS = ("oneOf", "anyOf")
_STRUCTURE = frozenset(("$ref", "oneOf", "anyOf", "allOf", "enum", "const", "properties", "items"))


def _null_only(pointer: str, schema: dict[str, Any]) -> bool:
    # The type first: it rules out nearly every schema, and without splitting the pointer.
    if schema_types(schema) != ["null"]:
        return False
    tokens = split(pointer)
    if len(tokens) >= 2 and tokens[-2] in _UNION_KEYS:
        return False
    return UNKNOWN not in schema and _STRUCTURE.isdisjoint(schema)


def infer_schema(values: list[Any]) -> dict[str, Any]:
    """The schema a list of example values shows: their JSON types, object properties and array
    items inferred from the values inside. A position where only null was seen is marked unknown."""
    kinds = list(dict.fromkeys(json_type(v) for v in values))
    if "integer" in kinds and "number" in kinds:
        kinds.remove("integer")
    seen = [k for k in kinds if k != "null"]
    if not seen:
        return {UNKNOWN: "type"}
    schema: dict[str, Any] = {"type": seen[0] if len(kinds) == 1 else kinds}
    objects = [v for v in values if isinstance(v, dict)]
    if objects:
        names = list(dict.fromkeys(name for value in objects for name in value))
        schema["properties"] = {
            name: infer_schema([value[name] for value in objects if name in value])
            for name in names
        }
    elements = [e for v in values if isinstance(v, list) for e in v]
    if elements:
        schema["items"] = infer_schema(elements)
    return schema


def _unknown_inside(schema: dict[str, Any], pointer: str) -> Iterator[str]:
    for child_pointer, child in iter_subschemas(schema, pointer):
        if child.get(UNKNOWN) == "type":
            yield child_pointer


def _replace_type(schema: dict[str, Any], inferred: dict[str, Any]) -> None:
    """Put the inferred keys where ``type`` stood: the field keeps the vendor's key order."""
    rebuilt: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "type":
            rebuilt.update(inferred)
        elif key not in inferred:
            rebuilt[key] = value
    schema.clear()
    schema.update(rebuilt)


def apply(context: RuleContext) -> None:
    evidence = context.evidence()
    for pointer, schema in context.schemas():
        if not _null_only(pointer, schema):
            continue
        samples = [s for s in evidence.at(pointer) if s.value is not None]
        before = schema["type"]
        if not samples:
            del schema["type"]
            schema[UNKNOWN] = "type"
            nulls = len(evidence.at(pointer))
            context.warn(
                pointer,
                "field typed only null and no example shows another value: type unknown, "
                "marked for the merge",
                keeps_shape=True,  # only its type and mark changed
                evidence=f"type {before!r}; {nulls} example value(s), all null"
                if nulls
                else f"type {before!r}; no example values",
            )
            continue
        inferred = infer_schema([s.value for s in samples])
        kinds = inferred["type"] if isinstance(inferred["type"], list) else [inferred["type"]]
        inferred["type"] = [*kinds, "null"]
        _replace_type(schema, inferred)
        shown = ", ".join(f"{s.value!r} at {s.origin}" for s in samples[:3])
        context.repair(
            join(pointer, "type"),
            f"null-only field made nullable {' or '.join(kinds)}, as its examples show",
            before=before,
            after={
                key: inferred[key] for key in ("type", "properties", "items") if key in inferred
            },
            evidence=f"example value(s) {shown}",
        )
        for unknown in _unknown_inside(schema, pointer):
            if unknown != pointer:
                context.warn(
                    unknown,
                    "inferred from examples that show only null here: type unknown, marked for "
                    "the merge",
                    evidence=f"example value(s) {shown}",
                )
