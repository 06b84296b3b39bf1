"""The generated client against httpx.MockTransport: routes, auth, bodies, streams, errors, raw."""

from __future__ import annotations

import asyncio
import json
import typing
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

COMPLETION = {
    "id": "chatcmpl-abc123",
    "object": "chat.completion",
    "created": 1704067200,
    "model": "vllm-primary",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Machine learning is..."},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 25, "completion_tokens": 150, "total_tokens": 175},
}


def chunk(content: str | None, finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}],
    }


def sse(*events: object) -> bytes:
    lines = [f"data: {json.dumps(event)}\n\n" for event in events]
    return ("".join(lines) + "data: [DONE]\n\n").encode()


MESSAGES = [{"role": "user", "content": "What is machine learning?"}]


class Server:
    """Records requests; answers a streamed SSE body when the request asks to stream."""

    def __init__(self, reply: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.reply = reply

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.reply is not None:
            return self.reply(request)
        body = json.loads(request.content) if request.content else {}
        if body.get("stream"):
            return httpx.Response(
                200,
                content=sse(chunk("Hel"), chunk("lo", "stop")),
                headers={"content-type": "text/event-stream"},
            )
        return httpx.Response(200, json=COMPLETION, headers={"x-request-id": "req-1"})

    @property
    def body(self) -> Any:
        return json.loads(self.requests[-1].content)


def make_client(api: ModuleType, server: Server, vendor: Any = "acme", **kwargs: Any) -> Any:
    kwargs.setdefault("api_key", "sk-test")
    transport = httpx.MockTransport(server)
    return api.Client(vendor=vendor, http_client=httpx.Client(transport=transport), **kwargs)


def make_async_client(api: ModuleType, server: Server, vendor: Any = "acme") -> Any:
    transport = httpx.MockTransport(server)
    return api.AsyncClient(
        vendor=vendor, api_key="sk-test", http_client=httpx.AsyncClient(transport=transport)
    )


def test_create_returns_a_chat_completion_from_the_vendor_url(api: ModuleType) -> None:
    """POST to base URL + prefix + path with bearer auth; the body holds only given arguments."""
    server = Server()
    client = make_client(api, server)
    result = client.chat.completions.create(
        model="vllm-primary", messages=MESSAGES, temperature=0.7, max_tokens=None
    )
    assert isinstance(result, api.ChatCompletion)
    assert result.choices[0].message.content == "Machine learning is..."
    request = server.requests[-1]
    assert request.method == "POST"
    assert str(request.url) == "https://api.acme.test/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert server.body == {
        "model": "vllm-primary",
        "messages": MESSAGES,
        "temperature": 0.7,
        "max_tokens": None,
    }


def test_message_models_and_dicts_mix_in_one_call(api: ModuleType) -> None:
    """Messages may be model instances or plain dicts; both are sent as their JSON form."""
    server = Server()
    client = make_client(api, server)
    client.chat.completions.create(
        model="m",
        messages=[
            api.SystemMessage(role="system", content="Be brief."),
            {"role": "user", "content": [{"type": "text", "text": "hi"}]},
        ],
    )
    assert server.body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "hi"}]},
    ]


def test_stream_true_yields_parsed_chunks(api: ModuleType) -> None:
    """stream=True returns a Stream of ChatCompletionChunk, ending at the [DONE] marker."""
    server = Server()
    client = make_client(api, server)
    stream = client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    assert isinstance(stream, api.Stream)
    chunks = list(stream)
    assert [type(c) for c in chunks] == [api.ChatCompletionChunk] * 2
    assert "".join(c.choices[0].delta.content for c in chunks) == "Hello"
    assert server.body["stream"] is True
    assert server.requests[-1].headers["accept"] == "text/event-stream"


def test_stream_false_returns_the_whole_completion(api: ModuleType) -> None:
    """stream=False is sent and parsed as a plain completion."""
    server = Server()
    result = make_client(api, server).chat.completions.create(
        model="m", messages=MESSAGES, stream=False
    )
    assert isinstance(result, api.ChatCompletion)
    assert server.body["stream"] is False


def test_vendor_without_prefix_and_key_from_environment(
    api: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bolt: no path prefix; the key is read from BOLT_API_KEY when none is passed."""
    monkeypatch.setenv("BOLT_API_KEY", "sk-from-env")
    server = Server()
    client = make_client(api, server, vendor="bolt", api_key=None)
    client.chat.completions.create(model="bolt-chat", messages=MESSAGES)
    request = server.requests[-1]
    assert str(request.url) == "https://api.bolt.test/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-from-env"


def test_missing_key_raises_before_any_request(
    api: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bearer vendor with no key anywhere fails at construction, naming the variable."""
    monkeypatch.delenv("ACME_API_KEY", raising=False)
    with pytest.raises(api.MissingAPIKeyError, match="ACME_API_KEY"):
        make_client(api, Server(), vendor="acme", api_key=None)


def test_unauthenticated_vendor_with_prefix_and_required_stream_field(api: ModuleType) -> None:
    """localai: /api/ai prefix, no Authorization header, `stream` filled in when left out."""
    server = Server()
    client = make_client(api, server, vendor="localai", api_key=None)
    client.chat.completions.create(model="m", messages=MESSAGES)
    request = server.requests[-1]
    assert str(request.url) == "http://localhost:8080/api/ai/chat/completions"
    assert "authorization" not in request.headers
    assert server.body["stream"] is False


def test_required_field_is_not_added_for_other_vendors(api: ModuleType) -> None:
    """Only the vendor that requires `stream` gets it filled in."""
    server = Server()
    make_client(api, server, vendor="acme").chat.completions.create(model="m", messages=MESSAGES)
    assert "stream" not in server.body


def test_unknown_vendor_name_is_refused(api: ModuleType) -> None:
    with pytest.raises(ValueError, match="unknown vendor 'nope'"):
        make_client(api, Server(), vendor="nope")


def test_custom_profile_and_base_url_override(api: ModuleType) -> None:
    """A VendorProfile instance reaches a compatible server; base_url= overrides the profile's."""
    server = Server()
    profile = api.VendorProfile(name="mine", base_url="https://llm.internal/v2")
    make_client(api, server, vendor=profile, api_key=None).chat.completions.create(
        model="m", messages=MESSAGES
    )
    assert str(server.requests[-1].url) == "https://llm.internal/v2/chat/completions"
    make_client(api, server, base_url="https://proxy.test/x").chat.completions.create(
        model="m", messages=MESSAGES
    )
    assert str(server.requests[-1].url) == "https://proxy.test/x/chat/completions"


def test_in_body_error_raises_the_generated_class(api: ModuleType) -> None:
    """bolt's 200 {"code": 701} raises InsufficientBalanceError (an APIInBodyError, code 701)."""
    body = {"code": 701, "message": "Insufficient balance"}
    server = Server(lambda request: httpx.Response(200, json=body))
    client = make_client(api, server, vendor="bolt")
    with pytest.raises(api.InsufficientBalanceError) as caught:
        client.chat.completions.create(model="m", messages=MESSAGES)
    assert caught.value.code == 701
    assert isinstance(caught.value, api.APIInBodyError)
    assert caught.value.body == body


def test_in_body_code_of_another_vendor_is_not_an_in_body_error(api: ModuleType) -> None:
    """acme has no catalogue: the same body is just an invalid response."""
    server = Server(lambda request: httpx.Response(200, json={"code": 701, "message": "x"}))
    with pytest.raises(api.APIResponseValidationError):
        make_client(api, server).chat.completions.create(model="m", messages=MESSAGES)


def test_http_error_status_raises_the_status_class(api: ModuleType) -> None:
    """A 400 raises BadRequestError carrying the vendor's message."""
    error = {"error": {"message": "bad model", "type": "invalid_request_error"}}
    server = Server(lambda request: httpx.Response(400, json=error))
    with pytest.raises(api.BadRequestError, match="bad model"):
        make_client(api, server).chat.completions.create(model="m", messages=MESSAGES)


def test_raw_response_gives_headers_and_a_lazy_parse(api: ModuleType) -> None:
    """client.with_raw_response.chat.completions.create returns an APIResponse."""
    server = Server()
    raw = make_client(api, server).with_raw_response.chat.completions.create(
        model="m", messages=MESSAGES
    )
    assert isinstance(raw, api.APIResponse)
    assert raw.headers["x-request-id"] == "req-1"
    assert isinstance(raw.parse(), api.ChatCompletion)
    assert "stream" not in server.body


def test_arguments_are_validated_before_sending(api: ModuleType) -> None:
    """Out-of-range and null-for-not-nullable arguments fail locally; nothing is sent."""
    server = Server()
    client = make_client(api, server)
    with pytest.raises(pydantic.ValidationError, match="temperature"):
        client.chat.completions.create(model="m", messages=MESSAGES, temperature=5)
    with pytest.raises(pydantic.ValidationError, match="frequency_penalty"):
        client.chat.completions.create(model="m", messages=MESSAGES, frequency_penalty=None)
    with pytest.raises(pydantic.ValidationError, match="messages"):
        client.chat.completions.create(model="m", messages=[{"role": "robot", "content": "x"}])
    assert server.requests == []


def test_escape_hatches_reach_the_request(api: ModuleType) -> None:
    """extra_headers, extra_query and extra_body are merged into the request."""
    server = Server()
    make_client(api, server).chat.completions.create(
        model="m",
        messages=MESSAGES,
        extra_headers={"X-Trace": "t1"},
        extra_query={"debug": "1"},
        extra_body={"safe_prompt": True},
    )
    request = server.requests[-1]
    assert request.headers["x-trace"] == "t1"
    assert request.url.params["debug"] == "1"
    assert server.body["safe_prompt"] is True


def test_get_operation_without_body(api: ModuleType) -> None:
    """client.models.list() sends a GET without a body and parses a ModelList."""
    data = {"object": "list", "data": [{"id": "m1", "object": "model", "owned_by": "acme"}]}
    server = Server(lambda request: httpx.Response(200, json=data))
    result = make_client(api, server).models.list()
    assert isinstance(result, api.ModelList)
    assert server.requests[-1].method == "GET"
    assert server.requests[-1].content == b""


def test_async_client_creates_and_streams(api: ModuleType) -> None:
    """AsyncClient: awaited create returns ChatCompletion; stream=True gives an AsyncStream."""
    server = Server()

    async def scenario() -> tuple[Any, list[Any]]:
        client = make_async_client(api, server, vendor="bolt")
        completion = await client.chat.completions.create(model="m", messages=MESSAGES)
        stream = await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
        assert isinstance(stream, api.AsyncStream)
        chunks = [item async for item in stream]
        raw = await client.with_raw_response.chat.completions.create(model="m", messages=MESSAGES)
        assert isinstance(raw.parse(), api.ChatCompletion)
        return completion, chunks

    completion, chunks = asyncio.run(scenario())
    assert isinstance(completion, api.ChatCompletion)
    assert [c.choices[0].delta.content for c in chunks] == ["Hel", "lo"]


def test_method_docs_list_arguments_and_errors(api: ModuleType) -> None:
    """Each overload's docstring documents the arguments, vendor notes and possible errors."""
    stubs = typing.get_overloads(api.resources.chat.Completions.create)
    assert len(stubs) == 3
    doc = stubs[0].__doc__ or ""
    assert "temperature: Sampling temperature." in doc
    assert "acme limits it to >= 0, <= 1." in doc
    assert "InsufficientBalanceError: bolt reports code 701 in the body." in doc
    assert "400 (Invalid request body)" in doc
