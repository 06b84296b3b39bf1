"""Raw access to an HTTP response next to its lazily parsed body."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Generic, TypeVar

import httpx

__all__ = ["APIResponse"]

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
