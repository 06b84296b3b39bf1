"""Answers other than one JSON model: bytes with their media type (whole or streamed), text,
no content, other success statuses, non-model JSON types, and results of the wrong kind."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any, Literal

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from ._files_app import PDF, PREFIX, SPEECH_PARTS, FilesHandler, SpeechRequest, build_files_app

pytestmark = pytest.mark.anyio


@pytest.fixture
def handler(server: ModuleType) -> FilesHandler:
    return FilesHandler(server)


@pytest.fixture
def client(server: ModuleType, handler: FilesHandler) -> TestClient:
    return TestClient(build_files_app(server, handler))


def serve_one(server: ModuleType, handler: Any, **fields: Any) -> TestClient:
    """A client of an app serving one operation at /thing with `handler`."""
    operation = server.Operation(**{"method": "GET", "path": "/thing", **fields})
    app = FastAPI()
    server.mount_operation(app, operation, handler, mounts=[""])
    return TestClient(app)


def test_binary_answer_has_media_type_and_exact_bytes(client: TestClient) -> None:
    """The handler's bytes are sent unchanged with the declared media type, no charset."""
    response = client.get(f"{PREFIX}/files/file-1/content")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(PDF))
    assert response.content == PDF


async def test_streamed_binary_answer(server: ModuleType) -> None:
    """An async iterator of bytes is streamed, in order, as audio/mpeg; the body was JSON."""
    handler = FilesHandler(server)
    transport = httpx.ASGITransport(app=build_files_app(server, handler))
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
        client.stream("POST", f"{PREFIX}/audio/speech", json={"input": "hi"}) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"] == "audio/mpeg"
        assert "content-length" not in response.headers
        received = [part async for part in response.aiter_raw()]
    assert b"".join(received) == b"".join(SPEECH_PARTS)
    assert handler.calls == [("speech", (SpeechRequest(input="hi"),), {})]


def test_default_binary_media_type_and_bytearray(server: ModuleType) -> None:
    async def handler() -> bytearray:
        return bytearray(b"\x00\x01")

    response = serve_one(server, handler, response_kind="binary").get("/thing")
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.content == b"\x00\x01"


def test_text_answer(client: TestClient) -> None:
    """A text answer is sent as text/plain in UTF-8."""
    response = client.post(f"{PREFIX}/shout", content="héllo".encode())
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "HÉLLO!"


def test_streamed_text_answer_with_media_type(server: ModuleType) -> None:
    async def handler() -> AsyncIterator[str]:
        yield "a,b\n"
        yield "1,2\n"

    client = serve_one(server, handler, response_kind="text", response_media_type="text/csv")
    response = client.get("/thing")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text == "a,b\n1,2\n"


def test_empty_answer_is_204_without_body(client: TestClient) -> None:
    response = client.delete(f"{PREFIX}/files/file-1")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


def test_empty_answer_with_another_status(server: ModuleType) -> None:
    """success_status overrides the 204 of an empty answer."""

    async def handler() -> None:
        return None

    response = serve_one(server, handler, response_kind="empty", success_status=202).get("/thing")
    assert (response.status_code, response.content) == (202, b"")


def test_json_answer_with_success_status(client: TestClient) -> None:
    """The upload answers 201 with the model's JSON."""
    response = client.post(f"{PREFIX}/files", files={"file": PDF}, data={"purpose": "batch"})
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int = 9
    nick: str | None = Field(default=None, alias="nickName")


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool = True


def test_union_response_model(server: ModuleType) -> None:
    """A union alias validates a dict into the right member; aliases and only-set fields as
    for a model."""
    results: list[object] = [{"kind": "dog"}, Cat(kind="cat", nickName="Tom")]

    async def handler() -> object:
        return results.pop(0)

    client = serve_one(server, handler, response_model=Cat | Dog)
    assert client.get("/thing").json() == {"kind": "dog"}
    assert client.get("/thing").json() == {"kind": "cat", "nickName": "Tom"}


def test_list_response_model(server: ModuleType) -> None:
    async def handler() -> list[dict[str, str]]:
        return [{"kind": "cat"}, {"kind": "dog"}]

    response = serve_one(server, handler, response_model=list[Cat | Dog]).get("/thing")
    assert response.json() == [{"kind": "cat"}, {"kind": "dog"}]


def test_any_response_model_sends_the_value_as_is(server: ModuleType) -> None:
    async def handler() -> object:
        return {"n": 1, "cat": Cat(kind="cat"), "list": [None, True]}

    response = serve_one(server, handler, response_model=Any).get("/thing")
    assert response.json() == {"n": 1, "cat": {"kind": "cat"}, "list": [None, True]}


def test_invalid_union_result_is_500_naming_the_type(server: ModuleType) -> None:
    async def handler() -> dict[str, str]:
        return {"kind": "bird"}

    response = serve_one(server, handler, response_model=Cat | Dog).get("/thing")
    assert response.status_code == 500
    message = response.json()["error"]["message"]
    assert "returned dict, not a valid Cat | Dog" in message


@pytest.mark.parametrize(
    ("fields", "result", "message"),
    [
        (
            {"response_kind": "binary"},
            "text",
            "returned str; /thing answers binary, return bytes or an async iterator of bytes",
        ),
        (
            {"response_kind": "text"},
            b"bytes",
            "returned bytes; /thing answers text, return str or an async iterator of str",
        ),
        (
            {"response_kind": "empty"},
            {"deleted": True},
            "returned dict; /thing answers no body, return None",
        ),
    ],
    ids=["str-for-binary", "bytes-for-text", "dict-for-empty"],
)
def test_result_of_the_wrong_kind_is_500(
    server: ModuleType,
    caplog: pytest.LogCaptureFixture,
    fields: dict[str, Any],
    result: object,
    message: str,
) -> None:
    """The handler broke the operation's contract: 500 saying how, logged as such."""

    async def handler() -> object:
        return result

    with caplog.at_level(logging.ERROR):
        response = serve_one(server, handler, **fields).get("/thing")
    assert response.status_code == 500
    assert response.json()["error"]["message"].endswith(message)
    assert response.json()["error"]["type"] == "server_error"
    assert "handler contract violated" in caplog.text


def test_wrong_first_chunk_of_binary_stream_is_500(server: ModuleType) -> None:
    """The first piece is checked before the 200 is sent; the generator is closed."""
    closed: list[bool] = []

    async def handler() -> AsyncIterator[object]:
        try:
            yield "not bytes"
        finally:
            closed.append(True)

    response = serve_one(server, handler, response_kind="binary").get("/thing")
    assert response.status_code == 500
    assert "yielded str, not bytes" in response.json()["error"]["message"]
    assert closed == [True]


def test_error_from_a_binary_handler_keeps_its_status(client: TestClient) -> None:
    """An HTTPError raised instead of bytes is answered as JSON with its status."""
    response = client.get(f"{PREFIX}/files/nope/content")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["param"] == "file_id"
