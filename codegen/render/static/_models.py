"""Base classes of the generated models and their type helpers: JSON values, omittable fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeAlias, TypeVar

import pydantic
from pydantic import BeforeValidator, ConfigDict, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from typing_extensions import TypeAliasType

__all__ = ["JSONValue", "Omittable", "RequestModel", "ResponseModel", "request_body"]

_T = TypeVar("_T")


def _refuse_null(value: object) -> object:
    if value is None:
        raise ValueError("null is not allowed here; leave the field out instead")
    return value


class _NullNotInSchema:
    """Documents an Omittable field as its type alone: null is refused, so the JSON Schema must
    not offer it (pydantic would write ``anyOf: [T, null]`` for the ``T | None`` annotation)."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        variants = schema.get("anyOf")
        if isinstance(variants, list):
            kept = [v for v in variants if v != {"type": "null"}]
            if len(kept) == 1:
                rest = {key: value for key, value in schema.items() if key != "anyOf"}
                return {**kept[0], **rest}
            schema = {**schema, "anyOf": kept}
        return schema


Omittable: TypeAlias = Annotated[_T | None, BeforeValidator(_refuse_null), _NullNotInSchema]
"""A field the JSON may leave out but never sets to null: reads as None when it was left out.

The two are distinct on the wire (a vendor may reject `"stop": null` yet accept no `stop`), so
an explicit null is refused while omission is allowed.
"""

JSONValue = TypeAliasType(
    "JSONValue",
    Annotated[
        "dict[str, JSONValue] | list[JSONValue] | str | int | float | bool | None",
        # In JSON Schema "any JSON value" is the empty schema, not a six-way recursive union.
        WithJsonSchema({}),
    ],
)
"""Any JSON value: the type of a shape no vendor document describes (each use says why)."""


def _admits_null(schema: Mapping[str, object]) -> bool:
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    variants = schema.get("anyOf") or schema.get("oneOf")
    return isinstance(variants, list) and any(
        isinstance(v, Mapping) and _admits_null(v) for v in variants
    )


def _drop_null_defaults(schema: dict[str, Any]) -> None:
    """An optional field that refuses null reads as None when left out; that None is not a
    value the schema admits, so it is not documented as the default."""
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for prop in properties.values():
            if (
                isinstance(prop, dict)
                and prop.get("default", ...) is None
                and not _admits_null(prop)
            ):
                del prop["default"]


_COMMON_CONFIG = ConfigDict(
    json_schema_extra=_drop_null_defaults,
    # Fields whose wire name is not a Python name carry aliases: accept either spelling, and
    # write the wire name back.
    validate_by_name=True,
    validate_by_alias=True,
    serialize_by_alias=True,
    # The attribute docstrings become the JSON Schema descriptions.
    use_attribute_docstrings=True,
    # A wire field may be called `model_name`; pydantic's reserved prefixes do not apply here.
    protected_namespaces=(),
    # Vendor documents write ECMA-262 patterns; Python's engine accepts more of them than Rust's.
    regex_engine="python-re",
)


class RequestModel(pydantic.BaseModel):
    """An object the client sends: unknown keys are refused, catching typos before the vendor."""

    model_config = ConfigDict(**_COMMON_CONFIG, extra="forbid")


class ResponseModel(pydantic.BaseModel):
    """An object the client receives: unknown keys are kept, so vendor additions are not lost."""

    model_config = ConfigDict(**_COMMON_CONFIG, extra="allow")


def request_body(
    model: type[RequestModel], values: Mapping[str, object], *, omit: object
) -> dict[str, object]:
    """Validate the given arguments (wire names, ``omit`` for not given) as a JSON request body.

    Only what the caller gave is sent: an argument left out stays out, an explicit None is null.
    """
    given = {key: value for key, value in values.items() if value is not omit}
    return model.model_validate(given).model_dump(mode="json", by_alias=True, exclude_unset=True)
