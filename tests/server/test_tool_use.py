"""A multi-turn tool-use conversation (user; assistant with tool_calls; tool reply; final answer)
through the generated server, from the generated client and from the official `openai` SDK;
and the 4xx answers the server gives for a request out of the API's bounds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import chat_api
import openai
import pytest
from chat_api import server
from chat_api.types import (
    AssistantMessage,
    ChatCompletion,
    ChatCompletionFunction,
    ChatCompletionMessage,
    ChatCompletionToolCall,
    Choice,
    CreateChatCompletionRequest,
    ToolMessage,
)

from .conftest import serving

TOOLS: list[Any] = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "The weather in a city.",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
]
QUESTION: list[Any] = [{"role": "user", "content": "What is the weather in Paris?"}]
CALL_ID = "call_weather_1"


class WeatherHandler:
    """Asks for the tool when the last message is the user's; answers from the tool's reply."""

    def __init__(self) -> None:
        self.requests: list[CreateChatCompletionRequest] = []

    async def create(self, request: CreateChatCompletionRequest) -> ChatCompletion:
        self.requests.append(request)
        last = request.messages[-1]
        if isinstance(last, ToolMessage):
            message = ChatCompletionMessage(
                role="assistant", content=f"It is {last.content} in Paris."
            )
            finish = "stop"
        else:
            call = ChatCompletionToolCall(
                id=CALL_ID,
                type="function",
                function=ChatCompletionFunction(name="get_weather", arguments='{"city": "Paris"}'),
            )
            message = ChatCompletionMessage(role="assistant", content=None, tool_calls=[call])
            finish = "tool_calls"
        return ChatCompletion(
            id=f"chatcmpl-{len(self.requests)}",
            object="chat.completion",
            created=1_700_000_000,
            model=request.model,
            choices=[Choice(index=0, finish_reason=finish, message=message)],
        )


@pytest.fixture(scope="module")
def weather() -> Iterator[tuple[str, WeatherHandler]]:
    handler = WeatherHandler()
    with serving(server.create_app(handler)) as url:
        yield url, handler


def _check_second_request(handler: WeatherHandler) -> None:
    """The server received the whole conversation, each message as its own variant."""
    user, assistant, tool = handler.requests[-1].messages
    assert isinstance(assistant, AssistantMessage)
    assert assistant.content is None
    assert assistant.tool_calls is not None and assistant.tool_calls[0].id == CALL_ID
    assert isinstance(tool, ToolMessage) and tool.tool_call_id == CALL_ID
    assert user.content == QUESTION[0]["content"]


def test_generated_client_and_server_carry_a_tool_use_conversation(
    weather: tuple[str, WeatherHandler],
) -> None:
    url, handler = weather
    client = chat_api.Client(vendor="deepseek", api_key="k", base_url=url, max_retries=0)
    first = client.chat.completions.create(model="m", messages=QUESTION, tools=TOOLS)
    assert first.choices is not None and first.choices[0].message is not None
    asked = first.choices[0].message
    assert asked.content is None and asked.tool_calls is not None
    call = asked.tool_calls[0]
    assert call.function is not None
    conversation = [
        *QUESTION,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.function.name, "arguments": call.function.arguments},
                }
            ],
        },
        {"role": "tool", "tool_call_id": call.id, "content": "18°C"},
    ]
    final = client.chat.completions.create(model="m", messages=conversation, tools=TOOLS)
    assert final.choices is not None and final.choices[0].message is not None
    assert final.choices[0].message.content == "It is 18°C in Paris."
    assert final.choices[0].finish_reason == "stop"
    _check_second_request(handler)


def test_a_tool_message_without_tool_call_id_is_refused_before_sending(
    weather: tuple[str, WeatherHandler],
) -> None:
    """The tool variant requires tool_call_id: the client refuses the message, nothing is sent."""
    url, handler = weather
    client = chat_api.Client(vendor="deepseek", api_key="k", base_url=url, max_retries=0)
    before = len(handler.requests)
    with pytest.raises(ValueError, match="tool_call_id"):
        client.chat.completions.create(
            model="m", messages=[*QUESTION, {"role": "tool", "content": "18°C"}]
        )
    assert len(handler.requests) == before


def test_an_assistant_message_needs_content_or_tool_calls(
    weather: tuple[str, WeatherHandler],
) -> None:
    """Content may be null beside tool calls; a message with neither is refused by the client
    before sending, and by the server in the error envelope."""
    url, handler = weather
    client = chat_api.Client(vendor="deepseek", api_key="k", base_url=url, max_retries=0)
    before = len(handler.requests)
    with pytest.raises(ValueError, match="`content` or `tool_calls` is required"):
        client.chat.completions.create(model="m", messages=[*QUESTION, {"role": "assistant"}])
    assert len(handler.requests) == before
    sdk = openai.OpenAI(base_url=url, api_key="x", max_retries=0)
    with pytest.raises(openai.BadRequestError, match="tool_calls"):
        sdk.chat.completions.create(model="m", messages=[*QUESTION, {"role": "assistant"}])
    assert len(handler.requests) == before
    client.chat.completions.create(
        model="m", messages=[*QUESTION, {"role": "assistant", "content": None, "tool_calls": []}]
    )
    assert len(handler.requests) == before + 1


@pytest.mark.parametrize("sdk_message", [False, True], ids=["dict", "sdk-message-object"])
def test_the_openai_sdk_carries_a_tool_use_conversation(
    weather: tuple[str, WeatherHandler], sdk_message: bool
) -> None:
    """The official SDK against the generated server; the assistant turn goes back either as a
    dict or as the SDK's own message object (what most code does)."""
    url, handler = weather
    client = openai.OpenAI(base_url=f"{url}/v1", api_key="x", max_retries=0)
    first = client.chat.completions.create(model="m", messages=QUESTION, tools=TOOLS)
    asked = first.choices[0].message
    assert first.choices[0].finish_reason == "tool_calls"
    assert asked.content is None and asked.tool_calls is not None
    call = asked.tool_calls[0]
    assistant: Any = (
        asked
        if sdk_message
        else {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.function.name, "arguments": call.function.arguments},  # type: ignore[union-attr]
                }
            ],
        }
    )
    conversation: Any = [
        *QUESTION,
        assistant,
        {"role": "tool", "tool_call_id": call.id, "content": "18°C"},
    ]
    final = client.chat.completions.create(model="m", messages=conversation, tools=TOOLS)
    assert final.choices[0].message.content == "It is 18°C in Paris."
    _check_second_request(handler)


@pytest.mark.parametrize(
    ("arguments", "param"),
    [
        ({"messages": QUESTION, "temperature": 3}, "temperature"),
        ({"messages": QUESTION, "temperature": -0.5}, "temperature"),
        ({"messages": []}, "messages"),
    ],
    ids=["temperature-3", "temperature-negative", "no-messages"],
)
def test_the_openai_sdk_gets_a_4xx_envelope_for_a_request_out_of_bounds(
    weather: tuple[str, WeatherHandler], arguments: dict[str, Any], param: str
) -> None:
    """Bounds the documents state (temperature 0..2, at least one message) hold on the server,
    though one vendor document states none; the answer is the OpenAI error envelope."""
    url, handler = weather
    before = len(handler.requests)
    client = openai.OpenAI(base_url=url, api_key="x", max_retries=0)
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="m", **arguments)
    error = caught.value
    assert 400 <= error.status_code < 500
    body = error.response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["param"] == param
    assert body["error"]["type"] == "invalid_request_error"
    assert len(handler.requests) == before  # the handler never saw it


def test_the_generated_client_refuses_out_of_bounds_before_sending(
    weather: tuple[str, WeatherHandler],
) -> None:
    """The client validates against the merged model: temperature 3 never leaves the process."""
    url, handler = weather
    before = len(handler.requests)
    client = chat_api.Client(vendor="oxen", base_url=url, max_retries=0)
    with pytest.raises(ValueError, match="temperature"):
        client.chat.completions.create(model="m", messages=QUESTION, temperature=3)
    with pytest.raises(ValueError, match="messages"):
        client.chat.completions.create(model="m", messages=[])
    assert len(handler.requests) == before


def test_a_vendor_server_enforces_the_fields_that_vendor_requires() -> None:
    """create_app(vendor="siliconstorm") answers 400 for a body without `stream`, which that
    vendor's document requires and the merged model does not."""
    handler = WeatherHandler()
    with serving(server.create_app(handler, vendor="siliconstorm")) as url:
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="x", max_retries=0)
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(model="m", messages=QUESTION)
        assert caught.value.response.json()["error"]["param"] == "stream"
        answer = client.chat.completions.create(model="m", messages=QUESTION, stream=False)
        assert answer.choices[0].finish_reason == "tool_calls"
    assert len(handler.requests) == 1
    assert json.loads(handler.requests[0].model_dump_json(exclude_unset=True))["stream"] is False
