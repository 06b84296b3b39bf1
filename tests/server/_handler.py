"""A test handler of the generated `ChatCompletionsHandler`: echoes, streams, raises on request.

The last message's text is a script: "status 429" raises the server error class of that status,
"code 701" raises an error carrying that in-body code, "crash" raises a plain exception; any
other text is echoed as one completion, or as one chunk per word when streaming. Every answer
and chunk it makes is recorded, so tests compare what clients received with what it sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from chat_api import server
from chat_api.types import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionChunkChoice,
    ChatCompletionMessage,
    Choice,
    CreateChatCompletionRequest,
    Delta,
    Usage,
)

SERVER_ERRORS = {
    400: server.BadRequest,
    401: server.AuthenticationFailed,
    403: server.PermissionDenied,
    404: server.NotFound,
    422: server.UnprocessableEntity,
    429: server.RateLimited,
    500: server.InternalServerFailure,
}
"""The server error class a handler raises for each status."""

CLIENT_ERRORS = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
}
"""The generated client's error class for each status."""

CREATED = 1_700_000_000


def last_text(request: CreateChatCompletionRequest) -> str:
    content = request.messages[-1].content
    return content if isinstance(content, str) else ""


class ScriptedHandler:
    """Implements `ChatCompletionsHandler.create` as the module docstring says."""

    def __init__(self) -> None:
        self.requests: list[CreateChatCompletionRequest] = []
        self.answers: list[ChatCompletion] = []
        self.streams: list[list[ChatCompletionChunk]] = []

    async def create(
        self, request: CreateChatCompletionRequest
    ) -> ChatCompletion | AsyncIterator[ChatCompletionChunk]:
        self.requests.append(request)
        text = last_text(request)
        command, _, argument = text.partition(" ")
        if command == "status":
            raise SERVER_ERRORS[int(argument)](f"scripted status {argument}")
        if command == "code":
            raise server.HTTPError(402, f"scripted code {argument}", code=int(argument))
        if command == "crash":
            raise RuntimeError("internal detail that must not leak")
        if request.stream:
            chunks = [chunk(request, word + " ") for word in text.split()]
            chunks.append(chunk(request, "", finish_reason="stop"))
            self.streams.append(chunks)
            return _yield(chunks)
        answer = ChatCompletion(
            id="chatcmpl-test",
            object="chat.completion",
            created=CREATED,
            model=request.model,
            choices=[
                Choice(
                    index=0,
                    finish_reason="stop",
                    message=ChatCompletionMessage(role="assistant", content=f"echo: {text}"),
                )
            ],
            usage=Usage(prompt_tokens=3, completion_tokens=4, total_tokens=7),
        )
        self.answers.append(answer)
        return answer


def chunk(
    request: CreateChatCompletionRequest, text: str, finish_reason: str | None = None
) -> ChatCompletionChunk:
    return ChatCompletionChunk(
        id="chatcmpl-test",
        object="chat.completion.chunk",
        created=CREATED,
        model=request.model,
        choices=[
            ChatCompletionChunkChoice(
                index=0,
                delta=Delta(role="assistant", content=text),
                finish_reason=finish_reason,
            )
        ],
    )


async def _yield(chunks: list[ChatCompletionChunk]) -> AsyncIterator[ChatCompletionChunk]:
    for item in chunks:
        yield item
