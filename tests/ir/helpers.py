"""Tiny OpenAPI 3.1 documents for the merge tests, and shortcuts from YAML text to a merged API."""

from __future__ import annotations

import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from codegen.ingest import ingest_path, ingest_text
from codegen.ingest.document import dump_yaml
from codegen.ingest.source import SourceText
from codegen.ir import MergeResult, merge
from codegen.ir.emit import emit_openapi
from codegen.ir.model import API, Field, Model, TypeNode
from codegen.normalize import NormalizedDocument, normalize
from codegen.report import Finding

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "specs" / "sources"
SOURCE_FILES = tuple(sorted(path.name for path in SOURCES.iterdir()))
CHAT = "/v1/chat/completions"


def schema(text: str | dict[str, Any]) -> Any:
    """A schema written as a small YAML snippet (or already a dict)."""
    return yaml.safe_load(textwrap.dedent(text)) if isinstance(text, str) else text


def chat_document(
    *,
    request: str | dict[str, Any] | None = None,
    response: str | dict[str, Any] | None = None,
    chunk: str | dict[str, Any] | None = None,
    errors: dict[int, str | dict[str, Any]] | None = None,
    path: str = CHAT,
    method: str = "post",
    server: str | None = "https://api.example.com",
    operation_id: str = "createChatCompletion",
    response_example: Any = None,
    components: dict[str, Any] | None = None,
) -> str:
    """One operation's document as YAML text; schemas are YAML snippets."""
    operation: dict[str, Any] = {"operationId": operation_id}
    if request is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema(request)}},
        }
    content: dict[str, Any] = {}
    if response is not None:
        content["application/json"] = {"schema": schema(response)}
        if response_example is not None:
            content["application/json"]["example"] = response_example
    if chunk is not None:
        content["text/event-stream"] = {"schema": schema(chunk)}
    success: dict[str, Any] = {"description": "ok"}
    if content:
        success["content"] = content
    responses: dict[str, Any] = {"200": success}
    for status, body in (errors or {}).items():
        responses[str(status)] = {
            "description": "failed",
            "content": {"application/json": {"schema": schema(body)}},
        }
    operation["responses"] = responses
    document: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}
    if server is not None:
        document["servers"] = [{"url": server}]
    document["paths"] = {path: {method: operation}}
    if components:
        document["components"] = {"schemas": {k: schema(v) for k, v in components.items()}}
    return yaml.safe_dump(document, sort_keys=False)


def normalized(name: str, text: str) -> NormalizedDocument:
    """Ingest and normalize one document; the vendor is the file name up to the first dot."""
    return normalize(ingest_text(SourceText.of(name, text)))


def merged(*documents: tuple[str, str], reference: tuple[tuple[str, str], ...] = ()) -> MergeResult:
    """Merge (file name, YAML text) documents, with optional reference documents."""
    return merge(
        [normalized(name, text) for name, text in documents],
        reference=[normalized(name, text) for name, text in reference],
    )


def field_of(api: API, model: str, name: str) -> Field:
    for field in api.model(model).fields:
        if field.name == name:
            return field
    raise KeyError(f"{model}.{name}")


def field_names(model: Model) -> list[str]:
    return [field.name for field in model.fields]


def request_model(api: API) -> Model:
    (operation,) = api.operations
    assert operation.request is not None
    return api.model(operation.request.name)


def response_model(api: API) -> Model:
    (operation,) = api.operations
    assert operation.response is not None
    return api.model(operation.response.name)


def findings(result: MergeResult, rule: str, level: str | None = None) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule and (level is None or f.level == level)]


def alias_type(api: API, name: str) -> TypeNode:
    for alias in api.aliases:
        if alias.name == name:
            return alias.type
    raise KeyError(name)


@cache
def source(name: str) -> NormalizedDocument:
    """One of the vendor documents under specs/sources, ingested and normalized once per run."""
    return normalize(ingest_path(SOURCES / name))


def all_sources() -> list[NormalizedDocument]:
    return [source(name) for name in SOURCE_FILES]


def reingest(api: API) -> API:
    """Emit the API as an OpenAPI document, read its YAML back in and merge it again."""
    text = dump_yaml(emit_openapi(api))
    return merge([normalize(ingest_text(SourceText.of("merged.yaml", text)))]).api
