"""The generated package against the official `openai` SDK, side by side on the same bytes.

Three figures, each for both clients in the same run:
- import time: a fresh interpreter importing the package (less one that imports nothing);
- SSE: chunks parsed per second from one streamed body served in memory;
- per-call overhead: non-streamed calls per second against an in-memory transport.

Both clients get the same in-memory transport and the same bodies: the completion and the
stream chunks are serialised by the SDK's own response types, so neither side parses anything
the other would not. The generated package is built on httpx; the SDK gets the same mock
transport from whichever HTTP library it is built on (httpx, or httpx2 from openai 3.6x on). Run from the repository root: ``python bench/sdk.py`` (writes
bench/sdk_results.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "generated"
PACKAGE = "chat_api"
VENDOR = "deepseek"
"""A vendor of the bundled package whose base URL the in-memory transport answers."""


def completion_body() -> bytes:
    from openai.types.chat import ChatCompletion

    completion = ChatCompletion.model_validate(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1733000000,
            "model": "deepseek-chat",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "Hello! How can I help?"},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": 9, "completion_tokens": 7, "total_tokens": 16},
        }
    )
    return json.dumps(completion.model_dump(mode="json", exclude_none=True)).encode()


def stream_body(chunks: int) -> bytes:
    from openai.types.chat import ChatCompletionChunk

    events = []
    for index in range(chunks):
        # Real servers name the role in the first delta only.
        delta: dict[str, Any] = {"content": f"token{index} "}
        if index == 0:
            delta["role"] = "assistant"
        chunk = ChatCompletionChunk.model_validate(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion.chunk",
                "created": 1733000000,
                "model": "deepseek-chat",
                "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
            }
        )
        data = json.dumps(chunk.model_dump(mode="json", exclude_none=True))
        events.append(f"data: {data}\n\n")
    events.append("data: [DONE]\n\n")
    return "".join(events).encode()


def sdk_http_library() -> ModuleType:
    """The HTTP library the openai SDK's own client class is built on: its clients must be
    handed a client of that library."""
    import openai

    for base in openai.DefaultHttpxClient.__mro__[1:]:
        if base.__name__ == "Client":
            return sys.modules[base.__module__.split(".")[0]]
    return httpx


def transport(library: ModuleType, body: bytes, content_type: str) -> Any:
    """A transport of ``library`` (httpx or an API-compatible one) that answers every request
    with ``body``."""
    return library.MockTransport(
        lambda request: library.Response(200, headers={"content-type": content_type}, content=body)
    )


def generated_client(body: bytes, content_type: str) -> Any:
    sys.path.insert(0, str(GENERATED))
    import chat_api

    mock = transport(httpx, body, content_type)
    return chat_api.Client(
        vendor=VENDOR, api_key="sk-bench", http_client=httpx.Client(transport=mock), max_retries=0
    )


def openai_client(body: bytes, content_type: str) -> Any:
    import openai

    library = sdk_http_library()
    return openai.OpenAI(
        api_key="sk-bench",
        base_url="https://bench.invalid/v1",
        http_client=library.Client(transport=transport(library, body, content_type)),
        max_retries=0,
    )


def clients(body: bytes, content_type: str) -> dict[str, Any]:
    return {
        "generated": generated_client(body, content_type),
        "openai": openai_client(body, content_type),
    }


REQUEST: dict[str, Any] = {
    "model": "deepseek-chat",
    "messages": [{"role": "user", "content": "Hi"}],
}


def round_robin(repeat: int, actions: dict[str, Callable[[], None]]) -> dict[str, list[float]]:
    """Seconds of each action per run, the actions taking turns (one run of each per round), so a
    burst of load on the shared machine falls on both clients alike, not on one of them."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return times


def import_times(repeat: int) -> dict[str, list[float]]:
    """Wall time of a fresh interpreter per run, minus the median of one that imports nothing;
    the two imports take turns, as the rates below do."""
    env = {"PYTHONPATH": str(GENERATED), "PATH": "/usr/bin:/bin"}

    def starter(code: str) -> Callable[[], None]:
        def start() -> None:
            subprocess.run([sys.executable, "-c", code], check=True, env=env)

        return start

    baseline = statistics.median(round_robin(repeat, {"nothing": starter("pass")})["nothing"])
    imports = {
        name: starter(f"import {module}")
        for name, module in (("generated", PACKAGE), ("openai", "openai"))
    }
    times = round_robin(repeat, imports)
    return {name: [max(0.0, value - baseline) for value in runs] for name, runs in times.items()}


def sse_rates(chunks: int, repeat: int) -> dict[str, list[float]]:
    both = clients(stream_body(chunks), "text/event-stream")

    def consumer(client: Any) -> Callable[[], None]:
        def consume() -> None:
            stream = client.chat.completions.create(**REQUEST, stream=True)
            count = sum(1 for _ in stream)
            assert count == chunks, count

        consume()  # warm-up: first-call validators and model schemas
        return consume

    actions = {name: consumer(client) for name, client in both.items()}
    times = round_robin(repeat, actions)
    return {name: [chunks / seconds for seconds in runs] for name, runs in times.items()}


def call_rates(calls: int, repeat: int) -> dict[str, list[float]]:
    both = clients(completion_body(), "application/json")

    def caller(client: Any) -> Callable[[], None]:
        def call_many() -> None:
            for _ in range(calls):
                answer = client.chat.completions.create(**REQUEST)
                assert answer.choices[0].message.content

        call_many()  # warm-up
        return call_many

    actions = {name: caller(client) for name, client in both.items()}
    times = round_robin(repeat, actions)
    return {name: [calls / seconds for seconds in runs] for name, runs in times.items()}


def _row(label: str, unit: str, values: dict[str, list[float]], higher_is_better: bool) -> str:
    generated, openai = (statistics.median(values[name]) for name in ("generated", "openai"))
    ratio = generated / openai if higher_is_better else openai / generated
    fmt = (lambda value: f"{value * 1000:.0f} ms") if unit == "s" else (lambda v: f"{v:,.0f}")
    return (
        f"| {label} | {fmt(generated)} | {fmt(openai)} | {ratio:.1f}× | "
        f"{fmt(min(values['generated']))}–{fmt(max(values['generated']))} | "
        f"{fmt(min(values['openai']))}–{fmt(max(values['openai']))} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--chunks", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "sdk_results.md")
    args = parser.parse_args(argv)
    import openai

    sdk = sdk_http_library()
    started = time.perf_counter()
    imports = import_times(args.repeat * 2)
    sse = sse_rates(args.chunks, args.repeat)
    calls = call_rates(args.calls, args.repeat)
    lines = [
        "# The generated package against the official openai SDK",
        "",
        f"Command: `python bench/sdk.py` ({args.repeat} measured repetitions after a warm-up, "
        "the two clients taking turns run by run; "
        f"imports {args.repeat * 2} fresh interpreters each; whole run "
        f"{time.perf_counter() - started:.0f} s). openai {openai.__version__} on "
        f"{sdk.__name__} {sdk.__version__}, the generated package on httpx "
        f"{httpx.__version__}, Python {sys.version.split()[0]}. The machine is shared, so the "
        "ranges show the spread.",
        "",
        "Both clients call `chat.completions.create` through an in-memory mock transport of "
        "their own HTTP library on the same bytes, which the SDK's own response types serialised (a completion; a "
        f"stream of {args.chunks} chunks and `[DONE]`). Import time is a fresh interpreter "
        "importing the package, less the median of one importing nothing.",
        "",
        "| figure | generated `chat_api` (median) | `openai` (median) | lead | generated range "
        "| openai range |",
        "| --- | ---: | ---: | ---: | --- | --- |",
        _row("import time", "s", imports, higher_is_better=False),
        _row("SSE chunks parsed per second", "rate", sse, higher_is_better=True),
        _row("non-streamed calls per second", "rate", calls, higher_is_better=True),
        "",
        "The lead is the openai SDK's figure over the generated package's for time, and the "
        "generated package's over the SDK's for rates: above 1 the generated package is ahead.",
        "",
    ]
    text = "\n".join(lines)
    args.results.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
