"""IR -> one OpenAPI 3.1 document, with ``x-specgen-*`` extensions for vendors and provenance.

What the IR knows beyond JSON Schema travels in extensions, so that ingesting this document again
gives the same IR: ``x-specgen-documents`` (who describes a field, model, operation or error),
``x-specgen-enum-documents`` (who sends each enum value), ``x-specgen-open-enum`` (known values of
an open enum; any value of the type is valid), ``x-specgen-vendors`` (the vendor profiles).
"""

from __future__ import annotations

from typing import Any

from ..normalize.marks import ASSUMED, MISSING, STREAM, UNKNOWN
from .model import (
    API,
    Alias,
    ArrayType,
    Field,
    MapType,
    Model,
    ModelRef,
    Operation,
    Parameter,
    ResponseSpec,
    ScalarType,
    SecurityScheme,
    StreamSpec,
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
    if model.requires_any:
        schema["anyOf"] = [{"required": [name]} for name in model.requires_any]
    if model.direction == "request":
        schema["additionalProperties"] = False
    schema[DOCUMENTS] = list(model.documents)
    return schema


def alias_schema(alias: Alias) -> dict[str, Any]:
    schema = type_schema(alias.type)
    if alias.description:
        schema["description"] = alias.description
    return schema


_STYLES_BY_LOCATION = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def parameter_schema(parameter: Parameter) -> dict[str, Any]:
    schema = type_schema(parameter.type)
    if parameter.nullable:
        schema = _nullable(schema)
    body: dict[str, Any] = {"name": parameter.name, "in": parameter.location}
    if parameter.description:
        body["description"] = parameter.description
    if parameter.required:
        body["required"] = True
    if parameter.deprecated:
        body["deprecated"] = True
    if parameter.style is not None:
        body["style"] = parameter.style
    if parameter.explode is not None:
        body["explode"] = parameter.explode
    body["schema"] = schema
    body[DOCUMENTS] = list(parameter.documents)
    return body


def _request_body(operation: Operation) -> dict[str, Any] | None:
    spec = operation.request_body
    if spec is None:
        return None
    if operation.request is not None:
        schema: dict[str, Any] = _ref(operation.request.name)
    elif spec.encoding == "binary":
        schema = {"type": "string", "format": "binary"}
    else:
        schema = {"type": "string"}
    media: dict[str, Any] = {"schema": schema}
    content = {spec.media_type: media}
    for other in spec.alternatives:
        content[other] = {"schema": schema}
    return {"required": operation.request_required, "content": content}


def _success(operation: Operation, spec: ResponseSpec) -> dict[str, Any]:
    # An empty description reads back as none (the field is required in OpenAPI).
    answer: dict[str, Any] = {"description": spec.description or ""}
    content: dict[str, Any] = {}
    if spec.kind == "json" and spec.media_type:
        content[spec.media_type] = (
            {"schema": type_schema(spec.type)} if spec.type is not None else {MISSING: True}
        )
    elif spec.kind == "binary" and spec.media_type:
        content[spec.media_type] = {"schema": {"type": "string", "format": "binary"}}
    elif spec.kind == "text" and spec.media_type:
        content[spec.media_type] = {"schema": {"type": "string"}}
    if operation.stream is not None and spec.status == operation.success.status:
        content.update(_stream_content(operation.stream))
    if content:
        answer["content"] = content
    return answer


def _stream_content(stream: StreamSpec) -> dict[str, Any]:
    """The event-stream media of a streamed answer, with the flag and terminator it needs."""
    return {
        stream.media_type: {
            "schema": _ref(stream.chunk.name),
            STREAM: {"terminator": stream.terminator, "flag": stream.flag},
        }
    }


def _legacy_success(operation: Operation) -> dict[str, Any]:
    success: dict[str, Any] = {"description": "Success"}
    content: dict[str, Any] = {}
    if operation.response is not None:
        content["application/json"] = {"schema": _ref(operation.response.name)}
    if operation.stream is not None:
        content.update(_stream_content(operation.stream))
    if content:
        success["content"] = content
    return success


def _security(operation: Operation) -> list[dict[str, list[str]]]:
    requirements: list[dict[str, list[str]]] = []
    for scheme in operation.security:
        requirements.append({} if scheme.kind == "none" else {security_scheme_name(scheme): []})
    return requirements


def security_scheme_name(scheme: SecurityScheme) -> str:
    return scheme.kind if scheme.name is None else f"{scheme.kind}-{scheme.name}"


def security_scheme_object(scheme: SecurityScheme) -> dict[str, Any]:
    if scheme.kind == "bearer":
        return {"type": "http", "scheme": "bearer"}
    if scheme.kind == "basic":
        return {"type": "http", "scheme": "basic"}
    location = scheme.kind.removeprefix("api-key-")
    return {"type": "apiKey", "in": location, "name": scheme.name or ""}


def _operation(operation: Operation, api: API) -> dict[str, Any]:
    body: dict[str, Any] = {"operationId": operation.id}
    if operation.summary:
        body["summary"] = operation.summary
    if operation.description:
        body["description"] = operation.description
    if operation.tags:
        body["tags"] = list(operation.tags)
    if operation.deprecated:
        body["deprecated"] = True
    if operation.parameters:
        body["parameters"] = [parameter_schema(p) for p in operation.parameters]
    request_body = _request_body(operation)
    if request_body is not None:
        body["requestBody"] = request_body
    responses: dict[str, Any] = {}
    if operation.responses:
        for spec in operation.responses:
            responses[str(spec.status)] = _success(operation, spec)
    else:
        responses["200"] = _legacy_success(operation)
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
    if operation.security:
        body["security"] = _security(operation)
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
        elif vendor.auth in ("api-key", "api-key-query") and vendor.auth_header:
            security_schemes[f"{vendor.name}-key"] = {
                "type": "apiKey",
                "in": "header" if vendor.auth == "api-key" else "query",
                "name": vendor.auth_header,
            }
        elif vendor.auth == "basic":
            security_schemes["basic"] = {"type": "http", "scheme": "basic"}
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": api.title, "version": api.version, MERGED: True},
        "servers": [
            {"url": vendor.base_url or "/", "description": vendor.name} for vendor in api.vendors
        ],
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas.items()))},
    }
    for operation in api.operations:
        for scheme in operation.security:
            if scheme.kind != "none":
                security_schemes.setdefault(
                    security_scheme_name(scheme), security_scheme_object(scheme)
                )
    if security_schemes:
        document["components"]["securitySchemes"] = dict(sorted(security_schemes.items()))
    document[VENDORS_EXTENSION] = vendor_extension(api.vendors)
    if api.reference_documents:
        document[REFERENCE_EXTENSION] = list(api.reference_documents)
    _add_mappings(document, {model.name: model for model in api.models})
    return document


def _add_mappings(node: Any, models: dict[str, Model]) -> None:
    """Give every discriminator its ``mapping`` from the variants' tags. Without one, OpenAPI
    reads the tag as the variant's schema name (``wandb`` would have to be
    ``FineTuningIntegration``), so a tool validating answers against the document rejects them."""
    if isinstance(node, list):
        for item in node:
            _add_mappings(item, models)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _add_mappings(value, models)
    discriminator = node.get("discriminator")
    if not isinstance(discriminator, dict) or not isinstance(node.get("oneOf"), list):
        return
    mapping: dict[str, str] = {}
    for variant in node["oneOf"]:
        reference = variant.get("$ref", "") if isinstance(variant, dict) else ""
        model = models.get(reference.rsplit("/", 1)[-1])
        tag = model.tag if model is not None else None
        if tag is None or tag[0] != discriminator.get("propertyName") or tag[1] in mapping:
            return
        mapping[str(tag[1])] = reference
    discriminator["mapping"] = mapping
