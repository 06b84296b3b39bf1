"""Checks every test that builds packages makes of them: each imports with its server, and the
lot is ruff-clean with the project's config and ``mypy --strict``-clean."""

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
        [sys.executable, "-m", "mypy", "--strict", f"--cache-dir={mypy_cache(cache)}",
         *map(str, folders)],
        capture_output=True, text=True, check=False, cwd=cache,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
