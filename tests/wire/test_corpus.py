"""Every wire body in tests/wire/bodies through the generated client: sync and async, streamed and
not. Completions and chunks parse and keep every value (unknown keys too); error bodies raise the
class their status or in-body code maps to; broken bodies and streams raise, never end quietly.
Where each body's shape comes from: tests/wire/ORIGIN.md."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from . import sdk_bodies

BODIES = Path(__file__).parent / "bodies"
MESSAGES = [{"role": "user", "content": "hi"}]
JSON = "application/json"
SSE = "text/event-stream"
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Case:
    file: str
    status: int = 200
    media_type: str = JSON
    error: str | None = None
    """Class name (in chat_api) the call raises; None: the body parses."""
    also: str | None = None
    """A second class the error must also be (the status error an in-body error maps to)."""
    vendor: str = "deepseek"


COMPLETIONS = [
    Case("sdk_completion.json"),
    Case("sdk_tool_call_completion.json"),
    Case("sdk_refusal.json"),
    Case("vllm_completion.json"),
    Case("vllm_tool_call_completion.json"),
    Case("ollama_completion.json"),
    Case("ollama_tool_call_completion.json"),
    Case("llamacpp_completion.json"),
]
STREAMS = [
    Case("sdk_stream_include_usage.sse", media_type=SSE),
    Case("sdk_tool_call_stream.sse", media_type=SSE),
    Case("vllm_stream.sse", media_type=SSE),
    Case("vllm_tool_call_stream.sse", media_type=SSE),
    Case("ollama_stream.sse", media_type=SSE),
    Case("llamacpp_stream.sse", media_type=SSE),
]
ERRORS = [
    Case("vllm_error_400.json", 400, error="BadRequestError"),
    Case("ollama_error_404.json", 404, error="NotFoundError"),
    Case("ollama_error_500.json", 500, error="InternalServerError"),
    Case("llamacpp_error_503.json", 503, error="InternalServerError"),
    Case("llamacpp_error_401.json", 401, error="AuthenticationError"),
    Case("llamacpp_error_400.json", 400, error="BadRequestError"),
    Case("openai_error_401.json", 401, error="AuthenticationError"),
    Case("openai_error_429.json", 429, error="RateLimitError"),
    Case("proxy_502.html", 502, HTML, error="InternalServerError"),
    Case("proxy_504.html", 504, HTML, error="InternalServerError"),
    Case("proxy_captive_200.html", 200, HTML, error="APIResponseValidationError"),
    Case("inbody_apikey_200.json", error="ApikeyError", also="AuthenticationError", vendor="siliconstorm"),
    Case("inbody_balance_200.json", error="InsufficientBalanceError", also="PaymentRequiredError", vendor="siliconstorm"),
    Case("inbody_timeout_200.json", error="RequestTimeoutError", also="ServerTimeoutError", vendor="siliconstorm"),
]  # fmt: skip


def _raw(case: Case) -> bytes:
    return (BODIES / case.file).read_bytes()


def _client(api: ModuleType, case: Case, mode: str) -> Any:
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            case.status, headers={"content-type": case.media_type}, content=_raw(case)
        )

    transport = httpx.MockTransport(reply)
    if mode == "sync":
        http: Any = httpx.Client(transport=transport)
        return api.Client(vendor=case.vendor, api_key="k", max_retries=0, http_client=http)
    http = httpx.AsyncClient(transport=transport)
    return api.AsyncClient(vendor=case.vendor, api_key="k", max_retries=0, http_client=http)


async def _call(api: ModuleType, case: Case, mode: str, *, stream: bool) -> Any:
    """The call's result: a parsed completion, or the list of parsed chunks of a stream."""
    client = _client(api, case, mode)
    create = client.chat.completions.create
    if mode == "sync":
        if stream:
            return list(create(model="m", messages=MESSAGES, stream=True))
        return create(model="m", messages=MESSAGES)
    if stream:
        return [chunk async for chunk in await create(model="m", messages=MESSAGES, stream=True)]
    return await create(model="m", messages=MESSAGES)


def _wire(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _events(case: Case) -> list[Any]:
    lines = _raw(case).decode().splitlines()
    data = [line[len("data: ") :] for line in lines if line.startswith("data: ")]
    return [json.loads(item) for item in data if item != "[DONE]"]


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", COMPLETIONS, ids=lambda c: c.file)
async def test_completion_bodies_parse_and_keep_every_value(
    api: ModuleType, case: Case, mode: str
) -> None:
    completion = await _call(api, case, mode, stream=False)
    assert isinstance(completion, api.ChatCompletion)
    assert _wire(completion) == json.loads(_raw(case))


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", STREAMS, ids=lambda c: c.file)
async def test_stream_bodies_parse_every_chunk_and_keep_every_value(
    api: ModuleType, case: Case, mode: str
) -> None:
    chunks = await _call(api, case, mode, stream=True)
    assert all(isinstance(chunk, api.ChatCompletionChunk) for chunk in chunks)
    assert [_wire(chunk) for chunk in chunks] == _events(case)


@pytest.mark.anyio
@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", ERRORS, ids=lambda c: c.file)
async def test_error_bodies_raise_their_class(
    api: ModuleType, case: Case, mode: str, stream: bool
) -> None:
    assert case.error is not None
    with pytest.raises(getattr(api, case.error)) as raised:
        await _call(api, case, mode, stream=stream)
    if case.also is not None:
        assert isinstance(raised.value, getattr(api, case.also))
    error = raised.value
    if case.media_type == JSON:
        assert error.body == json.loads(_raw(case))  # the vendor's body, code and message kept
    else:
        assert error.body == _raw(case).decode()


def test_in_body_errors_keep_the_vendors_code_and_message(api: ModuleType) -> None:
    """`except AuthenticationError` catches an in-body 801; the error still says 801."""
    case = Case("inbody_apikey_200.json", vendor="siliconstorm")
    client = _client(api, case, "sync")
    with pytest.raises(api.AuthenticationError) as raised:
        client.chat.completions.create(model="m", messages=MESSAGES)
    assert (raised.value.code, raised.value.message, raised.value.status_code) == (
        801,
        "Apikey error",
        200,
    )


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_cut_off_json_body_raises_with_its_raw_text(api: ModuleType, mode: str) -> None:
    case = Case("cut_off_completion.json")
    with pytest.raises(api.APIResponseValidationError) as raised:
        await _call(api, case, mode, stream=False)
    assert raised.value.body == _raw(case).decode()


async def _collect(api: ModuleType, case: Case, mode: str) -> tuple[list[Any], BaseException]:
    """The chunks a stream yields before it raises, and what it raises."""
    client = _client(api, case, mode)
    got: list[Any] = []
    try:
        if mode == "sync":
            for chunk in client.chat.completions.create(model="m", messages=MESSAGES, stream=True):
                got.append(chunk)
        else:
            stream = await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
            async for chunk in stream:
                got.append(chunk)
    except Exception as exc:  # the test asserts which one below
        return got, exc
    raise AssertionError(f"{case.file}: the stream ended without an error after {len(got)} chunks")


BROKEN_STREAMS = [
    # (file, chunks yielded before the error, error class, what the error keeps)
    ("error_mid_stream.sse", 1, "APIError", "payload"),
    ("dropped_stream.sse", 2, "APIConnectionError", "terminator"),
    ("cut_off_stream.sse", 1, "APIResponseValidationError", "raw text"),
]


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("file", "yielded", "error_class", "kept"), BROKEN_STREAMS)
async def test_a_broken_stream_yields_what_came_then_raises(
    api: ModuleType, mode: str, file: str, yielded: int, error_class: str, kept: str
) -> None:
    """An error payload mid-stream raises APIError with the payload; a stream that ends before
    [DONE] raises; an event cut inside its JSON raises with the raw text. None ends quietly."""
    case = Case(file, media_type=SSE)
    chunks, error = await _collect(api, case, mode)
    assert len(chunks) == yielded
    assert isinstance(error, getattr(api, error_class))
    if kept == "payload":
        assert error.body == _events(case)[1]  # type: ignore[attr-defined]
        assert "while processing your request" in str(error)
    elif kept == "terminator":
        assert "[DONE]" in str(error)
    else:
        assert error.body == '{"id":"chatcmpl-c","object":"chat.completion.ch'  # type: ignore[attr-defined]


def test_sdk_bodies_are_what_the_sdk_writes() -> None:
    """The committed SDK bodies are regenerated, not hand-edited: same bytes as the SDK dumps."""
    for name, text in sdk_bodies.bodies().items():
        assert (BODIES / name).read_text(encoding="utf-8") == text, name


def test_sdk_bodies_hold_every_optional_key_with_nulls() -> None:
    """model_dump(mode="json") writes unset optional keys as null: the bodies carry them."""
    body = json.loads((BODIES / "sdk_tool_call_completion.json").read_text())
    message = body["choices"][0]["message"]
    assert message["content"] is None and message["refusal"] is None
    assert body["choices"][0]["logprobs"] is None and body["service_tier"] is None
    chunk = _events(Case("sdk_tool_call_stream.sse"))[1]
    assert chunk["choices"][0]["delta"]["role"] is None
    assert chunk["choices"][0]["delta"]["content"] is None
