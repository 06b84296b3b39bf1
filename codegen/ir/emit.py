"""IR -> one OpenAPI 3.1 document, with ``x-specgen-*`` extensions for vendors and provenance.

What the IR knows beyond JSON Schema travels in extensions, so that ingesting this document again
gives the same IR: ``x-specgen-documents`` (who describes a field, model, operation or error),
``x-specgen-enum-documents`` (who sends each enum value), ``x-specgen-open-enum`` (known values of
an open enum; any value of the type is valid), ``x-specgen-vendors`` (the vendor profiles).
"""

from __future__ import annotations

from typing import Any

from ..normalize.marks import ASSUMED, STREAM, UNKNOWN
from .model import (
    API,
    Alias,
    ArrayType,
    Field,
    MapType,
    Model,
    ModelRef,
    Operation,
    ScalarType,
    TypeNode,
    UnionType,
    UnknownType,
)
from .shapes import DOCUMENTS, ENUM_DOCUMENTS, OPEN_ENUM, REASON
from .vendors import VENDORS_EXTENSION, vendor_extension

MERGED = "x-specgen-merged"
REFERENCE_EXTENSION = "x-specgen-reference-documents"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def type_schema(node: TypeNode) -> dict[str, Any]:
    if isinstance(node, ScalarType):
        schema: dict[str, Any] = {"type": node.kind}
        if node.format:
            schema["format"] = node.format
        if node.enum:
            values = [item.value for item in node.enum]
            schema[OPEN_ENUM if node.enum_open else "enum"] = values
            schema[ENUM_DOCUMENTS] = {str(item.value): list(item.documents) for item in node.enum}
        schema.update(node.constraints.json_schema())
        return schema
    if isinstance(node, ArrayType):
        items = type_schema(node.items)
        return {
            "type": "array",
            "items": _nullable(items) if node.items_nullable else items,
            **node.constraints.json_schema(),
        }
    if isinstance(node, ModelRef):
        return _ref(node.name)
    if isinstance(node, UnionType):
        union: dict[str, Any] = {"oneOf": [type_schema(v) for v in node.variants]}
        if node.discriminator:
            union["discriminator"] = {"propertyName": node.discriminator}
        return union
    if isinstance(node, MapType):
        return {"type": "object", "additionalProperties": type_schema(node.values)}
    assert isinstance(node, UnknownType)
    return {UNKNOWN: "shape", REASON: node.reason}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str) and "$ref" not in schema:
        result = {**schema, "type": [kind, "null"]}
        if isinstance(result.get("enum"), list):
            result["enum"] = [*result["enum"], None]
        return result
    return {"anyOf": [schema, {"type": "null"}]}


def field_schema(field: Field) -> dict[str, Any]:
    schema = type_schema(field.type)
    if field.nullable:
        schema = _nullable(schema)
    if field.description:
        schema["description"] = field.description
    if field.has_default:
        schema["default"] = field.default
    schema[DOCUMENTS] = list(field.documents)
    return schema


def model_schema(model: Model) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    if model.description:
        schema["description"] = model.description
    schema["properties"] = {field.name: field_schema(field) for field in model.fields}
    required = [field.name for field in model.fields if field.required]
    if required:
        schema["required"] = required
    if model.direction == "request":
        schema["additionalProperties"] = False
    schema[DOCUMENTS] = list(model.documents)
    return schema


def alias_schema(alias: Alias) -> dict[str, Any]:
    schema = type_schema(alias.type)
    if alias.description:
        schema["description"] = alias.description
    return schema


def _operation(operation: Operation, api: API) -> dict[str, Any]:
    body: dict[str, Any] = {"operationId": operation.id}
    if operation.summary:
        body["summary"] = operation.summary
    if operation.description:
        body["description"] = operation.description
    if operation.request is not None:
        body["requestBody"] = {
            "required": operation.request_required,
            "content": {"application/json": {"schema": _ref(operation.request.name)}},
        }
    success: dict[str, Any] = {"description": "Success"}
    content: dict[str, Any] = {}
    if operation.response is not None:
        content["application/json"] = {"schema": _ref(operation.response.name)}
    if operation.stream is not None:
        content[operation.stream.media_type] = {
            "schema": _ref(operation.stream.chunk.name),
            STREAM: {"terminator": operation.stream.terminator, "flag": operation.stream.flag},
        }
    if content:
        success["content"] = content
    responses: dict[str, Any] = {"200": success}
    for error in operation.errors:
        response: dict[str, Any] = {"description": error.description or f"Error {error.status}"}
        if error.model is not None:
            media: dict[str, Any] = {"schema": _ref(error.model.name)}
            if error.assumed:
                media[ASSUMED] = True
            response["content"] = {"application/json": media}
        response[DOCUMENTS] = list(error.documents)
        responses[str(error.status)] = response
    body["responses"] = responses
    body[DOCUMENTS] = list(operation.documents)
    return body


def emit_openapi(api: API) -> dict[str, Any]:
    """The merged API as one OpenAPI 3.1 document (a plain dict, ready to dump)."""
    paths: dict[str, Any] = {}
    for operation in api.operations:
        paths.setdefault(operation.path, {})[operation.method] = _operation(operation, api)
    schemas: dict[str, Any] = {}
    for model in api.models:
        schemas[model.name] = model_schema(model)
    for alias in api.aliases:
        schemas[alias.name] = alias_schema(alias)
    security_schemes: dict[str, Any] = {}
    for vendor in api.vendors:
        if vendor.auth == "bearer":
            security_schemes["bearer"] = {"type": "http", "scheme": "bearer"}
        elif vendor.auth == "api-key" and vendor.auth_header:
            security_schemes[f"{vendor.name}-key"] = {
                "type": "apiKey",
                "in": "header",
                "name": vendor.auth_header,
            }
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": api.title, "version": api.version, MERGED: True},
        "servers": [
            {"url": vendor.base_url or "/", "description": vendor.name} for vendor in api.vendors
        ],
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas.items()))},
    }
    if security_schemes:
        document["components"]["securitySchemes"] = security_schemes
    document[VENDORS_EXTENSION] = vendor_extension(api.vendors)
    if api.reference_documents:
        document[REFERENCE_EXTENSION] = list(api.reference_documents)
    return document
