"""request_binary and (Async)BinaryResponse: downloads streamed, errors and retries as for JSON."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ._helpers import FakeServer, Harness

AUDIO = b"ID3" + bytes(range(256)) * 40


class ChunkedBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body in chunks that records how far it was read and whether it was closed."""

    def __init__(self, *chunks: bytes, fail_with: Exception | None = None) -> None:
        self.chunks = chunks
        self.fail_with = fail_with
        self.read = 0
        self.closed = False

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


def audio_reply(body: ChunkedBody | None = None) -> Any:
    def reply(request: httpx.Request) -> httpx.Response:
        stream = body if body is not None else ChunkedBody(AUDIO[:1000], AUDIO[1000:])
        return httpx.Response(200, headers={"content-type": "audio/mpeg"}, stream=stream)

    return reply


def test_download_reads_body_and_metadata(harness: Harness) -> None:
    """The response gives status, headers, content type and the exact body bytes."""
    server = FakeServer(audio_reply())
    response, data = harness.download(
        harness.client(server), "POST", "/audio/speech", body={"input": "hi"}
    )
    assert data == AUDIO
    assert response.status_code == 200
    assert response.content_type == "audio/mpeg"
    assert response.headers["content-type"] == "audio/mpeg"
    request = server.requests[0]
    assert (request.method, str(request.url)) == ("POST", "https://api.acme.test/v1/audio/speech")
    assert request.content == b'{"input":"hi"}'


def test_download_accept_header(harness: Harness) -> None:
    """A download asks for */* unless accept= names the format."""
    server = FakeServer(audio_reply())
    client = harness.client(server)
    harness.download(client, "GET", "/files/1/content")
    harness.download(client, "GET", "/files/1/content", accept="audio/mpeg")
    assert [request.headers["accept"] for request in server.requests] == ["*/*", "audio/mpeg"]


def test_sync_body_is_not_read_until_asked(rt: Any) -> None:
    """The download is streamed: nothing is read before read(), and read() caches the bytes."""
    harness = Harness(rt, "sync")
    body = ChunkedBody(b"ab", b"cd")
    client = harness.client(FakeServer(audio_reply(body)))
    response = client.request_binary("GET", "/x")
    assert body.read == 0
    assert response.read() == b"abcd"
    assert response.read() == b"abcd"
    assert body.read == 2
    assert response.text() == "abcd"
    assert body.closed


def test_sync_iter_bytes_and_context_manager(rt: Any) -> None:
    """iter_bytes yields the body in chunks; leaving the with block closes an unread body."""
    harness = Harness(rt, "sync")
    client = harness.client(FakeServer(audio_reply()))
    chunks = list(client.request_binary("GET", "/x").iter_bytes(chunk_size=512))
    assert b"".join(chunks) == AUDIO
    assert {len(chunk) for chunk in chunks[:-1]} == {512}
    body = ChunkedBody(b"never read")
    with harness.client(FakeServer(audio_reply(body))).request_binary("GET", "/x") as response:
        assert response.status_code == 200
    assert body.closed
    assert body.read == 0


def test_write_to_file_streams_the_body(harness: Harness, tmp_path: Path) -> None:
    """write_to_file writes every chunk to the path, replacing what was there."""
    target = tmp_path / "speech.mp3"
    target.write_bytes(b"old content that is longer than nothing")
    client = harness.client(FakeServer(audio_reply()))
    if harness.is_async:

        async def scenario() -> None:
            response = await client.request_binary("GET", "/x")
            await response.write_to_file(target)

        asyncio.run(scenario())
    else:
        client.request_binary("GET", "/x").write_to_file(target)
    assert target.read_bytes() == AUDIO


def test_async_binary_response(rt: Any) -> None:
    """The async response: lazy body, cached aread, async iter_bytes, async context manager."""
    harness = Harness(rt, "async")

    async def scenario() -> tuple[int, bytes, bytes, str, bool, list[bytes], bool]:
        body = ChunkedBody(b"ab", b"cd")
        client = harness.client(FakeServer(audio_reply(body)))
        response = await client.request_binary("GET", "/x")
        before = body.read
        data = await response.read()
        again = await response.read()
        text = await response.text()
        chunked = harness.client(FakeServer(audio_reply(ChunkedBody(b"12345"))))
        other = await chunked.request_binary("GET", "/x")
        chunks = [chunk async for chunk in other.iter_bytes(chunk_size=2)]
        unread = ChunkedBody(b"never read")
        async with await harness.client(FakeServer(audio_reply(unread))).request_binary(
            "GET", "/x"
        ):
            pass
        return before, data, again, text, body.closed, chunks, unread.closed

    before, data, again, text, closed, chunks, unread_closed = asyncio.run(scenario())
    assert before == 0
    assert data == again == b"abcd"
    assert text == "abcd"
    assert closed
    assert chunks == [b"12", b"34", b"5"]
    assert unread_closed


@pytest.mark.parametrize(
    ("status", "class_name"), [(400, "BadRequestError"), (404, "NotFoundError")]
)
def test_download_status_errors_are_the_json_classes(
    harness: Harness, status: int, class_name: str
) -> None:
    """An error status on a download raises the class a JSON call raises, body read first."""
    body = {"error": {"message": "no such voice"}}
    server = FakeServer(httpx.Response(status, json=body))
    with pytest.raises(harness.rt._exceptions.APIStatusError) as caught:
        harness.download(harness.client(server, max_retries=0), "POST", "/audio/speech")
    assert type(caught.value) is getattr(harness.rt._exceptions, class_name)
    assert caught.value.status_code == status
    assert caught.value.body == body
    assert caught.value.message == "no such voice"
    assert server.calls == 1


def test_download_is_retried(harness: Harness) -> None:
    """A 503 (honouring Retry-After) and a connection error are retried; the download follows."""
    server = FakeServer(
        httpx.Response(503, headers={"retry-after": "2"}, json={}),
        httpx.ConnectError,
        audio_reply(),
    )
    _, data = harness.download(harness.client(server), "GET", "/files/1/content")
    assert data == AUDIO
    assert server.calls == 3
    assert harness.sleeps[0] == 2.0
    assert len(harness.sleeps) == 2


def test_download_retries_exhausted_raise_last_status(harness: Harness) -> None:
    """When every attempt fails the last status error is raised after max_retries sleeps."""
    server = FakeServer(httpx.Response(500, json={"message": "down"}))
    with pytest.raises(harness.rt._exceptions.InternalServerError, match="down"):
        harness.download(harness.client(server, max_retries=1), "GET", "/x")
    assert server.calls == 2


def test_transport_error_mid_download_is_connection_error(harness: Harness) -> None:
    """A connection dropped while reading the body raises APIConnectionError, not httpx's."""
    body = ChunkedBody(b"partial", fail_with=httpx.ReadError("reset"))
    server = FakeServer(audio_reply(body))
    with pytest.raises(harness.rt._exceptions.APIConnectionError, match="during stream"):
        harness.download(harness.client(server), "GET", "/x")


def test_binary_response_repr(harness: Harness) -> None:
    """The repr names the class, status and content type."""
    response, _ = harness.download(harness.client(FakeServer(audio_reply())), "GET", "/x")
    name = "AsyncBinaryResponse" if harness.is_async else "BinaryResponse"
    assert repr(response) == f"<{name} [200] audio/mpeg>"
