"""Fixtures: the committed generated package (imported from generated/), ports, uvicorn in a thread."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "generated"

# The round-trip tests exercise the committed package itself, so it is imported from generated/
# (before the test modules import it at collection time, to parametrize over its vendors).
if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

import chat_api  # noqa: E402

VENDOR_NAMES = list(chat_api.VENDORS)


def vendor_prefix(vendor: str) -> str:
    """The path prefix of a vendor's base URL ("" for none), as its clients call it."""
    return urlsplit(chat_api.VENDORS[vendor].base_url).path.rstrip("/")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1 in a thread; yields the base URL, stops on exit."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise AssertionError("uvicorn did not start")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        listener.close()
        assert not thread.is_alive(), "uvicorn did not stop"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
