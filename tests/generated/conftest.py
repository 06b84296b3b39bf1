"""Fixtures: the committed generated package imported from generated/, and mock-transport clients."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._documents import GENERATED, PACKAGE

API_KEY = "sk-acceptance"


def _loaded_package_modules() -> dict[str, ModuleType]:
    return {
        name: module
        for name, module in sys.modules.items()
        if name == PACKAGE or name.startswith(f"{PACKAGE}.")
    }


@pytest.fixture(scope="session")
def api() -> Iterator[ModuleType]:
    """`chat_api` as committed in generated/, freshly imported from there.

    Another suite may have imported a `chat_api` from elsewhere (a temp build): it is set aside
    for the session and put back afterwards.
    """
    elsewhere = _loaded_package_modules()
    loaded = elsewhere.get(PACKAGE)
    if loaded is not None and loaded.__file__ == str(GENERATED / PACKAGE / "__init__.py"):
        # Already imported from generated/ (by another suite): the same modules, one copy.
        yield loaded
        return
    for name in elsewhere:
        del sys.modules[name]
    sys.path.insert(0, str(GENERATED))
    try:
        module = importlib.import_module(PACKAGE)
        assert module.__file__ == str(GENERATED / PACKAGE / "__init__.py")
        yield module
    finally:
        sys.path.remove(str(GENERATED))
        for name in _loaded_package_modules():
            del sys.modules[name]
        sys.modules.update(elsewhere)


@pytest.fixture
def anyio_backend() -> str:
    """The generated runtime sleeps with asyncio: async tests run on asyncio only."""
    return "asyncio"


Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class FakeVendor:
    """A MockTransport handler: records each request and plays the replies in order.

    The last reply repeats. A reply is a response (copied, so it can be played twice), an
    exception (raised as if the network failed) or a function of the request.
    """

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies) or [httpx.Response(200, json={})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if isinstance(reply, httpx.Response):
            return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)
        if isinstance(reply, Exception):
            raise reply
        return reply(request)

    @property
    def bodies(self) -> list[Any]:
        """The JSON body of each request."""
        return [json.loads(request.content) for request in self.requests]


def sync_client(api: ModuleType, vendor: str, handler: FakeVendor, **options: Any) -> Any:
    """A `Client` for `vendor` whose HTTP goes to `handler`; an API key unless one is given."""
    options.setdefault("api_key", API_KEY)
    transport = httpx.MockTransport(handler)
    return api.Client(vendor=vendor, http_client=httpx.Client(transport=transport), **options)


def async_client(api: ModuleType, vendor: str, handler: FakeVendor, **options: Any) -> Any:
    """The `AsyncClient` twin of `sync_client`."""
    options.setdefault("api_key", API_KEY)
    transport = httpx.MockTransport(handler)
    return api.AsyncClient(
        vendor=vendor, http_client=httpx.AsyncClient(transport=transport), **options
    )


class ChunkedBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered in the given byte chunks, remembering whether it was closed."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = list(chunks)
        self.served = 0
        """How many chunks the client has read so far."""
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.served += 1
            yield chunk

    async def __aiter__(self) -> Any:
        for chunk in self.chunks:
            self.served += 1
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def split_at(data: bytes, positions: Iterable[int]) -> list[bytes]:
    """`data` cut at each position (sorted, duplicates ignored); no piece is lost or reordered."""
    cuts = sorted({position for position in positions if 0 < position < len(data)})
    return [data[start:end] for start, end in pairwise([0, *cuts, len(data)])]


def same_json(expected: Any, actual: Any, where: str = "$") -> None:
    """Assert two JSON values are equal as JSON: same keys (in any order), items in the same
    order, numbers equal in value (1 == 1.0); but booleans are not numbers and null is not a
    missing key."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        assert type(expected) is type(actual) and expected == actual, f"{where}: {actual!r}"
    elif isinstance(expected, int | float) and isinstance(actual, int | float):
        assert expected == actual, f"{where}: {expected!r} != {actual!r}"
    elif isinstance(expected, dict) and isinstance(actual, dict):
        assert set(expected) == set(actual), f"{where}: keys {sorted(expected)} != {sorted(actual)}"
        for key in expected:
            same_json(expected[key], actual[key], f"{where}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list):
        assert len(expected) == len(actual), f"{where}: {len(expected)} != {len(actual)} items"
        for position, (left, right) in enumerate(zip(expected, actual, strict=True)):
            same_json(left, right, f"{where}[{position}]")
    else:
        assert type(expected) is type(actual) and expected == actual, (
            f"{where}: {expected!r} != {actual!r}"
        )
