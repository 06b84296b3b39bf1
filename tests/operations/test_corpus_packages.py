"""Every OpenAPI and Swagger document of the corpus, built alone: the package imports, and it is
ruff-clean and `mypy --strict`-clean (one run of each tool over all the packages)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import OPENAPI_DOCUMENTS, ROOT


@pytest.mark.parametrize("document", OPENAPI_DOCUMENTS)
def test_the_package_and_its_server_import(document: str, corpus_packages: dict[str, Path]) -> None:
    folder = corpus_packages[document]
    script = (
        f"import sys; sys.path.insert(0, {str(folder.parent)!r}); "
        f"import {folder.name}, {folder.name}.server as s; "
        "print(len(s.ROUTES))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0


def test_every_package_is_ruff_clean(corpus_packages: dict[str, Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config",
         str(ROOT / "pyproject.toml"), *map(str, corpus_packages.values())],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr


def test_every_package_is_mypy_strict_clean(
    corpus_packages: dict[str, Path], tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", f"--cache-dir={tmp_path / 'mypy'}",
         *map(str, corpus_packages.values())],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
