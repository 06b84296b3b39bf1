"""Running specgen in-process on a hostile document: exit code, output, and the time it took."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from codegen.cli import main

HOSTILE = Path(__file__).resolve().parent


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
