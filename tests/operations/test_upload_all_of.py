"""A multipart body whose binary field comes through ``allOf`` (a ``$ref`` and an inline object, in
either order, nested, or an ``allOf`` at the property itself) is an upload: the IR lists the field
as a file and the generated client sends it as a file part, not as a text field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from codegen.ingest import ingest_text
from codegen.ingest.source import SourceText
from codegen.ir.merge import merge
from codegen.normalize import normalize

from .conftest import build, load_package

REF = {"$ref": "#/components/schemas/Purpose"}
FILE_PART = {"type": "object", "required": ["file"],
             "properties": {"file": {"type": "string", "format": "binary"}}}  # fmt: skip

SCHEMAS: dict[str, Any] = {
    "ref_then_inline": {"allOf": [REF, FILE_PART]},
    "inline_then_ref": {"allOf": [FILE_PART, REF]},
    "nested": {"allOf": [{"allOf": [REF, {"allOf": [FILE_PART]}]}]},
    "nested_beside_own_properties": {
        "type": "object",
        "properties": {"note": {"type": "string"}},
        "allOf": [{"allOf": [FILE_PART]}, REF],
    },
    "all_of_at_the_property": {
        "allOf": [
            REF,
            {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "allOf": [{"$ref": "#/components/schemas/Bytes"}],
                        "description": "The file to upload.",
                    }
                },
            },
        ]
    },
    "readonly_field_beside": {  # the request view drops `id`, so this schema is not read whole
        "allOf": [
            {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}}},
            {"allOf": [FILE_PART, REF]},
        ]
    },
}


def _document(schema: dict[str, Any]) -> str:
    return yaml.safe_dump({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.test/v1"}],
        "paths": {"/files": {"post": {
            "operationId": "createFile",
            "requestBody": {"required": True,
                            "content": {"multipart/form-data": {"schema": schema}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}},
        }}},
        "components": {"schemas": {
            "Purpose": {"type": "object", "required": ["purpose"],
                        "properties": {"purpose": {"type": "string"}}},
            "Bytes": {"type": "string", "format": "binary"},
        }},
    })  # fmt: skip


@pytest.mark.parametrize("case", sorted(SCHEMAS))
def test_the_merge_lists_the_binary_field_as_a_file(case: str) -> None:
    text = _document(SCHEMAS[case])
    normalized = normalize(ingest_text(SourceText.of("acme.yaml", text)))
    (operation,) = merge([normalized]).api.operations
    assert operation.body is not None
    assert operation.body.file_fields == ("file",)


@pytest.mark.parametrize("case", sorted(SCHEMAS))
def test_the_client_sends_the_binary_field_as_a_file_part(tmp_path: Path, case: str) -> None:
    source = tmp_path / "acme.yaml"
    source.write_text(_document(SCHEMAS[case]))
    package = load_package(build([source], tmp_path / "out", f"upload_{case}"))[0]
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": "f1"})

    client = package.Client(
        api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    assert client.files.create(file=b"\x00\x01bytes", purpose="batch").id == "f1"
    (request,) = sent
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.read()
    # A file part carries a filename and its bytes verbatim; a text field would carry neither.
    file_part = next(part for part in body.split(b"--") if b'name="file"' in part)
    assert b"filename=" in file_part and b"\x00\x01bytes" in file_part
    purpose_part = next(part for part in body.split(b"--") if b'name="purpose"' in part)
    assert b"filename=" not in purpose_part and b"batch" in purpose_part
