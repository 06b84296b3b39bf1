"""Bounds on what one request may make the server hold or parse: body size and media type."""

# A generated server faces whatever reaches its port. Without a bound, one request with a 100 MB
# body was read whole into memory before any model saw it, and a JSON operation accepted any
# Content-Type. Deeply nested JSON needs no bound here: pydantic's parser refuses it (a 400).

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse

from ._server_errors import HTTPError

__all__ = ["MAX_BODY_BYTES", "BodySizeLimit", "require_json_media_type"]

MAX_BODY_BYTES = 32 * 1024 * 1024
"""The largest request body read (32 MiB): above any JSON request of an LLM API. Pass
``BodySizeLimit(app, max_bytes=...)`` for uploads that need more."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _too_large(limit: int) -> HTTPError:
    return HTTPError(
        413, f"The request body is larger than the {limit} bytes this server reads."
    )


class BodySizeLimit:
    """ASGI middleware: a body over ``max_bytes`` is answered 413 in the error envelope.

    A declared ``Content-Length`` over the limit is refused before anything is read; a body sent
    without one (chunked) is counted as it arrives and refused once it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            error = _too_large(self.max_bytes)
            response = JSONResponse(
                error.to_response().model_dump(mode="json"),
                status_code=error.status_code,
            )
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the endpoint's read of the body, which answers an
                    # HTTPException with its status in the error envelope.
                    raise HTTPException(413, _too_large(self.max_bytes).message)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def require_json_media_type(content_type: str | None, body: bytes) -> None:
    """Raise 415 when a JSON operation gets a body declared as something else.

    No Content-Type at all is let through (many clients send JSON without one); a declared type
    must be ``application/json`` or a ``+json`` type such as ``application/merge-patch+json``.
    """
    if not body or content_type is None:
        return
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        return
    raise HTTPError(
        415, f"The request's Content-Type must be application/json, not {media_type!r}."
    )
