"""/openapi.json of operations with parameters, form and binary bodies and non-JSON answers."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from ._files_app import PREFIX, build_files_app
from .test_openapi import refs, resolve


@pytest.fixture
def document(server: ModuleType) -> dict[str, Any]:
    response = TestClient(build_files_app(server)).get("/openapi.json")
    assert response.status_code == 200
    served: dict[str, Any] = response.json()
    return served


def operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][f"{PREFIX}{path}"][method]
    return found


def test_document_is_valid_openapi_and_refs_resolve(document: dict[str, Any]) -> None:
    validate(document)
    schemas = document["components"]["schemas"]
    for ref in refs(document):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_query_parameters_with_styles(document: dict[str, Any]) -> None:
    """Each query parameter is listed with its schema; optional ones without the null branch;
    non-default styles as OpenAPI spells them."""
    parameters = {p["name"]: p for p in operation(document, "get", "/files")["parameters"]}
    assert list(parameters) == [
        "limit",
        "order",
        "include_deleted",
        "ids",
        "purposes",
        "sizes",
        "words",
        "metadata",
        "before",
    ]
    assert parameters["limit"] == {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer"},
    }
    assert parameters["order"]["schema"] == {"enum": ["asc", "desc"], "type": "string"}
    assert parameters["ids"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert "style" not in parameters["ids"]
    assert (parameters["purposes"]["style"], parameters["purposes"]["explode"]) == ("form", False)
    assert parameters["sizes"]["style"] == "pipeDelimited"
    assert parameters["words"]["style"] == "spaceDelimited"
    assert parameters["metadata"]["style"] == "deepObject"
    assert parameters["metadata"]["schema"] == {
        "type": "object",
        "additionalProperties": {"type": "string"},
    }
    assert parameters["before"]["deprecated"] is True


def test_path_header_and_cookie_parameters(document: dict[str, Any]) -> None:
    parameters = operation(document, "get", "/files/{file_id}")["parameters"]
    assert [(p["in"], p["name"], p["required"]) for p in parameters] == [
        ("path", "file_id", True),
        ("header", "OpenAI-Beta", False),
        ("cookie", "session", False),
        ("header", "X-Trace-Ids", False),
    ]
    assert parameters[1]["description"] == "Opt in to beta behaviour."
    assert parameters[1]["schema"] == {"const": "assistants=v2", "type": "string"}


def test_required_query_parameter(document: dict[str, Any]) -> None:
    [q] = operation(document, "get", "/files/search")["parameters"]
    assert (q["name"], q["required"], q["schema"]) == ("q", True, {"type": "string"})


def test_multipart_request_body_with_binary_file_field(document: dict[str, Any]) -> None:
    """The upload's body is multipart/form-data; the file field is a binary string."""
    upload = operation(document, "post", "/files")
    body = upload["requestBody"]
    assert body["required"] is True
    assert list(body["content"]) == ["multipart/form-data"]
    schema = resolve(document, body["content"]["multipart/form-data"]["schema"])
    assert schema["title"] == "UploadRequest"
    assert schema["properties"]["file"] == {"type": "string", "format": "binary", "title": "File"}
    assert schema["required"] == ["file", "purpose"]
    assert "415" in upload["responses"]
    assert set(upload["responses"]) == {"201", "400", "415", "default"}
    created = upload["responses"]["201"]["content"]["application/json"]["schema"]
    assert resolve(document, created)["title"] == "FileObject"


def test_form_text_and_binary_request_bodies(document: dict[str, Any]) -> None:
    feedback = operation(document, "post", "/feedback")["requestBody"]
    assert list(feedback["content"]) == ["application/x-www-form-urlencoded"]
    assert feedback["required"] is True  # rating is a required field
    replace = operation(document, "put", "/files/{file_id}/content")["requestBody"]
    assert replace == {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
    shout = operation(document, "post", "/shout")["requestBody"]
    assert shout == {"required": False, "content": {"text/plain": {"schema": {"type": "string"}}}}
    thread = operation(document, "post", "/threads")["requestBody"]
    assert thread["required"] is False  # every field of ThreadRequest is optional


def test_binary_text_and_empty_responses(document: dict[str, Any]) -> None:
    """Binary answers under their media type, a 204 without content, no body on GET."""
    download = operation(document, "get", "/files/{file_id}/content")
    assert "requestBody" not in download
    assert download["responses"]["200"]["content"] == {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
    }
    speech = operation(document, "post", "/audio/speech")["responses"]["200"]
    assert list(speech["content"]) == ["audio/mpeg"]
    assert speech["description"] == "The bytes, as audio/mpeg."
    shout = operation(document, "post", "/shout")["responses"]["200"]
    assert shout["content"] == {"text/plain": {"schema": {"type": "string"}}}
    deleted = operation(document, "delete", "/files/{file_id}")["responses"]
    assert "200" not in deleted
    assert deleted["204"] == {"description": "No content."}


def test_operation_without_parameters_or_body_documents_no_validation_error(
    server: ModuleType,
) -> None:
    app = FastAPI()
    operation_ = server.Operation(method="GET", path="/ping", response_model=dict[str, str])

    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    server.mount_operation(app, operation_, ping, mounts=[""])
    client = TestClient(app)
    assert client.get("/ping").json() == {"pong": "yes"}
    responses = client.get("/openapi.json").json()["paths"]["/ping"]["get"]["responses"]
    assert set(responses) == {"200", "default"}
    assert responses["200"]["content"]["application/json"]["schema"] == {
        "type": "object",
        "additionalProperties": {"type": "string"},
    }
