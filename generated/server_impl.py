"""Your server handler for `chat_api.server`: fill in the methods, then run this file.

`specgen build` wrote this file once and never overwrites it: it is yours. When a rebuild changes
the handler protocol, run mypy on this file: it points at each method to add or update.

Run it with `python server_impl.py --port 8000` (uvicorn on 127.0.0.1).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator

from chat_api.server import ChatCompletionsHandler, HTTPError, create_app, main
from chat_api.types import (
    ChatCompletion,
    ChatCompletionChunk,
    CreateChatCompletionRequest,
)


class ChatCompletions(ChatCompletionsHandler):
    """Subclassing the protocol makes mypy check each method against it."""

    async def create(
        self, request: CreateChatCompletionRequest
    ) -> ChatCompletion | AsyncIterator[ChatCompletionChunk]:
        """`POST /chat/completions`: see `ChatCompletionsHandler.create`."""
        raise HTTPError(501, "ChatCompletions.create is not implemented yet")


def make_handler() -> ChatCompletionsHandler:
    """The handler to serve (mypy reports here a method the protocol gained)."""
    return ChatCompletions()


app = create_app(make_handler())
"""The app for an ASGI server; `create_app(make_handler(), vendor=...)` answers like one vendor."""

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:], handler=make_handler()))
