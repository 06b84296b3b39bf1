"""The OpenAI document's client against its own generated server, in process (no network).

One call of each form: a GET with a path parameter, a list over two pages with query parameters,
a multipart upload, a binary download, a JSON POST, an SSE stream, a DELETE, and an operation the
handler does not implement (501), in the sync client and, for the page walk, the async one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from .._asgi import in_process_client
from ._handlers import handler_for
from .conftest import load_package

OPENAI = "openai_openapi.yaml"
VENDOR = "openai_openapi"


def file_object(file_id: str, purpose: str = "batch") -> dict[str, Any]:
    return {"id": file_id, "bytes": 3, "created_at": 1, "filename": f"{file_id}.jsonl",
            "object": "file", "purpose": purpose, "status": "processed"}  # fmt: skip


CHAT = {"id": "c1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                     "message": {"role": "assistant", "content": "hi", "refusal": None}}]}  # fmt: skip


def chunk(text: str) -> dict[str, Any]:
    return {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o",
            "choices": [{"index": 0, "finish_reason": None, "delta": {"content": text}}]}  # fmt: skip


class Recorder:
    """The handler's functions, recording what each received."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def routes(self) -> dict[tuple[str, str], Any]:
        async def retrieve_model(model: str) -> dict[str, Any]:
            self.calls.append(("retrieve_model", model))
            return {"id": model, "created": 1, "object": "model", "owned_by": "openai"}

        async def list_files(**query: Any) -> dict[str, Any]:
            self.calls.append(("list_files", query))
            first = query.get("after") is None
            ids = ["f1", "f2"] if first else ["f3"]
            return {"object": "list", "data": [file_object(i) for i in ids],
                    "first_id": ids[0], "last_id": ids[-1], "has_more": first}  # fmt: skip

        async def create_file(request: Any) -> dict[str, Any]:
            self.calls.append(("create_file", (request.file, request.purpose)))
            return file_object("f9", request.purpose)

        async def download(file_id: str) -> bytes:
            self.calls.append(("download", file_id))
            return b'{"a": 1}\n\x00\xff'

        async def delete_file(file_id: str) -> dict[str, Any]:
            self.calls.append(("delete_file", file_id))
            return {"id": file_id, "object": "file", "deleted": True}

        async def chat(request: Any) -> Any:
            self.calls.append(("chat", request.model))
            if request.stream:
                return self._stream()
            return CHAT

        return {
            ("GET", "/models/{model}"): retrieve_model,
            ("GET", "/files"): list_files,
            ("POST", "/files"): create_file,
            ("GET", "/files/{file_id}/content"): download,
            ("DELETE", "/files/{file_id}"): delete_file,
            ("POST", "/chat/completions"): chat,
        }

    async def _stream(self) -> AsyncIterator[dict[str, Any]]:
        for text in ("Hel", "lo"):
            yield chunk(text)


@pytest.fixture(scope="module")
def built(corpus_packages: dict[str, Path]) -> tuple[ModuleType, ModuleType]:
    return load_package(corpus_packages[OPENAI])


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def client(built: tuple[ModuleType, ModuleType], recorder: Recorder) -> Any:
    package, server = built
    app = server.create_app(handler_for(server, recorder.routes()))
    return package.Client(vendor=VENDOR, api_key="k", http_client=in_process_client(app))


def test_get_with_a_path_parameter(client: Any, recorder: Recorder) -> None:
    model = client.models.retrieve("ft:gpt-4o:acme:x y")  # quoted into one segment
    assert (model.id, model.owned_by) == ("ft:gpt-4o:acme:x y", "openai")
    assert recorder.calls == [("retrieve_model", "ft:gpt-4o:acme:x y")]


def test_a_list_with_query_parameters_walks_two_pages(client: Any, recorder: Recorder) -> None:
    page = client.files.list(purpose="batch", limit=2)
    assert [f.id for f in page.data] == ["f1", "f2"] and page.has_next_page()
    assert [f.id for f in page] == ["f1", "f2", "f3"]
    first, second = (query for name, query in recorder.calls if name == "list_files")
    assert first == {"purpose": "batch", "limit": 2}
    assert second == {"purpose": "batch", "limit": 2, "after": "f2"}
    last = page.get_next_page()
    assert not last.has_next_page()
    with pytest.raises(RuntimeError, match="no next page"):
        last.get_next_page()


def test_the_async_client_walks_the_same_pages(
    built: tuple[ModuleType, ModuleType], recorder: Recorder
) -> None:
    package, server = built
    app = server.create_app(handler_for(server, recorder.routes()))

    async def walk() -> list[str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport) as http:
            client = package.AsyncClient(vendor=VENDOR, api_key="k", http_client=http)
            page = await client.files.list(limit=2)
            return [f.id async for f in page]

    assert asyncio.run(walk()) == ["f1", "f2", "f3"]


def test_a_multipart_upload(client: Any, recorder: Recorder, tmp_path: Path) -> None:
    uploaded = client.files.create(file=("data.jsonl", b'{"x": 1}\n'), purpose="batch")
    assert (uploaded.id, uploaded.purpose) == ("f9", "batch")
    path = tmp_path / "other.jsonl"
    path.write_bytes(b"\x00\x01")
    client.files.create(file=path, purpose="fine-tune")
    assert recorder.calls == [
        ("create_file", (b'{"x": 1}\n', "batch")),
        ("create_file", (b"\x00\x01", "fine-tune")),
    ]


def test_a_binary_download(client: Any, recorder: Recorder, tmp_path: Path) -> None:
    with client.files.content("f1") as download:
        assert download.read() == b'{"a": 1}\n\x00\xff'
    target = tmp_path / "f1.jsonl"
    client.files.content("f1").write_to_file(target)
    assert target.read_bytes() == b'{"a": 1}\n\x00\xff'
    assert recorder.calls == [("download", "f1"), ("download", "f1")]


def test_a_json_post_and_an_sse_stream(client: Any, recorder: Recorder) -> None:
    messages = [{"role": "user", "content": "hi"}]
    completion = client.chat.completions.create(model="gpt-4o", messages=messages)
    assert completion.choices[0].message.content == "hi"
    chunks = list(client.chat.completions.create(model="gpt-4o", messages=messages, stream=True))
    assert [c.choices[0].delta.content for c in chunks] == ["Hel", "lo"]
    assert recorder.calls == [("chat", "gpt-4o"), ("chat", "gpt-4o")]


def test_a_delete(client: Any, recorder: Recorder) -> None:
    deleted = client.files.delete("f1")
    assert deleted.deleted is True
    assert recorder.calls == [("delete_file", "f1")]


def test_an_operation_the_handler_does_not_implement_answers_501(
    client: Any, built: tuple[ModuleType, ModuleType]
) -> None:
    package, _server = built
    with pytest.raises(package.APIStatusError) as raised:
        client.batches.retrieve("b1")
    assert raised.value.status_code == 501
    assert "not implemented" in str(raised.value)


def test_a_bad_query_parameter_is_refused_by_the_server(client: Any) -> None:
    """The server validates parameters against the document: a limit that is no integer."""
    response = client._client.get(
        "https://api.openai.com/v1/files", params={"limit": "many"}, headers={"Authorization": "k"}
    )
    assert response.status_code == 400
    assert "limit" in response.json()["error"]["message"]
