"""OpenAPI 3.0 -> 3.1, changing only how things are said, never what is said.

The repairs belong to normalize, where they show as findings; here a defect passes through as it is.
"""

from __future__ import annotations

import copy
from typing import Any

from ..jsonpointer import join, rebase
from ..openapi_walk import iter_schemas
from .notes import IngestNote

TARGET_VERSION = "3.1.0"


def _upgrade_nullable(schema: dict[str, Any]) -> None:
    if "nullable" not in schema:
        return
    nullable = schema.pop("nullable")
    if nullable is not True:
        return
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind] if kind == "null" else [kind, "null"]
    elif isinstance(kind, list):
        if "null" not in kind:
            schema["type"] = [*kind, "null"]
    elif isinstance(schema.get("oneOf"), list) or isinstance(schema.get("anyOf"), list):
        key = "oneOf" if isinstance(schema.get("oneOf"), list) else "anyOf"
        if not any(isinstance(v, dict) and v.get("type") == "null" for v in schema[key]):
            schema[key] = [*schema[key], {"type": "null"}]
    elif "$ref" in schema:
        reference = schema.pop("$ref")
        schema["anyOf"] = [{"$ref": reference}, {"type": "null"}]
    else:
        return
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]


def _upgrade_exclusive_bound(schema: dict[str, Any], exclusive: str, bound: str) -> None:
    flag = schema.get(exclusive)
    if isinstance(flag, bool):
        del schema[exclusive]
        if flag and bound in schema:
            schema[exclusive] = schema.pop(bound)


def _upgrade_schema(schema: dict[str, Any], pointer: str, moves: dict[str, str]) -> None:
    _upgrade_nullable(schema)
    _upgrade_exclusive_bound(schema, "exclusiveMinimum", "minimum")
    _upgrade_exclusive_bound(schema, "exclusiveMaximum", "maximum")
    if "example" in schema:
        value = schema.pop("example")
        if "examples" not in schema:
            schema["examples"] = [value]
            moves[join(pointer, "example")] = join(pointer, "examples", 0)


def remap_lines(lines: dict[str, int], moves: dict[str, str]) -> dict[str, int]:
    """The line map with every pointer under a moved node renamed (one dict probe a prefix)."""
    if not moves:
        return lines
    # A pointer under a moved node holds that node's last token; most pointers hold none of
    # them, and a substring test rules them out at C speed.
    tails = {"/" + moved.rsplit("/", 1)[-1] for moved in moves}
    return {
        (rebase(pointer, moves) if any(tail in pointer for tail in tails) else pointer): line
        for pointer, line in lines.items()
    }


def _leftover_30_keywords(schema: dict[str, Any], pointer: str) -> list[IngestNote]:
    """3.0 keywords in a 3.1 document: ``nullable`` and boolean exclusive bounds, which 3.1 would
    ignore or reject, read as the 3.0 author meant them."""
    notes = []
    if "nullable" in schema:
        before = {key: schema[key] for key in ("nullable", "type") if key in schema}
        _upgrade_nullable(schema)
        notes.append(
            IngestNote(
                rule="openapi-30-keyword",
                pointer=join(pointer, "nullable"),
                message="3.0 keyword nullable in a 3.1 document, read as a null type",
                before=before,
                after={key: schema[key] for key in ("type", "anyOf", "oneOf") if key in schema},
            )
        )
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = schema.get(exclusive)
        if isinstance(flag, bool):
            _upgrade_exclusive_bound(schema, exclusive, bound)
            notes.append(
                IngestNote(
                    rule="openapi-30-keyword",
                    pointer=join(pointer, exclusive),
                    message=f"3.0 boolean {exclusive} in a 3.1 document, read as a numeric bound",
                    before=flag,
                    after=schema.get(exclusive, schema.get(bound)),
                )
            )
    return notes


def upgrade_to_31(
    document: dict[str, Any], lines: dict[str, int], *, in_place: bool = False
) -> tuple[dict[str, Any], dict[str, int]]:
    """Return a 3.1 copy of a 3.0 or 3.1 document, and the line map with moved pointers renamed.

    ``in_place`` upgrades the document itself, for a caller that owns it (a fresh parse): the
    copy is a tenth of the upgrade's cost on a large document."""
    upgraded, lines, _notes = upgrade_with_notes(document, lines, in_place=in_place)
    return upgraded, lines


def upgrade_with_notes(
    document: dict[str, Any], lines: dict[str, int], *, in_place: bool = False
) -> tuple[dict[str, Any], dict[str, int], list[IngestNote]]:
    """``upgrade_to_31``, plus a note for each 3.0 keyword a 3.1 document still uses."""
    upgraded = document if in_place else copy.deepcopy(document)
    version = str(upgraded.get("openapi", ""))
    notes: list[IngestNote] = []
    if version.startswith("3.1"):
        for pointer, schema in list(iter_schemas(upgraded)):
            notes.extend(_leftover_30_keywords(schema, pointer))
        return upgraded, lines, notes
    upgraded["openapi"] = TARGET_VERSION
    moves: dict[str, str] = {}
    # Materialise first: the walk must not see the schemas it is rewriting mid-iteration.
    for pointer, schema in list(iter_schemas(upgraded)):
        _upgrade_schema(schema, pointer, moves)
    return upgraded, remap_lines(lines, moves), notes
