"""A tiny chat-completions model set, a demo handler and an app built with the server runtime.

Run as `python -m tests.server_runtime._app <runtime package> [--port N]` it serves the demo app
through the runtime's `main`, as a generated `server.py` does.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from types import ModuleType
from typing import Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel, Field

PREFIXES = ("/v1", "/api/ai")


class Message(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class ChatRequest(BaseModel):
    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    end_user: str | None = Field(default=None, alias="user")


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int


class Choice(BaseModel):
    index: int
    message: Message
    finish_reason: str | None = None


class Completion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    model: str
    choices: list[Choice]
    usage: Usage | None = None
    fingerprint: str | None = Field(default=None, alias="systemFingerprint")


class Delta(BaseModel):
    role: str | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int
    delta: Delta
    finish_reason: str | None = None


class Chunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    choices: list[ChunkChoice]


def completion(request: ChatRequest, text: str) -> Completion:
    """A one-choice completion answering `text`."""
    return Completion(
        id="cmpl-1",
        model=request.model,
        choices=[Choice(index=0, message=Message(role="assistant", content=text))],
    )


def chunk(text: str, finish_reason: str | None = None) -> Chunk:
    """A one-choice chunk carrying `text`."""
    return Chunk(
        id="cmpl-1",
        choices=[ChunkChoice(index=0, delta=Delta(content=text), finish_reason=finish_reason)],
    )


class EchoHandler:
    """Answers with the last message's words: as one completion, or one chunk per word."""

    async def create(self, request: ChatRequest) -> Completion | AsyncIterator[Chunk]:
        words = request.messages[-1].content.split()
        if request.stream:
            return self._stream(words)
        return completion(request, " ".join(words))

    async def _stream(self, words: list[str]) -> AsyncIterator[Chunk]:
        for word in words:
            yield chunk(word)
        yield chunk("", finish_reason="stop")


def chat_operation(server: ModuleType, **overrides: Any) -> Any:
    """The chat-completions Operation; keyword arguments replace its fields."""
    fields: dict[str, Any] = {
        "method": "POST",
        "path": "/chat/completions",
        "request_model": ChatRequest,
        "response_model": Completion,
        "chunk_model": Chunk,
        "stream_field": "stream",
        "operation_id": "createChatCompletion",
        "summary": "Create a chat completion",
    }
    fields.update(overrides)
    return server.Operation(**fields)


def build_app(
    server: ModuleType,
    handler: Callable[[Any], Any] | None = None,
    *,
    mounts: Sequence[Any] = PREFIXES,
    **overrides: Any,
) -> FastAPI:
    """An app serving the chat operation (EchoHandler unless `handler`) at each of `mounts`."""
    app = FastAPI(title="test chat api", version="0.0.1")
    operation = chat_operation(server, **overrides)
    server.mount_operation(app, operation, handler or EchoHandler().create, mounts=mounts)
    return app


if __name__ == "__main__":
    server_module = importlib.import_module(f"{sys.argv[1]}._server")
    raise SystemExit(server_module.main(sys.argv[2:], app_factory=lambda: build_app(server_module)))
