"""The committed generated/chat_api is exactly what the vendor documents produce, on any run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from codegen.cli import main

from ._documents import GENERATED, PACKAGE, REPO


def _tree(root: Path) -> dict[str, bytes]:
    """Every file of the package under `root` (bytecode caches left out) -> its bytes.

    Only the package folder: the server starter (`server_impl.py`), which the build writes once
    and the user then owns, lives outside it by design, so it is ignored here.
    """
    package = root / PACKAGE
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(package.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _committed() -> dict[str, bytes]:
    return _tree(GENERATED)


def _differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    paths = sorted(set(expected) | set(actual))
    return [path for path in paths if expected.get(path) != actual.get(path)]


def test_specgen_check_passes_on_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """`specgen check` from the repository root: generated/ is up to date, exit 0."""
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "is up to date" in result.output


def test_a_fresh_build_equals_the_committed_package_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`specgen build --out tmp` from the configured sources writes the committed bytes."""
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    fresh = _tree(tmp_path)
    committed = _committed()
    assert len(committed) >= 15
    assert _differences(committed, fresh) == []


def test_builds_under_different_hash_seeds_are_identical(tmp_path: Path) -> None:
    """Two `specgen build` processes with different PYTHONHASHSEED write the same bytes."""
    runs = {}
    for seed in ("0", "4242"):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "codegen.cli", "build", "--out", str(out)]
        runs[seed] = (
            out,
            subprocess.Popen(
                command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            ),
        )
    trees = []
    for out, process in runs.values():
        _stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
        trees.append(_tree(out))
    assert trees[0]
    assert _differences(trees[0], trees[1]) == []
    assert _differences(_committed(), trees[0]) == []


def _copy_project(target: Path) -> Path:
    """The repository's specs/, pyproject.toml and generated/ copied into `target`."""
    shutil.copytree(REPO / "specs", target / "specs")
    shutil.copytree(GENERATED, target / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(REPO / "pyproject.toml", target / "pyproject.toml")
    return target


def _a_rendered_description(specs: Path) -> tuple[Path, str]:
    """A request-field description of an ingested document that the package's types.py shows.

    Found, not named: the test needs a description a change to which must reach the output.
    """
    types_text = (GENERATED / PACKAGE / "types.py").read_text(encoding="utf-8")
    for path in sorted(specs.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for schema in (document.get("components") or {}).get("schemas", {}).values():
            for field in (schema.get("properties") or {}).values():
                description = field.get("description") if isinstance(field, dict) else None
                if (
                    isinstance(description, str)
                    and len(description) > 20
                    and description in types_text
                    and description in path.read_text("utf-8")
                ):
                    return path, description
    raise AssertionError("no ingested description appears verbatim in chat_api/types.py")


def test_check_fails_naming_a_file_when_a_source_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copied project checks clean; after one description in specs/*.yaml changes, `specgen
    check --out <copy>` exits 1 and names a stale file of the package."""
    project = _copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    out = project / "generated"
    runner = CliRunner()

    unchanged = runner.invoke(main, ["check", "--out", str(out)])
    assert unchanged.exit_code == 0, unchanged.output

    source, description = _a_rendered_description(project / "specs")
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(description, description + " Edited."), encoding="utf-8")

    changed = runner.invoke(main, ["check", "--out", str(out)])
    assert changed.exit_code == 1, changed.output
    assert "is stale" in changed.stderr
    named = changed.stderr.split("first ", 1)[1].split(";", 1)[0]
    assert named.startswith(f"{PACKAGE}/")
    assert (out / named).is_file()
    # Nothing was written: check only reads.
    assert _differences(_committed(), _tree(out)) == []
