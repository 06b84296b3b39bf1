"""The runtime's own SyncAPIClient and AsyncAPIClient against the mounted server, in process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from .._asgi import in_process_client
from ._app import ChatRequest, Chunk, Completion, build_app, chunk
from .test_errors import NAMED_ERRORS, raising
from .test_routes import BODY

CLIENT_ERRORS = {
    "BadRequest": "BadRequestError",
    "AuthenticationFailed": "AuthenticationError",
    "PermissionDenied": "PermissionDeniedError",
    "NotFound": "NotFoundError",
    "UnprocessableEntity": "UnprocessableEntityError",
    "RateLimited": "RateLimitError",
    "InternalServerFailure": "InternalServerError",
}


class Caller:
    """Calls an app through SyncAPIClient (over tests/_asgi.py's bridge to TestClient) or AsyncAPIClient (over ASGI)."""

    def __init__(self, rt: ModuleType, mode: str) -> None:
        self.rt = rt
        self.mode = mode

    def client(self, app: FastAPI, prefix: str, **profile: Any) -> Any:
        base = self.rt._base_client
        vendor = base.VendorProfile(name="test", base_url=f"http://testserver{prefix}", **profile)
        if self.mode == "async":
            transport = httpx.ASGITransport(app=app)
            http_client: Any = httpx.AsyncClient(transport=transport)
            return base.AsyncAPIClient(profile=vendor, http_client=http_client, max_retries=0)
        return base.SyncAPIClient(profile=vendor, http_client=in_process_client(app), max_retries=0)

    def create(self, app: FastAPI, body: object, prefix: str = "/v1", **profile: Any) -> Any:
        """POST the body and parse a Completion."""
        client = self.client(app, prefix, **profile)
        call = client.request(
            "POST", "/chat/completions", body=body, parse=Completion.model_validate
        )
        return asyncio.run(call) if self.mode == "async" else call

    def stream(
        self, app: FastAPI, body: object, prefix: str = "/v1", **profile: Any
    ) -> tuple[list[Chunk], Exception | None]:
        """Stream Chunks; return those received and the exception that ended the stream."""
        client = self.client(app, prefix, **profile)
        chunks: list[Chunk] = []
        kwargs = {"body": body, "parse": Chunk.model_validate}
        if self.mode == "async":

            async def collect() -> None:
                stream = await client.request_stream("POST", "/chat/completions", **kwargs)
                async for item in stream:
                    chunks.append(item)

            try:
                asyncio.run(collect())
            except Exception as exc:
                return chunks, exc
            return chunks, None
        try:
            for item in client.request_stream("POST", "/chat/completions", **kwargs):
                chunks.append(item)
        except Exception as exc:
            return chunks, exc
        return chunks, None


@pytest.fixture(params=["sync", "async"])
def caller(request: pytest.FixtureRequest, rt: ModuleType) -> Caller:
    """Parametrises a test over the sync and the async client."""
    return Caller(rt, request.param)


def test_client_gets_completion(caller: Caller, server: ModuleType) -> None:
    """A plain call parses into the response model."""
    answer = caller.create(build_app(server), BODY, "/api/ai")
    assert isinstance(answer, Completion)
    assert answer.choices[0].message.content == "hello big world"


def test_client_streams_chunks_in_order(caller: Caller, server: ModuleType) -> None:
    """A streamed call yields every chunk in order and ends cleanly at [DONE]."""
    chunks, error = caller.stream(build_app(server), {**BODY, "stream": True})
    assert error is None
    assert [c.choices[0].delta.content for c in chunks] == ["hello", "big", "world", ""]


@pytest.mark.parametrize(("name", "status", "error_type"), NAMED_ERRORS)
def test_server_error_class_becomes_client_error_class(
    caller: Caller, server: ModuleType, name: str, status: int, error_type: str
) -> None:
    """Each server error class arrives as the client's class for its status, message intact."""
    app = build_app(server, raising(getattr(server, name)("it failed", code="c1")))
    with pytest.raises(caller.rt._exceptions.APIStatusError) as caught:
        caller.create(app, BODY)
    assert type(caught.value) is getattr(caller.rt._exceptions, CLIENT_ERRORS[name])
    assert caught.value.status_code == status
    assert caught.value.message == "it failed"
    assert caught.value.body["error"]["type"] == error_type


def test_validation_error_reaches_client_as_bad_request(caller: Caller, server: ModuleType) -> None:
    """An invalid request body raises BadRequestError carrying the server's explanation."""
    with pytest.raises(caller.rt._exceptions.BadRequestError, match="'model': Field required"):
        caller.create(build_app(server), {"messages": BODY["messages"]})


def test_unknown_exception_reaches_client_as_generic_500(
    caller: Caller, server: ModuleType
) -> None:
    """An unexpected handler exception is an InternalServerError with the generic message."""
    app = build_app(server, raising(RuntimeError("internal detail")))
    with pytest.raises(caller.rt._exceptions.InternalServerError) as caught:
        caller.create(app, BODY)
    assert caught.value.message == server.GENERIC_SERVER_ERROR


def test_mid_stream_error_reaches_client_after_chunks(caller: Caller, server: ModuleType) -> None:
    """Chunks sent before an error arrive; then the client raises APIStreamError."""

    async def handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        yield chunk("one")
        yield chunk("two")
        raise server.InternalServerFailure("model crashed")

    chunks, error = caller.stream(build_app(server, handler), {**BODY, "stream": True})
    assert [c.choices[0].delta.content for c in chunks] == ["one", "two"]
    assert isinstance(error, caller.rt._exceptions.APIStreamError)
    assert error.message == "model crashed"


def test_in_body_error_reaches_client_as_vendor_class(caller: Caller, server: ModuleType) -> None:
    """At an in-body prefix the client raises the vendor's in-body class, plain or streamed."""

    class InsufficientBalanceError(caller.rt._exceptions.APIInBodyError):
        code = 701

    mounts = [server.Mount("/api/ai", in_body_errors=server.InBodyErrors(codes=(701,)))]

    async def handler(request: ChatRequest) -> Completion:
        raise server.HTTPError(402, "pay first", code=701)

    app = build_app(server, handler, mounts=mounts)
    profile = {"in_body_errors": {701: InsufficientBalanceError}}
    with pytest.raises(InsufficientBalanceError, match="pay first") as caught:
        caller.create(app, BODY, "/api/ai", **profile)
    assert caught.value.status_code == 200

    async def stream_handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        raise server.HTTPError(402, "pay first", code=701)
        yield chunk("never")

    stream_app = build_app(server, stream_handler, mounts=mounts)
    chunks, error = caller.stream(stream_app, {**BODY, "stream": True}, "/api/ai", **profile)
    assert chunks == []
    assert isinstance(error, InsufficientBalanceError)
