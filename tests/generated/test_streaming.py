"""Streaming through the client: DeepSeek's own SSE example, split anywhere, comes out as exactly
its chunks, stops at [DONE], closes the response; an error object mid-stream raises."""

from __future__ import annotations

import asyncio
import json
from types import ModuleType
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ._documents import sse_chunks, stream_example_text
from .conftest import ChunkedBody, FakeVendor, async_client, same_json, split_at, sync_client

TEXT = stream_example_text()
SSE = TEXT.encode("utf-8")
EXPECTED = sse_chunks(TEXT)
# An event after [DONE] that is not a chunk: reading it would fail validation loudly.
AFTER_DONE = b'\r\n\r\ndata: {"after": "done"}\r\n\r\n'
STREAM_ERROR = {"error": {"message": "Model overloaded", "type": "server_error"}}
REQUEST: dict[str, Any] = {
    "model": "deepseek-chat",
    "messages": [{"role": "user", "content": "Hi"}],
    "stream": True,
}
SPLITS = st.lists(st.integers(min_value=0, max_value=len(SSE) + len(AFTER_DONE)), max_size=40)


def _serving(body: ChunkedBody) -> FakeVendor:
    return FakeVendor(
        lambda request: httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=body
        )
    )


def _dump(chunk: Any) -> Any:
    return chunk.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _assert_document_chunks(api: ModuleType, chunks: list[Any]) -> None:
    assert all(isinstance(chunk, api.ChatCompletionChunk) for chunk in chunks)
    assert len(chunks) == len(EXPECTED) == 11
    for expected, chunk in zip(EXPECTED, chunks, strict=True):
        same_json(expected, _dump(chunk))


def _with_error_after(events_before: int) -> bytes:
    """DeepSeek's stream with an error object inserted after its first `events_before` events."""
    events = TEXT.split("\r\n\r\n")
    error_event = "data: " + json.dumps(STREAM_ERROR)
    return "\r\n\r\n".join([*events[:events_before], error_event, *events[events_before:]]).encode()


@settings(max_examples=60, deadline=None)
@given(positions=SPLITS, trailer=st.sampled_from([b"", AFTER_DONE]))
def test_stream_yields_the_documents_chunks_whatever_the_split(
    api: ModuleType, positions: list[int], trailer: bytes
) -> None:
    """Cut at random bytes (inside CRLFs, inside JSON), the stream yields exactly the document's
    chunks in order, ignores anything after [DONE], and closes the response."""
    data = SSE + trailer
    body = ChunkedBody(split_at(data, positions))
    assert b"".join(body.chunks) == data
    server = _serving(body)
    stream = sync_client(api, "deepseek", server).chat.completions.create(**REQUEST)
    assert isinstance(stream, api.Stream)
    _assert_document_chunks(api, list(stream))
    assert body.closed
    assert stream.response.is_closed
    assert server.requests[0].headers["accept"] == "text/event-stream"
    assert json.loads(server.requests[0].content)["stream"] is True


@settings(max_examples=30, deadline=None)
@given(positions=SPLITS, trailer=st.sampled_from([b"", AFTER_DONE]))
def test_async_stream_yields_the_documents_chunks_whatever_the_split(
    api: ModuleType, positions: list[int], trailer: bytes
) -> None:
    """AsyncClient twin: same chunks, same order, stops at [DONE], response closed."""
    data = SSE + trailer
    body = ChunkedBody(split_at(data, positions))

    async def consume() -> list[Any]:
        client = async_client(api, "deepseek", _serving(body))
        stream = await client.chat.completions.create(**REQUEST)
        assert isinstance(stream, api.AsyncStream)
        chunks = [chunk async for chunk in stream]
        assert stream.response.is_closed
        return chunks

    _assert_document_chunks(api, asyncio.run(consume()))
    assert body.closed


def test_stream_split_into_single_bytes(api: ModuleType) -> None:
    """The extreme split: one byte per read."""
    body = ChunkedBody(split_at(SSE, range(len(SSE))))
    assert len(body.chunks) == len(SSE)
    stream = sync_client(api, "deepseek", _serving(body)).chat.completions.create(**REQUEST)
    _assert_document_chunks(api, list(stream))
    assert body.closed


def test_stream_stops_reading_at_done(api: ModuleType) -> None:
    """Once [DONE] arrives the client reads no further and closes the response."""
    body = ChunkedBody([SSE + b"\r\n\r\n", b"data: this is never read\r\n\r\n"])
    stream = sync_client(api, "deepseek", _serving(body)).chat.completions.create(**REQUEST)
    _assert_document_chunks(api, list(stream))
    assert body.served == 1
    assert body.closed


def test_stream_closed_early_releases_the_response(api: ModuleType) -> None:
    """Leaving a `with` block after two chunks closes the response without reading the rest."""
    body = ChunkedBody(split_at(SSE, range(0, len(SSE), 64)))
    client = sync_client(api, "deepseek", _serving(body))
    with client.chat.completions.create(**REQUEST) as stream:
        first = [next(stream), next(stream)]
    same_json(EXPECTED[1], _dump(first[1]))
    assert body.closed
    assert body.served < len(body.chunks)


@pytest.mark.parametrize("events_before", [0, 3, 10])
def test_error_object_mid_stream_raises_api_stream_error(
    api: ModuleType, events_before: int
) -> None:
    """An `{"error": ...}` event after some chunks: those chunks arrive, then APIStreamError with
    the vendor's message and body; the response is closed."""
    body = ChunkedBody(split_at(_with_error_after(events_before), range(0, 4000, 97)))
    stream = sync_client(api, "deepseek", _serving(body)).chat.completions.create(**REQUEST)
    received = []
    with pytest.raises(api.APIStreamError) as caught:
        for chunk in stream:
            received.append(chunk)
    assert [_dump(chunk) for chunk in received] == EXPECTED[:events_before]
    assert caught.value.message == "Model overloaded"
    assert caught.value.body == STREAM_ERROR
    assert caught.value.response.status_code == 200
    assert body.closed


@pytest.mark.anyio
async def test_async_error_object_mid_stream_raises_api_stream_error(api: ModuleType) -> None:
    """AsyncClient twin of the mid-stream error."""
    body = ChunkedBody([_with_error_after(2)])
    client = async_client(api, "deepseek", _serving(body))
    stream = await client.chat.completions.create(**REQUEST)
    received = []
    with pytest.raises(api.APIStreamError) as caught:
        async for chunk in stream:
            received.append(chunk)
    assert len(received) == 2
    assert caught.value.body == STREAM_ERROR
    assert body.closed


def test_error_status_on_a_streamed_call_raises_before_streaming(api: ModuleType) -> None:
    """A 4xx answer to `stream=True` is a typed status error, not a stream."""
    server = FakeVendor(httpx.Response(401, json={"error": {"message": "bad key"}}))
    with pytest.raises(api.AuthenticationError) as caught:
        sync_client(api, "deepseek", server).chat.completions.create(**REQUEST)
    assert caught.value.status_code == 401
    assert caught.value.message == "bad key"
