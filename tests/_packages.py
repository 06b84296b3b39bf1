"""Checks every test that builds packages makes of them: each imports with its server, and the
lot is ruff-clean (under ruff's defaults and under the project's rules) and
``mypy --strict``-clean."""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_LIBRARIES = (
    "import argparse, asyncio, base64, codecs, dataclasses, email.utils, enum, importlib, inspect,"
    " json, keyword, logging, math, os, random, re, time, types, typing, urllib.parse\n"
    "import fastapi, fastapi.responses, fastapi.testclient, httpx, pydantic, pydantic_core\n"
    "import starlette.requests, starlette.responses, typing_extensions, uvicorn\n"
)
"""What generated packages import besides themselves."""


@functools.cache
def _library_cache() -> Path:
    """mypy --strict's cache of the libraries only, made once per test process."""
    folder = Path(tempfile.mkdtemp(prefix="specgen-mypy-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "_specgen_libraries.py").write_text(_LIBRARIES, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir=cache", "_specgen_libraries.py"],
        capture_output=True, check=True, cwd=folder,
    )  # fmt: skip
    return folder / "cache"


def mypy_cache(folder: Path) -> Path:
    """A new mypy cache folder in ``folder`` holding the libraries' entries and nothing of the
    test's: its own modules are checked afresh, but typeshed, pydantic, httpx and FastAPI are
    not analysed again (about 8 of the 9 seconds of a mypy run on a built package)."""
    cache = folder / "mypy-cache"
    shutil.copytree(_library_cache(), cache, dirs_exist_ok=True)
    return cache


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


GENERATED_LINE_LENGTH = 88
"""ruff's default: what a repository vendoring a package most likely enforces."""

RUFF_COMMANDS: tuple[tuple[str, ...], ...] = (
    # ruff's default rule set and format, as in a repository without a ruff config.
    ("check", "--isolated", "--target-version=py311"),
    ("format", "--check", "--isolated", "--target-version=py311"),
    # The project's wider selection (pycodestyle, bugbear, simplify...) at the same width.
    ("check", "--config", str(ROOT / "pyproject.toml"), f"--line-length={GENERATED_LINE_LENGTH}"),
)
"""The ruff runs a generated package must pass, each a list of arguments before the paths."""


def ruff_problems(paths: Iterable[Path]) -> list[str]:
    """What each of ``RUFF_COMMANDS`` reports on ``paths``; empty when all of them pass."""
    problems = []
    for command in RUFF_COMMANDS:
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--no-cache", *map(str, paths)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            problems.append(f"ruff {' '.join(command[:2])}: {result.stdout[-3000:]}{result.stderr}")
    return problems


def assert_ruff_clean(folders: Iterable[Path]) -> None:
    problems = ruff_problems(list(folders))
    assert not problems, "\n".join(problems)


def assert_mypy_strict_clean(folders: Iterable[Path], cache: Path) -> None:
    """``cache`` is a folder of the test's own: mypy's cache and working directory."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", f"--cache-dir={mypy_cache(cache)}",
         *map(str, folders)],
        capture_output=True, text=True, check=False, cwd=cache,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
