"""Base classes of the generated models and their type helpers: JSON values, omittable fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Generic, TypeAlias, TypeVar

import pydantic
from pydantic import BeforeValidator, ConfigDict, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from typing_extensions import TypeAliasType

__all__ = [
    "Adapter",
    "JSONValue",
    "Omittable",
    "RequestModel",
    "ResponseModel",
    "as_bytes",
    "as_text",
    "request_body",
    "request_json",
    "require_any",
]

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


Omittable: TypeAlias = Annotated[
    _T | None, BeforeValidator(_refuse_null), _NullNotInSchema
]
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
    # A model's validator is built the first time it is used, not when the package is imported:
    # an API of hundreds of models imports in the time of the few a program touches.
    defer_build=True,
)


class RequestModel(pydantic.BaseModel):
    """An object the client sends: unknown keys are refused, catching typos before the vendor."""

    model_config = ConfigDict(**_COMMON_CONFIG, extra="forbid")


class ResponseModel(pydantic.BaseModel):
    """An object the client receives: unknown keys are kept, so vendor additions are not lost."""

    model_config = ConfigDict(**_COMMON_CONFIG, extra="allow")


_M = TypeVar("_M", bound=pydantic.BaseModel)


def require_any(model: _M, attributes: tuple[str, ...]) -> _M:
    """The model, if it carries at least one of ``attributes`` (null counts as carried): an
    assistant message needs its content or its tool calls, and its content may be null."""
    if not set(attributes) & model.model_fields_set:
        fields = type(model).model_fields
        names = " or ".join(f"`{fields[name].alias or name}`" for name in attributes)
        raise ValueError(f"{names} is required")
    return model


def request_body(
    model: type[RequestModel], values: Mapping[str, object], *, omit: object
) -> dict[str, object]:
    """Validate the given arguments (wire names, ``omit`` for not given) as a JSON request body.

    Only what the caller gave is sent: an argument left out stays out, an explicit None is null.
    """
    given = {key: value for key, value in values.items() if value is not omit}
    return model.model_validate(given).model_dump(
        mode="json", by_alias=True, exclude_unset=True
    )


def request_json(value: object) -> dict[str, object] | list[object]:
    """A JSON body given whole (a union of objects, an array): models dumped as the wire has them."""
    dumped = _json_ready(value)
    if isinstance(dumped, dict | list):
        return dumped
    raise TypeError(
        f"a JSON request body is an object or an array, not {type(value).__name__}"
    )


def _json_ready(value: object) -> object:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _json_ready(item) for key, item in value.items()}
    return value


class Adapter(Generic[_T]):
    """Validates answers that are not one model class (a union, a list); built on first use so
    importing a resource module stays cheap."""

    def __init__(self, kind: Any) -> None:
        self._kind = kind
        self._adapter: pydantic.TypeAdapter[_T] | None = None

    def validate(self, value: object) -> _T:
        if self._adapter is None:
            self._adapter = pydantic.TypeAdapter(self._kind)
        return self._adapter.validate_python(value)


def as_bytes(value: object) -> bytes:
    """The raw answer of a binary call (``decode="binary"`` hands the bytes over)."""
    if isinstance(value, bytes):
        return value
    raise TypeError(f"expected the answer's bytes, got {type(value).__name__}")


def as_text(value: object) -> str:
    """The answer of a text call (``decode="text"`` hands the text over)."""
    if isinstance(value, str):
        return value
    raise TypeError(f"expected the answer's text, got {type(value).__name__}")
