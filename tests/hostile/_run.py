"""Running specgen in-process on a hostile document: exit code, output, and the time it took."""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner

from codegen.cli import main
from tests._packages import assert_mypy_strict_clean, assert_ruff_clean

HOSTILE = Path(__file__).resolve().parent
ROOT = HOSTILE.parents[1]


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def errors(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("error:")]


def specgen(*args: str) -> Run:
    started = time.perf_counter()
    result = CliRunner().invoke(main, list(args))
    seconds = time.perf_counter() - started
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr, seconds)


def refused(run: Run) -> str:
    """The one ``error:`` line of a run that refused its input (exit 2, nothing else wrong)."""
    assert run.code == 2, (run.code, run.stdout, run.stderr)
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert len(run.errors) == 1, run.stderr
    return run.errors[0]


def forget(package: str) -> None:
    """Drop a package's modules from sys.modules (each test module imports its own build)."""
    for module in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
        del sys.modules[module]


@contextmanager
def imported(out: Path, package: str) -> Iterator[ModuleType]:
    """``package`` (and its server) imported from ``out``, forgotten afterwards."""
    sys.path.insert(0, str(out))
    try:
        forget(package)
        importlib.import_module(f"{package}.server")
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(out))
        forget(package)


def assert_ruff_and_mypy_clean(folder: Path, cache: Path) -> None:
    """``ruff check`` with the project's config and ``mypy --strict`` accept the package."""
    assert_ruff_clean([folder])
    assert_mypy_strict_clean([folder], cache)
