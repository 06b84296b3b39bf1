"""The app's own /openapi.json against the merged document the package ships (openapi.yaml)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from chat_api import server
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from ._handler import ScriptedHandler
from .conftest import GENERATED

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture(scope="module")
def merged() -> dict[str, Any]:
    """The merged OpenAPI document of the committed package."""
    document: dict[str, Any] = yaml.safe_load(
        (GENERATED / "chat_api" / "openapi.yaml").read_text(encoding="utf-8")
    )
    return document


@pytest.fixture(scope="module")
def served() -> dict[str, Any]:
    """The document the shared app serves at /openapi.json."""
    response = TestClient(server.create_app(ScriptedHandler())).get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value.removeprefix("#/components/schemas/")
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def reachable(document: dict[str, Any], roots: list[str]) -> set[str]:
    """Schema names reachable from `roots` through $refs."""
    schemas = document["components"]["schemas"]
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        pending.extend(refs(schemas[name]))
    return seen


def success_schemas(operation: dict[str, Any]) -> dict[str, str]:
    """Media type -> schema name of the 200 answer."""
    content = operation["responses"]["200"]["content"]
    return {media: next(refs(body["schema"])) for media, body in content.items()}


def test_served_document_is_valid_openapi(served: dict[str, Any]) -> None:
    """The app's document passes the OpenAPI validator."""
    validate(served)


def test_same_title_version_and_operations_under_every_prefix(
    merged: dict[str, Any], served: dict[str, Any]
) -> None:
    """Each merged operation appears under every prefix with its method; the first keeps its id."""
    assert (served["info"]["title"], served["info"]["version"]) == (
        merged["info"]["title"],
        merged["info"]["version"],
    )
    expected = {
        (f"{prefix}{path}", method)
        for path, method, _ in operations(merged)
        for prefix in server.PREFIXES
    }
    assert {(path, method) for path, method, _ in operations(served)} == expected
    for path, method, operation in operations(merged):
        first = served["paths"][f"{server.PREFIXES[0]}{path}"][method]
        assert first["operationId"] == operation["operationId"]
        assert first["summary"] == operation["summary"]


def test_same_request_response_and_chunk_schemas(
    merged: dict[str, Any], served: dict[str, Any]
) -> None:
    """Request body, JSON answer and event-stream chunk name the same schemas as the merged doc."""
    for path, method, operation in operations(merged):
        for prefix in server.PREFIXES:
            mine = served["paths"][f"{prefix}{path}"][method]
            request = operation["requestBody"]["content"]["application/json"]["schema"]
            served_request = mine["requestBody"]["content"]["application/json"]["schema"]
            assert list(refs(served_request)) == list(refs(request))
            assert success_schemas(mine) == success_schemas(operation)


def test_object_schemas_have_the_same_properties_and_required(
    merged: dict[str, Any], served: dict[str, Any]
) -> None:
    """Every object schema the operation reaches has the same property names and required set.

    Named unions (aliases) have no schema of their own in pydantic's output; their variants do.
    """
    roots = [
        name
        for _, _, operation in operations(merged)
        for name in [
            *refs(operation["requestBody"]),
            *success_schemas(operation).values(),
        ]
    ]
    names = reachable(merged, roots)
    objects = {name for name in names if "properties" in merged["components"]["schemas"][name]}
    assert {"CreateChatCompletionRequest", "ChatCompletion", "ChatCompletionChunk"} <= objects
    mine = served["components"]["schemas"]
    for name in sorted(objects):
        theirs = merged["components"]["schemas"][name]
        assert name in mine, name
        assert set(mine[name]["properties"]) == set(theirs["properties"]), name
        assert set(mine[name].get("required", [])) == set(theirs.get("required", [])), name


def test_error_answers_are_documented(served: dict[str, Any]) -> None:
    """The validation status and the default answer use the OpenAI-style error schema."""
    for _, _, operation in operations(served):
        for status in ("400", "default"):
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert next(refs(schema)) == "ErrorResponse"
