"""Error mapping: status classes, messages, in-body codes, validation, timeouts, connections."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from types import ModuleType

import httpx
import pydantic
import pytest

from ._helpers import FakeServer, Harness, make_profile

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
    (599, "InternalServerError"),
    (402, "PaymentRequiredError"),
    (408, "ServerTimeoutError"),
    (418, "APIStatusError"),
]


@pytest.mark.parametrize(("status", "class_name"), STATUS_CLASSES)
def test_status_error_class(rt: ModuleType, status: int, class_name: str) -> None:
    """status_error_class maps each status to its class, >=500 to InternalServerError."""
    assert rt._exceptions.status_error_class(status) is getattr(rt._exceptions, class_name)


@pytest.mark.parametrize(("status", "class_name"), STATUS_CLASSES)
def test_non_2xx_raises_status_class(harness: Harness, status: int, class_name: str) -> None:
    """A non-2xx reply raises its exact class carrying status, body, response and message."""
    body = {"error": {"message": f"failed with {status}", "type": "x"}}
    server = FakeServer(httpx.Response(status, json=body))
    client = harness.client(server, max_retries=0)
    with pytest.raises(harness.rt._exceptions.APIStatusError) as caught:
        harness.request(client, "POST", "/chat", body={})
    error = caught.value
    assert type(error) is getattr(harness.rt._exceptions, class_name)
    assert error.status_code == status
    assert error.body == body
    assert error.message == f"failed with {status}"
    assert error.response.status_code == status
    assert error.request.url == server.requests[0].url
    assert str(error) == f"Error code {status}: failed with {status}"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (httpx.Response(400, json={"error": {"message": "nested"}}), "nested"),
        (httpx.Response(400, json={"error": "flat string"}), "flat string"),
        (httpx.Response(400, json={"message": "top level", "code": 3}), "top level"),
        (httpx.Response(400, json={"detail": "fastapi style"}), "fastapi style"),
        (httpx.Response(400, text="plain text failure\n"), "plain text failure"),
        (httpx.Response(400, json={"error": {"code": 1}}), "HTTP 400 Bad Request"),
        (httpx.Response(400), "HTTP 400 Bad Request"),
    ],
    ids=["error.message", "error-string", "message", "detail", "text", "no-message", "empty"],
)
def test_error_message_sources(harness: Harness, reply: httpx.Response, message: str) -> None:
    """The message comes from error.message, error, message, detail, the text, or the status."""
    client = harness.client(FakeServer(reply), max_retries=0)
    with pytest.raises(harness.rt._exceptions.BadRequestError) as caught:
        harness.request(client, "GET", "/x")
    assert caught.value.message == message


def test_status_error_on_stream_request(harness: Harness) -> None:
    """A non-2xx reply to a streamed call raises before any chunk, with the body read."""
    server = FakeServer(httpx.Response(401, json={"error": {"message": "bad key"}}))
    with pytest.raises(harness.rt._exceptions.AuthenticationError, match="bad key") as caught:
        harness.stream(harness.client(server), "POST", "/chat", body={})
    assert caught.value.body == {"error": {"message": "bad key"}}


def in_body_profile(rt: ModuleType) -> tuple[object, type, type]:
    class InsufficientBalanceError(rt._exceptions.APIInBodyError):
        code = 701

    class ApiKeyError(rt._exceptions.APIInBodyError):
        code = "invalid_key"

    errors = {701: InsufficientBalanceError, "invalid_key": ApiKeyError}
    return make_profile(rt, in_body_errors=errors), InsufficientBalanceError, ApiKeyError


@pytest.mark.parametrize("code", [701, "701"], ids=["int", "string"])
def test_in_body_error_code_raises_its_class(harness: Harness, code: object) -> None:
    """A 2xx JSON body whose code is a documented error raises that class, not a parse result."""
    profile, balance_error, _ = in_body_profile(harness.rt)
    body = {"code": code, "message": "balance too low"}
    server = FakeServer(httpx.Response(200, json=body))
    parsed: list[object] = []
    with pytest.raises(balance_error) as caught:
        client = harness.client(server, profile=profile)
        harness.request(client, "POST", "/chat", parse=parsed.append)
    assert parsed == []
    assert caught.value.message == "balance too low"
    assert caught.value.status_code == 200
    assert caught.value.body == body
    assert isinstance(caught.value, harness.rt._exceptions.APIStatusError)
    assert str(caught.value) == "Error code 701: balance too low"


def test_in_body_string_code_and_default_message(harness: Harness) -> None:
    """String codes match exactly; without a message the error still names the code."""
    profile, _, key_error = in_body_profile(harness.rt)
    server = FakeServer(httpx.Response(200, json={"code": "invalid_key"}))
    with pytest.raises(key_error, match="acme reported error code invalid_key"):
        harness.request(harness.client(server, profile=profile), "GET", "/x")


@pytest.mark.parametrize(
    "body",
    [{"code": 0, "data": 1}, {"code": True}, {"code": 702}, {"data": 1}, [701]],
    ids=["success-code", "bool", "undocumented", "no-code", "not-object"],
)
def test_other_bodies_are_parsed_normally(harness: Harness, body: object) -> None:
    """Codes not in the profile (or not codes at all) are ordinary results."""
    profile, _, _ = in_body_profile(harness.rt)
    server = FakeServer(httpx.Response(200, json=body))
    assert harness.request(harness.client(server, profile=profile), "GET", "/x") == body


def test_in_body_error_on_raw_response_parse(harness: Harness) -> None:
    """request_raw returns the response; its parse() raises the in-body error."""
    profile, balance_error, _ = in_body_profile(harness.rt)
    server = FakeServer(httpx.Response(200, json={"code": 701, "message": "pay up"}))
    client = harness.client(server, profile=profile)
    raw = harness.call(client, "request_raw", "GET", "/x", parse=lambda body: body)
    assert raw.status_code == 200
    with pytest.raises(balance_error, match="pay up"):
        raw.parse()


def test_in_body_error_answering_stream_request(harness: Harness) -> None:
    """A JSON in-body error sent instead of an event stream raises that error class."""
    profile, balance_error, _ = in_body_profile(harness.rt)
    server = FakeServer(httpx.Response(200, json={"code": 701, "message": "pay up"}))
    with pytest.raises(balance_error, match="pay up"):
        harness.stream(harness.client(server, profile=profile), "POST", "/chat", body={})


def test_json_error_object_answering_stream_request(harness: Harness) -> None:
    """A JSON {"error": ...} object sent instead of an event stream raises APIStreamError."""
    server = FakeServer(httpx.Response(200, json={"error": {"message": "stream refused"}}))
    with pytest.raises(harness.rt._exceptions.APIStreamError, match="stream refused"):
        harness.stream(harness.client(server), "POST", "/chat", body={})


def test_parse_failure_raises_response_validation_error(harness: Harness) -> None:
    """A body that fails pydantic validation raises APIResponseValidationError with the body."""

    class Reply(pydantic.BaseModel):
        id: int

    server = FakeServer(httpx.Response(200, json={"id": "not a number"}))
    with pytest.raises(harness.rt._exceptions.APIResponseValidationError) as caught:
        harness.request(harness.client(server), "GET", "/x", parse=Reply.model_validate)
    assert caught.value.body == {"id": "not a number"}
    assert caught.value.status_code == 200
    assert isinstance(caught.value.__cause__, pydantic.ValidationError)


def test_value_error_in_parse_raises_response_validation_error(harness: Harness) -> None:
    """A ValueError from parse (here on a JSON string where an object is expected) is a
    validation error."""

    def parse(body: object) -> dict[str, object]:
        if not isinstance(body, dict):
            raise ValueError(f"expected an object, got {body!r}")
        return body

    server = FakeServer(httpx.Response(200, json="plain"))
    with pytest.raises(harness.rt._exceptions.APIResponseValidationError, match="plain") as caught:
        harness.request(harness.client(server), "GET", "/x", parse=parse)
    assert caught.value.body == "plain"


def test_a_body_that_is_not_json_raises_before_parse_with_its_text(harness: Harness) -> None:
    """A non-JSON body (an HTML page, a body cut off) never reaches parse: its text is kept."""
    seen: list[object] = []
    server = FakeServer(httpx.Response(200, text="<html>oops</html>"))
    with pytest.raises(harness.rt._exceptions.APIResponseValidationError, match="<html>") as caught:
        harness.request(harness.client(server), "GET", "/x", parse=seen.append)
    assert caught.value.body == "<html>oops</html>"
    assert seen == []


@pytest.mark.parametrize(
    "failure", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.WriteTimeout, httpx.PoolTimeout]
)
def test_httpx_timeouts_raise_api_timeout_error(harness: Harness, failure: type) -> None:
    """Every kind of httpx timeout becomes APITimeoutError (an APIConnectionError)."""
    server = FakeServer(failure)
    with pytest.raises(harness.rt._exceptions.APITimeoutError) as caught:
        harness.request(harness.client(server, max_retries=0), "GET", "/x")
    assert isinstance(caught.value, harness.rt._exceptions.APIConnectionError)
    assert caught.value.request.url == server.requests[0].url
    assert isinstance(caught.value.__cause__, failure)


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError, httpx.ProxyError]
)
def test_transport_errors_raise_api_connection_error(harness: Harness, failure: type) -> None:
    """Transport failures that are not timeouts become APIConnectionError, not APITimeoutError."""
    server = FakeServer(failure)
    with pytest.raises(harness.rt._exceptions.APIConnectionError) as caught:
        harness.request(harness.client(server, max_retries=0), "GET", "/x")
    assert not isinstance(caught.value, harness.rt._exceptions.APITimeoutError)
    assert isinstance(caught.value.__cause__, failure)


def test_too_many_redirects_is_connection_error_without_retry(harness: Harness) -> None:
    """A non-transport httpx request error is an APIConnectionError and is not retried."""
    server = FakeServer(httpx.TooManyRedirects)
    with pytest.raises(harness.rt._exceptions.APIConnectionError):
        harness.request(harness.client(server, max_retries=3), "GET", "/x")
    assert server.calls == 1


def test_exception_hierarchy(rt: ModuleType) -> None:
    """Every error is an APIError; stream, in-body and missing-key errors sit where documented."""
    exceptions = rt._exceptions
    assert issubclass(exceptions.APITimeoutError, exceptions.APIConnectionError)
    assert issubclass(exceptions.APIInBodyError, exceptions.APIStatusError)
    for name in ("APIStreamError", "MissingAPIKeyError", "APIResponseValidationError"):
        assert issubclass(getattr(exceptions, name), exceptions.APIError)
        assert not issubclass(getattr(exceptions, name), exceptions.APIStatusError)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections (kernel backlog) but never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_real_read_timeout_over_loopback(rt: ModuleType, silent_port: int) -> None:
    """A server that never answers trips the client's own httpx client into APITimeoutError."""
    profile = make_profile(rt, base_url=f"http://127.0.0.1:{silent_port}/v1")
    with (
        rt._base_client.SyncAPIClient(
            profile=profile, api_key="k", timeout=0.2, max_retries=0
        ) as client,
        pytest.raises(rt._exceptions.APITimeoutError),
    ):
        client.request("GET", "/models", parse=lambda body: body)


def test_real_refused_connection_over_loopback(rt: ModuleType, closed_port: int) -> None:
    """A refused connection is an APIConnectionError after the allowed retries."""
    profile = make_profile(rt, base_url="http://unused.invalid")
    client = rt._base_client.SyncAPIClient(
        profile=profile, api_key="k", base_url=f"http://127.0.0.1:{closed_port}", max_retries=1
    )
    sleeps: list[float] = []
    client._sleep = sleeps.append
    with client, pytest.raises(rt._exceptions.APIConnectionError) as caught:
        client.request("GET", "/models", parse=lambda body: body)
    assert not isinstance(caught.value, rt._exceptions.APITimeoutError)
    assert len(sleeps) == 1


def test_async_real_timeout_and_refusal(rt: ModuleType, silent_port: int, closed_port: int) -> None:
    """The async client maps a real timeout and a real refusal the same way."""

    async def scenario() -> None:
        for port, error in (
            (silent_port, rt._exceptions.APITimeoutError),
            (closed_port, rt._exceptions.APIConnectionError),
        ):
            profile = make_profile(rt, base_url=f"http://127.0.0.1:{port}")
            async with rt._base_client.AsyncAPIClient(
                profile=profile, api_key="k", timeout=0.2, max_retries=0
            ) as client:
                with pytest.raises(error):
                    await client.request("GET", "/models", parse=lambda body: body)

    asyncio.run(scenario())
