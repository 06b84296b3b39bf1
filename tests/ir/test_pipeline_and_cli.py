"""The merge through the library pipeline (findings in the report) and the ``specgen ir`` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from codegen.cli import main
from codegen.ir.build import MERGE_DOCUMENT
from codegen.ir.serialize import dump_json, to_data
from codegen.pipeline import load, merge_loaded

from .helpers import SOURCE_FILES, SOURCES, chat_document

RULE_ID = re.compile(r"^[a-z]+(?:-[a-z0-9]+)*$")

WIDENING = (
    ("vendora.yaml", chat_document(request="{type: object, properties: {n: {type: integer}}}")),
    ("vendorb.yaml", chat_document(request="{type: object, properties: {n: {type: number}}}")),
)


def write_all(folder: Path, documents: tuple[tuple[str, str], ...]) -> list[Path]:
    paths = []
    for name, text in documents:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_merge_findings_appear_in_the_pipeline_report_with_document_pointer_and_rule(
    tmp_path: Path,
) -> None:
    loaded = load(write_all(tmp_path, WIDENING))
    before = len(loaded.report.findings)
    result = merge_loaded(loaded)
    added = loaded.report.findings[before:]
    assert added == list(result.findings)
    (widened,) = [f for f in added if f.rule == "widen-integer-to-number"]
    assert widened.document == MERGE_DOCUMENT
    assert widened.pointer == "/CreateChatCompletionRequest/n"
    assert MERGE_DOCUMENT in loaded.report.by_document()
    assert "(merge):" in loaded.report.to_text()


def test_every_merge_finding_of_the_five_sources_names_merge_a_pointer_and_a_rule() -> None:
    loaded = load([SOURCES / name for name in SOURCE_FILES])
    assert loaded.unreadable == []
    result = merge_loaded(loaded)
    merge_findings = [f for f in loaded.report.findings if f.document == MERGE_DOCUMENT]
    assert merge_findings == list(result.findings)
    assert merge_findings, "the five documents disagree; the merge must say where"
    for finding in merge_findings:
        assert finding.pointer.startswith("/"), finding
        assert RULE_ID.match(finding.rule), finding
        assert finding.level in ("repair", "warning")


# --- specgen ir -----------------------------------------------------------------------------------


def ir(*args: str) -> Result:
    return CliRunner().invoke(main, ["ir", *args])


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The two small documents, in a folder with no pyproject.toml (so no configured reference)."""
    monkeypatch.chdir(tmp_path)
    return write_all(tmp_path, WIDENING)


def test_ir_command_prints_the_merged_ir_as_json(sources: list[Path]) -> None:
    result = ir(*map(str, sources), "--format", "json")
    assert result.exit_code == 0, result.output
    expected = merge_loaded(load(sources)).api
    assert result.stdout == dump_json(expected)
    data = json.loads(result.stdout)
    assert [vendor["name"] for vendor in data["vendors"]] == ["vendora", "vendorb"]


def test_ir_command_prints_the_merged_ir_as_yaml(sources: list[Path]) -> None:
    result = ir(*map(str, sources), "--format", "yaml")
    assert result.exit_code == 0, result.output
    expected = merge_loaded(load(sources)).api
    assert yaml.safe_load(result.stdout) == to_data(expected)


def test_ir_command_json_is_the_default_format(sources: list[Path]) -> None:
    result = ir(*map(str, sources))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["operations"][0]["path"] == "/v1/chat/completions"


def test_ir_command_exits_2_naming_a_missing_file(sources: list[Path], tmp_path: Path) -> None:
    missing = tmp_path / "nothere.yaml"
    result = ir(str(sources[0]), str(missing))
    assert result.exit_code == 2
    assert str(missing) in result.stderr
    assert "no such file" in result.stderr
    assert result.stdout == ""


def test_ir_command_exits_2_naming_an_unreadable_document(
    sources: list[Path], tmp_path: Path
) -> None:
    binary = tmp_path / "blob.yaml"
    binary.write_bytes(b"\x00\x01\x02 not a document")
    result = ir(str(sources[0]), str(binary))
    assert result.exit_code == 2
    assert str(binary) in result.stderr
    assert "1 of 2 documents unreadable" in result.stderr
    assert result.stdout == ""


def test_ir_command_rejects_an_unknown_format(sources: list[Path]) -> None:
    result = ir(str(sources[0]), "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr
