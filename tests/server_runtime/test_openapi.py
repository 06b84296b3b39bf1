"""The app's /openapi.json describes mounted operations; mount_operation refuses bad setups."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from pydantic import BaseModel

from ._app import Completion, EchoHandler, Message, build_app, chat_operation


def openapi(app: FastAPI) -> dict[str, Any]:
    response = TestClient(app).get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def refs(node: object) -> Iterator[str]:
    """Every $ref in a JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    name = schema["$ref"].removeprefix("#/components/schemas/")
    resolved: dict[str, Any] = document["components"]["schemas"][name]
    return resolved


def test_every_prefix_is_documented_with_unique_ids(server: ModuleType) -> None:
    """Both mounted paths appear as POST operations; the first keeps the spec's operationId."""
    document = openapi(build_app(server))
    assert set(document["paths"]) == {"/v1/chat/completions", "/api/ai/chat/completions"}
    ids = [document["paths"][path]["post"]["operationId"] for path in sorted(document["paths"])]
    assert ids == ["createChatCompletion_api_ai", "createChatCompletion"]
    assert document["paths"]["/v1/chat/completions"]["post"]["summary"] == (
        "Create a chat completion"
    )


def test_request_response_chunk_and_error_schemas(server: ModuleType) -> None:
    """requestBody, 200 JSON, 200 event-stream and error responses point at the models."""
    document = openapi(build_app(server))
    operation = document["paths"]["/v1/chat/completions"]["post"]
    request = operation["requestBody"]
    assert request["required"] is True
    request_schema = resolve(document, request["content"]["application/json"]["schema"])
    assert request_schema["title"] == "ChatRequest"
    assert request_schema["required"] == ["model", "messages"]
    assert "user" in request_schema["properties"]

    ok = operation["responses"]["200"]
    response_schema = resolve(document, ok["content"]["application/json"]["schema"])
    assert response_schema["title"] == "Completion"
    assert "systemFingerprint" in response_schema["properties"]
    chunk_schema = resolve(document, ok["content"]["text/event-stream"]["schema"])
    assert chunk_schema["title"] == "Chunk"
    assert "When `stream` is true" in ok["description"]
    assert "`data: [DONE]`" in ok["description"]

    for status in ("400", "default"):
        error = resolve(
            document, operation["responses"][status]["content"]["application/json"]["schema"]
        )
        assert error["title"] == "ErrorResponse"
        detail = resolve(document, error["properties"]["error"])
        assert set(detail["properties"]) == {"message", "type", "param", "code"}


def test_every_ref_resolves_and_fastapi_422_is_absent(server: ModuleType) -> None:
    """All $refs point at components; FastAPI's own 422 HTTPValidationError is not claimed."""
    document = openapi(build_app(server))
    schemas = document["components"]["schemas"]
    found = list(refs(document))
    assert len(found) > 10
    for ref in found:
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    assert "HTTPValidationError" not in schemas
    assert "422" not in document["paths"]["/v1/chat/completions"]["post"]["responses"]


def test_document_is_valid_openapi(server: ModuleType) -> None:
    """The whole document, in-body mounts included, passes the OpenAPI 3.1 validator."""
    mounts = [
        server.Mount("/v1"),
        server.Mount("/api/ai", in_body_errors=server.InBodyErrors(codes=(701,))),
    ]
    validate(openapi(build_app(server, mounts=mounts)))


def test_shared_models_named_once_across_operations(server: ModuleType) -> None:
    """Two operations sharing Message get one component; both requests reference it."""

    class EditRequest(BaseModel):
        messages: list[Message]

    app = build_app(server)
    edit = chat_operation(
        server,
        path="/edits",
        request_model=EditRequest,
        chunk_model=None,
        stream_field=None,
        operation_id="createEdit",
    )
    server.mount_operation(app, edit, EchoHandler().create, mounts=["/v1"])
    document = openapi(app)
    schemas = document["components"]["schemas"]
    assert [name for name in schemas if "Message" in name] == ["Message"]
    edit_operation = document["paths"]["/v1/edits"]["post"]
    assert set(edit_operation["responses"]["200"]["content"]) == {"application/json"}
    assert (
        resolve(document, edit_operation["requestBody"]["content"]["application/json"]["schema"])[
            "title"
        ]
        == "EditRequest"
    )


def test_mount_after_first_document_is_documented(server: ModuleType) -> None:
    """An operation mounted after /openapi.json was served appears in the next document."""
    app = build_app(server)
    client = TestClient(app)
    assert "/extra/chat/completions" not in client.get("/openapi.json").json()["paths"]
    server.mount_operation(
        app, chat_operation(server, operation_id="extra"), EchoHandler().create, mounts=["/extra"]
    )
    assert "/extra/chat/completions" in client.get("/openapi.json").json()["paths"]


def test_other_routes_of_the_app_keep_their_schemas(server: ModuleType) -> None:
    """The app's own typed routes are still documented by FastAPI next to the operations."""

    class Health(BaseModel):
        ok: bool

    app = build_app(server)

    @app.get("/health", response_model=Health)
    async def health() -> Health:
        return Health(ok=True)

    document = openapi(app)
    assert "Health" in document["components"]["schemas"]
    assert "Completion" in document["components"]["schemas"]


def test_stream_only_operation_and_in_body_mount_descriptions(server: ModuleType) -> None:
    """A stream-only operation documents only text/event-stream; in-body mounts list codes."""
    mounts = [server.Mount("/api/ai", in_body_errors=server.InBodyErrors(codes=(701, 702)))]
    app = build_app(server, mounts=mounts, response_model=None, stream_field=None)
    ok = openapi(app)["paths"]["/api/ai/chat/completions"]["post"]["responses"]["200"]
    assert set(ok["content"]) == {"text/event-stream"}
    assert ok["description"].startswith("Server-sent events, one `data:` per Chunk")
    assert "code 701, 702" in ok["description"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"response_model": None, "chunk_model": None}, "needs a response_model or a chunk_model"),
        ({"chunk_model": None}, "stream_field is set but there is no chunk_model"),
        ({"stream_field": "streaming"}, "'streaming' is not a field of ChatRequest"),
        ({"method": "GET"}, "GET has no JSON body; operations are POST, PUT or PATCH"),
    ],
    ids=["no-models", "flag-without-chunks", "unknown-flag", "no-body-method"],
)
def test_operation_refuses_inconsistent_description(
    server: ModuleType, overrides: dict[str, Any], message: str
) -> None:
    """Operation checks its models and stream flag when it is built, not per request."""
    with pytest.raises(ValueError, match=message):
        chat_operation(server, **overrides)


@pytest.mark.parametrize(
    ("mounts", "message"),
    [([], "at least one mount"), (["/v1", "v1/"], r"same path \['/v1/chat/completions'\]")],
    ids=["none", "duplicate"],
)
def test_mount_operation_refuses_bad_mounts(
    server: ModuleType, mounts: list[str], message: str
) -> None:
    """No mount, or two mounts giving the same path, is refused."""
    with pytest.raises(ValueError, match=message):
        server.mount_operation(
            FastAPI(), chat_operation(server), EchoHandler().create, mounts=mounts
        )


def test_empty_prefix_serves_bare_path(server: ModuleType) -> None:
    """Mount("") serves the operation at its own path; returned paths are normalised."""
    app = FastAPI()
    paths = server.mount_operation(
        app, chat_operation(server), EchoHandler().create, mounts=["", "/v1/"]
    )
    assert paths == ["/chat/completions", "/v1/chat/completions"]
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    response = TestClient(app).post("/chat/completions", json=body)
    assert Completion.model_validate(response.json()).choices[0].message.content == "hi"
    ids = {op["post"]["operationId"] for op in openapi(app)["paths"].values()}
    assert ids == {"createChatCompletion", "createChatCompletion_v1"}
