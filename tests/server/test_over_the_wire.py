"""The generated server under uvicorn on 127.0.0.1, called by the generated clients over HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import chat_api
import httpx
import pytest
from chat_api import server

from ._handler import ScriptedHandler
from .conftest import GENERATED, VENDOR_NAMES, free_port, serving, vendor_prefix

MESSAGES = [{"role": "user", "content": "over the wire"}]


def wait_until_serving(process: subprocess.Popen[str], url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{process.communicate()[0]}")
        try:
            httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return
    raise AssertionError("server did not start within 30 seconds")


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    try:
        return process.communicate(timeout=15)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0]


def call_both_clients(base_url: str, vendor: str) -> dict[str, Any]:
    """A completion and a stream through the sync client, then through the async client."""
    options: dict[str, Any] = {
        "vendor": vendor,
        "base_url": base_url,
        "api_key": "test-key",
        "max_retries": 0,
    }
    results: dict[str, Any] = {}
    with chat_api.Client(**options) as client:
        results["sync"] = client.chat.completions.create(model="wire-model", messages=MESSAGES)
        stream = client.chat.completions.create(model="wire-model", messages=MESSAGES, stream=True)
        results["sync_stream"] = list(stream)

    async def async_calls() -> None:
        async with chat_api.AsyncClient(**options) as client:
            results["async"] = await client.chat.completions.create(
                model="wire-model", messages=MESSAGES
            )
            stream = await client.chat.completions.create(
                model="wire-model", messages=MESSAGES, stream=True
            )
            results["async_stream"] = [item async for item in stream]

    asyncio.run(async_calls())
    return results


def test_python_dash_m_serves_the_demo_handler_until_terminated() -> None:
    """`python -m chat_api.server --port N` serves the demo app to both clients, then stops."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(GENERATED)}
    process = subprocess.Popen(
        [sys.executable, "-m", "chat_api.server", "--port", str(port), "--log-level", "warning"],
        cwd=GENERATED,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_serving(process, f"http://127.0.0.1:{port}/openapi.json")
        vendor = VENDOR_NAMES[-1]
        results = call_both_clients(f"http://127.0.0.1:{port}{vendor_prefix(vendor)}", vendor)
    finally:
        output = stop(process)
    # Recent uvicorn re-raises the signal after its graceful shutdown; older ones exit 0.
    assert process.returncode in (0, -signal.SIGTERM), output
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
    for kind in ("sync", "async"):
        assert isinstance(results[kind], chat_api.ChatCompletion)
        assert results[kind].model == "wire-model"
        chunks = results[f"{kind}_stream"]
        assert len(chunks) == 3
        assert {chunk.model for chunk in chunks} == {"wire-model"}


@pytest.fixture(scope="module")
def wire() -> Iterator[tuple[str, ScriptedHandler]]:
    """The shared app with a scripted handler under uvicorn in a thread: (base URL, handler)."""
    handler = ScriptedHandler()
    with serving(server.create_app(handler)) as url:
        yield url, handler


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_both_clients_over_http_get_what_the_handler_made(
    wire: tuple[str, ScriptedHandler], vendor: str
) -> None:
    """Completions and streams over real HTTP equal the handler's answers and chunks."""
    url, handler = wire
    answers, streams = len(handler.answers), len(handler.streams)
    results = call_both_clients(f"{url}{vendor_prefix(vendor)}", vendor)
    sync_answer, async_answer = handler.answers[answers:]
    sync_chunks, async_chunks = handler.streams[streams:]
    assert results["sync"].model_dump() == sync_answer.model_dump()
    assert results["async"].model_dump() == async_answer.model_dump()
    assert [c.model_dump() for c in results["sync_stream"]] == [c.model_dump() for c in sync_chunks]
    assert [c.model_dump() for c in results["async_stream"]] == [
        c.model_dump() for c in async_chunks
    ]


def test_error_over_http_is_the_typed_client_error(wire: tuple[str, ScriptedHandler]) -> None:
    """A handler's RateLimited arrives over HTTP as RateLimitError (no retries configured)."""
    url, _ = wire
    vendor = VENDOR_NAMES[0]
    with (
        chat_api.Client(
            vendor=vendor, base_url=f"{url}{vendor_prefix(vendor)}", api_key="k", max_retries=0
        ) as client,
        pytest.raises(chat_api.RateLimitError, match="scripted status 429"),
    ):
        client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "status 429"}]
        )


def test_serving_stops_and_frees_the_port() -> None:
    """The thread-served app stops when its context ends: the port refuses connections."""
    with serving(server.create_app(server.DemoHandler())) as url:
        assert httpx.get(f"{url}/openapi.json", timeout=5).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/openapi.json", timeout=1)
