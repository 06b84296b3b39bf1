"""Checks every test that builds packages makes of them: each imports with its server, and the
lot is ruff-clean with the project's config and ``mypy --strict``-clean."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def assert_imports_with_routes(folder: Path) -> None:
    """The package and its server import in a fresh, isolated interpreter; the server mounts
    at least one route."""
    script = (
        f"import sys; sys.path.insert(0, {str(folder.parent)!r}); "
        f"import {folder.name}, {folder.name}.server as s; print(len(s.ROUTES))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 0


def assert_ruff_clean(folders: Iterable[Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config",
         str(ROOT / "pyproject.toml"), *map(str, folders)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr


def assert_mypy_strict_clean(folders: Iterable[Path], cache: Path) -> None:
    """``cache`` is a folder of the test's own: mypy's cache and working directory."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", f"--cache-dir={cache / 'mypy'}",
         *map(str, folders)],
        capture_output=True, text=True, check=False, cwd=cache,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
