"""Formatting rendered Python with ruff, the same way wherever specgen runs."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ..errors import SpecgenError
from .docs import LINE_LENGTH

# --isolated: the output must not depend on whichever ruff configuration surrounds the caller.
_COMMAND = [
    sys.executable,
    "-m",
    "ruff",
    "format",
    "--isolated",
    f"--line-length={LINE_LENGTH}",
    "--target-version=py311",
]


def format_python(source: str, filename: str) -> str:
    """``source`` as ``ruff format`` writes it; a syntax error (a renderer bug) is reported."""
    result = subprocess.run(
        [*_COMMAND, f"--stdin-filename={filename}", "-"],
        input=source,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()
        raise SpecgenError(
            f"ruff could not format the rendered file: {detail[0] if detail else 'no output'}",
            file=filename,
        )
    return result.stdout


def format_all(sources: Mapping[str, str]) -> dict[str, str]:
    """Format several files at once (ruff start-up dominates, so in parallel)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {path: pool.submit(format_python, text, path) for path, text in sources.items()}
        return {path: future.result() for path, future in futures.items()}
