"""Base classes of the generated models and their type helpers: JSON values, omittable fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, TypeAlias, TypeVar

import pydantic
from pydantic import BeforeValidator, ConfigDict
from typing_extensions import TypeAliasType

__all__ = ["JSONValue", "Omittable", "RequestModel", "ResponseModel", "request_body"]

_T = TypeVar("_T")


def _refuse_null(value: object) -> object:
    if value is None:
        raise ValueError("null is not allowed here; leave the field out instead")
    return value


Omittable: TypeAlias = Annotated[_T | None, BeforeValidator(_refuse_null)]
"""A field the JSON may leave out but never sets to null: reads as None when it was left out.

The two are distinct on the wire (a vendor may reject `"stop": null` yet accept no `stop`), so
an explicit null is refused while omission is allowed.
"""

JSONValue = TypeAliasType(
    "JSONValue",
    "dict[str, JSONValue] | list[JSONValue] | str | int | float | bool | None",
)
"""Any JSON value: the type of a shape no vendor document describes (each use says why)."""

_COMMON_CONFIG = ConfigDict(
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
