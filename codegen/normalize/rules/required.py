"""Rule over-strict-required: ``required`` lists the document's own evidence contradicts.

Three repairs: a required name no property declares is dropped; a response field the document's
examples omit becomes optional; a request body whose schema requires fields becomes required.
"""

from __future__ import annotations

from typing import Any

from ...jsonpointer import join, parent, resolve, split
from ...openapi_walk import iter_operations
from ..context import RuleContext
from ..evidence import Evidence, resolve_ref, response_schema_pointers

RULE_ID = "over-strict-required"
KEEPS_SHAPE = True  # changes only keywords that hold no schema (see rules.SHAPE_KEEPING)

_COMPOSITIONS = ("allOf", "oneOf", "anyOf")


def _property_names(document: dict[str, Any], schema: Any, depth: int = 0) -> set[str]:
    """Names a schema declares: its properties, its allOf members' and its $ref target's."""
    if not isinstance(schema, dict) or depth > 8:
        return set()
    names = set(schema.get("properties") or {})
    target = resolve_ref(document, schema.get("$ref"))
    if target is not None:
        names |= _property_names(document, target[1], depth + 1)
    for member in schema.get("allOf") or []:
        names |= _property_names(document, member, depth + 1)
    return names


def _declared_names(document: dict[str, Any], pointer: str, schema: dict[str, Any]) -> set[str]:
    names = _property_names(document, schema)
    tokens = split(pointer)
    # A member of a composition may require what the composing schema declares, as in
    # ``oneOf: [{required: [a]}, {required: [b]}]`` beside ``properties``.
    if len(tokens) >= 2 and tokens[-2] in _COMPOSITIONS:
        try:
            owner = resolve(document, parent(parent(pointer)))
        except KeyError:
            owner = None
        names |= _property_names(document, owner)
    return names


def _free_form(schema: dict[str, Any]) -> bool:
    extra = schema.get("additionalProperties")
    return "patternProperties" in schema or (
        "additionalProperties" in schema and extra is not False
    )


def _already_reported(context: RuleContext, pointer: str) -> bool:
    """Whether an earlier rule (the error-variant repair) already recorded this entry."""
    return any(
        finding.rule != RULE_ID and finding.pointer in (pointer, parent(pointer))
        for finding in context.findings
    )


def _drop(schema: dict[str, Any], names: set[str]) -> None:
    kept = [name for name in schema["required"] if name not in names]
    if kept:
        schema["required"] = kept
    else:
        del schema["required"]


def _drop_undeclared(context: RuleContext) -> list[dict[str, Any]]:
    """Drop what no property declares; the schemas changed."""
    document = context.document
    changed: list[dict[str, Any]] = []
    for pointer, schema in context.schemas():
        required = schema.get("required")
        if not isinstance(required, list) or _free_form(schema):
            continue
        declared = _declared_names(document, pointer, schema)
        undeclared = {name for name in required if name not in declared}
        if not undeclared:
            continue
        for position, name in enumerate(required):
            entry = join(pointer, "required", position)
            if name in undeclared and not _already_reported(context, entry):
                context.repair(
                    entry,
                    f"required {name!r} dropped: no property of that name is declared",
                    before=name,
                    after=None,
                    evidence=f"declared properties: {', '.join(sorted(declared)) or 'none'}",
                )
        _drop(schema, undeclared)
        changed.append(schema)
        context.changed()  # every entry may have been reported already
    return changed


def _reads_any(evidence: Evidence, changed: list[dict[str, Any]]) -> bool:
    """Whether collecting ``evidence`` read one of these objects' keys: it reads the keys only of
    the objects it records as samples (an example may be the very object a schema is, through a
    YAML alias)."""
    ids = {id(schema) for schema in changed}
    return any(id(s.value) in ids for samples in evidence.samples.values() for s in samples)


def _drop_omitted(context: RuleContext, evidence: Evidence, responses: set[str]) -> None:
    for pointer, schema in context.schemas():
        required = schema.get("required")
        if pointer not in responses or not isinstance(required, list):
            continue
        objects = [s for s in evidence.at(pointer, "example") if isinstance(s.value, dict)]
        if not objects:
            continue
        omitted: set[str] = set()
        for position, name in enumerate(required):
            omitting = [s for s in objects if name not in s.value]
            if not omitting:
                continue
            omitted.add(name)
            context.repair(
                join(pointer, "required", position),
                f"required {name!r} made optional: the document's own example omits it",
                before=name,
                after=None,
                evidence=f"the example at {omitting[0].origin} omits {name!r} "
                f"({len(omitting)} of {len(objects)} examples of this object do)",
            )
        if omitted:
            _drop(schema, omitted)


def _required_names(document: dict[str, Any], schema: Any, depth: int = 0) -> list[str]:
    if not isinstance(schema, dict) or depth > 8:
        return []
    names = [n for n in schema.get("required") or [] if isinstance(n, str)]
    target = resolve_ref(document, schema.get("$ref"))
    if target is not None:
        names += _required_names(document, target[1], depth + 1)
    for member in schema.get("allOf") or []:
        names += _required_names(document, member, depth + 1)
    return list(dict.fromkeys(names))


def _require_bodies(context: RuleContext) -> None:
    document = context.document
    for op_pointer, _path, _method, operation in iter_operations(document):
        body = operation.get("requestBody")
        body_pointer = join(op_pointer, "requestBody")
        if isinstance(body, dict) and "$ref" in body:
            target = resolve_ref(document, body["$ref"])
            body_pointer, body = target if target is not None else (body_pointer, None)
        if not isinstance(body, dict) or body.get("required") is True:
            continue
        content = body.get("content")
        for media, media_object in (content or {}).items() if isinstance(content, dict) else ():
            names = _required_names(document, (media_object or {}).get("schema"))
            if not names:
                continue
            before = body.get("required")
            body["required"] = True
            context.repair(
                join(body_pointer, "required"),
                "request body made required: its schema requires fields",
                before=before,
                after=True,
                evidence=f"the {media} body schema requires {', '.join(names)}; the body is "
                f"{'marked required: false' if before is False else 'not marked required'}",
            )
            break


def apply(context: RuleContext) -> None:
    # Read before the undeclared names are dropped, while the evidence an earlier rule collected
    # still holds: dropping only edits ``required`` lists (of names, never schemas), a keyword the
    # evidence and the response reach never read, so both stay what they would be after it,
    # unless an example is itself one of the changed schemas.
    evidence = context.evidence()
    responses = response_schema_pointers(context.document, context.schema_index())
    if _reads_any(evidence, _drop_undeclared(context)):
        evidence = context.evidence()
    _drop_omitted(context, evidence, responses)
    _require_bodies(context)
