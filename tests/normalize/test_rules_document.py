"""The document-level repair rules: tool noise, security, operation ids, response keys, streaming,
error unions, assumed error envelopes and junk text, on small documents and on the seeds."""

from __future__ import annotations

import copy
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from msgspec.structs import replace

from codegen.ingest import IngestedDocument, ingest_path, ingest_text
from codegen.ingest.source import SourceText
from codegen.ingest.validate import validation_errors
from codegen.normalize.context import RuleContext
from codegen.normalize.marks import ASSUMED, ERROR_CATALOGUE, JUNK, MISSING, STREAM
from codegen.normalize.rules import (
    error_responses,
    error_union,
    junk_text,
    operation_ids,
    response_keys,
    security,
    stream_response,
    tool_noise,
)
from codegen.openapi_walk import iter_operations

SOURCES = Path(__file__).resolve().parents[2] / "specs" / "sources"
MINE: tuple[ModuleType, ...] = (
    tool_noise,
    security,
    operation_ids,
    response_keys,
    stream_response,
    error_union,
    error_responses,
    junk_text,
)
SEEDS = ("siliconstorm.md", "deepseek.openapi.md", "solidrust.md", "oxen.md", "deepseek.docs.txt")
EVENT_STREAM = "text/event-stream"


def ingest_doc(document: dict[str, Any]) -> IngestedDocument:
    text = yaml.safe_dump(document, sort_keys=False)
    return ingest_text(SourceText.of("t.yaml", text))


def run(source: IngestedDocument | dict[str, Any], *rules: ModuleType) -> RuleContext:
    ingested = source if isinstance(source, IngestedDocument) else ingest_doc(source)
    context = RuleContext.of(ingested)
    for rule in rules:
        context.rule = rule.RULE_ID
        rule.apply(context)
    return context


def run_seed(name: str, until: ModuleType) -> RuleContext:
    """Run this module's rules, in registry order, on a seed up to and including ``until``."""
    rules = MINE[: MINE.index(until) + 1]
    return run(ingest_path(SOURCES / name), *rules)


def of_rule(context: RuleContext, rule: ModuleType, level: str = "repair") -> list[Any]:
    return [f for f in context.findings if f.rule == rule.RULE_ID and f.level == level]


def doc(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Chat API", "version": "1"},
        "paths": paths,
        **extra,
    }


def chat_op(**fields: Any) -> dict[str, Any]:
    operation = {"responses": {"200": {"description": "A chat completion"}}}
    operation.update(fields)
    return {"/v1/chat/completions": {"post": operation}}


def all_keys(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [k for k, v in node.items() for k in [k, *all_keys(v)]]
    if isinstance(node, list):
        return [k for item in node for k in all_keys(item)]
    return []


# --- drop-tool-noise -------------------------------------------------------------------------


def test_tool_noise_drops_design_tool_extensions_with_pointer_and_line() -> None:
    context = run(
        doc(
            chat_op(
                **{
                    "x-run-in-apidog": "https://app.apidog.com/web/project/1/apis/run",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"model": {"type": "string"}},
                                    "x-apidog-orders": ["model"],
                                }
                            }
                        }
                    },
                }
            )
        ),
        tool_noise,
    )
    operation = context.document["paths"]["/v1/chat/completions"]["post"]
    assert "x-run-in-apidog" not in operation
    assert (
        "x-apidog-orders" not in operation["requestBody"]["content"]["application/json"]["schema"]
    )
    found = {f.pointer: f for f in of_rule(context, tool_noise)}
    pointer = "/paths/~1v1~1chat~1completions/post/x-run-in-apidog"
    assert found[pointer].before.startswith("https://app.apidog.com")
    assert found[pointer].line is not None and found[pointer].line > 1
    assert len(found) == 2


def test_tool_noise_learns_an_unknown_tool_from_a_link_in_its_own_extension() -> None:
    """x-open-in-fabricate points at fabricate.io, so x-fabricate-* is that tool's noise too."""
    context = run(
        doc(
            chat_op(
                **{
                    "x-open-in-fabricate": "https://studio.fabricate.io/p/9",
                    "x-fabricate-folder": "Chat",
                }
            )
        ),
        tool_noise,
    )
    operation = context.document["paths"]["/v1/chat/completions"]["post"]
    assert "x-open-in-fabricate" not in operation and "x-fabricate-folder" not in operation


def test_tool_noise_keeps_extensions_with_api_meaning_and_the_api_own_links() -> None:
    operation = {
        "x-rate-limit": {"requests": 60},
        "x-docs": "https://api.example.com/docs/chat",
        "x-stainless-streaming": True,
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"x-apidog-like-name": {"type": "string"}},
                    }
                }
            }
        },
    }
    document = doc(chat_op(**operation), servers=[{"url": "https://api.example.com"}])
    context = run(document, tool_noise)
    assert of_rule(context, tool_noise) == []
    assert context.document == ingest_doc(document).openapi


def test_tool_noise_drops_empty_keywords_but_keeps_empty_schemas_and_data() -> None:
    document = doc(
        chat_op(
            tags=[],
            parameters=[],
            callbacks={},
            deprecated=False,
            requestBody={
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "headers": {},
                                "tags": {"type": "array", "items": {"type": "string"}},
                                "options": {"type": "object", "properties": {}, "deprecated": True},
                            },
                        },
                        "example": {"tags": [], "headers": {}},
                    }
                }
            },
        ),
        tags=[],
        servers=[{"url": "https://api.example.com", "variables": {}}],
    )
    document["paths"]["/v1/chat/completions"]["post"]["responses"]["200"]["headers"] = {}
    context = run(document, tool_noise)
    operation = context.document["paths"]["/v1/chat/completions"]["post"]
    for gone in ("tags", "parameters", "callbacks", "deprecated"):
        assert gone not in operation
    assert "tags" not in context.document and "variables" not in context.document["servers"][0]
    assert "headers" not in operation["responses"]["200"]
    media = operation["requestBody"]["content"]["application/json"]
    assert media["schema"]["properties"]["headers"] == {}
    assert media["schema"]["properties"]["options"] == {
        "type": "object",
        "properties": {},
        "deprecated": True,
    }
    assert media["example"] == {"tags": [], "headers": {}}
    assert len(of_rule(context, tool_noise)) == 7


def test_tool_noise_seed_deepseek_openapi_has_no_design_tool_key_left() -> None:
    context = run_seed("deepseek.openapi.md", tool_noise)
    document = {k: v for k, v in context.document.items() if k != "x-specgen-quarantine"}
    assert not [k for k in all_keys(document) if "apidog" in k]
    streaming = context.document["paths"]["/chat/completions"]["post"]["responses"][
        "x-200:Streaming"
    ]
    assert "headers" not in streaming and "x-apidog-name" not in streaming


# --- security-schemes ------------------------------------------------------------------------


def test_security_seed_deepseek_scheme_repaired_noise_dropped_override_removed() -> None:
    context = run_seed("deepseek.openapi.md", security)
    document = context.document
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert document["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/chat/completions"]["post"]
    assert "x-specgen-quarantine" not in document
    pointers = {f.pointer for f in of_rule(context, security)}
    assert pointers == {
        "/components/securitySchemes/bearer",
        "/security/0/x-apidog",
        "/paths/~1chat~1completions/post/security",
    }
    assert validation_errors(document) == []


def _quarantined(schemes: dict[str, Any], **extra: Any) -> IngestedDocument:
    document = doc(chat_op(), components={"securitySchemes": schemes}, **extra)
    return ingest_doc(document)


def test_security_repairs_scheme_type_in_the_wrong_case() -> None:
    ingested = _quarantined(
        {"key": {"type": "apikey", "name": "X-Key", "in": "header"}}, security=[{"key": []}]
    )
    assert ingested.openapi["x-specgen-quarantine"]
    context = run(ingested, security)
    assert context.document["components"]["securitySchemes"]["key"] == {
        "type": "apiKey",
        "name": "X-Key",
        "in": "header",
    }


def test_security_reports_an_unrepairable_quarantine_entry_and_removes_the_quarantine() -> None:
    ingested = _quarantined({"magic": {"type": "telepathy"}})
    context = run(ingested, security)
    warnings = of_rule(context, security, "warning")
    assert [w.pointer for w in warnings] == ["/components/securitySchemes/magic"]
    assert "telepathy" in (warnings[0].evidence or "")
    assert "x-specgen-quarantine" not in context.document
    assert "magic" not in context.document["components"]["securitySchemes"]


def test_security_keeps_a_public_operation_beside_protected_ones() -> None:
    """security: [] on one operation of two is a deliberate opt-out, not a blanket wipe-out."""
    paths = {
        "/v1/chat/completions": {"post": {"responses": {"200": {"description": "ok"}}}},
        "/v1/health": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
    }
    document = doc(
        paths,
        security=[{"bearer": []}],
        components={"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    )
    context = run(document, security)
    assert context.document["paths"]["/v1/health"]["get"]["security"] == []
    assert context.findings == []


def test_security_keeps_empty_override_when_nothing_is_required_at_the_top() -> None:
    context = run(doc(chat_op(security=[])), security)
    assert context.document["paths"]["/v1/chat/completions"]["post"]["security"] == []
    assert context.findings == []


# --- generated-operation-id ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/v1/chat/completions", "/chat/completions", "/api/ai/chat/completions"]
)
def test_generated_id_for_chat_completion_paths(path: str) -> None:
    assert operation_ids.generated_id("post", path) == "createChatCompletion"


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/v1/models", "listModels"),
        ("get", "/v1/models/{model}", "retrieveModel"),
        ("delete", "/v1/files/{file_id}", "deleteFile"),
        ("post", "/v1/embeddings", "createEmbedding"),
        ("patch", "/v1/fine-tunes/{id}/entries", "updateFineTunesEntry"),
    ],
)
def test_generated_id_verb_from_method_and_last_two_static_segments(
    method: str,
    path: str,
    expected: str,
) -> None:
    assert operation_ids.generated_id(method, path) == expected


@pytest.mark.parametrize("seed", ["siliconstorm.md", "deepseek.openapi.md", "oxen.md"])
def test_generated_id_seeds_get_create_chat_completion(seed: str) -> None:
    context = run_seed(seed, operation_ids)
    ((pointer, _path, _method, operation),) = list(iter_operations(context.document))
    assert operation["operationId"] == "createChatCompletion"
    (finding,) = of_rule(context, operation_ids)
    assert finding.pointer == pointer + "/operationId"


def test_generated_id_records_the_dotted_internal_name_of_oxen() -> None:
    (finding,) = of_rule(run_seed("oxen.md", operation_ids), operation_ids)
    assert finding.before == "OxenApiWeb.Controllers.ModelController.get_model_response"
    assert finding.after == "createChatCompletion"


@pytest.mark.parametrize(
    ("old", "replaced"),
    [
        ("getModelResponse", True),
        ("list_completions", True),
        ("createChatCompletion", False),
        ("create_chat_completion", False),
        ("chatCompletions", False),
        ("", True),
    ],
)
def test_generated_id_replaces_only_ids_whose_verb_contradicts_post(
    old: str, replaced: bool
) -> None:
    context = run(doc(chat_op(operationId=old)), operation_ids)
    new = context.document["paths"]["/v1/chat/completions"]["post"]["operationId"]
    assert new == ("createChatCompletion" if replaced else old)
    assert len(of_rule(context, operation_ids)) == int(replaced)


def test_generated_id_falls_back_to_whole_path_when_two_segments_collide() -> None:
    paths = {
        "/v1/chat/completions": {"post": {"responses": {"200": {"description": "ok"}}}},
        "/v1/legacy/chat/completions": {"post": {"responses": {"200": {"description": "ok"}}}},
    }
    context = run(doc(paths), operation_ids)
    ids = [context.document["paths"][p]["post"]["operationId"] for p in paths]
    assert ids == ["createChatCompletion", "createLegacyChatCompletion"]


# --- non-status-response-key -----------------------------------------------------------------


def test_response_key_seed_deepseek_streaming_alternative_becomes_event_stream() -> None:
    context = run_seed("deepseek.openapi.md", response_keys)
    responses = context.document["paths"]["/chat/completions"]["post"]["responses"]
    assert list(responses) == ["200"]
    content = responses["200"]["content"]
    completion = content["application/json"]["schema"]["properties"]["choices"]["items"]
    assert "message" in completion["properties"]
    stream = content[EVENT_STREAM]
    assert stream[STREAM] == {"terminator": "[DONE]"}
    assert list(stream["examples"]) == [f"chunk-{n}" for n in range(1, 12)]
    assert stream["examples"]["chunk-2"]["value"]["choices"][0]["delta"]["content"] == "Hello"
    assert "delta" in stream["schema"]["properties"]["choices"]["items"]["properties"]
    (finding,) = of_rule(context, response_keys)
    assert finding.pointer == "/paths/~1chat~1completions/post/responses/x-200:Streaming"
    assert finding.line == 354
    assert validation_errors(context.document) == []


def test_parse_sse_reads_events_multiline_data_comments_and_terminator() -> None:
    text = (
        ': keep-alive\r\n\r\ndata: {"a": 1}\r\n\r\nevent: x\ndata: {"b":\ndata: 2}\n\ndata: [DONE]'
    )
    parsed = response_keys.parse_sse(text)
    assert parsed.chunks == [{"a": 1}, {"b": 2}]
    assert parsed.terminator == "[DONE]"
    assert parsed.unreadable == []


def test_parse_sse_without_terminator_and_with_a_broken_event() -> None:
    parsed = response_keys.parse_sse('data: {"a": 1}\n\ndata: {oops')
    assert parsed.chunks == [{"a": 1}]
    assert parsed.terminator is None
    assert parsed.unreadable == ["{oops"]


def _with_responses(responses: dict[str, Any]) -> dict[str, Any]:
    return doc({"/v1/chat/completions": {"post": {"responses": responses}}})


def test_response_key_streaming_alternative_without_terminator_by_description() -> None:
    chunk = {"type": "object", "properties": {"text": {"type": "string"}}}
    context = run(
        _with_responses(
            {
                "200": {"description": "ok"},
                "x-200-events": {
                    "description": "Chunks sent as server-sent events",
                    "content": {"application/json": {"schema": chunk, "example": {"text": "Hi"}}},
                },
            }
        ),
        response_keys,
    )
    stream = context.document["paths"]["/v1/chat/completions"]["post"]["responses"]["200"][
        "content"
    ][EVENT_STREAM]
    assert stream == {
        "schema": chunk,
        "examples": {"chunk-1": {"value": {"text": "Hi"}}},
        STREAM: {"terminator": None},
    }


def test_response_key_non_streaming_alternative_merges_as_another_media_type() -> None:
    context = run(
        _with_responses(
            {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "x-200-xml": {
                    "description": "The same as XML",
                    "content": {"application/xml": {"schema": {"type": "object"}}},
                },
            }
        ),
        response_keys,
    )
    responses = context.document["paths"]["/v1/chat/completions"]["post"]["responses"]
    assert list(responses) == ["200"]
    assert set(responses["200"]["content"]) == {"application/json", "application/xml"}
    assert EVENT_STREAM not in responses["200"]["content"]


def test_response_key_clashing_alternative_is_reported_and_kept() -> None:
    context = run(
        _with_responses(
            {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "x-200-v2": {
                    "description": "Version two",
                    "content": {"application/json": {"schema": {"type": "string"}}},
                },
            }
        ),
        response_keys,
    )
    assert "x-200-v2" in context.document["paths"]["/v1/chat/completions"]["post"]["responses"]
    (warning,) = of_rule(context, response_keys, "warning")
    assert "application/json" in warning.message


def test_response_key_leaves_real_extensions_and_status_codes_alone() -> None:
    document = _with_responses(
        {
            "200": {"description": "ok"},
            "4XX": {"description": "client error"},
            "default": {"description": "error"},
            "x-internal-note": "owned by the chat team",
        }
    )
    context = run(document, response_keys)
    assert context.findings == []
    assert context.document == ingest_doc(document).openapi


def test_response_key_without_a_status_is_reported() -> None:
    context = run(
        _with_responses(
            {"200": {"description": "ok"}, "x-Streaming": {"description": "OK streamed"}}
        ),
        response_keys,
    )
    (warning,) = of_rule(context, response_keys, "warning")
    assert warning.pointer.endswith("/x-Streaming")


# --- chunk-described-as-response -------------------------------------------------------------


def test_chunk_response_seed_siliconstorm_moves_to_event_stream_and_marks_missing() -> None:
    context = run_seed("siliconstorm.md", stream_response)
    content = context.document["paths"]["/v1/chat/completions"]["post"]["responses"]["200"][
        "content"
    ]
    assert content["application/json"] == {MISSING: True}
    assert content[EVENT_STREAM][STREAM] == {"terminator": None}
    variants = [v["$ref"] for v in content[EVENT_STREAM]["schema"]["oneOf"]]
    assert "#/components/schemas/completionsResponseSuccess" in variants
    (finding,) = of_rule(context, stream_response)
    assert "stream" in (finding.evidence or "")
    assert validation_errors(context.document) == []


@pytest.mark.parametrize(
    "seed", ["deepseek.openapi.md", "oxen.md", "deepseek.docs.txt", "solidrust.md"]
)
def test_chunk_response_does_not_fire_on_real_completion_responses(seed: str) -> None:
    assert of_rule(run_seed(seed, stream_response), stream_response) == []


def _chunk_doc(
    *,
    flag: bool = True,
    chunk_prose: bool = True,
    delta: bool = True,
    response_description: str = "OK",
) -> dict[str, Any]:
    choice = {"type": "object", "properties": {"index": {"type": "integer"}}}
    choice["properties"]["delta" if delta else "message"] = {
        "type": "object",
        "properties": {"content": {"type": "string"}},
    }
    body = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "object": {
                "type": "string",
                "description": "Always 'text.completion.chunk'"
                if chunk_prose
                else "Always 'text.completion'",
            },
            "choices": {"type": "array", "items": choice},
        },
    }
    request = {"type": "object", "properties": {"prompt": {"type": "string"}}}
    if flag:
        request["properties"]["incremental"] = {
            "type": "boolean",
            "description": "Stream partial results as events; ends with data: [DONE].",
        }
    return doc(
        chat_op(
            requestBody={"content": {"application/json": {"schema": request}}},
            responses={
                "200": {
                    "description": response_description,
                    "content": {
                        "application/json": {
                            "schema": body,
                            "example": {"id": "1", "object": "text.completion.chunk"},
                        }
                    },
                }
            },
        )
    )


def test_chunk_response_invented_case_takes_example_and_terminator_from_prose() -> None:
    context = run(_chunk_doc(), stream_response)
    content = context.document["paths"]["/v1/chat/completions"]["post"]["responses"]["200"][
        "content"
    ]
    assert content["application/json"] == {MISSING: True}
    stream = content[EVENT_STREAM]
    assert stream[STREAM] == {"terminator": "[DONE]"}
    assert stream["examples"] == {
        "chunk-1": {"value": {"id": "1", "object": "text.completion.chunk"}}
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"flag": False},
        {"chunk_prose": False},
        {"chunk_prose": False, "response_description": "A completion, or a stream of chunks"},
        {"delta": False},
    ],
)
def test_chunk_response_needs_chunk_prose_corroboration_and_a_stream_flag(
    kwargs: dict[str, Any],
) -> None:
    """Without the flag, without chunk prose in the schema, or without delta: nothing moves."""
    document = _chunk_doc(**kwargs)
    context = run(document, stream_response)
    assert context.findings == []
    assert context.document == ingest_doc(document).openapi


# --- errors-in-success-union -----------------------------------------------------------------


def test_error_union_seed_siliconstorm_catalogue_and_plain_success_schema() -> None:
    context = run_seed("siliconstorm.md", error_union)
    operation = context.document["paths"]["/v1/chat/completions"]["post"]
    catalogue = operation[ERROR_CATALOGUE]
    assert [entry["code"] for entry in catalogue] == [701, 702, 801, 802, 9999]
    assert catalogue[0] == {
        "code": 701,
        "name": "Insufficient balance",
        "meaning": None,
        "has_message": True,
    }
    assert catalogue[4]["name"] == "Model response exception"
    assert catalogue[4]["meaning"].startswith("The model responds abnormally")
    schema = operation["responses"]["200"]["content"][EVENT_STREAM]["schema"]
    assert "oneOf" not in schema
    assert schema == {"$ref": "#/components/schemas/completionsResponseSuccess"}
    exception = context.document["components"]["schemas"]["completionsModelResponseException"]
    assert exception["required"] == ["message"]
    dropped = [f for f in of_rule(context, error_union) if f.pointer.endswith("/required")]
    assert [f.before for f in dropped] == [["error", "message"]]
    assert validation_errors(context.document) == []


def _union(*variants: dict[str, Any], key: str = "oneOf") -> dict[str, Any]:
    return _with_responses(
        {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {key: list(variants)}}},
            }
        }
    )


SUCCESS = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "created": {"type": "integer"}},
}


def _error(code: int, title: str | None = "Quota exceeded") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "status": {"type": "integer", "default": code},
            "detail": {"type": "string"},
        },
    }
    if title:
        schema["title"] = title
    return schema


def test_error_union_inline_anyof_keeps_the_remaining_successes() -> None:
    other = {"type": "object", "properties": {"text": {"type": "string"}}}
    context = run(_union(SUCCESS, _error(42), other, key="anyOf"), error_union)
    operation = context.document["paths"]["/v1/chat/completions"]["post"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "anyOf": [SUCCESS, other]
    }
    assert operation[ERROR_CATALOGUE] == [
        {"code": 42, "name": "Quota exceeded", "meaning": None, "has_message": True}
    ]


@pytest.mark.parametrize(
    "variants",
    [
        (SUCCESS, {"type": "object", "properties": {"text": {"type": "string"}}}),
        (SUCCESS, _error(42, title="Usage summary")),
        (
            SUCCESS,
            {
                "type": "object",
                "title": "Rate error",
                "properties": {"status": {"type": "integer"}, "detail": {"type": "string"}},
            },
        ),
    ],
)
def test_error_union_leaves_unions_without_error_evidence(variants: tuple[Any, ...]) -> None:
    """Real alternatives, a fixed integer without an error name, an error name without a code."""
    document = _union(*variants)
    context = run(document, error_union)
    assert context.findings == []
    assert context.document == ingest_doc(document).openapi


def test_error_union_all_errors_is_reported_not_emptied() -> None:
    context = run(_union(_error(1), _error(2, "Server error")), error_union)
    assert (
        len(
            context.document["paths"]["/v1/chat/completions"]["post"]["responses"]["200"][
                "content"
            ]["application/json"]["schema"]["oneOf"]
        )
        == 2
    )
    assert len(of_rule(context, error_union, "warning")) == 1


def test_undeclared_required_kept_when_an_allof_sibling_declares_it() -> None:
    base = {"type": "object", "properties": {"id": {"type": "string"}}}
    extra = {
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "required": ["id", "name"],
    }
    document = doc(
        chat_op(),
        components={
            "schemas": {
                "Base": base,
                "Named": {"allOf": [{"$ref": "#/components/schemas/Base"}, extra]},
            }
        },
    )
    context = run(document, error_union)
    assert context.findings == []


# --- assumed-error-envelope ------------------------------------------------------------------


def test_error_envelope_seed_oxen_bare_object_400() -> None:
    context = run_seed("oxen.md", error_responses)
    response = context.document["paths"]["/api/ai/chat/completions"]["post"]["responses"]["400"]
    assert response[ASSUMED] is True
    assert response["description"] == "Invalid request"
    error = response["content"]["application/json"]["schema"]["properties"]["error"]
    assert set(error["properties"]) == {"message", "type", "param", "code"}
    assert error["properties"]["code"]["type"] == ["string", "integer", "null"]
    (finding,) = of_rule(context, error_responses)
    assert finding.before == {"application/json": {"schema": {"type": "object"}}}


def test_error_envelope_seed_solidrust_table_statuses() -> None:
    context = run_seed("solidrust.md", error_responses)
    responses = next(iter(context.document["paths"].values()))["post"]["responses"]
    assumed = sorted(status for status, r in responses.items() if r.get(ASSUMED))
    assert assumed == ["400", "401", "429", "500"]
    assert len(of_rule(context, error_responses)) == 4


def test_error_envelope_only_for_undocumented_error_bodies() -> None:
    documented = {"type": "object", "properties": {"detail": {"type": "string"}}}
    context = run(
        _with_responses(
            {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "404": {"description": "Not found"},
                "409": {
                    "description": "Conflict",
                    "content": {"application/json": {"schema": documented}},
                },
                "415": {
                    "description": "Unsupported",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
                "422": {
                    "description": "Bad",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object"},
                            "example": {"detail": "bad"},
                        }
                    },
                },
                "default": {"description": "Unexpected error"},
            }
        ),
        error_responses,
    )
    responses = context.document["paths"]["/v1/chat/completions"]["post"]["responses"]
    assert sorted(s for s, r in responses.items() if r.get(ASSUMED)) == ["404", "default"]
    assert responses["200"]["content"]["application/json"]["schema"] == {"type": "object"}
    assert responses["409"]["content"]["application/json"]["schema"] == documented
    assert validation_errors(context.document) == []


# --- junk-text -------------------------------------------------------------------------------


def test_junk_seed_siliconstorm_boilerplate_moved_out() -> None:
    context = run_seed("siliconstorm.md", junk_text)
    document = context.document
    assert document["info"]["title"] == ""
    assert document["info"][JUNK]["title"] == "OpenAPI Plant Store"
    assert (
        "description" not in document["info"]
        and "sample API" in document["info"][JUNK]["description"]
    )
    operation = document["paths"]["/v1/chat/completions"]["post"]
    assert operation["requestBody"][JUNK] == {"description": "Plant to add to the store"}
    assert "description" not in operation["requestBody"]
    assert operation["responses"]["200"]["description"] == ""
    assert operation["responses"]["200"][JUNK] == {"description": "Return example"}
    assert operation["description"] == "Creates a model response for the given chat conversation."
    assert len(of_rule(context, junk_text)) == 4
    assert validation_errors(document) == []


@pytest.mark.parametrize(
    "seed", ["deepseek.openapi.md", "oxen.md", "deepseek.docs.txt", "solidrust.md"]
)
def test_junk_finds_nothing_in_seeds_written_for_this_api(seed: str) -> None:
    assert of_rule(run_seed(seed, junk_text), junk_text) == []


def _described_chat(**texts: str) -> dict[str, Any]:
    properties = {
        "model": {"type": "string", "description": "ID of the model to use."},
        "temperature": {
            "type": "number",
            "description": texts.get(
                "temperature", "What sampling temperature to use, between 0 and 2."
            ),
        },
        "top_p": {
            "type": "number",
            "description": "An alternative to sampling with temperature, called nucleus sampling.",
        },
        "seed": {
            "type": "integer",
            "description": "If specified, our system will make a best "
            "effort to sample deterministically.",
        },
        "role": {"type": "string", "description": "`system`, `user`, or `assistant`"},
        "created": {"type": "integer", "description": "Timestamp of the creation"},
    }
    operation: dict[str, Any] = {
        "summary": texts.get("summary", "Create chat completion"),
        "requestBody": {
            "description": texts.get("body", "The chat request"),
            "content": {
                "application/json": {"schema": {"type": "object", "properties": properties}}
            },
        },
        "responses": {
            "200": {"description": texts.get("ok", "OK, returns a chat completion object")},
            "429": {"description": "Rate limit exceeded"},
            "401": {"description": "Invalid or missing API key"},
        },
    }
    info = {
        "title": "Chat API",
        "version": "1",
        "description": texts.get("info", "The chat completion endpoint of our model service."),
    }
    return {
        "openapi": "3.1.0",
        "info": info,
        "servers": [{"url": "https://api.example.com", "description": "Prod Env"}],
        "paths": {"/v1/chat/completions": {"post": operation}},
    }


def test_junk_keeps_ordinary_descriptions_of_this_api() -> None:
    context = run(_described_chat(), junk_text)
    assert context.findings == []


@pytest.mark.parametrize(
    ("field", "junk", "pointer"),
    [
        (
            "body",
            "Pet object that needs to be added to the store",
            "/paths/~1v1~1chat~1completions/post/requestBody/description",
        ),
        (
            "summary",
            "Returns the Stripe customer's invoices",
            "/paths/~1v1~1chat~1completions/post/summary",
        ),
        ("ok", "Response example", "/paths/~1v1~1chat~1completions/post/responses/200/description"),
        (
            "temperature",
            "Lorem ipsum dolor sit amet",
            "/paths/~1v1~1chat~1completions/post/requestBody/content/application~1json/schema/"
            "properties/temperature/description",
        ),
        (
            "info",
            "A demo app that uses a bookshop as an example to show our toolkit",
            "/info/description",
        ),
    ],
)
def test_junk_invented_copies_and_placeholders_are_moved(
    field: str, junk: str, pointer: str
) -> None:
    context = run(_described_chat(**{field: junk}), junk_text)
    (finding,) = of_rule(context, junk_text)
    assert finding.pointer == pointer
    assert finding.before == junk
    owner_pointer, _, name = pointer.rpartition("/")
    owner: Any = context.document
    for token in owner_pointer.strip("/").split("/"):
        owner = owner[token.replace("~1", "/").replace("~0", "~")]
    assert owner[JUNK] == {name: junk}
    assert owner.get(name, "") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Return example", True),
        ("TODO", True),
        ("string", True),
        ("lorem ipsum", True),
        ("OK", False),
        ("Chat completion", False),
        ("Example of a chat request", False),
    ],
)
def test_junk_placeholder_phrases(text: str, expected: bool) -> None:
    assert junk_text.is_placeholder(text) is expected


# --- all document rules together -------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_document_rules_leave_valid_documents_and_are_idempotent(seed: str) -> None:
    ingested = ingest_path(SOURCES / seed)
    first = run(ingested, *MINE)
    assert validation_errors(first.document) == []
    again = run(replace(ingested, openapi=copy.deepcopy(first.document)), *MINE)
    assert [f for f in again.findings if f.level == "repair"] == []
    assert again.document == first.document
