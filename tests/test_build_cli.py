"""`specgen build` and `specgen check` as a user runs them: exit codes, what is (not) written,
the report inside the package, configuration precedence and template overrides."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen import normalize as normalize_module
from codegen.cli import main
from codegen.normalize import RuleContext
from tests._packages import mypy_cache

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's specs and config in a temp folder, as the working directory."""
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_with_no_sources_reads_the_configured_ones(project: Path) -> None:
    code, out, _err = _run("build")
    assert code == 0, _err
    package = project / "generated" / "chat_api"
    assert (package / "__init__.py").is_file()
    assert "wrote generated/chat_api" in out


def test_build_puts_the_repair_report_and_merged_document_in_the_package(project: Path) -> None:
    assert _run("build")[0] == 0
    package = project / "generated" / "chat_api"
    report = json.loads((package / "REPAIRS.json").read_text())
    rules = {finding["rule"] for finding in report["findings"]}
    assert {
        "non-status-response-key",
        "errors-in-success-union",
        "widen-integer-to-number",
    } <= rules
    assert all(not finding.get("source", "").startswith("/") for finding in report["findings"]), (
        "sources are relative, so the report is the same on every machine"
    )
    markdown = (package / "REPAIRS.md").read_text()
    assert "specs/sources/deepseek.openapi.md:354" in markdown
    assert "openapi: 3.1.0" in (package / "openapi.yaml").read_text()


def test_unreadable_source_exits_2_and_writes_nothing(project: Path) -> None:
    (project / "specs" / "broken.yaml").write_text("openapi: 3.0.1\ninfo: [\n")
    code, _out, err = _run("build")
    assert code == 2
    assert "broken.yaml:" in err and "nothing written" in err
    assert "Traceback" not in err
    assert not (project / "generated").exists()


def test_an_error_finding_exits_1_and_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(context: RuleContext) -> None:
        context.error("/info", "a test rule refuses this document")

    monkeypatch.setattr(normalize_module, "RULES", (("test-refusal", refuse),))
    code, _out, err = _run("build")
    assert code == 1
    assert "a test rule refuses this document" in err
    assert not (project / "generated").exists()


def test_strict_fails_on_remaining_warnings_and_writes_nothing(project: Path) -> None:
    code, _out, err = _run("build", "--strict")
    assert code == 1
    assert "--strict" in err
    assert not (project / "generated").exists()


def test_a_rebuild_never_replaces_a_folder_specgen_did_not_write(project: Path) -> None:
    mine = project / "generated" / "chat_api"
    mine.mkdir(parents=True)
    (mine / "notes.py").write_text("my work\n")
    code, _out, err = _run("build")
    assert code == 1
    assert "not" in err and "specgen" in err
    assert (mine / "notes.py").read_text() == "my work\n"


def test_command_line_overrides_the_config(project: Path) -> None:
    code, _out, _err = _run("build", "--package", "other_api", "--out", "elsewhere")
    assert code == 0
    assert (project / "elsewhere" / "other_api" / "__init__.py").is_file()
    assert not (project / "generated").exists()


def test_a_user_template_overrides_one_file(project: Path) -> None:
    """--templates DIR replaces built-in templates file by file; the others still render."""
    templates = project / "my_templates"
    templates.mkdir()
    builtin = sorted((ROOT / "templates").glob("*.jinja"))
    assert builtin, "built-in templates exist"
    chosen = next(p for p in builtin if p.name.startswith("client"))
    text = chosen.read_text()
    (templates / chosen.name).write_text(text.replace('"""', '"""Customised. ', 1))
    code, _out, err = _run("build", "--templates", str(templates))
    assert code == 0, err
    client = (project / "generated" / "chat_api" / "_client.py").read_text()
    assert "Customised." in client
    assert (project / "generated" / "chat_api" / "types.py").is_file()


def test_check_is_clean_after_a_build_and_stale_after_a_change(project: Path) -> None:
    assert _run("build")[0] == 0
    code, out, _err = _run("check")
    assert code == 0 and "up to date" in out
    spec = project / "specs" / "oxen.yaml"
    spec.write_text(
        spec.read_text().replace(
            "Request to generate a chat completion.", "Request for a chat completion."
        )
    )
    code, _out, err = _run("check")
    assert code == 1
    assert "stale" in err and "chat_api/" in err


def test_check_notices_a_file_the_build_no_longer_writes(project: Path) -> None:
    assert _run("build")[0] == 0
    (project / "generated" / "chat_api" / "leftover.py").write_text("x = 1\n")
    code, _out, err = _run("check")
    assert code == 1
    assert "leftover.py" in err


def test_no_sources_and_none_configured_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.specgen]\npackage = 'x'\n")
    monkeypatch.chdir(tmp_path)
    code, _out, err = _run("build")
    assert code == 2
    assert "no SOURCE given" in err


def test_unknown_config_key_is_reported_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.specgen]\npakage = 'x'\n")
    monkeypatch.chdir(tmp_path)
    code, _out, err = _run("build", str(ROOT / "specs" / "oxen.yaml"))
    assert code == 1
    assert "pyproject.toml" in err and "pakage" in err


def test_an_internal_error_is_one_short_line(tmp_path: Path) -> None:
    """The last-resort guard: exit 70 and one line, however long or multi-line the exception."""
    from unittest import mock

    source = tmp_path / "x.yaml"
    source.write_text("openapi: 3.1.0\n")
    failure = ValueError("first line\nsecond line " + "x" * 1000)
    with mock.patch("codegen.normalize.lint.lint_paths", side_effect=failure):
        result = CliRunner().invoke(main, ["lint", str(source)])
    assert result.exit_code == 70
    (line,) = result.stderr.splitlines()
    assert line == "error: internal error (ValueError: first line); please report it"


def test_fields_and_segments_named_like_the_generated_code_stay_apart(tmp_path: Path) -> None:
    """A body field `options` or `body` (the method's own locals) and a path segment `query` or
    `mapping` (names the resource module imports) are renamed: the package is mypy --strict
    clean, and the request still sends the wire names. Found on the discord, ollama and
    deepinfra corpus documents."""
    import subprocess
    import sys

    body = {
        "type": "object",
        "properties": {"options": {"type": "object"}, "body": {"type": "string"}},
    }
    ok = {"200": {"description": "ok"}}
    paths = {
        "/logs/query": {
            "post": {
                "operationId": "queryLogs",
                "requestBody": {"content": {"application/json": {"schema": body}}},
                "responses": ok,
            }
        },
        "/mapping/things": {"get": {"operationId": "listThings", "responses": ok}},
    }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
    }
    source = tmp_path / "acme.json"
    source.write_text(json.dumps(document))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(out), "--package", "p"])
    assert result.exit_code == 0, result.output
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", f"--cache-dir={mypy_cache(tmp_path)}", "p"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout
    probe = (
        "import sys, json, httpx; sys.path.insert(0, '.'); import p\n"
        "seen = []\n"
        "def handler(request):\n"
        "    seen.append(json.loads(request.content)); return httpx.Response(200, json={})\n"
        "client = p.Client(vendor='acme', api_key='k', http_client=httpx.Client("
        "transport=httpx.MockTransport(handler)))\n"
        "logs = client.logs\n"
        "print(type(logs.query).__name__ != 'Query')\n"
        "import inspect; names = list(inspect.signature(logs.query.create).parameters)\n"
        "print([n for n in names if n.startswith(('options', 'body'))])\n"
        "logs.query.create(**{names[0]: {'a': 1}, names[1]: 'x'})\n"
        "print(seen)\n"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", probe], cwd=out, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "True"
    assert lines[2] == str([{"options": {"a": 1}, "body": "x"}])
