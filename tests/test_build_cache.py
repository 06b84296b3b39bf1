"""The build cache: a rebuild with nothing changed skips the pipeline, and anything that could
change the package (an input, a bundled file, specgen's code, the package on disk) runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen import build as build_module
from codegen import build_cache
from codegen.cli import main

ROOT = Path(__file__).resolve().parents[1]

DOCUMENT = """\
openapi: 3.1.0
info: {title: Notes, version: "1"}
servers: [{url: "https://notes.example/v1"}]
paths:
  /notes:
    post:
      operationId: createNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "parts/shared.yaml#/Note"}
      responses:
        "200":
          description: the note
          content:
            application/json:
              schema: {$ref: "parts/shared.yaml#/Note"}
"""
SHARED = """\
Note:
  type: object
  required: [text]
  properties:
    text: {type: string}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with one document that bundles a schema from a second file."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\npackage = "notes"\nout = "out"\nsources = ["specs/*.yaml"]\n'
    )
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "notes.yaml").write_text(DOCUMENT)
    (tmp_path / "specs" / "parts").mkdir()
    (tmp_path / "specs" / "parts" / "shared.yaml").write_text(SHARED)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SPECGEN_CACHE_DIR", raising=False)
    return tmp_path


@pytest.fixture
def pipeline_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the builds that ran the pipeline (the rest were answered from the cache)."""
    runs: list[int] = []
    real = build_module.build_files

    def counted(*args: object, **kwargs: object) -> build_module.BuildOutput:
        runs.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "build_files", counted)
    return runs


def _build(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", *args])
    return result.exit_code, result.stdout + result.stderr


def test_a_rebuild_with_nothing_changed_skips_the_pipeline(
    project: Path, pipeline_runs: list[int]
) -> None:
    code, first = _build()
    assert code == 0, first
    assert "files: " in first and "0 written" not in first
    code, second = _build()
    assert code == 0, second
    assert len(pipeline_runs) == 1, "the second build was answered from the cache"
    # It says what a full rebuild would say: nothing written, no API change, starter kept.
    assert "0 written" in second and "API changes: no API changes" in second
    assert "kept out/server_impl.py" in second
    code, forced = _build("--no-cache")
    assert code == 0 and len(pipeline_runs) == 2
    assert forced == second, "the cache replays exactly what the full rebuild prints"
    assert (project / ".specgen-cache" / "README").is_file()


def test_a_changed_input_runs_the_pipeline(project: Path, pipeline_runs: list[int]) -> None:
    assert _build()[0] == 0
    document = project / "specs" / "notes.yaml"
    document.write_text(DOCUMENT.replace("the note", "the saved note"))
    assert _build()[0] == 0
    assert len(pipeline_runs) == 2


def test_a_changed_bundled_file_runs_the_pipeline(project: Path, pipeline_runs: list[int]) -> None:
    """The file a $ref bundles is an input like the document naming it."""
    assert _build()[0] == 0
    assert "tags" not in (project / "out" / "notes" / "types.py").read_text()
    (project / "specs" / "parts" / "shared.yaml").write_text(
        SHARED + "    tags: {type: array, items: {type: string}}\n"
    )
    code, out = _build()
    assert code == 0, out
    assert len(pipeline_runs) == 2
    assert "tags" in (project / "out" / "notes" / "types.py").read_text()


def test_a_hand_edit_of_the_package_is_still_refused(
    project: Path, pipeline_runs: list[int]
) -> None:
    assert _build()[0] == 0
    models = project / "out" / "notes" / "types.py"
    models.write_text(models.read_text() + "\n# mine\n")
    code, out = _build()
    assert code == 1 and "edited" in out, out
    assert len(pipeline_runs) == 2


@pytest.mark.parametrize("damage", ["delete-file", "add-file", "delete-starter", "leftover"])
def test_a_package_unlike_the_recorded_one_runs_the_pipeline(
    project: Path, pipeline_runs: list[int], damage: str
) -> None:
    assert _build()[0] == 0
    package = project / "out" / "notes"
    if damage == "delete-file":
        (package / "types.py").unlink()
    elif damage == "add-file":
        (package / "extra.py").write_text("x = 1\n")
    elif damage == "delete-starter":
        (project / "out" / "server_impl.py").unlink()
    else:
        shutil.copytree(package, project / "out" / ".notes.123.old")
    _build()
    assert len(pipeline_runs) == 2
    if damage == "delete-starter":
        assert (project / "out" / "server_impl.py").is_file()


def test_an_other_specgen_never_trusts_the_entry(
    project: Path, pipeline_runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _build()[0] == 0
    monkeypatch.setattr(build_cache, "code_identity", lambda: "another specgen")
    assert _build()[0] == 0
    assert len(pipeline_runs) == 2


def test_a_broken_entry_is_a_miss_not_an_error(project: Path, pipeline_runs: list[int]) -> None:
    assert _build()[0] == 0
    for entry in (project / ".specgen-cache").glob("build-*.json"):
        entry.write_text("{not json")
    code, out = _build()
    assert code == 0, out
    assert len(pipeline_runs) == 2
    entries = list((project / ".specgen-cache").glob("build-*.json"))
    assert entries and all(json.loads(entry.read_text())["format"] == 1 for entry in entries)


def test_the_cache_folder_can_be_moved_or_be_unwritable(
    project: Path, pipeline_runs: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = project / "blocked"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(blocked))
    assert _build()[0] == 0
    assert _build()[0] == 0
    assert len(pipeline_runs) == 2, "no cache could be kept, so both builds ran in full"
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(project / "elsewhere"))
    assert _build()[0] == 0 and _build()[0] == 0
    assert len(pipeline_runs) == 3
    assert list((project / "elsewhere").glob("build-*.json"))


def test_a_failed_build_is_never_recorded(project: Path, pipeline_runs: list[int]) -> None:
    (project / "specs" / "notes.yaml").write_text("openapi: [")
    assert _build()[0] == 2
    assert _build()[0] == 2
    assert len(pipeline_runs) == 2
    assert not list(project.glob(".specgen-cache/build-*.json"))
