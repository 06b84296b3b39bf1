"""Round trips 5 and 6 of issue 6: the generated app's own OpenAPI document agrees with the merged
IR it came from, and schemathesis finds no 5xx and no response violating the merged document."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from codegen.config import expand_sources, load_config
from codegen.ingest import ingest_text
from codegen.ingest.source import SourceText
from codegen.ir import merge
from codegen.ir.model import (
    API,
    ArrayType,
    MapType,
    Model,
    ModelRef,
    ScalarType,
    TypeNode,
    UnionType,
    UnknownType,
)
from codegen.normalize import NormalizedDocument
from codegen.pipeline import load, merge_loaded

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"


def _chat_api_modules() -> dict[str, ModuleType]:
    return {n: m for n, m in sys.modules.items() if n == "chat_api" or n.startswith("chat_api.")}


@pytest.fixture(scope="module")
def package() -> Iterator[ModuleType]:
    """`chat_api.server` freshly imported from generated/; whatever `chat_api` another suite had
    loaded is set aside and put back, so no test sees two copies of the package's classes."""
    elsewhere = _chat_api_modules()
    for name in elsewhere:
        del sys.modules[name]
    sys.path.insert(0, str(GENERATED))
    try:
        yield importlib.import_module("chat_api.server")
    finally:
        sys.path.remove(str(GENERATED))
        for name in _chat_api_modules():
            del sys.modules[name]
        sys.modules.update(elsewhere)


@pytest.fixture(scope="module")
def merged_api(package: ModuleType) -> API:
    config = load_config(cwd=ROOT)
    return merge_loaded(load(expand_sources(config.sources), reference=config.reference)).api


def _ingest_unrepaired(document: dict[str, Any], name: str) -> API:
    """specgen reads the app's document as it reads its own output: ingested, not repaired.

    The repair rules are for vendors' documents; run on this one they would lift bounds out of
    vendor prose ("Up to 8 sequences") that the merge deliberately left to the vendors' profiles.
    """
    ingested = ingest_text(SourceText.of(name, json.dumps(document)))
    normalized = NormalizedDocument(
        name=ingested.name,
        vendor=ingested.vendor,
        openapi=ingested.openapi,
        source_map=ingested.source_map,
        findings=(),
    )
    return merge([normalized]).api


def _shape(node: TypeNode) -> Any:
    """A type without provenance: what a schema can say about values."""
    if isinstance(node, ScalarType):
        return (
            "scalar",
            node.kind,
            tuple(v.value for v in node.enum),
            node.enum_open,
            node.constraints,
        )
    if isinstance(node, ArrayType):
        return ("array", _shape(node.items), node.constraints, node.items_nullable)
    if isinstance(node, UnionType):
        return ("union", tuple(_shape(v) for v in node.variants), node.discriminator)
    if isinstance(node, MapType):
        return ("map", _shape(node.values))
    if isinstance(node, UnknownType):
        return ("any JSON value",)
    assert isinstance(node, ModelRef)
    return ("model", node.name)


def _fields(model: Model) -> list[tuple[Any, ...]]:
    # An unknown shape is any JSON value, null included: its nullable flag says nothing more.
    return [
        (f.name, f.required, f.nullable or isinstance(f.type, UnknownType), _shape(f.type))
        for f in model.fields
    ]


def _reachable(api: API, roots: list[str]) -> list[str]:
    models = {m.name: m for m in api.models}
    aliases = {a.name: a for a in api.aliases}
    seen: list[str] = []

    def visit(node: TypeNode) -> None:
        if isinstance(node, ModelRef) and node.name not in seen:
            seen.append(node.name)
            if node.name in models:
                for f in models[node.name].fields:
                    visit(f.type)
            else:
                visit(aliases[node.name].type)
        elif isinstance(node, ArrayType):
            visit(node.items)
        elif isinstance(node, UnionType):
            for variant in node.variants:
                visit(variant)
        elif isinstance(node, MapType):
            visit(node.values)

    for root in roots:
        visit(ModelRef(root))
    return seen


def test_app_openapi_gives_the_merged_ir_for_operation_request_and_responses(
    package: ModuleType, merged_api: API
) -> None:
    """Round trip 5: /openapi.json of the generated app, ingested by specgen, is the merged IR."""
    app_api = _ingest_unrepaired(package.create_app(package.DemoHandler()).openapi(), "app.json")
    (original,) = merged_api.operations
    (served,) = app_api.operations
    assert (served.id, served.method, served.path) == (original.id, original.method, original.path)
    assert (served.request, served.response) == (original.request, original.response)
    assert served.request_required == original.request_required
    assert served.stream == original.stream
    assert original.request and original.response and original.stream
    roots = [original.request.name, original.response.name, original.stream.chunk.name]
    names = _reachable(merged_api, roots)
    assert names == _reachable(app_api, roots)
    assert len(names) > 20, "the comparison covers the whole request, response and chunk"
    mine = {m.name: m for m in merged_api.models}
    theirs = {m.name: m for m in app_api.models}
    for name in names:
        if name in mine:
            assert _fields(theirs[name]) == _fields(mine[name]), name
    aliases = {a.name: _shape(a.type) for a in merged_api.aliases}
    assert {a.name: _shape(a.type) for a in app_api.aliases} == aliases


def test_app_error_envelope_guarantees_at_least_what_the_merged_one_does(
    package: ModuleType, merged_api: API
) -> None:
    """The server always sends message and type; the merged (assumed) envelope allows omitting
    them. Same fields and types; the app may only be stricter."""
    app_api = _ingest_unrepaired(package.create_app(package.DemoHandler()).openapi(), "app.json")
    # Matched by place (the 400 answer and its `error` object), not by name: the app's schema
    # names are pydantic's.
    (mine,) = (e.model for e in merged_api.operations[0].errors if e.status == 400)
    (theirs,) = (e.model for e in app_api.operations[0].errors if e.status == 400)
    assert mine is not None and theirs is not None
    pairs = [(merged_api.model(mine.name), app_api.model(theirs.name))]
    envelope_error = [
        (ours.type, served.type)
        for ours, served in zip(pairs[0][0].fields, pairs[0][1].fields, strict=True)
        if ours.name == "error"
    ]
    (nested,) = envelope_error
    assert isinstance(nested[0], ModelRef) and isinstance(nested[1], ModelRef)
    pairs.append((merged_api.model(nested[0].name), app_api.model(nested[1].name)))
    for ours_model, served_model in pairs:
        for ours, served in zip(ours_model.fields, served_model.fields, strict=True):
            if isinstance(ours.type, ModelRef):  # the nested object: compared by place above
                assert (served.name, isinstance(served.type, ModelRef)) == (ours.name, True)
            else:
                assert (served.name, _shape(served.type)) == (ours.name, _shape(ours.type))
            assert served.required or not ours.required


# --- round trip 6: schemathesis against the app, with the merged document ---


def _sse_payloads(text: str) -> list[str]:
    events = [block for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    payloads = []
    for event in events:
        data = [line[5:].lstrip() for line in event.split("\n") if line.startswith("data:")]
        payloads.append("\n".join(data))
    return payloads


@pytest.fixture(scope="module")
def merged_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((GENERATED / "chat_api" / "openapi.yaml").read_text())
    return document


def _content_type(response: Any) -> str:
    for key, values in response.headers.items():
        if key.lower() == "content-type":
            return str(values[0] if isinstance(values, list) else values)
    return ""


def _streaming(case: Any) -> Any:
    case.body["stream"] = True
    return case


@pytest.mark.parametrize("mode", ["as-generated", "streaming"])
def test_schemathesis_finds_no_5xx_and_no_response_violating_the_merged_document(
    package: ModuleType, merged_document: dict[str, Any], mode: str
) -> None:
    """Bounded run (40 cases a mode): bodies generated from the merged document; the stream flag
    is forced on in the second mode so both kinds of answer are checked every run."""
    import schemathesis
    from schemathesis.specs.openapi.checks import ignored_auth, response_schema_conformance

    document = {k: v for k, v in merged_document.items() if k != "servers"}  # never the vendors'
    schema = schemathesis.openapi.from_dict(document)
    schema.app = package.create_app(package.DemoHandler())
    operation = schema["/chat/completions"]["POST"]
    strategy = operation.as_strategy()
    if mode == "streaming":
        strategy = strategy.map(_streaming)
    chunk_validator = jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/ChatCompletionChunk", "components": document["components"]}
    )
    seen = {"json": 0, "stream": 0}
    # The document says the operation takes a bearer key; checking it is the user's handler's
    # (or a middleware's) job, and the demo handler accepts any key.
    not_the_demos = [ignored_auth]

    @settings(
        max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    @given(strategy)
    def check(case: Any) -> None:
        response = case.call()
        assert response.status_code < 500, response.text
        if _content_type(response).startswith("text/event-stream"):
            # schemathesis reads an event-stream schema as the SSE event object (OpenAPI 3.2's
            # reading); specgen's documents say it is the JSON in each `data:` (x-specgen-stream),
            # so that one check is ours: every payload a valid chunk, then the terminator.
            case.validate_response(
                response, excluded_checks=[response_schema_conformance, *not_the_demos]
            )
            payloads = _sse_payloads(response.text)
            assert payloads[-1] == "[DONE]"
            assert len(payloads) > 1
            for payload in payloads[:-1]:
                chunk_validator.validate(json.loads(payload))
            seen["stream"] += 1
        else:
            case.validate_response(response, excluded_checks=not_the_demos)
            seen["json"] += 1

    check()
    if mode == "streaming":
        assert seen == {"json": 0, "stream": 40}, seen
    else:
        assert seen["json"] >= 30, seen
