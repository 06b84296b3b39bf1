"""Stream and AsyncStream: parsed chunks, [DONE], in-stream errors, and closing the response."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest


class Chunk(pydantic.BaseModel):
    n: int


class RecordingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that remembers being closed and how many chunks were read."""

    def __init__(self, *chunks: bytes, fail_with: Exception | None = None) -> None:
        self.chunks = chunks
        self.fail_with = fail_with
        self.closed = False
        self.read = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.read += 1
            yield chunk
        if self.fail_with is not None:
            raise self.fail_with

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.__iter__():
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def sse(*datas: str) -> bytes:
    return b"".join(f"data: {data}\n\n".encode() for data in datas)


def response_with(body: RecordingStream) -> httpx.Response:
    request = httpx.Request("POST", "https://api.acme.test/v1/chat")
    return httpx.Response(
        200, headers={"content-type": "text/event-stream"}, stream=body, request=request
    )


def make_stream(rt: ModuleType, body: RecordingStream, **kwargs: Any) -> Any:
    return rt._streaming.Stream(response_with(body), Chunk.model_validate, **kwargs)


def make_async_stream(rt: ModuleType, body: RecordingStream, **kwargs: Any) -> Any:
    return rt._streaming.AsyncStream(response_with(body), Chunk.model_validate, **kwargs)


THREE_AND_DONE = sse('{"n": 1}', '{"n": 2}', '{"n": 3}', "[DONE]", '{"n": 4}')


def test_yields_parsed_chunks_until_done(rt: ModuleType) -> None:
    """Each event's JSON goes through parse; iteration stops at [DONE] and closes the response."""
    body = RecordingStream(THREE_AND_DONE)
    stream = make_stream(rt, body)
    assert [chunk.n for chunk in stream] == [1, 2, 3]
    assert body.closed


def test_skips_empty_data_events(rt: ModuleType) -> None:
    """Events with empty data (a bare `event:` or `data:`) are skipped, not parsed."""
    body = RecordingStream(
        b"event: ping\n\ndata:\n\n" + sse('{"n": 1}'), b": keep-alive\n\n" + sse("[DONE]")
    )
    assert [chunk.n for chunk in make_stream(rt, body)] == [1]


def test_custom_or_no_terminator(rt: ModuleType) -> None:
    """terminator=None reads to the end; a custom terminator stops at its own marker."""
    body = RecordingStream(sse('{"n": 1}', '{"n": 2}'))
    assert [c.n for c in make_stream(rt, body, terminator=None)] == [1, 2]
    body = RecordingStream(sse('{"n": 1}', "END", '{"n": 2}'))
    assert [c.n for c in make_stream(rt, body, terminator="END")] == [1]


def test_stream_without_done_raises_at_eof(rt: ModuleType) -> None:
    """A stream whose body ends before [DONE] yields what came, trailing event included, then
    raises: a dropped connection is never taken for a complete answer."""
    body = RecordingStream(b'data: {"n": 1}\n\ndata: {"n": 2}')
    stream = make_stream(rt, body)
    assert [next(stream).n, next(stream).n] == [1, 2]
    with pytest.raises(rt._exceptions.APIConnectionError, match=r"\[DONE\]"):
        next(stream)
    assert body.closed


def test_error_object_in_stream_raises(rt: ModuleType) -> None:
    """An event whose JSON has an "error" key raises APIStreamError with body and response."""
    error = {"error": {"message": "model overloaded", "type": "server_error"}}
    body = RecordingStream(sse('{"n": 1}', pydantic.TypeAdapter(dict).dump_json(error).decode()))
    stream = make_stream(rt, body)
    assert next(stream).n == 1
    with pytest.raises(rt._exceptions.APIStreamError) as caught:
        next(stream)
    assert caught.value.message == "model overloaded"
    assert caught.value.body == error
    assert caught.value.response is stream.response
    assert body.closed


def test_error_event_type_raises(rt: ModuleType) -> None:
    """An `event: error` carries an error even when its JSON has no "error" key."""
    body = RecordingStream(b'event: error\ndata: {"message": "quota exceeded"}\n\n')
    with pytest.raises(rt._exceptions.APIStreamError, match="quota exceeded"):
        list(make_stream(rt, body))


def test_null_error_field_is_not_an_error(rt: ModuleType) -> None:
    """A chunk carrying `"error": null` is an ordinary chunk."""
    body = RecordingStream(sse('{"n": 5, "error": null}', "[DONE]"))
    assert [c.n for c in make_stream(rt, body)] == [5]


def test_invalid_json_and_invalid_chunk_raise_validation_error(rt: ModuleType) -> None:
    """Non-JSON data and JSON that fails parse both raise APIResponseValidationError."""
    with pytest.raises(rt._exceptions.APIResponseValidationError) as caught:
        list(make_stream(rt, RecordingStream(sse("not json"))))
    assert caught.value.body == "not json"
    with pytest.raises(rt._exceptions.APIResponseValidationError) as caught:
        list(make_stream(rt, RecordingStream(sse('{"n": "many"}'))))
    assert caught.value.body == {"n": "many"}


@pytest.mark.parametrize(
    ("failure", "error_name"),
    [
        (httpx.ReadTimeout("slow"), "APITimeoutError"),
        (httpx.RemoteProtocolError("peer closed"), "APIConnectionError"),
    ],
)
def test_network_failure_mid_stream(rt: ModuleType, failure: Exception, error_name: str) -> None:
    """A timeout or dropped connection mid-stream raises the client's own error types."""
    body = RecordingStream(sse('{"n": 1}'), fail_with=failure)
    stream = make_stream(rt, body)
    assert next(stream).n == 1
    with pytest.raises(getattr(rt._exceptions, error_name)):
        next(stream)
    assert body.closed


def test_close_early_closes_response(rt: ModuleType) -> None:
    """close() after the first chunk closes the response and ends iteration."""
    body = RecordingStream(sse('{"n": 1}'), sse('{"n": 2}'), sse('{"n": 3}'))
    stream = make_stream(rt, body)
    assert next(stream).n == 1
    stream.close()
    assert body.closed
    assert stream.response.is_closed
    assert list(stream) == []
    assert body.read == 1


def test_close_before_iterating_closes_response(rt: ModuleType) -> None:
    """A stream closed without ever being iterated still releases its response."""
    body = RecordingStream(THREE_AND_DONE)
    make_stream(rt, body).close()
    assert body.closed


def test_context_manager_closes_response(rt: ModuleType) -> None:
    """Leaving a `with` block closes the response, even after a partial read."""
    body = RecordingStream(sse('{"n": 1}'), sse('{"n": 2}'))
    with make_stream(rt, body) as stream:
        assert next(stream).n == 1
        assert not body.closed
    assert body.closed


def test_abandoned_stream_closes_response(rt: ModuleType) -> None:
    """A stream dropped after a `break` closes its response when collected."""
    body = RecordingStream(sse('{"n": 1}'), sse('{"n": 2}'))
    stream = make_stream(rt, body)
    for _chunk in stream:
        break
    assert not body.closed
    del stream, _chunk
    gc.collect()
    assert body.closed


def test_response_attribute(rt: ModuleType) -> None:
    """.response is the httpx response the stream reads."""
    response = response_with(RecordingStream(THREE_AND_DONE))
    assert rt._streaming.Stream(response, Chunk.model_validate).response is response


@pytest.mark.anyio
async def test_async_yields_parsed_chunks_until_done(rt: ModuleType) -> None:
    """AsyncStream yields parsed chunks, stops at [DONE] and closes the response."""
    body = RecordingStream(*(THREE_AND_DONE[i : i + 7] for i in range(0, len(THREE_AND_DONE), 7)))
    stream = make_async_stream(rt, body)
    assert [chunk.n async for chunk in stream] == [1, 2, 3]
    assert body.closed


@pytest.mark.anyio
async def test_async_error_in_stream(rt: ModuleType) -> None:
    """An error object inside an async stream raises APIStreamError and closes the response."""
    body = RecordingStream(sse('{"error": {"message": "boom"}}'))
    stream = make_async_stream(rt, body)
    with pytest.raises(rt._exceptions.APIStreamError, match="boom"):
        await stream.__anext__()
    assert body.closed


@pytest.mark.anyio
async def test_async_network_failure_mid_stream(rt: ModuleType) -> None:
    """A read timeout in an async stream raises APITimeoutError."""
    body = RecordingStream(sse('{"n": 1}'), fail_with=httpx.ReadTimeout("slow"))
    with pytest.raises(rt._exceptions.APITimeoutError):
        [chunk async for chunk in make_async_stream(rt, body)]
    assert body.closed


@pytest.mark.anyio
async def test_async_close_early_closes_response(rt: ModuleType) -> None:
    """await close() after one chunk closes the response and ends iteration."""
    body = RecordingStream(sse('{"n": 1}'), sse('{"n": 2}'))
    stream = make_async_stream(rt, body)
    assert (await stream.__anext__()).n == 1
    await stream.close()
    assert body.closed
    assert [chunk async for chunk in stream] == []


@pytest.mark.anyio
async def test_async_context_manager_closes_response(rt: ModuleType) -> None:
    """Leaving an `async with` block closes the response."""
    body = RecordingStream(sse('{"n": 1}'), sse('{"n": 2}'))
    async with make_async_stream(rt, body) as stream:
        assert (await stream.__anext__()).n == 1
        assert not body.closed
    assert body.closed


@pytest.mark.anyio
async def test_async_close_before_iterating(rt: ModuleType) -> None:
    """An AsyncStream closed before iteration releases its response."""
    body = RecordingStream(THREE_AND_DONE)
    await make_async_stream(rt, body).aclose()
    assert body.closed
