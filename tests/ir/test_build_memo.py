"""A shape built once and replayed at its other places gives what building it there gives.

Each merge below runs twice on the same normalized documents: as it is, and with every replay
refused (so every place is built afresh, as the merge did before the memo). The API and every
vendor profile must be equal, and the findings the same, a replayed shape's written once with
its other places counted; and the memo must really have replayed, or the comparison proves
nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml

from codegen.ingest import ingest_path
from codegen.ir import MergeResult, merge
from codegen.ir.build_memo import BuildMemo
from codegen.normalize import NormalizedDocument, normalize
from codegen.report import Finding, Report

from .helpers import all_sources, normalized

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
REFERENCE = Path(__file__).resolve().parents[2] / "specs" / "reference"
OPENAPI = sorted(p.name for p in CORPUS.iterdir() if p.suffix in {".json", ".yaml"})


@contextmanager
def counted_replays() -> Iterator[list[int]]:
    """Count the replays the merge makes (and lets through)."""
    replays = [0]
    original = BuildMemo.replayable

    def counting(self: BuildMemo, trace: Any, path: str) -> bool:
        allowed = original(self, trace, path)
        replays[0] += allowed
        return allowed

    BuildMemo.replayable = counting  # type: ignore[method-assign]
    try:
        yield replays
    finally:
        BuildMemo.replayable = original  # type: ignore[method-assign]


def both_ways(
    documents: list[NormalizedDocument], reference: list[NormalizedDocument] | None = None
) -> tuple[MergeResult, MergeResult, int]:
    """(with the memo, every place built afresh, how many replays the first made)."""
    with counted_replays() as replays:
        remembered = merge(documents, reference=reference or [])
    original = BuildMemo.replayable
    BuildMemo.replayable = lambda self, trace, path: False  # type: ignore[method-assign]
    try:
        fresh = merge(documents, reference=reference or [])
    finally:
        BuildMemo.replayable = original  # type: ignore[method-assign]
    return remembered, fresh, replays[0]


def _said(finding: Finding) -> tuple[Any, ...]:
    """What a finding says, wherever it is made."""
    return (finding.rule, finding.level, finding.document, finding.message, finding.evidence)


def assert_same_findings(remembered: MergeResult, fresh: MergeResult) -> None:
    """A replayed shape's findings are written once, counting its other places: each written
    finding is one the fresh merge made at that place, in the same order, and the fresh merge
    made it exactly once more for each other place counted."""
    fresh_places = iter(fresh.findings)
    for finding in remembered.findings:
        first = msgspec.structs.replace(finding, other_places=None)
        assert any(first == made for made in fresh_places), finding.one_line()
    written: Counter[tuple[Any, ...]] = Counter()
    for finding in remembered.findings:
        written[_said(finding)] += 1 + (finding.other_places or 0)
    assert written == Counter(_said(finding) for finding in fresh.findings)
    assert not any(finding.other_places for finding in fresh.findings)


def assert_same(remembered: MergeResult, fresh: MergeResult) -> None:
    assert remembered.api.models == fresh.api.models
    assert remembered.api.aliases == fresh.api.aliases
    assert remembered.api.operations == fresh.api.operations
    assert remembered.api.vendors == fresh.api.vendors
    assert remembered.api == fresh.api
    assert_same_findings(remembered, fresh)


@pytest.mark.parametrize("name", OPENAPI)
def test_corpus_document_merges_alike_with_replays(name: str) -> None:
    remembered, fresh, _ = both_ways([normalize(ingest_path(CORPUS / name))])
    assert_same(remembered, fresh)


def test_replays_happen_where_components_are_shared() -> None:
    # discord's components are used by many operations: most of its places are replayed.
    _, _, replays = both_ways([normalize(ingest_path(CORPUS / "discord_openapi.json"))])
    assert replays > 1000


def test_bundled_vendors_and_reference_merge_alike() -> None:
    reference = [normalize(ingest_path(REFERENCE / "openai-chat-completions.yaml"))]
    remembered, fresh, _ = both_ways(all_sources(), reference)
    assert_same(remembered, fresh)


def _operation(operation_id: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "operationId": operation_id,
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": schema}},
                }
            },
        }
    }


def _document(settings: dict[str, Any], extra: dict[str, Any] | None = None) -> str:
    reference = {"$ref": "#/components/schemas/Settings"}
    body = {"type": "object", "properties": {"settings": reference, "name": {"type": "string"}}}
    schemas = {"Settings": settings, **(extra or {})}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {f"/{n}": _operation(f"create{n.upper()}", body) for n in ("a", "b", "c")},
        "components": {"schemas": schemas},
    }
    return yaml.safe_dump(document, sort_keys=False)


ALPHA_SETTINGS = {
    "type": "object",
    "required": ["temperature"],
    "properties": {
        "temperature": {"type": "number", "minimum": 0, "maximum": 2, "default": 1},
        "mode": {"type": "string", "enum": ["fast", "slow"]},
        "count": {"type": "integer"},
    },
}
BETA_SETTINGS = {
    "type": "object",
    "properties": {
        "temperature": {"type": "number", "maximum": 1},
        "mode": {"type": "string", "enum": ["quick", "careful"]},
        "count": {"type": "number"},
    },
}


def test_bounds_and_findings_follow_each_place() -> None:
    # One vendor: its three operations share the component's recorded shapes.
    remembered, fresh, replays = both_ways([normalized("alpha.yaml", _document(ALPHA_SETTINGS))])
    assert_same(remembered, fresh)
    assert replays > 0
    # Built afresh, the component's finding is made at every operation's response, under its
    # own path; replayed, it is written once, at the first, counting the two others.
    pointers = sorted(
        f.pointer
        for f in fresh.findings
        if f.rule == "response-read-leniently" and f.pointer.endswith("/settings")
    )
    assert [p.split("/")[1] for p in pointers] == ["AResponse", "BResponse", "CResponse"]
    (written,) = (
        f
        for f in remembered.findings
        if f.rule == "response-read-leniently" and f.pointer.endswith("/settings")
    )
    assert written.pointer == pointers[0]
    assert written.other_places == 2
    assert written.one_line().endswith("(the same model is used at 2 more places)")
    assert '"other_places": 2' in Report(findings=[written]).to_json()
    assert "other_places" not in Report(findings=list(fresh.findings)).to_json()
    (vendor,) = remembered.api.vendors
    # The vendor's bounds are kept for the field of each operation's request.
    fields = [b.field for b in vendor.bounds if b.field.endswith("temperature")]
    assert fields == ["settings.temperature"] * 3


def test_two_vendors_describing_one_component_merge_alike() -> None:
    # Each place holds facts of both documents: nothing is shared, everything built afresh.
    documents = [
        normalized("alpha.yaml", _document(ALPHA_SETTINGS)),
        normalized("beta.yaml", _document(BETA_SETTINGS)),
    ]
    remembered, fresh, _ = both_ways(documents)
    assert_same(remembered, fresh)
    for vendor in remembered.api.vendors:
        known = [k.field for k in vendor.known_values if k.field.endswith("mode")]
        assert known == ["settings.mode"] * 3, vendor.name


def test_a_component_that_refers_to_itself_is_built_at_each_place() -> None:
    node = {
        "type": "object",
        "properties": {
            "label": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        },
    }
    settings = {"type": "object", "properties": {"root": {"$ref": "#/components/schemas/Node"}}}
    documents = [normalized("alpha.yaml", _document(settings, {"Node": node}))]
    remembered, fresh, _ = both_ways(documents)
    assert_same(remembered, fresh)
    node_model = remembered.api.model("Node")
    children = next(f for f in node_model.fields if f.name == "children")
    assert "Node" in repr(children.type)


def test_replay_is_refused_when_a_structure_has_two_names() -> None:
    memo = BuildMemo()
    memo.names_by_fingerprint[("shape",)] = {"A", "B"}
    from codegen.ir.build_memo import BuiltTrace
    from codegen.ir.model import ModelRef

    log: list[tuple[Any, ...]] = [("model", ("shape",), "A")]
    trace = BuiltTrace(
        path="/X",
        result=ModelRef(name="A"),
        log=log,
        log_span=(0, 1),
        findings=[],
        findings_span=(0, 0),
    )
    assert not memo.replayable(trace, "/Y")
    memo.names_by_fingerprint[("shape",)] = {"A"}
    assert memo.replayable(trace, "/Y")
    # Checked once; asked again only after a registration that could change the answer.
    memo.names_by_fingerprint[("shape",)] = {"A", "B"}
    assert memo.replayable(trace, "/Y")
    memo.names_changed += 1
    assert not memo.replayable(trace, "/Y")


@pytest.mark.parametrize("name", ["openai_openapi.yaml", "anthropic_openapi.json"])
def test_a_stripped_shape_equals_absorbing_it_into_an_empty_place(name: str) -> None:
    from codegen.ir import build
    from codegen.ir.shapes import Shape

    seen: list[Any] = []
    original = build._stripped

    def recording(shape: Any, memo: BuildMemo) -> Any:
        made = original(shape, memo)
        seen.append((shape, made))
        return made

    build._stripped = recording  # type: ignore[assignment]
    try:
        merge([normalize(ingest_path(CORPUS / name))])
    finally:
        build._stripped = original  # type: ignore[assignment]
    assert len(seen) > 100
    for shape, made in seen:
        absorbed = Shape()
        build._absorb_shape(absorbed, shape)
        assert made == absorbed
