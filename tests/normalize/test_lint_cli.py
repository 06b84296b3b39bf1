"""``specgen lint``: the report text and JSON, and every exit code path (0, 1, 1 --strict, 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

import codegen.normalize
from codegen.cli import main
from codegen.normalize.context import RuleContext

SOURCES = Path(__file__).resolve().parents[2] / "specs" / "sources"

CLEAN: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Chat API", "version": "1"},
    "paths": {
        "/v1/chat/completions": {
            "post": {
                "operationId": "createChatCompletion",
                "responses": {"200": {"description": "A chat completion"}},
            }
        }
    },
}


def write(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def lint(*args: str) -> Result:
    return CliRunner().invoke(main, ["lint", *args])


def with_warning(tmp_path: Path) -> Path:
    """A document whose only finding is a warning: a response key that names no status."""
    document = json.loads(json.dumps(CLEAN))
    responses = document["paths"]["/v1/chat/completions"]["post"]["responses"]
    responses["x-Streamed"] = {"description": "streamed"}
    return write(tmp_path, "warn.yaml", document)


def test_lint_clean_document_exits_0_and_says_no_findings(tmp_path: Path) -> None:
    result = lint(str(write(tmp_path, "clean.yaml", CLEAN)))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"clean ({tmp_path / 'clean.yaml'}):",
        "  no findings",
        "0 repaired, 0 warnings, 0 errors in 1 documents",
    ]


def test_lint_seeds_group_findings_by_document_with_source_lines() -> None:
    sources = [str(SOURCES / name) for name in ("siliconstorm.md", "oxen.md")]
    result = lint(*sources)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"siliconstorm ({sources[0]}):"
    oxen_header = lines.index(f"oxen ({sources[1]}):")
    siliconstorm_lines = lines[1:oxen_header]
    assert any(
        "generated-operation-id" in line
        and "/paths/~1v1~1chat~1completions/post/operationId" in line
        and f"({sources[0]}:32)" in line
        for line in siliconstorm_lines
    )
    assert any("errors-in-success-union" in line for line in siliconstorm_lines)
    assert any("assumed-error-envelope" in line for line in lines[oxen_header:])
    assert lines[-1].endswith("in 2 documents")
    assert lines[-1].split()[0].isdigit() and int(lines[-1].split()[0]) > 0


def test_lint_warning_exits_0_and_1_with_strict(tmp_path: Path) -> None:
    path = str(with_warning(tmp_path))
    relaxed = lint(path)
    assert relaxed.exit_code == 0, relaxed.output
    assert "warning non-status-response-key" in relaxed.stdout
    assert "0 repaired, 1 warnings, 0 errors" in relaxed.stdout
    strict = lint("--strict", path)
    assert strict.exit_code == 1
    assert strict.stdout == relaxed.stdout


def test_lint_strict_with_only_repairs_exits_0(tmp_path: Path) -> None:
    document = json.loads(json.dumps(CLEAN))
    document["paths"]["/v1/chat/completions"]["post"]["tags"] = []
    result = lint("--strict", str(write(tmp_path, "repair.yaml", document)))
    assert result.exit_code == 0, result.output
    assert "1 repaired, 0 warnings, 0 errors" in result.stdout


def test_lint_error_finding_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error-level finding (from an injected rule) fails the run even without --strict."""

    def refuse(context: RuleContext) -> None:
        context.error("/paths", "cannot be repaired", evidence="test rule")

    monkeypatch.setattr(codegen.normalize, "RULES", (("refuse", refuse),))
    result = lint(str(write(tmp_path, "clean.yaml", CLEAN)))
    assert result.exit_code == 1
    assert "error   refuse" in result.stdout
    assert "0 repaired, 0 warnings, 1 errors" in result.stdout


def test_lint_unreadable_input_exits_2_and_still_reports_the_others(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo:\n  title: [unclosed\n", encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    good = write(tmp_path, "clean.yaml", CLEAN)
    result = lint(str(broken), str(good), str(missing))
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {broken}:") and errors[0].split(":")[2].isdigit()
    assert errors[1] == f"error: {missing}: no such file"
    assert f"clean ({good}):" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("in 1 documents; 2 unreadable")


def test_lint_unreadable_wins_over_strict_warnings(tmp_path: Path) -> None:
    result = lint("--strict", str(with_warning(tmp_path)), str(tmp_path / "nothing.md"))
    assert result.exit_code == 2


def test_lint_json_format_is_the_report_json(tmp_path: Path) -> None:
    result = lint("--format", "json", str(SOURCES / "oxen.md"), str(with_warning(tmp_path)))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    for level in ("repair", "warning", "error"):
        assert payload["summary"][level] == sum(
            1 for finding in payload["findings"] if finding["level"] == level
        )
    (warned,) = [f for f in payload["findings"] if f["document"] == "warn"]
    assert (warned["rule"], warned["level"]) == ("non-status-response-key", "warning")
    envelope = [f for f in payload["findings"] if f["rule"] == "assumed-error-envelope"]
    assert envelope[0]["document"] == "oxen"
    assert envelope[0]["source"] == str(SOURCES / "oxen.md")
    assert envelope[0]["line"] == 47


def test_lint_reads_ingested_yaml_and_points_at_the_vendor_lines(tmp_path: Path) -> None:
    out = tmp_path / "ingested"
    ingest = CliRunner().invoke(main, ["ingest", str(SOURCES / "oxen.md"), "--out", str(out)])
    assert ingest.exit_code == 0, ingest.output
    from_yaml = lint("--format", "json", str(out / "oxen.yaml"))
    from_vendor = lint("--format", "json", str(SOURCES / "oxen.md"))
    assert from_yaml.exit_code == 0, from_yaml.output

    def located(result: Result) -> list[tuple[str, str, int]]:
        return [(f["rule"], f["pointer"], f["line"]) for f in json.loads(result.stdout)["findings"]]

    assert located(from_yaml) == located(from_vendor)
    assert all(
        Path(f["source"]).resolve() == (SOURCES / "oxen.md").resolve()
        for f in json.loads(from_yaml.stdout)["findings"]
    )


def test_lint_requires_a_source() -> None:
    result = lint()
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr
