"""An in-body error whose meaning is retryable (a timeout, a server failure) is retried like the
HTTP status of the same meaning; one that is not (a bad key) is raised at once; a streamed call
answered with a retryable in-body error is retried too, and its stream is never read as JSON."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

BODIES = Path(__file__).parent / "bodies"
MESSAGES = [{"role": "user", "content": "hi"}]
VENDOR = "siliconstorm"
"""A bundled vendor whose documents list in-body error codes (802: timeout, 801: bad key)."""


def _answers(*files: str) -> tuple[list[httpx.Request], Any]:
    """A transport answering the listed bodies in turn (the last one repeats)."""
    seen: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        name = files[min(len(seen), len(files)) - 1]
        media = "text/event-stream" if name.endswith(".sse") else "application/json"
        return httpx.Response(
            200, headers={"content-type": media}, content=(BODIES / name).read_bytes()
        )

    return seen, reply


def _sync(api: ModuleType, reply: Any, retries: int) -> Any:
    client = api.Client(
        vendor=VENDOR,
        api_key="k",
        max_retries=retries,
        http_client=httpx.Client(transport=httpx.MockTransport(reply)),
    )
    client._sleep = lambda seconds: None
    return client


def test_a_retryable_in_body_error_is_retried_until_the_answer(api: ModuleType) -> None:
    seen, reply = _answers(
        "inbody_timeout_200.json", "inbody_timeout_200.json", "sdk_completion.json"
    )
    answer = _sync(api, reply, retries=2).chat.completions.create(model="m", messages=MESSAGES)
    assert answer.choices[0].message.content is not None
    assert len(seen) == 3


def test_retries_spent_raise_the_in_body_error_with_its_meaning(api: ModuleType) -> None:
    seen, reply = _answers("inbody_timeout_200.json")
    with pytest.raises(api.ServerTimeoutError) as raised:
        _sync(api, reply, retries=2).chat.completions.create(model="m", messages=MESSAGES)
    assert (raised.value.code, raised.value.status_code) == (802, 200)
    assert len(seen) == 3, "the first try and two retries"


def test_a_non_retryable_in_body_error_is_raised_at_once(api: ModuleType) -> None:
    seen, reply = _answers("inbody_apikey_200.json", "sdk_completion.json")
    with pytest.raises(api.AuthenticationError):
        _sync(api, reply, retries=2).chat.completions.create(model="m", messages=MESSAGES)
    assert len(seen) == 1


def test_a_stream_answered_with_a_retryable_in_body_error_is_retried(api: ModuleType) -> None:
    seen, reply = _answers("inbody_timeout_200.json", "sdk_stream_include_usage.sse")
    stream = _sync(api, reply, retries=1).chat.completions.create(
        model="m", messages=MESSAGES, stream=True
    )
    chunks = list(stream)
    assert chunks and len(seen) == 2


@pytest.mark.anyio
async def test_the_async_client_retries_the_same_way(api: ModuleType) -> None:
    seen, reply = _answers("inbody_timeout_200.json", "sdk_completion.json")
    client = api.AsyncClient(
        vendor=VENDOR,
        api_key="k",
        max_retries=1,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(reply)),
    )

    async def no_wait(seconds: float) -> None:
        return None

    client._sleep = no_wait
    answer = await client.chat.completions.create(model="m", messages=MESSAGES)
    assert answer.choices[0].message.content is not None
    assert len(seen) == 2
