"""Walking an OpenAPI 3.x document: every schema object with its JSON pointer.

Every stage needs to visit schemas (the upgrade, each repair rule, the IR builder); this is the one
place that knows where schemas live in a document and inside other schemas.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .jsonpointer import join

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


def iter_subschemas(schema: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``schema`` and every schema nested in it, parents before children."""
    if not isinstance(schema, dict):
        return
    yield pointer, schema
    for key in _SCHEMA_MAPS:
        children = schema.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                yield from iter_subschemas(child, join(pointer, key, name))
    for key in _SCHEMA_LISTS:
        children = schema.get(key)
        if isinstance(children, list):
            for position, child in enumerate(children):
                yield from iter_subschemas(child, join(pointer, key, position))
    for key in _SCHEMA_SINGLES:
        child = schema.get(key)
        if isinstance(child, dict):
            yield from iter_subschemas(child, join(pointer, key))


def iter_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Yield (pointer, path, method, operation) for every operation under ``paths``."""
    paths = document.get("paths") or {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield join("/paths", path, method), path, method, operation


def _content_schemas(content: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(content, dict):
        for media, media_object in content.items():
            if isinstance(media_object, dict) and isinstance(media_object.get("schema"), dict):
                yield join(pointer, media, "schema"), media_object["schema"]


def iter_root_schemas(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every top-level schema position: components, parameters, bodies, responses, headers."""
    components = document.get("components") or {}
    for name, schema in (components.get("schemas") or {}).items():
        if isinstance(schema, dict):
            yield join("/components/schemas", name), schema
    for name, response in (components.get("responses") or {}).items():
        if isinstance(response, dict):
            yield from _content_schemas(
                response.get("content"), join("/components/responses", name, "content")
            )
    for name, body in (components.get("requestBodies") or {}).items():
        if isinstance(body, dict):
            yield from _content_schemas(
                body.get("content"), join("/components/requestBodies", name, "content")
            )
    for op_pointer, _path, _method, operation in iter_operations(document):
        for position, parameter in enumerate(operation.get("parameters") or []):
            if isinstance(parameter, dict) and isinstance(parameter.get("schema"), dict):
                yield join(op_pointer, "parameters", position, "schema"), parameter["schema"]
        body = operation.get("requestBody")
        if isinstance(body, dict):
            yield from _content_schemas(
                body.get("content"), join(op_pointer, "requestBody", "content")
            )
        for status, response in (operation.get("responses") or {}).items():
            if not isinstance(response, dict):
                continue
            response_pointer = join(op_pointer, "responses", status)
            yield from _content_schemas(response.get("content"), join(response_pointer, "content"))
            for header, header_object in (response.get("headers") or {}).items():
                if isinstance(header_object, dict) and isinstance(
                    header_object.get("schema"), dict
                ):
                    yield (
                        join(response_pointer, "headers", header, "schema"),
                        header_object["schema"],
                    )


def iter_schemas(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every schema object in the document, each exactly once, parents first."""
    for pointer, schema in iter_root_schemas(document):
        yield from iter_subschemas(schema, pointer)
