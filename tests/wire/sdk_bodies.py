"""Wire bodies serialised by the official `openai` SDK's own response types.

Each body is built from the SDK's pydantic models and dumped with `model_dump(mode="json")`, which
writes every optional key, null where unset: the fullest form a compatible server may send.
`python -m tests.wire.sdk_bodies` rewrites tests/wire/bodies/sdk_*; test_corpus.py checks that
the committed files are exactly what the SDK writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openai.types.chat import ChatCompletion, ChatCompletionChunk
from openai.types.chat.chat_completion import Choice, ChoiceLogprobs
from openai.types.chat.chat_completion_chunk import Choice as ChunkChoice
from openai.types.chat.chat_completion_chunk import (
    ChoiceDelta,
    ChoiceDeltaToolCall,
    ChoiceDeltaToolCallFunction,
)
from openai.types.chat.chat_completion_message import ChatCompletionMessage
from openai.types.chat.chat_completion_message_function_tool_call import (
    ChatCompletionMessageFunctionToolCall,
    Function,
)
from openai.types.chat.chat_completion_token_logprob import ChatCompletionTokenLogprob, TopLogprob
from openai.types.completion_usage import (
    CompletionTokensDetails,
    CompletionUsage,
    PromptTokensDetails,
)

BODIES = Path(__file__).parent / "bodies"
CREATED = 1733011200
MODEL = "gpt-4o-mini-2024-07-18"


def _usage() -> CompletionUsage:
    return CompletionUsage(
        prompt_tokens=12,
        completion_tokens=5,
        total_tokens=17,
        completion_tokens_details=CompletionTokensDetails(reasoning_tokens=0),
        prompt_tokens_details=PromptTokensDetails(cached_tokens=0),
    )


def _completion(
    ident: str, choice: Choice, usage: CompletionUsage | None = None, **more: Any
) -> ChatCompletion:
    return ChatCompletion(
        id=ident,
        object="chat.completion",
        created=CREATED,
        model=MODEL,
        choices=[choice],
        usage=usage,
        **more,
    )


def completion() -> ChatCompletion:
    logprob = ChatCompletionTokenLogprob(
        token="Hi",
        logprob=-0.01,
        bytes=[72, 105],
        top_logprobs=[TopLogprob(token="Hi", logprob=-0.01, bytes=[72, 105])],
    )
    choice = Choice(
        index=0,
        finish_reason="stop",
        message=ChatCompletionMessage(role="assistant", content="Hi there."),
        logprobs=ChoiceLogprobs(content=[logprob]),
    )
    return _completion("chatcmpl-sdk-1", choice, _usage(), system_fingerprint="fp_sdk")


def tool_call_completion() -> ChatCompletion:
    call = ChatCompletionMessageFunctionToolCall(
        id="call_weather_1",
        type="function",
        function=Function(name="get_weather", arguments='{"city": "Paris"}'),
    )
    choice = Choice(
        index=0,
        finish_reason="tool_calls",
        message=ChatCompletionMessage(role="assistant", content=None, tool_calls=[call]),
    )
    return _completion("chatcmpl-sdk-2", choice, _usage())


def refusal_completion() -> ChatCompletion:
    message = ChatCompletionMessage(
        role="assistant", content=None, refusal="I can't help with that."
    )
    return _completion("chatcmpl-sdk-3", Choice(index=0, finish_reason="stop", message=message))


def _chunk(choices: list[ChunkChoice], usage: CompletionUsage | None = None) -> ChatCompletionChunk:
    return ChatCompletionChunk(
        id="chatcmpl-sdk-stream",
        object="chat.completion.chunk",
        created=CREATED,
        model=MODEL,
        system_fingerprint="fp_sdk",
        choices=choices,
        usage=usage,
    )


def stream_with_usage() -> list[ChatCompletionChunk]:
    """Role only in the first delta, content in the next, finish, then `include_usage`'s last
    chunk with no choices."""
    return [
        _chunk([ChunkChoice(index=0, delta=ChoiceDelta(role="assistant", content=""))]),
        _chunk([ChunkChoice(index=0, delta=ChoiceDelta(content="Hello"))]),
        _chunk([ChunkChoice(index=0, delta=ChoiceDelta(content=" world"))]),
        _chunk([ChunkChoice(index=0, delta=ChoiceDelta(), finish_reason="stop")]),
        _chunk([], usage=_usage()),
    ]


def tool_call_stream() -> list[ChatCompletionChunk]:
    """A tool call streamed in pieces: id and name first, the arguments in fragments, every
    delta with `content: null`."""
    first = ChoiceDeltaToolCall(
        index=0,
        id="call_weather_1",
        type="function",
        function=ChoiceDeltaToolCallFunction(name="get_weather", arguments=""),
    )
    pieces = ['{"city"', ': "Paris"}']
    return [
        _chunk([ChunkChoice(index=0, delta=ChoiceDelta(role="assistant", tool_calls=[first]))]),
        *(
            _chunk(
                [
                    ChunkChoice(
                        index=0,
                        delta=ChoiceDelta(
                            tool_calls=[
                                ChoiceDeltaToolCall(
                                    index=0,
                                    function=ChoiceDeltaToolCallFunction(arguments=piece),
                                )
                            ]
                        ),
                    )
                ]
            )
            for piece in pieces
        ),
        _chunk([ChunkChoice(index=0, delta=ChoiceDelta(), finish_reason="tool_calls")]),
    ]


def sse(chunks: list[dict[str, Any]]) -> str:
    """The chunks as a server-sent event stream ending with `data: [DONE]`."""
    events = [f"data: {json.dumps(chunk, separators=(',', ':'))}\n\n" for chunk in chunks]
    return "".join(events) + "data: [DONE]\n\n"


def bodies() -> dict[str, str]:
    """File name -> text of every SDK-serialised body."""

    def dumped(value: Any) -> str:
        return json.dumps(value.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"

    return {
        "sdk_completion.json": dumped(completion()),
        "sdk_tool_call_completion.json": dumped(tool_call_completion()),
        "sdk_refusal.json": dumped(refusal_completion()),
        "sdk_stream_include_usage.sse": sse(
            [c.model_dump(mode="json") for c in stream_with_usage()]
        ),
        "sdk_tool_call_stream.sse": sse([c.model_dump(mode="json") for c in tool_call_stream()]),
    }


if __name__ == "__main__":
    for name, text in bodies().items():
        (BODIES / name).write_text(text, encoding="utf-8")
