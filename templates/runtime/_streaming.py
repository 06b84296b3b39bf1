"""Incremental server-sent events decoder and Stream/AsyncStream iterators over parsed chunks."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
)
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, Self, TypeVar

import httpx
import pydantic

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStreamError,
    APITimeoutError,
)

__all__ = ["AsyncStream", "SSEDecoder", "ServerSentEvent", "Stream"]

_T = TypeVar("_T")

# "\r\n" first so that a CRLF in the middle of the buffer is one line end, not two.
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event: its type, its data lines joined with "\\n", last event id, retry."""

    event: str | None = None
    data: str = ""
    id: str | None = None
    retry: int | None = None

    def json(self) -> object:
        """Decode `data` as JSON."""
        return json.loads(self.data)


class SSEDecoder:
    """Turn byte chunks, split anywhere, into server-sent events (WHATWG event-stream rules).

    Feed chunks with `feed()` as they arrive and call `flush()` at end of input; both return the
    events completed so far. A chunk may end mid-line, between the CR and LF of a CRLF, or inside
    a multi-byte UTF-8 character; the decoder keeps the incomplete tail for the next chunk.
    """

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        # A chunk ended with CR: a LF opening the next chunk belongs to the same line end.
        self._skip_lf = False
        self._at_start = True
        self._event: str | None = None
        self._data: list[str] = []
        self._retry: int | None = None
        self._has_fields = False
        # The spec keeps the last event id across events until a later `id:` changes it.
        self._last_id: str | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode one chunk and return the events it completes."""
        return self._feed_text(self._utf8.decode(chunk))

    def flush(self) -> list[ServerSentEvent]:
        """End of input: finish a last line and dispatch an event not followed by a blank line."""
        events = self._feed_text(self._utf8.decode(b"", final=True))
        if self._buffer:
            line, self._buffer = self._buffer, ""
            event = self._process_line(line)
            if event is not None:
                events.append(event)
        event = self._dispatch()
        if event is not None:
            events.append(event)
        return events

    def iter_events(self, chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
        """Yield every event of a whole byte stream, flushing at its end."""
        for chunk in chunks:
            yield from self.feed(chunk)
        yield from self.flush()

    async def aiter_events(
        self, chunks: AsyncIterable[bytes]
    ) -> AsyncIterator[ServerSentEvent]:
        """Yield every event of a whole asynchronous byte stream, flushing at its end."""
        async for chunk in chunks:
            for event in self.feed(chunk):
                yield event
        for event in self.flush():
            yield event

    def _feed_text(self, text: str) -> list[ServerSentEvent]:
        if not text:
            return []
        if self._at_start:
            self._at_start = False
            text = text.removeprefix("\ufeff")
        if self._skip_lf:
            self._skip_lf = False
            text = text.removeprefix("\n")
        buffer = self._buffer + text
        events: list[ServerSentEvent] = []
        start = 0
        for match in _LINE_END.finditer(buffer):
            event = self._process_line(buffer[start : match.start()])
            if event is not None:
                events.append(event)
            start = match.end()
            if match.group() == "\r" and start == len(buffer):
                self._skip_lf = True
        self._buffer = buffer[start:]
        return events

    def _process_line(self, line: str) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            # An id holding NUL is ignored by the spec (it could not be echoed in a header).
            if "\0" in value:
                return None
            self._last_id = value
        elif name == "retry":
            if not (value.isascii() and value.isdigit()):
                return None
            self._retry = int(value)
        else:
            return None
        self._has_fields = True
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._has_fields:
            return None
        event = ServerSentEvent(
            event=self._event or None,
            data="\n".join(self._data),
            id=self._last_id,
            retry=self._retry,
        )
        self._event = None
        self._data = []
        self._retry = None
        self._has_fields = False
        return event


def _stream_error_message(error: object) -> str:
    if isinstance(error, dict):
        message = error.get("message")
        if isinstance(message, str) and message:
            return message
    if isinstance(error, str) and error:
        return error
    return "An error occurred during streaming"


def _decode_event(
    event: ServerSentEvent, response: httpx.Response, parse: Callable[[object], _T]
) -> _T:
    """Parse one event's JSON data, raising the stream's own error objects as APIStreamError."""
    try:
        payload: object = json.loads(event.data)
    except ValueError as exc:
        raise APIResponseValidationError(
            response, event.data, f"stream event data is not JSON: {exc}"
        ) from exc
    if isinstance(payload, dict) and payload.get("error") is not None:
        raise APIStreamError(
            _stream_error_message(payload["error"]), response=response, body=payload
        )
    if event.event == "error":
        raise APIStreamError(
            _stream_error_message(payload), response=response, body=payload
        )
    try:
        return parse(payload)
    except (pydantic.ValidationError, ValueError) as exc:
        raise APIResponseValidationError(response, payload, str(exc)) from exc


def _cut_off(terminator: str, response: httpx.Response) -> APIConnectionError:
    """The body ended without the stream's end marker: the connection dropped (or a proxy cut
    it), and the chunks so far are not the whole answer."""
    return APIConnectionError(
        f"the stream ended before its terminator {terminator!r}: the answer is incomplete",
        request=response.request,
    )


def _transport_error(
    exc: httpx.TransportError, response: httpx.Response
) -> APIConnectionError:
    """Map a network failure in the middle of a stream to the client's own error types."""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request=response.request)
    return APIConnectionError(
        f"Connection error during stream: {exc}", request=response.request
    )


class Stream(Generic[_T]):
    """Iterate the parsed chunks of a streamed response; the response is closed when done."""

    response: httpx.Response

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[object], _T],
        terminator: str | None = "[DONE]",
    ) -> None:
        self.response = response
        self._parse = parse
        self._terminator = terminator
        self._iterator = self._iter_chunks()

    def __iter__(self) -> Iterator[_T]:
        return self._iterator

    def __next__(self) -> _T:
        return next(self._iterator)

    def _iter_chunks(self) -> Generator[_T, None, None]:
        # The finally also runs when the consumer stops early: close() closes the generator and
        # an abandoned generator is closed when it is garbage collected.
        try:
            for event in SSEDecoder().iter_events(self.response.iter_bytes()):
                if (
                    self._terminator is not None
                    and event.data.strip() == self._terminator
                ):
                    return
                if not event.data.strip():
                    continue
                yield _decode_event(event, self.response, self._parse)
            if self._terminator is not None:
                raise _cut_off(self._terminator, self.response)
        except httpx.TransportError as exc:
            raise _transport_error(exc, self.response) from exc
        finally:
            self.response.close()

    def close(self) -> None:
        """Stop the stream and release the connection."""
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[_T]):
    """Asynchronously iterate the parsed chunks of a streamed response; closed when done."""

    response: httpx.Response

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[object], _T],
        terminator: str | None = "[DONE]",
    ) -> None:
        self.response = response
        self._parse = parse
        self._terminator = terminator
        self._iterator = self._iter_chunks()

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iterator

    async def __anext__(self) -> _T:
        return await self._iterator.__anext__()

    async def _iter_chunks(self) -> AsyncGenerator[_T, None]:
        try:
            async for event in SSEDecoder().aiter_events(self.response.aiter_bytes()):
                if (
                    self._terminator is not None
                    and event.data.strip() == self._terminator
                ):
                    return
                if not event.data.strip():
                    continue
                yield _decode_event(event, self.response, self._parse)
            if self._terminator is not None:
                raise _cut_off(self._terminator, self.response)
        except httpx.TransportError as exc:
            raise _transport_error(exc, self.response) from exc
        finally:
            await self.response.aclose()

    async def close(self) -> None:
        """Stop the stream and release the connection."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def aclose(self) -> None:
        """Alias of `close()`, so `contextlib.aclosing` works."""
        await self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
