"""Property: any body the official `openai` SDK's response types accept, the generated response
model accepts too, and keeps every value (known fields and unknown keys alike).

Bodies are drawn from the SDK's own pydantic models, walked field by field: a required field
always has a value; an optional one is left out, null, or a value. The SDK validates each body
first, so only bodies the SDK accepts are tried.
"""

from __future__ import annotations

import types
import typing
from types import ModuleType
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openai.types.chat import ChatCompletion, ChatCompletionChunk

_TEXT = st.text(max_size=6)
_JSON_SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | _TEXT
_JSON = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(_TEXT, inner, max_size=2),
    max_leaves=4,
)


def _for(annotation: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of a type annotation of the SDK, as JSON."""
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _for(arguments[0], depth)
    if origin is typing.Literal:
        return st.sampled_from(arguments)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_for(argument, depth) for argument in arguments))
    if origin is list:
        return st.lists(_for(arguments[0], depth + 1), max_size=2 if depth < 3 else 0)
    if origin is dict:
        return st.dictionaries(_TEXT, _JSON, max_size=2)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return _model(annotation, depth + 1)
    if annotation is type(None):
        return st.none()
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(-(10**6), 10**6)
    if annotation is float:
        return st.floats(allow_nan=False, allow_infinity=False, width=32) | st.integers(-9, 9)
    if annotation is str:
        return _TEXT
    return _JSON  # object, Any: any JSON value


def _model(model: type[pydantic.BaseModel], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        values = _for(info.annotation, depth)
        if info.is_required():
            required[key] = values
        else:
            optional[key] = st.none() | values
    return st.fixed_dictionaries(required, optional=optional)


def _sdk_accepted(model: type[pydantic.BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    def accepted(body: dict[str, Any]) -> bool:
        try:
            model.model_validate(body)
        except pydantic.ValidationError:
            return False
        return True

    return _model(model, 0).filter(accepted)


_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _kept(generated: Any, body: dict[str, Any]) -> None:
    parsed = generated.model_validate(body)
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == body


@pytest.fixture(scope="module")
def models(api: ModuleType) -> tuple[Any, Any]:
    return api.ChatCompletion, api.ChatCompletionChunk


@_SETTINGS
@given(body=_sdk_accepted(ChatCompletion))
def test_any_completion_the_sdk_accepts_is_accepted_and_kept(
    models: tuple[Any, Any], body: dict[str, Any]
) -> None:
    _kept(models[0], body)


@_SETTINGS
@given(body=_sdk_accepted(ChatCompletionChunk))
def test_any_chunk_the_sdk_accepts_is_accepted_and_kept(
    models: tuple[Any, Any], body: dict[str, Any]
) -> None:
    _kept(models[1], body)
