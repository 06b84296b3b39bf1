"""Tests for codegen.normalize.evidence: which example values reach which schema pointer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from codegen.ingest import ingest_path, ingest_text
from codegen.ingest.source import SourceText
from codegen.jsonpointer import join
from codegen.normalize.evidence import (
    collect_evidence,
    json_type,
    resolve_ref,
    response_schema_pointers,
    schema_types,
)

SOURCES = Path(__file__).resolve().parents[2] / "specs" / "sources"
OP = join("/paths", "/chat", "post")
BODY = join(OP, "requestBody", "content", "application/json")
OK = join(OP, "responses", "200", "content", "application/json")


def _document(
    operation: dict[str, Any], components: dict[str, Any] | None = None
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/chat": {"post": operation}},
    }
    if components:
        document["components"] = components
    text = yaml.safe_dump(document, sort_keys=False)
    return ingest_text(SourceText.of("t.yaml", text)).openapi


def _ok(media: dict[str, Any]) -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok", "content": {"application/json": media}}}}


def test_media_example_reaches_nested_properties_and_items() -> None:
    """A response example's values are attributed to the properties and items they instance."""
    schema = {
        "type": "object",
        "properties": {
            "choices": {
                "type": "array",
                "items": {"type": "object", "properties": {"index": {"type": "integer"}}},
            }
        },
    }
    example = {"choices": [{"index": 0}, {"index": 1}]}
    document = _document(_ok({"schema": schema, "example": example}))
    evidence = collect_evidence(document)
    root = join(OK, "schema")
    index = join(root, "properties", "choices", "items", "properties", "index")
    assert [s.value for s in evidence.at(root)] == [example]
    assert [s.value for s in evidence.at(index)] == [0, 1]
    assert evidence.at(index)[1].origin == join(OK, "example", "choices", 1, "index")
    assert {s.kind for s in evidence.at(index)} == {"example"}


def test_examples_map_values_and_component_example_refs() -> None:
    """``examples.*.value`` is read, and an Example Object behind a local $ref is followed."""
    operation = {
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"n": {"type": "number"}}},
                    "examples": {
                        "one": {"value": {"n": 1.5}},
                        "two": {"$ref": "#/components/examples/Two"},
                    },
                }
            }
        },
        "responses": {"200": {"description": "ok"}},
    }
    document = _document(operation, {"examples": {"Two": {"value": {"n": 2}}}})
    samples = collect_evidence(document).at(join(BODY, "schema", "properties", "n"))
    assert [s.value for s in samples] == [1.5, 2]
    assert samples[1].origin == "/components/examples/Two/value/n"


def test_schema_examples_and_defaults_descend_with_their_kind() -> None:
    """Schema ``examples`` count as examples, ``default`` as a default, both carried inward."""
    schema = {
        "type": "array",
        "items": {"type": "object", "properties": {"role": {"type": "string"}}},
        "default": [{"role": "user"}],
        "examples": [[{"role": "system"}]],
    }
    operation = {
        "requestBody": {
            "content": {
                "application/json": {"schema": {"type": "object", "properties": {"m": schema}}}
            }
        },
        "responses": {"200": {"description": "ok"}},
    }
    document = _document(operation)
    role = join(BODY, "schema", "properties", "m", "items", "properties", "role")
    evidence = collect_evidence(document)
    assert [s.value for s in evidence.at(role, "example")] == ["system"]
    assert [s.value for s in evidence.at(role, "default")] == ["user"]


def test_ref_all_of_and_additional_properties_are_followed() -> None:
    """Values go through a local $ref, into every allOf member and into additionalProperties."""
    components = {
        "schemas": {
            "Reply": {
                "allOf": [
                    {"type": "object", "properties": {"id": {"type": "string"}}},
                    {
                        "type": "object",
                        "properties": {"meta": {"type": "object", "additionalProperties": {}}},
                    },
                ]
            }
        }
    }
    example = {"id": "a", "meta": {"free": 3}}
    document = _document(
        _ok({"schema": {"$ref": "#/components/schemas/Reply"}, "example": example}), components
    )
    evidence = collect_evidence(document)
    assert [s.value for s in evidence.at("/components/schemas/Reply/allOf/0/properties/id")] == [
        "a"
    ]
    meta = "/components/schemas/Reply/allOf/1/properties/meta/additionalProperties"
    assert [s.value for s in evidence.at(meta)] == [3]


def test_union_values_go_to_the_variant_declaring_their_keys() -> None:
    """An object example goes to the oneOf variant that declares its keys, not to every object
    variant; a string goes only to type-compatible variants."""
    schema = {
        "oneOf": [
            {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
            {"type": "object", "properties": {"code": {"type": "integer"}}, "required": ["code"]},
            {"type": "string"},
        ]
    }
    document = _document(_ok({"schema": schema, "example": {"id": "x"}}))
    evidence = collect_evidence(document)
    union = join(OK, "schema")
    assert [s.value for s in evidence.at(join(union, "oneOf", 0))] == [{"id": "x"}]
    assert evidence.at(join(union, "oneOf", 1)) == ()
    assert evidence.at(join(union, "oneOf", 2)) == ()


def test_parameter_examples_are_evidence() -> None:
    """A parameter's example is attributed to the parameter's schema."""
    operation = {
        "parameters": [{"name": "n", "in": "query", "schema": {"type": "integer"}, "example": 2.5}],
        "responses": {"200": {"description": "ok"}},
    }
    document = _document(operation)
    samples = collect_evidence(document).at(join(OP, "parameters", 0, "schema"))
    assert [s.value for s in samples] == [2.5]


def test_response_schema_pointers_follow_refs_and_skip_requests() -> None:
    """Components reached from a response are response schemas; request-only ones are not."""
    components = {
        "schemas": {
            "Out": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/In"}}},
            "In": {"type": "object", "properties": {"x": {"type": "string"}}},
            "Req": {"type": "object"},
        }
    }
    operation = {
        "requestBody": {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}
        },
        **_ok({"schema": {"$ref": "#/components/schemas/Out"}}),
    }
    pointers = response_schema_pointers(_document(operation, components))
    assert "/components/schemas/Out/properties/inner" in pointers
    assert "/components/schemas/In/properties/x" in pointers
    assert "/components/schemas/Req" not in pointers


def test_small_helpers() -> None:
    """json_type, schema_types and resolve_ref on ordinary and degenerate input."""
    assert [json_type(v) for v in (None, True, 1, 1.0, "s", [], {})] == [
        "null", "boolean", "integer", "number", "string", "array", "object",
    ]  # fmt: skip
    assert schema_types({"type": "string"}) == ["string"]
    assert schema_types({"type": ["integer", "null"]}) == ["integer", "null"]
    assert schema_types({}) == []
    document = {"components": {"schemas": {"A": {"type": "string"}}}}
    assert resolve_ref(document, "#/components/schemas/A") == (
        "/components/schemas/A",
        {"type": "string"},
    )
    assert resolve_ref(document, "#/components/schemas/B") is None
    assert resolve_ref(document, "other.yaml#/A") is None


def test_seed_001_request_examples_reach_request_fields() -> None:
    """On DeepSeek's OpenAPI seed, both request examples give max_tokens the value 2048."""
    document = ingest_path(SOURCES / "deepseek.openapi.md").openapi
    pointer = join("/paths", "/chat/completions", "post", "requestBody", "content")
    pointer = join(pointer, "application/json", "schema", "properties", "max_tokens")
    assert [s.value for s in collect_evidence(document).at(pointer)] == [2048, 2048]
