"""A sync ``httpx.Client`` that serves its requests from an ASGI app in process.

Generated clients take an ``httpx.Client``. Starlette's TestClient is no longer one when the
``httpx2`` package is installed (Starlette 1.10 builds on it first, and openai 3 brings it), so
the sync round trips go through this bridge instead: httpx on the client's side, TestClient on
the app's, whichever HTTP library TestClient is built on.
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient


class InProcessTransport(httpx.BaseTransport):
    """Hands each request to TestClient and turns its answer back into an ``httpx.Response``."""

    def __init__(self, app: Any) -> None:
        self._app_client = TestClient(app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self._app_client.request(
            request.method,
            str(request.url),
            headers=list(request.headers.multi_items()),
            content=request.read(),
        )
        # TestClient has decoded the body already: its encoding no longer describes it.
        headers = [(k, v) for k, v in answer.headers.multi_items() if k != "content-encoding"]
        return httpx.Response(
            answer.status_code,
            headers=headers,
            content=answer.content,
            request=request,
        )

    def close(self) -> None:
        self._app_client.close()


def in_process_client(app: Any) -> httpx.Client:
    """An ``httpx.Client`` whose requests the app answers, with nothing on the network."""
    return httpx.Client(transport=InProcessTransport(app))
