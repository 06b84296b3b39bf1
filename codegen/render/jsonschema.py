"""The API's types as one JSON Schema (2020-12) document: a ``$defs`` entry per model and alias.

It states exactly what the generated models accept, so it can feed other tools: a validator, or
datamodel-code-generator as an independent second implementation of the same models.
"""

from __future__ import annotations

from typing import Any

from ..ir.model import (
    API,
    Alias,
    ArrayType,
    Field,
    MapType,
    Model,
    ModelRef,
    ScalarType,
    TypeNode,
    UnionType,
    UnknownType,
)
from . import analysis
from .docs import clean_text

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def ref(name: str) -> str:
    return f"#/$defs/{name}"


def type_schema(node: TypeNode, api: API) -> dict[str, Any]:
    """The schema of one type node (never null: nullability belongs to the field or the item)."""
    if isinstance(node, ScalarType):
        base: dict[str, Any] = {"type": node.kind, **node.constraints.json_schema()}
        if node.format:
            base["format"] = node.format
        if not node.enum:
            return base
        values = [value.value for value in node.enum]
        if node.enum_open:
            return {"anyOf": [{"type": node.kind, "enum": values}, base]}
        return {"type": node.kind, "enum": values}
    if isinstance(node, ArrayType):
        items = type_schema(node.items, api)
        if node.items_nullable:
            items = nullable(items)
        return {"type": "array", "items": items, **node.constraints.json_schema()}
    if isinstance(node, ModelRef):
        analysis.resolve(api, node)
        return {"$ref": ref(node.name)}
    if isinstance(node, UnionType):
        variants = [type_schema(variant, api) for variant in node.variants]
        mapping = analysis.discriminator_mapping(api, node)
        if mapping is None:
            return {"anyOf": variants}
        return {
            "oneOf": variants,
            "discriminator": {
                "propertyName": node.discriminator,
                "mapping": {value: ref(name) for value, name in mapping.items()},
            },
        }
    if isinstance(node, MapType):
        return {"type": "object", "additionalProperties": type_schema(node.values, api)}
    if isinstance(node, UnknownType):
        return {"description": f"Shape not documented: {node.reason}."}
    raise TypeError(f"unsupported type node {node!r}")


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def field_schema(item: Field, model: Model, api: API) -> dict[str, Any]:
    if model.tag is not None and model.tag[0] == item.name:
        schema: dict[str, Any] = {"const": model.tag[1]}
    elif isinstance(item.type, UnknownType):
        schema = type_schema(item.type, api)
    else:
        schema = type_schema(item.type, api)
        if item.nullable:
            schema = nullable(schema)
    description = clean_text(item.description)
    if description:
        schema = {**schema, "description": description}
    return schema


def model_schema(model: Model, api: API) -> dict[str, Any]:
    properties = {item.name: field_schema(item, model, api) for item in model.fields}
    tag = model.tag[0] if model.tag is not None else None
    required = [item.name for item in model.fields if item.required or item.name == tag]
    if model.tag is not None and model.tag[0] not in properties:
        properties = {model.tag[0]: {"const": model.tag[1]}, **properties}
        required.insert(0, model.tag[0])
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    # Requests refuse unknown keys; responses keep them (see the generated base classes).
    schema["additionalProperties"] = model.direction == "response"
    description = clean_text(model.description)
    if description:
        schema["description"] = description
    return schema


def alias_schema(alias: Alias, api: API) -> dict[str, Any]:
    schema = type_schema(alias.type, api)
    description = clean_text(alias.description)
    return {**schema, "description": description} if description else schema


def api_json_schema(api: API) -> dict[str, Any]:
    """Every model and alias of ``api`` under ``$defs``, keyed by IR name."""
    definitions: dict[str, Any] = {}
    for name, item in analysis.definitions(api).items():
        if isinstance(item, Model):
            definitions[name] = model_schema(item, api)
        else:
            definitions[name] = alias_schema(item, api)
    return {"$schema": DIALECT, "$defs": definitions}
