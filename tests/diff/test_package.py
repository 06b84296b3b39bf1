"""A source set against a package on disk: ``specgen diff`` reads the package's openapi.yaml."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from codegen.cli import main
from codegen.diff import side_paths

from .helpers import REQUEST, document, edited, write


def test_changed_document_against_the_package_built_from_the_original(tmp_path: Path) -> None:
    """Build a tiny package, then diff it against an edited document: only the edit is found."""
    runner = CliRunner()
    original = write(tmp_path / "docs", "vendora.yaml", document())
    out = tmp_path / "out"
    built = runner.invoke(main, ["build", str(original), "--out", str(out), "--package", "p"])
    assert built.exit_code == 0, built.stderr
    package = out / "p"
    assert side_paths(str(package)) == [package / "openapi.yaml"]

    same = runner.invoke(main, ["diff", str(package), str(original)])
    assert (same.exit_code, same.stdout) == (0, "no API changes\n"), same.stderr

    stricter = edited(REQUEST, "required", ["model", "messages", "effort"])
    changed = write(tmp_path / "changed", "vendora.yaml", document(request=stricter))
    result = runner.invoke(main, ["diff", str(package), str(changed)])
    assert result.exit_code == 1, result.stderr
    assert "  BREAKING request.effort: request field now required, optional → required" in (
        result.stdout
    )
    assert result.stdout.endswith("\n1 API change, 1 breaking\n")


def test_a_folder_without_the_package_header_is_a_folder_of_documents(tmp_path: Path) -> None:
    """An ``openapi.yaml`` beside an ``__init__.py`` specgen did not write is not a package."""
    write(tmp_path, "openapi.yaml", document())
    write(tmp_path, "__init__.py", "# my own module\n")
    assert side_paths(str(tmp_path)) == [tmp_path / "__init__.py", tmp_path / "openapi.yaml"]
