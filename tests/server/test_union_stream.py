"""A stream whose chunk is a union of event models (OpenAI's image and response events are):
the client validates each event as the union, the server sends and checks them, and the package
is still mypy --strict-clean (the chunk used to be called like a model class)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.hostile._run import assert_ruff_and_mypy_clean, imported, specgen

from .._asgi import in_process_client

PACKAGE = "union_stream_pkg"
EVENT_REF = {"$ref": "#/components/schemas/DrawEvent"}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Draw", "version": "1"},
    "servers": [{"url": "https://api.draw.test/v1"}],
    "paths": {
        "/draw": {
            "post": {
                "operationId": "createDrawing",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["prompt"],
                                "properties": {
                                    "prompt": {"type": "string"},
                                    "stream": {"type": "boolean", "default": False},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "The drawing, or its events.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Drawing"}
                            },
                            "text/event-stream": {"schema": EVENT_REF},
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Drawing": {
                "type": "object",
                "required": ["url"],
                "properties": {"url": {"type": "string"}},
            },
            "DrawEvent": {
                "oneOf": [
                    {"$ref": "#/components/schemas/PartialEvent"},
                    {"$ref": "#/components/schemas/DoneEvent"},
                ],
                "discriminator": {"propertyName": "type"},
            },
            "PartialEvent": {
                "type": "object",
                "required": ["type", "index"],
                "properties": {
                    "type": {"type": "string", "enum": ["partial"]},
                    "index": {"type": "integer"},
                },
            },
            "DoneEvent": {
                "type": "object",
                "required": ["type", "url"],
                "properties": {
                    "type": {"type": "string", "enum": ["done"]},
                    "url": {"type": "string"},
                },
            },
        }
    },
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("union_stream")
    source = folder / "draw.json"
    source.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    out = folder / "out"
    run = specgen("build", str(source), "--out", str(out), "--package", PACKAGE)
    assert run.code == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def package(built: Path) -> Iterator[ModuleType]:
    with imported(built, PACKAGE) as module:
        yield module


def test_the_package_is_ruff_and_mypy_strict_clean(built: Path, tmp_path: Path) -> None:
    assert_ruff_and_mypy_clean(built / PACKAGE, tmp_path)


def _sse(*events: dict[str, Any]) -> bytes:
    return b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)


def test_the_client_reads_each_event_as_its_variant(package: ModuleType) -> None:
    import httpx

    body = _sse({"type": "partial", "index": 0}, {"type": "done", "url": "u"})
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            200, headers={"content-type": "text/event-stream"}, content=body
        )
    )
    client = package.Client(api_key="k", http_client=httpx.Client(transport=transport))
    events = list(client.draw.create(prompt="a cat", stream=True))
    assert [type(e).__name__ for e in events] == ["PartialEvent", "DoneEvent"]
    assert events[1].url == "u"


def test_a_stream_through_the_generated_server_and_its_demo_handler(package: ModuleType) -> None:
    server = package.server
    app = server.create_app(server.DemoHandler())
    client = package.Client(api_key="k", http_client=in_process_client(app))
    events = list(client.draw.create(prompt="a cat", stream=True))
    assert events and all(type(e).__name__ in {"PartialEvent", "DoneEvent"} for e in events)
    assert client.draw.create(prompt="a cat").url


def test_the_server_refuses_a_chunk_that_is_no_variant(package: ModuleType) -> None:
    server = package.server
    ((_operation, method),) = server.ROUTES

    async def events(_request: Any) -> Any:
        yield {"type": "partial", "index": 1}
        yield {"type": "unknown"}

    handler = server.DemoHandler()
    setattr(handler, method, events)
    with TestClient(server.create_app(handler)) as http:
        response = http.post("/v1/draw", json={"prompt": "x", "stream": True})
    data = [line[len("data: ") :] for line in response.text.splitlines() if line]
    assert json.loads(data[0]) == {"type": "partial", "index": 1}
    assert list(json.loads(data[-1])) == ["error"]  # the second chunk fits no variant
    assert len(data) == 2
