"""Test helpers: a recording MockTransport handler and a sync/async client harness."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx

API_KEY = "sk-test"


def make_profile(rt: ModuleType, **overrides: Any) -> Any:
    """A bearer-auth profile for a fictitious vendor; keyword arguments replace fields."""
    fields: dict[str, Any] = {
        "name": "acme",
        "base_url": "https://api.acme.test/v1",
        "api_key_env": "ACME_API_KEY",
        "auth_header": "Authorization",
        "auth_scheme": "Bearer",
    }
    fields.update(overrides)
    return rt._base_client.VendorProfile(**fields)


Reply = httpx.Response | type[Exception] | Callable[[httpx.Request], httpx.Response]


class FakeServer:
    """MockTransport handler that records requests and plays replies in order, repeating the last.

    A reply is a response (copied for each use), an httpx exception class (raised), or a callable.
    """

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies) or [httpx.Response(200, json={})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        index = min(len(self.requests), len(self.replies)) - 1
        reply = self.replies[index]
        if isinstance(reply, httpx.Response):
            return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)
        if isinstance(reply, type):
            raise reply(f"simulated {reply.__name__}", request=request)
        return reply(request)

    @property
    def calls(self) -> int:
        return len(self.requests)


class Harness:
    """Runs the same test against SyncAPIClient or AsyncAPIClient over a MockTransport."""

    def __init__(self, rt: ModuleType, mode: str) -> None:
        self.rt = rt
        self.mode = mode
        self.sleeps: list[float] = []

    @property
    def is_async(self) -> bool:
        return self.mode == "async"

    def client(self, server: FakeServer, *, profile: Any = None, **kwargs: Any) -> Any:
        """A client on `server` with key API_KEY; its sleeps are recorded, never slept."""
        kwargs.setdefault("api_key", API_KEY)
        profile = profile if profile is not None else make_profile(self.rt)
        transport = httpx.MockTransport(server)
        if self.is_async:
            client = self.rt._base_client.AsyncAPIClient(
                profile=profile, http_client=httpx.AsyncClient(transport=transport), **kwargs
            )

            async def record_sleep(seconds: float) -> None:
                self.sleeps.append(seconds)

            client._sleep = record_sleep
        else:
            client = self.rt._base_client.SyncAPIClient(
                profile=profile, http_client=httpx.Client(transport=transport), **kwargs
            )
            client._sleep = self.sleeps.append
        return client

    def call(self, client: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a client method, running it to completion on a fresh loop when async."""
        result = getattr(client, method)(*args, **kwargs)
        if self.is_async:
            return asyncio.run(result)
        return result

    def request(self, client: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("parse", lambda body: body)
        return self.call(client, "request", *args, **kwargs)

    def stream(self, client: Any, *args: Any, **kwargs: Any) -> list[Any]:
        """Open a stream and collect every chunk it yields."""
        kwargs.setdefault("parse", lambda body: body)
        if self.is_async:

            async def collect() -> list[Any]:
                stream = await client.request_stream(*args, **kwargs)
                return [chunk async for chunk in stream]

            return asyncio.run(collect())
        return list(client.request_stream(*args, **kwargs))

    def download(self, client: Any, *args: Any, **kwargs: Any) -> tuple[Any, bytes]:
        """request_binary, then read the whole body (on the same loop when async)."""
        if self.is_async:

            async def fetch() -> tuple[Any, bytes]:
                response = await client.request_binary(*args, **kwargs)
                return response, await response.read()

            return asyncio.run(fetch())
        response = client.request_binary(*args, **kwargs)
        return response, response.read()

    def pages(self, client: Any, *args: Any, **kwargs: Any) -> list[Any]:
        """request_page, then every page through iter_pages."""
        kwargs.setdefault("parse", lambda body: body)
        kwargs.setdefault("item", object)
        if self.is_async:

            async def collect() -> list[Any]:
                first = await client.request_page(*args, **kwargs)
                return [page async for page in first.iter_pages()]

            return asyncio.run(collect())
        return list(client.request_page(*args, **kwargs).iter_pages())

    def page_items(self, client: Any, *args: Any, **kwargs: Any) -> list[Any]:
        """request_page, then every item of every page by iterating the first page."""
        kwargs.setdefault("parse", lambda body: body)
        kwargs.setdefault("item", object)
        if self.is_async:

            async def collect() -> list[Any]:
                first = await client.request_page(*args, **kwargs)
                return [item async for item in first]

            return asyncio.run(collect())
        return list(client.request_page(*args, **kwargs))
