"""Example values seen at each schema of a document: the evidence the schema-level rules read.

Values come from media-type and parameter examples, schema ``examples`` and ``default``s, and are
carried down into properties, items, allOf members, matching union variants and local ``$ref``s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

import msgspec

from ..jsonpointer import join, resolve
from ..openapi_walk import SchemaEntry, SchemaIndex, iter_operations, iter_schemas, iter_subschemas

__all__ = [
    "Evidence",
    "Sample",
    "collect_evidence",
    "json_type",
    "resolve_ref",
    "response_schema_pointers",
    "schema_types",
]

SampleKind = Literal["example", "default"]


class Sample(msgspec.Struct, frozen=True):
    """One value seen at a schema: where in the document it is written, and whether it is a
    documented example or a default."""

    value: Any
    origin: str
    kind: SampleKind


class Evidence(msgspec.Struct, frozen=True):
    """Schema pointer -> the samples seen there, in document order."""

    samples: Mapping[str, tuple[Sample, ...]]

    def at(self, pointer: str, kind: SampleKind | None = None) -> tuple[Sample, ...]:
        found = self.samples.get(pointer, ())
        return tuple(s for s in found if kind is None or s.kind == kind)


def json_type(value: Any) -> str:
    """The JSON Schema type name of a decoded JSON/YAML value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def schema_types(schema: Mapping[str, Any]) -> list[str]:
    """The ``type`` of a schema as a list (empty when the schema states none)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    return []


def resolve_ref(document: Mapping[str, Any], reference: Any) -> tuple[str, dict[str, Any]] | None:
    """(pointer, schema) a local ``$ref`` names, or None for remote or dangling references."""
    if not isinstance(reference, str) or not reference.startswith("#"):
        return None
    pointer = reference[1:]
    try:
        target = resolve(document, pointer)
    except KeyError:
        return None
    return (pointer, target) if isinstance(target, dict) else None


def _admits(document: Mapping[str, Any], schema: Any, value: Any, depth: int = 0) -> bool:
    """Whether ``schema``'s declared type (through a $ref) allows a value of this JSON type."""
    if not isinstance(schema, dict):
        return False
    if "$ref" in schema and depth < 8:
        target = resolve_ref(document, schema["$ref"])
        return target is None or _admits(document, target[1], value, depth + 1)
    kinds = schema_types(schema)
    if not kinds:
        return True
    kind = json_type(value)
    return kind in kinds or (kind == "integer" and "number" in kinds)


def _property_names(document: Mapping[str, Any], schema: Any, depth: int = 0) -> set[str]:
    if not isinstance(schema, dict) or depth > 8:
        return set()
    if "$ref" in schema:
        target = resolve_ref(document, schema["$ref"])
        return _property_names(document, target[1], depth + 1) if target else set()
    names = set(schema.get("properties") or {})
    for member in schema.get("allOf") or []:
        names |= _property_names(document, member, depth + 1)
    return names


class _Collector:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.samples: dict[str, list[Sample]] = {}
        self._seen: set[tuple[str, str]] = set()

    def descend(self, pointer: str, schema: Any, value: Any, origin: str, kind: SampleKind) -> None:
        if not isinstance(schema, dict) or (pointer, origin) in self._seen:
            return
        self._seen.add((pointer, origin))
        self.samples.setdefault(pointer, []).append(Sample(value, origin, kind))
        if "$ref" in schema:
            target = resolve_ref(self.document, schema["$ref"])
            if target is not None:
                self.descend(target[0], target[1], value, origin, kind)
        for position, member in enumerate(schema.get("allOf") or []):
            self.descend(join(pointer, "allOf", position), member, value, origin, kind)
        for key in ("oneOf", "anyOf"):
            variants = schema.get(key)
            if isinstance(variants, list):
                for position in self._matching_variants(variants, value):
                    self.descend(
                        join(pointer, key, position), variants[position], value, origin, kind
                    )
        if isinstance(value, dict):
            properties = schema.get("properties")
            extra = schema.get("additionalProperties")
            for name, item in value.items():
                if isinstance(properties, dict) and name in properties:
                    child = join(pointer, "properties", name)
                    self.descend(child, properties[name], item, join(origin, name), kind)
                elif isinstance(extra, dict):
                    child = join(pointer, "additionalProperties")
                    self.descend(child, extra, item, join(origin, name), kind)
        elif isinstance(value, list):
            prefix = schema.get("prefixItems")
            items = schema.get("items")
            for position, item in enumerate(value):
                if isinstance(prefix, list) and position < len(prefix):
                    child = join(pointer, "prefixItems", position)
                    self.descend(child, prefix[position], item, join(origin, position), kind)
                elif isinstance(items, dict):
                    self.descend(join(pointer, "items"), items, item, join(origin, position), kind)

    def _matching_variants(self, variants: list[Any], value: Any) -> list[int]:
        """Variants the value may belong to. An object goes to the variants declaring most of its
        keys: giving a success example to every object variant of a union would make the error
        variants' fields look omitted by the examples."""
        candidates = [i for i, v in enumerate(variants) if _admits(self.document, v, value)]
        if not isinstance(value, dict) or len(candidates) < 2:
            return candidates
        overlap = {
            i: len(set(value) & _property_names(self.document, variants[i])) for i in candidates
        }
        best = max(overlap.values())
        return [i for i in candidates if overlap[i] == best] if best else candidates


def _media_examples(
    document: Mapping[str, Any], media: Mapping[str, Any], pointer: str
) -> Iterator[tuple[Any, str]]:
    """(value, origin) for a media type's or parameter's ``example`` and ``examples``."""
    if "example" in media:
        yield media["example"], join(pointer, "example")
    examples = media.get("examples")
    if not isinstance(examples, dict):
        return
    for name, example in examples.items():
        origin = join(pointer, "examples", name)
        if isinstance(example, dict) and "$ref" in example:
            reference = example["$ref"]
            if isinstance(reference, str) and reference.startswith("#"):
                try:
                    example = resolve(document, reference[1:])
                    origin = reference[1:]
                except KeyError:
                    continue
        if isinstance(example, dict) and "value" in example:
            yield example["value"], join(origin, "value")


Role = Literal["request", "response", "parameter"]


def _content_positions(
    document: Mapping[str, Any],
) -> Iterator[tuple[str, Mapping[str, Any], Role]]:
    """(pointer, object, role) of every media type object and parameter with a schema."""
    components = document.get("components") or {}
    holders: list[tuple[str, Any, Role]] = []
    for name, holder in (components.get("responses") or {}).items():
        holders.append((join("/components/responses", name), holder, "response"))
    for name, holder in (components.get("requestBodies") or {}).items():
        holders.append((join("/components/requestBodies", name), holder, "request"))
    for op_pointer, _path, _method, operation in iter_operations(dict(document)):
        holders.append((join(op_pointer, "requestBody"), operation.get("requestBody"), "request"))
        for status, response in (operation.get("responses") or {}).items():
            holders.append((join(op_pointer, "responses", status), response, "response"))
        for position, parameter in enumerate(operation.get("parameters") or []):
            if isinstance(parameter, dict) and isinstance(parameter.get("schema"), dict):
                yield join(op_pointer, "parameters", position), parameter, "parameter"
    for pointer, holder, role in holders:
        content = holder.get("content") if isinstance(holder, dict) else None
        if isinstance(content, dict):
            for media_name, media in content.items():
                if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                    yield join(pointer, "content", media_name), media, role


def collect_evidence(
    document: Mapping[str, Any], schemas: Iterable[tuple[str, dict[str, Any]]] | None = None
) -> Evidence:
    """Every example and default value of the document, attributed to the schemas it instances.

    ``schemas`` is the document's ``iter_schemas``, when the caller has walked it already."""
    collector = _Collector(document)
    for pointer, holder, _role in _content_positions(document):
        schema_pointer = join(pointer, "schema")
        for value, origin in _media_examples(document, holder, pointer):
            collector.descend(schema_pointer, holder["schema"], value, origin, "example")
    if schemas is None:
        schemas = list(iter_schemas(dict(document)))
    for pointer, schema in schemas:
        examples = schema.get("examples")
        if isinstance(examples, list):
            for position, value in enumerate(examples):
                origin = join(pointer, "examples", position)
                collector.descend(pointer, schema, value, origin, "example")
        if "default" in schema:
            collector.descend(
                pointer, schema, schema["default"], join(pointer, "default"), "default"
            )
    return Evidence({key: tuple(found) for key, found in collector.samples.items()})


def _root_walks(index: SchemaIndex | None) -> dict[str, Sequence[SchemaEntry]]:
    """Root pointer -> the index's walk of that root: ``iter_subschemas`` of it, done already."""
    return {} if index is None else {entries[0][0]: entries for entries in index.by_root()}


def _walk(
    walks: dict[str, Sequence[SchemaEntry]], pointer: str, schema: Any
) -> Iterable[SchemaEntry]:
    """``iter_subschemas(schema, pointer)``, read off the index where it walked the same."""
    walk = walks.get(pointer)
    return walk if walk is not None and walk[0][1] is schema else iter_subschemas(schema, pointer)


def response_schema_pointers(
    document: Mapping[str, Any], index: SchemaIndex | None = None
) -> set[str]:
    """Pointers of every schema a response body can reach, through local ``$ref``s.

    ``index``, the document's current schema index when the caller has it: a walk from one of
    its roots (the same schema object at the same pointer) is read off it, not walked again."""
    walks = _root_walks(index)
    roots: list[tuple[str, Any]] = []
    for pointer, holder, role in _content_positions(document):
        if role == "response":
            roots.append((join(pointer, "schema"), holder.get("schema")))
    reached: set[str] = set()
    targets: dict[str, tuple[str, dict[str, Any]] | None] = {}  # each $ref resolved once
    while roots:
        pointer, schema = roots.pop()
        if pointer in reached:
            continue
        for child_pointer, child in _walk(walks, pointer, schema):
            reached.add(child_pointer)
            reference = child.get("$ref")
            if not isinstance(reference, str):
                continue
            if reference not in targets:
                targets[reference] = resolve_ref(document, reference)
            target = targets[reference]
            if target is not None and target[0] not in reached:
                roots.append(target)
    return reached
