"""Errors of the real package: typed status errors, SiliconStorm's in-body codes, retries with
Retry-After, timeouts (mocked and against a local socket), and raw-response access."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._documents import Example, examples_of
from .conftest import API_KEY, FakeVendor, async_client, sync_client

REQUEST: dict[str, Any] = {"model": "m", "messages": [{"role": "user", "content": "Hi"}]}
COMPLETION = {"id": "cmpl-1", "object": "chat.completion", "created": 1, "choices": []}
STATUS_CLASSES = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (500, "InternalServerError"),
    (503, "InternalServerError"),
    (418, "APIStatusError"),
]
IN_BODY = examples_of("in-body-error")


def _error_body(status: int) -> dict[str, Any]:
    """An error in the shape Oxen and SolidRust document (`ErrorResponse`)."""
    return {
        "error": {
            "message": f"failed with {status}",
            "type": "api_error",
            "param": None,
            "code": None,
        }
    }


@pytest.mark.parametrize(("status", "class_name"), STATUS_CLASSES)
def test_status_raises_its_typed_error(api: ModuleType, status: int, class_name: str) -> None:
    """Each error status raises its own class carrying the response, the status and the body."""
    server = FakeVendor(httpx.Response(status, json=_error_body(status)))
    client = sync_client(api, "solidrust", server, max_retries=0)
    with pytest.raises(api.APIStatusError) as caught:
        client.chat.completions.create(**REQUEST)
    error = caught.value
    assert type(error) is getattr(api, class_name)
    assert error.status_code == status
    assert error.response.status_code == status
    assert error.response.request is server.requests[0]
    assert error.body == _error_body(status)
    assert error.message == f"failed with {status}"
    assert str(status) in str(error)
    assert len(server.requests) == 1


@pytest.mark.anyio
@pytest.mark.parametrize(("status", "class_name"), STATUS_CLASSES[:3])
async def test_async_status_raises_its_typed_error(
    api: ModuleType, status: int, class_name: str
) -> None:
    """AsyncClient twin of the status errors."""
    server = FakeVendor(httpx.Response(status, json=_error_body(status)))
    client = async_client(api, "solidrust", server, max_retries=0)
    with pytest.raises(getattr(api, class_name)) as caught:
        await client.chat.completions.create(**REQUEST)
    assert caught.value.status_code == status
    assert caught.value.body == _error_body(status)


def test_error_with_a_text_body_keeps_the_text(api: ModuleType) -> None:
    """A non-JSON error page: the body is its text, which is also the message."""
    server = FakeVendor(httpx.Response(502, text="Bad gateway"))
    with pytest.raises(api.InternalServerError) as caught:
        sync_client(api, "deepseek", server, max_retries=0).chat.completions.create(**REQUEST)
    assert caught.value.body == "Bad gateway"
    assert caught.value.message == "Bad gateway"


@pytest.mark.parametrize("example", IN_BODY, ids=[example.id for example in IN_BODY])
def test_documented_in_body_code_raises_its_class(api: ModuleType, example: Example) -> None:
    """Each error code the vendor documents inside a 200 body raises a class of that code,
    exported at the package root, with the body, the message and status 200."""
    body = {"code": example.value, "message": example.title}
    server = FakeVendor(httpx.Response(200, json=body))
    with pytest.raises(api.APIInBodyError) as caught:
        sync_client(api, example.vendor, server).chat.completions.create(**REQUEST)
    error = caught.value
    assert type(error).code == example.value
    assert getattr(api, type(error).__name__) is type(error)
    assert error.body == body
    assert error.message == example.title
    assert error.status_code == 200
    assert str(example.value) in str(error)


@pytest.mark.parametrize(
    ("code", "class_name"),
    [
        (701, "InsufficientBalanceError"),
        ("701", "InsufficientBalanceError"),
        (9999, "ModelResponseExceptionError"),
    ],
)
def test_siliconstorm_codes_701_and_9999(api: ModuleType, code: object, class_name: str) -> None:
    """SiliconStorm's 200 with code 701 (also written "701") raises InsufficientBalanceError;
    9999 raises ModelResponseExceptionError."""
    body = {"code": code, "message": "Insufficient balance"}
    server = FakeVendor(httpx.Response(200, json=body))
    with pytest.raises(getattr(api, class_name)) as caught:
        sync_client(api, "siliconstorm", server).chat.completions.create(**REQUEST)
    assert caught.value.body == body
    assert caught.value.response.status_code == 200


def test_in_body_codes_belong_to_their_vendor_only(api: ModuleType) -> None:
    """Another vendor's 200 carrying `code: 701` is not SiliconStorm's balance error."""
    server = FakeVendor(httpx.Response(200, json={**COMPLETION, "code": 701}))
    completion = sync_client(api, "deepseek", server).chat.completions.create(**REQUEST)
    assert isinstance(completion, api.ChatCompletion)
    assert completion.id == "cmpl-1"


def test_in_body_error_answering_a_streamed_call(api: ModuleType) -> None:
    """SiliconStorm answering `stream=True` with a JSON error object: the typed error, at once."""
    server = FakeVendor(httpx.Response(200, json={"code": 701, "message": "no money"}))
    client = sync_client(api, "siliconstorm", server)
    with pytest.raises(api.InsufficientBalanceError) as caught:
        client.chat.completions.create(**REQUEST, stream=True)
    assert caught.value.message == "no money"


@pytest.mark.anyio
async def test_async_in_body_error(api: ModuleType) -> None:
    """AsyncClient twin of the in-body error."""
    server = FakeVendor(httpx.Response(200, json={"code": 9999, "message": "model failed"}))
    client = async_client(api, "siliconstorm", server)
    with pytest.raises(api.ModelResponseExceptionError):
        await client.chat.completions.create(**REQUEST)


def test_retries_honour_retry_after_on_429_and_503(api: ModuleType) -> None:
    """429 (Retry-After: 2) then 503 (Retry-After: 1) then 200: slept 2 s then 1 s, 3 attempts."""
    server = FakeVendor(
        httpx.Response(429, headers={"Retry-After": "2"}, json=_error_body(429)),
        httpx.Response(503, headers={"Retry-After": "1"}, json=_error_body(503)),
        httpx.Response(200, json=COMPLETION),
    )
    client = sync_client(api, "deepseek", server)
    slept: list[float] = []
    client._sleep = slept.append
    completion = client.chat.completions.create(**REQUEST)
    assert completion.id == "cmpl-1"
    assert slept == [2.0, 1.0]
    assert len(server.requests) == 3
    # The same request each time: a retry does not rebuild or alter the body.
    assert len({request.content for request in server.requests}) == 1


def test_retries_stop_at_the_clients_max_retries(api: ModuleType) -> None:
    """`max_retries=1`: two attempts, one sleep, then the last status error is raised."""
    server = FakeVendor(httpx.Response(503, headers={"Retry-After": "3"}, json=_error_body(503)))
    client = sync_client(api, "deepseek", server, max_retries=1)
    slept: list[float] = []
    client._sleep = slept.append
    with pytest.raises(api.InternalServerError):
        client.chat.completions.create(**REQUEST)
    assert slept == [3.0]
    assert len(server.requests) == 2


def test_client_errors_are_not_retried(api: ModuleType) -> None:
    """A 400 is the caller's mistake: one attempt, no sleep."""
    server = FakeVendor(httpx.Response(400, json=_error_body(400)))
    client = sync_client(api, "deepseek", server)
    slept: list[float] = []
    client._sleep = slept.append
    with pytest.raises(api.BadRequestError):
        client.chat.completions.create(**REQUEST)
    assert (slept, len(server.requests)) == ([], 1)


def test_max_retries_per_call(api: ModuleType) -> None:
    """`max_retries=` on one call overrides the client's for that call only."""
    server = FakeVendor(httpx.Response(429, headers={"Retry-After": "1"}, json=_error_body(429)))
    client = sync_client(api, "deepseek", server, max_retries=2)
    slept: list[float] = []
    client._sleep = slept.append
    with pytest.raises(api.RateLimitError):
        client.chat.completions.create(**REQUEST, max_retries=0)
    assert (slept, len(server.requests)) == ([], 1)


@pytest.mark.anyio
async def test_async_retries_honour_retry_after(api: ModuleType) -> None:
    """AsyncClient twin: Retry-After values slept (with the async sleep), then success."""
    server = FakeVendor(
        httpx.Response(429, headers={"Retry-After": "2"}, json=_error_body(429)),
        httpx.Response(503, headers={"Retry-After": "1"}, json=_error_body(503)),
        httpx.Response(200, json=COMPLETION),
    )
    client = async_client(api, "deepseek", server)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    client._sleep = sleep
    completion = await client.chat.completions.create(**REQUEST)
    assert completion.id == "cmpl-1"
    assert slept == [2.0, 1.0]
    assert len(server.requests) == 3


def test_mocked_timeout_raises_api_timeout_error_after_retries(api: ModuleType) -> None:
    """A read timeout on every attempt: retried, then APITimeoutError (an APIConnectionError)."""
    server = FakeVendor(httpx.ReadTimeout("simulated timeout"))
    client = sync_client(api, "deepseek", server, max_retries=2)
    slept: list[float] = []
    client._sleep = slept.append
    with pytest.raises(api.APITimeoutError) as caught:
        client.chat.completions.create(**REQUEST)
    assert isinstance(caught.value, api.APIConnectionError)
    assert caught.value.request is not None
    assert len(server.requests) == 3
    assert len(slept) == 2


def test_connection_error_then_success_is_retried(api: ModuleType) -> None:
    """A refused connection is retried like a 503; the call then succeeds."""
    server = FakeVendor(httpx.ConnectError("refused"), httpx.Response(200, json=COMPLETION))
    client = sync_client(api, "deepseek", server)
    client._sleep = lambda seconds: None
    assert client.chat.completions.create(**REQUEST).id == "cmpl-1"
    assert len(server.requests) == 2


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A local TCP socket that accepts connections (kernel backlog) but never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    host, port = listener.getsockname()
    try:
        yield f"http://{host}:{port}/v1"
    finally:
        listener.close()


def test_real_timeout_from_a_silent_local_server(api: ModuleType, silent_server: str) -> None:
    """Against a server that never answers, the client's timeout raises APITimeoutError."""
    client = api.Client(
        vendor="deepseek", api_key=API_KEY, base_url=silent_server, timeout=0.3, max_retries=0
    )
    started = time.monotonic()
    with pytest.raises(api.APITimeoutError):
        client.chat.completions.create(**REQUEST)
    assert time.monotonic() - started < 5
    client.close()


def test_per_call_timeout_overrides_the_clients(api: ModuleType, silent_server: str) -> None:
    """`timeout=` on one call replaces the client's long default for that call."""
    client = api.Client(vendor="deepseek", api_key=API_KEY, base_url=silent_server, max_retries=0)
    started = time.monotonic()
    with pytest.raises(api.APITimeoutError):
        client.chat.completions.create(**REQUEST, timeout=0.3)
    assert time.monotonic() - started < 5
    client.close()


def test_raw_response_gives_status_headers_and_a_lazy_parse(api: ModuleType) -> None:
    """`client.with_raw_response.chat.completions.create(...)`: the HTTP response (status,
    headers, bytes) and `parse()` returning the ChatCompletion, parsed once."""
    server = FakeVendor(httpx.Response(200, headers={"x-request-id": "req-7"}, json=COMPLETION))
    client = sync_client(api, "deepseek", server)
    raw = client.with_raw_response.chat.completions.create(**REQUEST)
    assert isinstance(raw, api.APIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "req-7"
    assert raw.json() == COMPLETION
    assert str(raw.request.url) == "https://api.deepseek.com/chat/completions"
    parsed = raw.parse()
    assert isinstance(parsed, api.ChatCompletion)
    assert parsed.id == "cmpl-1"
    assert raw.parse() is parsed


def test_raw_response_parse_raises_the_in_body_error(api: ModuleType) -> None:
    """The raw variant returns SiliconStorm's 200; `parse()` raises its in-body error."""
    server = FakeVendor(httpx.Response(200, json={"code": 701, "message": "no money"}))
    raw = sync_client(api, "siliconstorm", server).with_raw_response.chat.completions.create(
        **REQUEST
    )
    assert raw.status_code == 200
    with pytest.raises(api.InsufficientBalanceError):
        raw.parse()


@pytest.mark.anyio
async def test_async_raw_response(api: ModuleType) -> None:
    """AsyncClient twin of the raw response."""
    server = FakeVendor(httpx.Response(200, headers={"x-request-id": "req-8"}, json=COMPLETION))
    client = async_client(api, "deepseek", server)
    raw = await client.with_raw_response.chat.completions.create(**REQUEST)
    assert raw.headers["x-request-id"] == "req-8"
    assert raw.parse().id == "cmpl-1"
