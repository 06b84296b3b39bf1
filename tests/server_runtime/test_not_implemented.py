"""Operations a server does not implement: no handler, or one raising NotImplementedError, is a
501 in the error envelope at every prefix, in-body mounts included, and is documented."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ._app import ChatRequest, Chunk, build_app
from ._files_app import PREFIX, FilesHandler, build_files_app
from .test_routes import BODY, STREAM_BODY, events, post

pytestmark = pytest.mark.anyio


def not_implemented(label: str) -> dict[str, Any]:
    return {
        "error": {
            "message": f"{label} is not implemented by this server",
            "type": "not_implemented",
            "param": None,
            "code": "not_implemented",
        }
    }


def test_operation_without_handler_is_501_at_every_prefix(server: ModuleType) -> None:
    """handler=None: each mounted path answers 501 naming its method and path template."""
    client = TestClient(build_files_app(server, mounts=["/v1", "/api/ai"]))
    for prefix in ("/v1", "/api/ai"):
        response = client.get(f"{prefix}/files/file-1/thumbnail")
        assert response.status_code == 501
        assert response.headers["content-type"] == "application/json"
        assert response.json() == not_implemented(f"GET {prefix}/files/{{file_id}}/thumbnail")


def test_handler_raising_not_implemented_error_is_501(server: ModuleType) -> None:
    """NotImplementedError answers the same 501; its own text is not sent."""
    response = TestClient(build_files_app(server)).post(f"{PREFIX}/batches", json={})
    assert response.status_code == 501
    assert response.json() == not_implemented(f"POST {PREFIX}/batches")
    assert "batches come later" not in response.text


def test_not_implemented_route_skips_validation(server: ModuleType) -> None:
    """Nothing is validated for an operation nobody implements: the 501 is the whole answer."""
    client = TestClient(build_files_app(server))
    response = client.get(f"{PREFIX}/files/file-1/thumbnail", params={"size": "huge"})
    assert response.status_code == 501


async def test_chat_operation_without_handler(server: ModuleType) -> None:
    """mount_operation itself takes None: the chat route answers 501 for both call kinds."""
    app = FastAPI()
    operation = server.Operation(
        method="POST",
        path="/chat/completions",
        request_model=ChatRequest,
        chunk_model=Chunk,
        operation_id="createChatCompletion",
    )
    server.mount_operation(app, operation, None, mounts=["/v1"])
    for body in (BODY, STREAM_BODY):
        response = await post(app, body)
        assert response.status_code == 501
        assert response.json() == not_implemented("POST /v1/chat/completions")


async def test_async_generator_raising_before_first_chunk_is_501(server: ModuleType) -> None:
    async def handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        raise NotImplementedError
        yield

    response = await post(build_app(server, handler), STREAM_BODY)
    assert response.status_code == 501
    assert response.json() == not_implemented("POST /v1/chat/completions")


async def test_not_implemented_error_mid_stream_is_final_error_event(server: ModuleType) -> None:
    async def handler(request: ChatRequest) -> AsyncIterator[Chunk]:
        yield Chunk(id="c", choices=[])
        raise NotImplementedError

    data = events(await post(build_app(server, handler), STREAM_BODY))
    assert json.loads(data[-1]) == not_implemented("POST /v1/chat/completions")


def test_not_implemented_failure_is_exported_and_raisable(
    server: ModuleType, rt: ModuleType
) -> None:
    """NotImplementedFailure is a 501 HTTPError with the not_implemented type and code."""
    assert server.NotImplementedFailure is rt._server_errors.NotImplementedFailure
    assert "NotImplementedFailure" in rt._server_errors.__all__
    failure = server.NotImplementedFailure("not yet")
    assert isinstance(failure, server.HTTPError)
    assert (failure.status_code, failure.type, failure.code) == (
        501,
        "not_implemented",
        "not_implemented",
    )
    handler = FilesHandler(server)

    async def later(**params: Any) -> None:
        raise server.NotImplementedFailure("listing comes in v2", code=None)

    handler.list = later  # type: ignore[method-assign]
    response = TestClient(build_files_app(server, handler)).get(f"{PREFIX}/files")
    assert response.status_code == 501
    assert response.json()["error"] == {
        "message": "listing comes in v2",
        "type": "not_implemented",
        "param": None,
        "code": None,
    }


def test_in_body_mount_keeps_the_501_status(server: ModuleType) -> None:
    """A vendor's in-body catalogue does not hold not_implemented: the status answer stays."""
    catalogue = server.InBodyErrors(codes=(701,))
    mounts = [server.Mount("/api/ai", in_body_errors=catalogue)]
    response = TestClient(build_files_app(server, mounts=mounts)).get("/api/ai/files/f/thumbnail")
    assert response.status_code == 501
    assert response.json()["error"]["code"] == "not_implemented"


def test_not_implemented_operation_is_documented_with_501(server: ModuleType) -> None:
    document = TestClient(build_files_app(server)).get("/openapi.json").json()
    thumbnail = document["paths"][f"{PREFIX}/files/{{file_id}}/thumbnail"]["get"]["responses"]
    assert thumbnail["501"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    implemented = document["paths"][f"{PREFIX}/files/{{file_id}}/content"]["get"]["responses"]
    assert "501" not in implemented
