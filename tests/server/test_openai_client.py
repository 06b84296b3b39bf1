"""A client nobody here wrote: the official `openai` package against the server under uvicorn."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from chat_api import server

from ._handler import ScriptedHandler
from .conftest import serving

MESSAGES: list[Any] = [{"role": "user", "content": "hello from openai"}]


@pytest.fixture(scope="module")
def wire() -> Iterator[tuple[str, ScriptedHandler]]:
    """The shared app with a scripted handler under uvicorn in a thread: (base URL, handler)."""
    handler = ScriptedHandler()
    with serving(server.create_app(handler)) as url:
        yield url, handler


def sent(model: Any) -> dict[str, Any]:
    """What the server put on the wire for a handler's model (set fields, wire names)."""
    data: dict[str, Any] = json.loads(model.model_dump_json(exclude_unset=True, by_alias=True))
    return data


@pytest.mark.parametrize("prefix", server.PREFIXES, ids=lambda p: p or "root")
def test_openai_creates_the_handlers_completion(
    wire: tuple[str, ScriptedHandler], prefix: str
) -> None:
    """openai.OpenAI(base_url=...) gets the handler's ChatCompletion, under every prefix."""
    url, handler = wire
    client = openai.OpenAI(base_url=f"{url}{prefix}", api_key="x", max_retries=0)
    completion = client.chat.completions.create(model="gpt-test", messages=MESSAGES)
    assert completion.to_dict() == sent(handler.answers[-1])
    assert completion.choices[0].message.content == "echo: hello from openai"
    assert handler.requests[-1].model == "gpt-test"


def test_openai_streams_the_handlers_chunks(wire: tuple[str, ScriptedHandler]) -> None:
    """A streamed call yields the handler's chunks in order, and the stream ends at [DONE]."""
    url, handler = wire
    client = openai.OpenAI(base_url=f"{url}{server.PREFIXES[-1]}", api_key="x", max_retries=0)
    stream = client.chat.completions.create(model="gpt-test", messages=MESSAGES, stream=True)
    chunks = [chunk.to_dict() for chunk in stream]
    assert chunks == [sent(chunk) for chunk in handler.streams[-1]]
    text = "".join(chunk["choices"][0]["delta"]["content"] for chunk in chunks)
    assert text == "hello from openai "


def test_async_openai_streams_the_handlers_chunks(wire: tuple[str, ScriptedHandler]) -> None:
    """openai.AsyncOpenAI streams the same chunks."""
    url, handler = wire

    async def collect() -> list[dict[str, object]]:
        client = openai.AsyncOpenAI(base_url=url, api_key="x", max_retries=0)
        stream = await client.chat.completions.create(
            model="gpt-test", messages=MESSAGES, stream=True
        )
        items = [chunk.to_dict() async for chunk in stream]
        await client.close()
        return items

    chunks = asyncio.run(collect())
    assert chunks == [sent(chunk) for chunk in handler.streams[-1]]


@pytest.mark.parametrize(
    ("script", "error_class", "status"),
    [
        ("status 429", openai.RateLimitError, 429),
        ("status 401", openai.AuthenticationError, 401),
        ("status 404", openai.NotFoundError, 404),
        ("status 500", openai.InternalServerError, 500),
    ],
)
def test_openai_raises_its_own_error_class(
    wire: tuple[str, ScriptedHandler], script: str, error_class: type[Exception], status: int
) -> None:
    """Handler errors reach openai as its class for the status, with the handler's message."""
    url, _ = wire
    client = openai.OpenAI(base_url=url, api_key="x", max_retries=0)
    with pytest.raises(error_class) as caught:
        client.chat.completions.create(
            model="gpt-test", messages=[{"role": "user", "content": script}]
        )
    assert isinstance(caught.value, openai.APIStatusError)
    assert caught.value.status_code == status
    assert caught.value.body == {
        "message": f"scripted {script}",
        "type": caught.value.type,
        "param": None,
        "code": None,
    }


def test_openai_request_the_models_refuse_is_a_bad_request(
    wire: tuple[str, ScriptedHandler],
) -> None:
    """A request the generated model refuses (an unknown field) is openai's BadRequestError."""
    url, _ = wire
    client = openai.OpenAI(base_url=url, api_key="x", max_retries=0)
    with pytest.raises(openai.BadRequestError, match="not_a_field"):
        client.chat.completions.create(
            model="gpt-test", messages=MESSAGES, extra_body={"not_a_field": True}
        )
