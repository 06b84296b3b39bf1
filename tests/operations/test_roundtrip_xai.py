"""A second vendor's document (xAI) against its own generated server: token pagination, a
custom method (`/batches/{batchId}:cancel`), a multipart upload, an `audio/mpeg` answer, JSON and
SSE chat, a DELETE, and 501 for what the handler leaves out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .._asgi import in_process_client
from ._handlers import handler_for
from .conftest import load_package

XAI = "xai_openapi.yaml"
VENDOR = "xai_openapi"


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def routes(self) -> dict[tuple[str, str], Any]:
        async def retrieve_batch(batch_id: str) -> dict[str, Any]:
            self.calls.append(("retrieve", batch_id))
            return {"batch_id": batch_id, "name": "nightly"}

        async def cancel_batch(batch_id: str) -> dict[str, Any]:
            self.calls.append(("cancel", batch_id))
            return {"batch_id": batch_id, "name": "nightly"}

        async def list_batches(**query: Any) -> dict[str, Any]:
            self.calls.append(("list", query))
            if query.get("pagination_token") is None:
                return {"batches": [{"batch_id": "b1"}, {"batch_id": "b2"}],
                        "pagination_token": "t2"}  # fmt: skip
            return {"batches": [{"batch_id": "b3"}]}  # the last page: no token

        async def upload(request: Any) -> dict[str, Any]:
            self.calls.append(("upload", (request.file, request.purpose)))
            return {"id": "file-1"}

        async def speak(request: Any) -> bytes:
            self.calls.append(("speak", request.text))
            return b"ID3\x00mp3"

        async def delete_voice(voice_id: str) -> dict[str, Any]:
            self.calls.append(("delete", voice_id))
            return {"deleted": True}

        async def chat(request: Any) -> Any:
            self.calls.append(("chat", request.stream))
            if request.stream:
                return self._chunks()
            return {"id": "c", "choices": [{"index": 0, "message": {"role": "assistant",
                                                                     "content": "hi"}}]}  # fmt: skip

        return {
            ("GET", "/batches/{batchId}"): retrieve_batch,
            ("POST", "/batches/{batchId}:cancel"): cancel_batch,
            ("GET", "/batches"): list_batches,
            ("POST", "/files"): upload,
            ("POST", "/tts"): speak,
            ("DELETE", "/custom-voices/{voiceId}"): delete_voice,
            ("POST", "/chat/completions"): chat,
        }

    async def _chunks(self) -> AsyncIterator[dict[str, Any]]:
        for text in ("a", "b"):
            yield {"id": "c", "choices": [{"index": 0, "delta": {"content": text}}]}


@pytest.fixture(scope="module")
def built(corpus_packages: dict[str, Path]) -> tuple[ModuleType, ModuleType]:
    return load_package(corpus_packages[XAI])


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def client(built: tuple[ModuleType, ModuleType], recorder: Recorder) -> Any:
    package, server = built
    app = server.create_app(handler_for(server, recorder.routes()))
    return package.Client(vendor=VENDOR, api_key="k", http_client=in_process_client(app))


def test_path_parameters_take_pythons_spelling(client: Any, recorder: Recorder) -> None:
    assert client.batches.retrieve(batch_id="b1").batch_id == "b1"
    assert client.batches.cancel("b1").name == "nightly"
    assert recorder.calls == [("retrieve", "b1"), ("cancel", "b1")]


def test_a_token_paginated_list_walks_two_pages(client: Any, recorder: Recorder) -> None:
    page = client.batches.list(page_size=2)
    assert [b.batch_id for b in page] == ["b1", "b2", "b3"]
    assert recorder.calls == [
        ("list", {"page_size": 2}),
        ("list", {"page_size": 2, "pagination_token": "t2"}),
    ]


def test_an_upload_a_binary_answer_and_a_delete(client: Any, recorder: Recorder) -> None:
    assert client.files.create(file=b"data", purpose="batch").id == "file-1"
    speech = client.tts.create(text="hello", language="en")
    assert speech.read() == b"ID3\x00mp3"
    assert speech.content_type == "audio/mpeg"
    assert client.custom_voices.delete("v1").deleted is True
    assert recorder.calls == [("upload", (b"data", "batch")), ("speak", "hello"), ("delete", "v1")]


def test_json_and_streamed_chat(client: Any, recorder: Recorder) -> None:
    messages = [{"role": "user", "content": "hi"}]
    answer = client.chat.completions.create(model="grok", messages=messages)
    assert answer.choices[0].message.content == "hi"
    streamed = client.chat.completions.create(model="grok", messages=messages, stream=True)
    assert [c.choices[0].delta.content for c in streamed] == ["a", "b"]


def test_what_the_handler_leaves_out_answers_501(
    client: Any, built: tuple[ModuleType, ModuleType]
) -> None:
    package, _server = built
    with pytest.raises(package.APIStatusError) as raised:
        client.models.retrieve("grok-4")
    assert raised.value.status_code == 501
