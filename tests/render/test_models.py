"""The generated models: vendor examples round-trip; required/nullable, enums, bounds hold."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import pydantic
import pytest

# Request bodies as the vendors' documents show them (nulls and all).
DEEPSEEK_STYLE_REQUEST = {
    "messages": [
        {"content": "You are a helpful assistant", "role": "system"},
        {"content": "Hi", "role": "user"},
    ],
    "model": "deepseek-chat",
    "frequency_penalty": 0,
    "max_tokens": 2048,
    "response_format": {"type": "text"},
    "stop": None,
    "stream": False,
    "stream_options": None,
    "temperature": 1,
    "top_p": 1,
    "tool_choice": "none",
    "logprobs": False,
    "top_logprobs": None,
}
TOOL_CONVERSATION = {
    "model": "m",
    "messages": [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Weather?"},
                {"type": "image_url", "image_url": {"url": "data:,x"}},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
    ],
    "tools": [
        {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}
    ],
    "stop": ["\n\n", "END"],
    "response_format": {
        "type": "json_schema",
        "json_schema": {"name": "w", "schema": {"type": "object"}},
    },
}
SOLIDRUST_STYLE_RESPONSE = {
    "id": "chatcmpl-abc123",
    "object": "chat.completion",
    "created": 1704067200,
    "model": "vllm-primary",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Machine learning is..."},
            "finish_reason": "stop",
            "logprobs": None,
        }
    ],
    "usage": {"prompt_tokens": 25, "completion_tokens": 150, "total_tokens": 175},
    "system_fingerprint": None,
}
REASONER_CHUNK = {
    "id": "1",
    "object": "chat.completion.chunk",
    "created": 1,
    "model": "bolt-reasoner",
    "choices": [
        {
            "index": 0,
            "delta": {"role": "assistant", "content": None, "reasoning_content": "Let me think"},
            "finish_reason": "insufficient_system_resource",
        }
    ],
    "usage": None,
}


@pytest.mark.parametrize(
    ("model", "example"),
    [
        ("ChatCompletionRequest", DEEPSEEK_STYLE_REQUEST),
        ("ChatCompletionRequest", TOOL_CONVERSATION),
        ("ChatCompletion", SOLIDRUST_STYLE_RESPONSE),
        ("ChatCompletionChunk", REASONER_CHUNK),
        ("ErrorResponse", {"error": {"message": "x", "type": None, "code": 400}}),
    ],
)
def test_vendor_examples_round_trip(api: ModuleType, model: str, example: dict[str, Any]) -> None:
    """model_dump(exclude_unset=True) gives back the example, nulls kept, nothing added."""
    instance = getattr(api, model).model_validate(example)
    dumped = instance.model_dump(mode="json", exclude_unset=True)
    assert dumped == example
    assert json.loads(instance.model_dump_json(exclude_unset=True)) == example


def test_optional_not_nullable_field_may_be_left_out_but_not_null(api: ModuleType) -> None:
    """frequency_penalty: absent reads as None; an explicit null is refused."""
    base = {"model": "m", "messages": [{"role": "user", "content": "x"}]}
    assert api.ChatCompletionRequest.model_validate(base).frequency_penalty is None
    with pytest.raises(pydantic.ValidationError, match="null is not allowed"):
        api.ChatCompletionRequest.model_validate({**base, "frequency_penalty": None})


def test_required_nullable_field_must_be_present_and_may_be_null(api: ModuleType) -> None:
    """AssistantMessage.content: null accepted, absence refused."""
    assert (
        api.AssistantMessage.model_validate({"role": "assistant", "content": None}).content is None
    )
    with pytest.raises(pydantic.ValidationError, match="content"):
        api.AssistantMessage.model_validate({"role": "assistant"})


def test_optional_nullable_field_accepts_both(api: ModuleType) -> None:
    """temperature: left out or null, both fine, and they dump differently."""
    base = {"model": "m", "messages": [{"role": "user", "content": "x"}]}
    left_out = api.ChatCompletionRequest.model_validate(base)
    null = api.ChatCompletionRequest.model_validate({**base, "temperature": None})
    assert "temperature" not in left_out.model_dump(exclude_unset=True)
    assert null.model_dump(exclude_unset=True)["temperature"] is None


def test_bounds_are_enforced(api: ModuleType) -> None:
    """Inclusive and exclusive bounds, array lengths, string patterns."""
    base = {"model": "m", "messages": [{"role": "user", "content": "x"}]}
    request = api.ChatCompletionRequest
    for bad in (
        {"temperature": 2.5},
        {"top_p": 0},
        {"stop": ["a"] * 5},
        {"messages": []},
        {"max_tokens": 0},
    ):
        with pytest.raises(pydantic.ValidationError):
            request.model_validate({**base, **bad})
    request.model_validate({**base, "temperature": 2, "top_p": 1e-9, "stop": ["a"] * 4})
    with pytest.raises(pydantic.ValidationError, match="pattern"):
        api.FunctionDefinition.model_validate({"name": "has space"})


def test_open_enum_keeps_unknown_values_and_closed_enum_refuses_them(api: ModuleType) -> None:
    """finish_reason is open (vendors add reasons); ResponseFormat.type is closed."""
    choice = api.ChunkChoice.model_validate(
        {"index": 0, "delta": {}, "finish_reason": "insufficient_system_resource"}
    )
    assert choice.finish_reason == "insufficient_system_resource"
    with pytest.raises(pydantic.ValidationError):
        api.ResponseFormat.model_validate({"type": "yaml"})


def test_messages_are_told_apart_by_role(api: ModuleType) -> None:
    """The ChatMessage union picks the class from `role`, and names the bad tag otherwise."""
    request = api.ChatCompletionRequest.model_validate(TOOL_CONVERSATION)
    kinds = [type(message).__name__ for message in request.messages]
    assert kinds == ["UserMessage", "AssistantMessage", "ToolMessage"]
    with pytest.raises(pydantic.ValidationError, match="'robot'"):
        api.ChatCompletionRequest.model_validate(
            {"model": "m", "messages": [{"role": "robot", "content": "x"}]}
        )


def test_requests_refuse_unknown_keys_and_responses_keep_them(api: ModuleType) -> None:
    """extra="forbid" on requests (typos caught), extra="allow" on responses (nothing lost)."""
    with pytest.raises(pydantic.ValidationError, match="temprature"):
        api.ChatCompletionRequest.model_validate(
            {"model": "m", "messages": [{"role": "user", "content": "x"}], "temprature": 1}
        )
    completion = api.ChatCompletion.model_validate(
        {**SOLIDRUST_STYLE_RESPONSE, "service_tier": "x"}
    )
    assert completion.model_dump(exclude_unset=True)["service_tier"] == "x"


def test_wire_name_that_shadows_basemodel_gets_an_alias(api: ModuleType) -> None:
    """`schema` is `schema_` in Python, accepted and written back under its wire name."""
    made = api.JsonSchemaFormat(name="w", schema_={"type": "object"})
    assert made.model_dump(exclude_unset=True) == {"name": "w", "schema": {"type": "object"}}
    parsed = api.JsonSchemaFormat.model_validate({"name": "w", "schema": {"a": [1, None]}})
    assert parsed.schema_ == {"a": [1, None]}


def test_unknown_shape_accepts_any_json_and_says_why(api: ModuleType) -> None:
    """Choice.logprobs has no documented shape: any JSON value passes, the docstring explains."""
    for value in ({"content": [{"token": "a"}]}, [1, "x"], 3.5, None):
        choice = api.Choice.model_validate(
            {
                "index": 0,
                "message": {"role": "assistant", "content": "x"},
                "finish_reason": None,
                "logprobs": value,
            }
        )
        assert choice.logprobs == value
    description = api.Choice.model_fields["logprobs"].description
    assert "not documented" in description and "logprobs object" in description


def test_field_docs_name_the_vendors_of_vendor_specific_fields(api: ModuleType) -> None:
    """A field only some vendors support says which; a common field does not."""
    fields = api.ChatCompletionRequest.model_fields
    assert "Only acme and localai support this field." in fields["n"].description
    assert "Only" not in (fields["model"].description or "")
    assert "`acme-large`" in fields["model"].description
