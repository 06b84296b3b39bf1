"""Acceptance on real published documents (issue 9): every OpenAPI and Swagger file of the corpus
ingests into a document openapi-spec-validator accepts, stays valid through normalize, and every
finding names a pointer; the known defects of each file are repaired or reported where they are.

The files are byte-for-byte copies of ``../shared/corpus`` (origins in ``tests/corpus/ORIGIN.md``).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.ingest import IngestedDocument, ingest_path
from codegen.ingest.shape import count_operations
from codegen.ingest.validate import validation_errors
from codegen.normalize import NormalizedDocument, normalize

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
API_DOCUMENTS = sorted(
    path for path in CORPUS.iterdir() if path.suffix in (".json", ".yaml", ".yml")
)


@cache
def ingested(name: str) -> IngestedDocument:
    return ingest_path(CORPUS / name)


@cache
def normalized(name: str) -> NormalizedDocument:
    return normalize(ingested(name))


def _git_blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def test_the_corpus_copies_are_byte_for_byte_the_published_files() -> None:
    """Each file's git blob SHA is the one ORIGIN.md records for it."""
    origin = (CORPUS / "ORIGIN.md").read_text()
    recorded = dict(
        re.findall(
            r"^### (\S+)(?: \*)?\n(?:.*\n)*?.*?blob (?:\(computed\) )?([0-9a-f]{40})", origin, re.M
        )
    )
    files = [p for p in CORPUS.iterdir() if p.name != "ORIGIN.md"]
    assert len(recorded) == len(files) == 13
    for path in files:
        assert _git_blob_sha(path.read_bytes()) == recorded[path.name], path.name


@pytest.mark.parametrize("path", API_DOCUMENTS, ids=lambda p: p.name)
def test_ingests_to_a_valid_31_document(path: Path) -> None:
    """Valid after ingest, with every operation of the file still there."""
    document = ingested(path.name)
    assert document.openapi["openapi"] == "3.1.0"
    assert validation_errors(document.openapi) == []
    assert count_operations(document.openapi) > 0


@pytest.mark.parametrize("path", API_DOCUMENTS, ids=lambda p: p.name)
def test_stays_valid_through_normalize_and_every_finding_has_a_place(path: Path) -> None:
    """Normalize repairs without breaking validity; each finding has a pointer and a source."""
    result = normalized(path.name)
    assert validation_errors(result.openapi) == []
    assert result.findings
    for finding in result.findings:
        assert finding.pointer == "" or finding.pointer.startswith("/"), finding
        assert finding.source == str(CORPUS / path.name) and finding.line, finding


@pytest.mark.parametrize("path", API_DOCUMENTS, ids=lambda p: p.name)
def test_lint_prints_findings_with_pointer_and_line(path: Path) -> None:
    """specgen lint: exit 0 (or 1), one line per finding naming pointer and file:line."""
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert len(lines) == len(normalized(path.name).findings)
    for line in lines:
        assert re.match(
            rf"^  (repair|warning|error)\s+\S+\s+/\S* \({re.escape(str(path))}:\d+\): ", line
        ), line


def _operations(name: str) -> int:
    import json

    return count_operations(json.loads((CORPUS / name).read_text()))


def test_swagger_20_keeps_every_operation_and_reports_each_move() -> None:
    """aiproxy (Swagger 2.0): 184 operations in, 184 out; body/formData moves are findings."""
    assert _operations("aiproxy_swagger.json") == 184
    assert count_operations(ingested("aiproxy_swagger.json").openapi) == 184
    moves = [n for n in ingested("aiproxy_swagger.json").notes if n.rule == "swagger2-upgrade"]
    assert sum("became requestBody" in n.message for n in moves) == 66
    assert all(n.line for n in moves)


def test_a_missing_info_version_is_reported_not_refused() -> None:
    """anthropic: info has no version; a placeholder and a warning at /info/version."""
    (finding,) = [
        f for f in normalized("anthropic_openapi.json").findings if f.pointer == "/info/version"
    ]
    assert finding.level == "warning" and finding.line == 3


def test_capitalised_type_names_are_read_as_json_types() -> None:
    """deepinfra: eleven parameters typed 'String' are repaired to 'string', each located."""
    repairs = [
        f
        for f in normalized("deepinfra_openapi.json").findings
        if f.rule == "quarantined-node" and f.before == "String"
    ]
    assert len(repairs) == 11
    assert all(f.pointer.endswith("/schema/type") and f.after == "string" for f in repairs)


def test_defaults_written_as_text_are_decoded_or_reported() -> None:
    """tgi: "false", "1024" and "null" defaults are decoded where the value fits the schema."""
    findings = [f for f in normalized("tgi_openapi.json").findings if f.rule == "quarantined-node"]
    decoded = {(f.before, f.after) for f in findings if f.level == "repair"}
    assert {("false", False), ("true", True), ("1024", 1024), ("null", None)} <= decoded
    assert all(f.pointer.endswith("/default") for f in findings)


def test_a_null_default_valid_under_two_oneof_branches_is_kept() -> None:
    """openai: stop's default null matched two branches; the overlap is removed, default kept."""
    result = normalized("openai_openapi.yaml")
    stop = result.openapi["components"]["schemas"]["CreateCompletionRequest"]["properties"]["stop"]
    assert "default" in stop and stop["default"] is None
    assert any(f.rule == "overlapping-null-branches" for f in result.findings)


def test_an_empty_oneof_is_reported_where_it_is_written() -> None:
    """cohere: TruncationStrategy's oneOf: [] is reported with its line, and marked unknown."""
    result = normalized("cohere_openapi.yaml")
    assert any(
        f.pointer == "/components/schemas/TruncationStrategy/oneOf" and f.line == 23230
        for f in result.findings
    )
    assert (
        result.openapi["components"]["schemas"]["TruncationStrategy"]["x-specgen-unknown"]
        == "shape"
    )


def test_leftover_30_nullable_in_a_31_document_is_read() -> None:
    """anthropic mixes 3.1 null unions with 145 leftover nullable: true; each is read and noted."""
    notes = [n for n in ingested("anthropic_openapi.json").notes if n.rule == "openapi-30-keyword"]
    assert len([n for n in notes if n.pointer.endswith("/nullable")]) == 145
