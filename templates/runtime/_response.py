"""Raw access to an HTTP response: next to its lazily parsed body, or as a binary download."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import Generic, Self, TypeVar

import httpx

from ._streaming import _transport_error

__all__ = ["APIResponse", "AsyncBinaryResponse", "BinaryResponse"]

_T = TypeVar("_T")


class APIResponse(Generic[_T]):
    """A successful HTTP response whose body is parsed only when `parse()` is called.

    Returned by the raw variants of API calls, for callers who need headers (rate limits,
    request ids) as well as the typed result.
    """

    http_response: httpx.Response

    def __init__(self, http_response: httpx.Response, parse: Callable[[], _T]) -> None:
        self.http_response = http_response
        self._parse = parse
        self._parsed: tuple[_T] | None = None

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (case-insensitive)."""
        return self.http_response.headers

    @property
    def request(self) -> httpx.Request:
        """The request that produced this response."""
        return self.http_response.request

    @property
    def text(self) -> str:
        """The decoded body text."""
        return self.http_response.text

    @property
    def content(self) -> bytes:
        """The raw body bytes."""
        return self.http_response.content

    def json(self) -> object:
        """The body decoded as JSON, without validation."""
        return json.loads(self.http_response.content)

    def parse(self) -> _T:
        """Validate the body into the operation's result type (once; later calls reuse it).

        Raises the same errors as the non-raw call would: APIResponseValidationError, or the
        vendor's in-body error class.
        """
        if self._parsed is None:
            self._parsed = (self._parse(),)
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.request.method} {self.request.url}>"


class _BinaryResponseBase:
    """What the sync and async binary responses share: everything but reading the body."""

    http_response: httpx.Response

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (case-insensitive)."""
        return self.http_response.headers

    @property
    def content_type(self) -> str | None:
        """The Content-Type header as sent (parameters included), None when there is none."""
        value: str | None = self.http_response.headers.get("content-type")
        return value

    @property
    def request(self) -> httpx.Request:
        """The request that produced this response."""
        return self.http_response.request

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.content_type or 'no content type'}>"


class BinaryResponse(_BinaryResponseBase):
    """A successful response whose body (audio, an image, a file) is read only when asked.

    The connection stays open until the body is read or the response closed; use it as a
    context manager, or call `read()`, `write_to_file()` or `close()`.
    """

    def read(self) -> bytes:
        """The whole body (read once, then kept)."""
        try:
            return self.http_response.read()
        except httpx.TransportError as exc:
            raise _transport_error(exc, self.http_response) from exc

    def text(self) -> str:
        """The body decoded with the charset of its Content-Type (UTF-8 when none)."""
        self.read()
        return self.http_response.text

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks as it arrives, without holding all of it."""
        try:
            yield from self.http_response.iter_bytes(chunk_size)
        except httpx.TransportError as exc:
            raise _transport_error(exc, self.http_response) from exc

    def write_to_file(self, path: str | os.PathLike[str]) -> None:
        """Stream the body into a file (created or truncated), chunk by chunk."""
        with open(path, "wb") as file:
            file.writelines(self.iter_bytes())

    def close(self) -> None:
        """Release the connection; an unread body is discarded."""
        self.http_response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncBinaryResponse(_BinaryResponseBase):
    """Asynchronous twin of BinaryResponse: `read`, `iter_bytes` and `write_to_file` await I/O."""

    async def read(self) -> bytes:
        """The whole body (read once, then kept)."""
        try:
            return await self.http_response.aread()
        except httpx.TransportError as exc:
            raise _transport_error(exc, self.http_response) from exc

    async def text(self) -> str:
        """The body decoded with the charset of its Content-Type (UTF-8 when none)."""
        await self.read()
        return self.http_response.text

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks as it arrives, without holding all of it."""
        try:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.TransportError as exc:
            raise _transport_error(exc, self.http_response) from exc

    async def write_to_file(self, path: str | os.PathLike[str]) -> None:
        """Stream the body into a file (created or truncated), chunk by chunk.

        Opening, writing and closing run in a worker thread, so a slow disk never stalls the
        event loop that other requests share.
        """
        import asyncio  # here, not at the top: the package's import stays free of asyncio

        file = await asyncio.to_thread(open, path, "wb")
        try:
            async for chunk in self.iter_bytes():
                await asyncio.to_thread(file.write, chunk)
        finally:
            await asyncio.to_thread(file.close)

    async def close(self) -> None:
        """Release the connection; an unread body is discarded."""
        await self.http_response.aclose()

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
