"""Mounted routes over ASGI: JSON answers, SSE streams, stream errors and the handler's contract."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ._app import PREFIXES, ChatRequest, Chunk, Completion, build_app, chunk, completion

pytestmark = pytest.mark.anyio

BODY = {"model": "m1", "messages": [{"role": "user", "content": "hello big world"}]}
STREAM_BODY = {**BODY, "stream": True}


async def post(app: FastAPI, body: object, prefix: str = "/v1") -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post(f"{prefix}/chat/completions", json=body)


def events(response: httpx.Response) -> list[str]:
    """The data of each event, checking every event is exactly `data: ...` + a blank line."""
    assert response.headers["content-type"].startswith("text/event-stream")
    text = response.text
    assert text.endswith("\n\n")
    blocks = text[:-2].split("\n\n")
    assert all(block.startswith("data: ") and "\n" not in block for block in blocks)
    return [block.removeprefix("data: ") for block in blocks]


@pytest.mark.parametrize("prefix", PREFIXES)
async def test_json_answer_at_every_prefix(server: ModuleType, prefix: str) -> None:
    """Each mounted prefix answers the operation with the response model's JSON."""
    response = await post(build_app(server), BODY, prefix)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "id": "cmpl-1",
        "model": "m1",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello big world"}}],
    }


async def test_unmounted_prefix_is_not_served(server: ModuleType) -> None:
    """Only the given prefixes are mounted: the bare path answers 404."""
    response = await post(build_app(server), BODY, prefix="")
    assert response.status_code == 404


async def test_json_answer_has_aliases_and_only_set_fields(server: ModuleType) -> None:
    """The answer is dumped by alias with exclude_unset: explicit None stays, defaults do not."""

    async def handler(request: ChatRequest) -> Completion:
        answer = completion(request, "hi")
        answer.fingerprint = "fp-1"
        answer.usage = None
        return answer

    body = (await post(build_app(server, handler), BODY)).json()
    assert body["systemFingerprint"] == "fp-1"
    assert body["usage"] is None
    assert "fingerprint" not in body
    assert "object" not in body


async def test_handler_receives_validated_request(server: ModuleType) -> None:
    """The handler gets the request model, aliases resolved and only sent fields set."""
    received: list[ChatRequest] = []

    async def handler(request: ChatRequest) -> Completion:
        received.append(request)
        return completion(request, "ok")

    await post(build_app(server, handler), {**BODY, "user": "u-7"})
    [request] = received
    assert isinstance(request, ChatRequest)
    assert request.end_user == "u-7"
    assert request.model_fields_set == {"model", "messages", "end_user"}


async def test_handler_returning_dict_is_validated_and_sent(server: ModuleType) -> None:
    """A dict result is validated into the response model; only its keys are sent."""
    answer = {"id": "x", "model": "m", "choices": []}

    async def handler(request: ChatRequest) -> dict[str, Any]:
        return answer

    response = await post(build_app(server, handler), BODY)
    assert response.status_code == 200
    assert response.json() == answer


async def test_invalid_result_answers_500_naming_the_model(
    server: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    """A result that is not a valid response model is a server error saying so."""

    async def handler(request: ChatRequest) -> dict[str, Any]:
        return {"id": "x"}

    response = await post(build_app(server, handler), BODY)
    assert response.status_code == 500
    message = response.json()["error"]["message"]
    assert "returned dict, not a valid Completion" in message
    assert "handler" in message
    assert response.json()["error"]["type"] == "server_error"
    assert "not a valid Completion" in caplog.text


async def test_stream_is_exact_sse_with_done(server: ModuleType) -> None:
    """A stream request answers one `data: <json>` event per chunk, in order, then [DONE]."""
    response = await post(build_app(server), {**STREAM_BODY})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    data = events(response)
    assert data[-1] == "[DONE]"
    chunks = [json.loads(item) for item in data[:-1]]
    assert [c["choices"][0]["delta"].get("content") for c in chunks] == [
        "hello",
        "big",
        "world",
        "",
    ]
    # finish_reason was passed (as None) and is sent; `object` and `delta.role` were not.
    assert chunks[0] == {
        "id": "cmpl-1",
        "choices": [{"index": 0, "delta": {"content": "hello"}, "finish_reason": None}],
    }
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


async def test_async_generator_handler_streams(server: ModuleType) -> None:
    """A handler written as an async generator (not awaitable) is streamed directly."""

    async def handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        yield chunk("one")
        yield chunk("two")

    data = events(await post(build_app(server, handler), STREAM_BODY))
    assert [json.loads(d)["choices"][0]["delta"]["content"] for d in data[:-1]] == ["one", "two"]
    assert data[-1] == "[DONE]"


@pytest.mark.parametrize(("terminator", "last"), [("[END]", "[END]"), (None, None)])
async def test_terminator_is_configurable(
    server: ModuleType, terminator: str | None, last: str | None
) -> None:
    """The final event's data is the operation's terminator; None sends no final event."""
    data = events(await post(build_app(server, terminator=terminator), STREAM_BODY))
    assert len(data) == (5 if last else 4)
    if last is None:
        assert all(item.startswith("{") for item in data)
    else:
        assert data[-1] == last


async def test_empty_stream_sends_only_terminator(server: ModuleType) -> None:
    """A stream with no chunk is still a stream: just the terminator."""

    async def handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        return
        yield

    response = await post(build_app(server, handler), STREAM_BODY)
    assert response.status_code == 200
    assert events(response) == ["[DONE]"]


async def test_http_error_mid_stream_is_final_error_event(server: ModuleType) -> None:
    """An HTTPError after the first chunk becomes a last `{"error": ...}` event, no [DONE]."""
    closed: list[bool] = []

    async def handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        try:
            yield chunk("partial")
            raise server.RateLimited("slow down", code="tokens")
        finally:
            closed.append(True)

    response = await post(build_app(server, handler), STREAM_BODY)
    assert response.status_code == 200
    data = events(response)
    assert len(data) == 2
    assert json.loads(data[0])["choices"][0]["delta"]["content"] == "partial"
    assert json.loads(data[1]) == {
        "error": {
            "message": "slow down",
            "type": "rate_limit_error",
            "param": None,
            "code": "tokens",
        }
    }
    assert closed == [True]


async def test_unknown_error_mid_stream_is_generic(
    server: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    """Another exception mid-stream sends the generic message; its text is only logged."""

    async def handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        yield chunk("partial")
        raise RuntimeError("secret database password")

    with caplog.at_level(logging.ERROR):
        response = await post(build_app(server, handler), STREAM_BODY)
    data = events(response)
    assert json.loads(data[-1]) == {
        "error": {
            "message": server.GENERIC_SERVER_ERROR,
            "type": "server_error",
            "param": None,
            "code": None,
        }
    }
    assert "secret" not in response.text
    assert "secret database password" in caplog.text


async def test_invalid_chunk_mid_stream_is_error_event(server: ModuleType) -> None:
    """A chunk that is not a valid chunk model ends the stream with an error event."""

    async def handler(request: ChatRequest) -> AsyncIterator[object]:
        yield chunk("fine")
        yield {"choices": "not a list"}

    data = events(await post(build_app(server, handler), STREAM_BODY))
    assert len(data) == 2
    error = json.loads(data[1])["error"]
    assert "not a valid Chunk" in error["message"]
    assert error["type"] == "server_error"


async def test_invalid_first_chunk_is_a_500_not_a_stream(server: ModuleType) -> None:
    """The first chunk is checked before the 200 is sent, so its failure gets a real status."""
    closed: list[bool] = []

    async def handler(request: ChatRequest) -> AsyncIterator[object]:
        try:
            yield {"id": 1}
        finally:
            closed.append(True)

    response = await post(build_app(server, handler), STREAM_BODY)
    assert response.status_code == 500
    assert response.json()["error"]["message"].endswith(
        "returned dict, not a valid Chunk: 2 validation errors"
    )
    assert "handler" in response.json()["error"]["message"]
    assert closed == [True]


async def test_error_before_first_chunk_keeps_its_status(server: ModuleType) -> None:
    """An error raised before the first chunk is answered with its status, not a 200 stream."""
    closed: list[bool] = []

    async def handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        try:
            raise server.NotFound(f"model {request.model} does not exist", param="model")
            yield chunk("never")
        finally:
            closed.append(True)

    response = await post(build_app(server, handler), STREAM_BODY)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "model m1 does not exist"
    assert response.json()["error"]["param"] == "model"
    assert closed == [True]


async def test_iterator_for_non_stream_request_is_explained(
    server: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    """A stream returned when the request's flag is false: 500 naming handler and flag."""
    started: list[bool] = []

    async def handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        started.append(True)
        yield chunk("x")

    response = await post(build_app(server, handler), BODY)
    assert response.status_code == 500
    message = response.json()["error"]["message"]
    assert message.startswith("test_iterator_for_non_stream_request_is_explained.<locals>.handler")
    assert "returned an async iterator for a request whose `stream` is not true" in message
    assert started == []
    assert "handler contract violated" in caplog.text


async def test_model_for_stream_request_is_explained(server: ModuleType) -> None:
    """A single model returned when the request asked for a stream: 500 saying what to return."""

    async def handler(request: ChatRequest) -> Completion:
        return completion(request, "x")

    response = await post(build_app(server, handler), STREAM_BODY)
    assert response.status_code == 500
    assert response.json()["error"]["message"].endswith(
        "returned Completion for a request whose `stream` is true; "
        "return an async iterator of Chunk"
    )


async def test_without_stream_field_the_result_type_decides(server: ModuleType) -> None:
    """With no stream flag, a model answers as JSON and an iterator as SSE, same request."""

    async def handler(request: ChatRequest) -> Any:
        if request.messages[0].content == "stream":
            return (item async for item in _chunks("a", "b"))
        return completion(request, "json")

    app = build_app(server, handler, stream_field=None)
    as_json = await post(app, BODY)
    assert as_json.json()["choices"][0]["message"]["content"] == "json"
    streamed = await post(app, {**BODY, "messages": [{"role": "user", "content": "stream"}]})
    assert len(events(streamed)) == 3


async def _chunks(*texts: str) -> AsyncIterator[Chunk]:
    for text in texts:
        yield chunk(text)


async def test_iterator_for_operation_without_chunks_is_explained(server: ModuleType) -> None:
    """An operation that never streams refuses an iterator result with a 500 saying so."""

    async def handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        return _chunks("x")

    app = build_app(server, handler, chunk_model=None, stream_field=None)
    response = await post(app, BODY)
    assert response.status_code == 500
    assert "does not stream" in response.json()["error"]["message"]


async def test_model_for_stream_only_operation_is_explained(server: ModuleType) -> None:
    """An operation that only streams refuses a model result with a 500 saying so."""

    async def handler(request: ChatRequest) -> Completion:
        return completion(request, "x")

    app = build_app(server, handler, response_model=None, stream_field=None)
    response = await post(app, BODY)
    assert response.status_code == 500
    assert response.json()["error"]["message"].endswith(
        "returned Completion; return an async iterator of Chunk"
    )
