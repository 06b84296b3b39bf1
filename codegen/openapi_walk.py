"""Walking an OpenAPI 3.x document: every schema object with its JSON pointer.

Every stage needs to visit schemas (the upgrade, each repair rule, the IR builder); this is the one
place that knows where schemas live in a document and inside other schemas.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import msgspec

from .jsonpointer import escape, join

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_SINGLES = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)


_NESTING = frozenset((*_SCHEMA_MAPS, *_SCHEMA_LISTS, *_SCHEMA_SINGLES))


def iter_subschemas(schema: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``schema`` and every schema nested in it, parents before children.

    An explicit stack, not nested generators: ``yield from`` costs a frame per level for every
    schema, and a deep document would exceed the recursion limit.
    """
    stack: list[tuple[str, Any]] = [(pointer, schema)]
    while stack:
        where, node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield where, node
        if _NESTING.isdisjoint(node):
            continue  # a leaf: most schemas hold no nested schema at all
        children: list[tuple[str, Any]] = []
        for key in _SCHEMA_MAPS:
            members = node.get(key)
            if isinstance(members, dict):
                prefix = f"{where}/{escape(key)}/"
                children.extend(
                    (prefix + escape(name), child)
                    for name, child in members.items()
                    if isinstance(child, dict)
                )
        for key in _SCHEMA_LISTS:
            members = node.get(key)
            if isinstance(members, list):
                prefix = f"{where}/{key}/"
                children.extend(
                    (prefix + str(position), child)
                    for position, child in enumerate(members)
                    if isinstance(child, dict)
                )
        for key in _SCHEMA_SINGLES:
            child = node.get(key)
            if isinstance(child, dict):
                children.append((f"{where}/{key}", child))
        stack.extend(reversed(children))


def _mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else empty: walks run before quarantine has moved a
    mistyped node (``components: "x"``) out of the way, and must not trip on it."""
    return value if isinstance(value, dict) else {}


def _sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def iter_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Yield (pointer, path, method, operation) for every operation under ``paths``."""
    for path, item in _mapping(document.get("paths")).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield join("/paths", str(path), method), str(path), method, operation


def _content_schemas(content: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for media, media_object in _mapping(content).items():
        if isinstance(media_object, dict) and isinstance(media_object.get("schema"), dict):
            yield join(pointer, str(media), "schema"), media_object["schema"]


def iter_root_schemas(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every top-level schema position: components, parameters, bodies, responses, headers."""
    components = _mapping(document.get("components"))
    for name, schema in _mapping(components.get("schemas")).items():
        if isinstance(schema, dict):
            yield join("/components/schemas", str(name)), schema
    for name, response in _mapping(components.get("responses")).items():
        if isinstance(response, dict):
            yield from _content_schemas(
                response.get("content"), join("/components/responses", str(name), "content")
            )
    for name, body in _mapping(components.get("requestBodies")).items():
        if isinstance(body, dict):
            yield from _content_schemas(
                body.get("content"), join("/components/requestBodies", str(name), "content")
            )
    for op_pointer, _path, _method, operation in iter_operations(document):
        for position, parameter in enumerate(_sequence(operation.get("parameters"))):
            if isinstance(parameter, dict) and isinstance(parameter.get("schema"), dict):
                yield join(op_pointer, "parameters", position, "schema"), parameter["schema"]
        body = operation.get("requestBody")
        if isinstance(body, dict):
            yield from _content_schemas(
                body.get("content"), join(op_pointer, "requestBody", "content")
            )
        for status, response in _mapping(operation.get("responses")).items():
            if not isinstance(response, dict):
                continue
            response_pointer = join(op_pointer, "responses", str(status))
            yield from _content_schemas(response.get("content"), join(response_pointer, "content"))
            for header, header_object in _mapping(response.get("headers")).items():
                if isinstance(header_object, dict) and isinstance(
                    header_object.get("schema"), dict
                ):
                    yield (
                        join(response_pointer, "headers", str(header), "schema"),
                        header_object["schema"],
                    )


def iter_schemas(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every schema object in the document, each exactly once, parents first."""
    for pointer, schema in iter_root_schemas(document):
        yield from iter_subschemas(schema, pointer)


SchemaEntry = tuple[str, dict[str, Any]]


class SchemaIndex(msgspec.Struct, frozen=True):
    """Every schema of a document once, in ``iter_schemas`` order, grouped by root schema.

    Built in one walk so that several readers of an unchanged document share it; it holds the
    schema objects themselves, so changes to their keywords show through, but a schema added,
    removed or replaced makes it stale (the owner rebuilds it).
    """

    entries: tuple[SchemaEntry, ...]
    root_starts: tuple[int, ...]
    """Where each root schema's walk begins in ``entries``."""

    @staticmethod
    def of(document: dict[str, Any]) -> SchemaIndex:
        entries: list[SchemaEntry] = []
        starts: list[int] = []
        for pointer, schema in iter_root_schemas(document):
            starts.append(len(entries))
            entries.extend(iter_subschemas(schema, pointer))
        return SchemaIndex(tuple(entries), tuple(starts))

    def by_root(self) -> Iterator[Sequence[SchemaEntry]]:
        """Each root schema's entries (the root first, then everything nested in it)."""
        ends = (*self.root_starts[1:], len(self.entries))
        for start, end in zip(self.root_starts, ends, strict=False):  # no roots: no ends either
            yield self.entries[start:end]
