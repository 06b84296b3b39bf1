"""Formatting rendered Python with ruff, the same way wherever specgen runs."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import SpecgenError
from .docs import LINE_LENGTH


def _ruff() -> list[str]:
    """The ruff binary the installed ruff package ships; ``python -m ruff`` finds the same one
    but costs an interpreter start (0.1-0.2 s, most of a small build's formatting)."""
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return [str(find_ruff_bin())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "ruff"]


# --isolated: the output must not depend on whichever ruff configuration surrounds the caller.
# --no-cache: ruff would otherwise leave a .ruff_cache folder in the user's working directory.
_COMMAND = [
    *_ruff(),
    "format",
    "--isolated",
    "--no-cache",
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


class PendingFormat:
    """One ruff run over a temporary folder, started at once and read back by ``result``: the
    caller renders the next files on its own core while ruff formats these on another."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = dict(sources)
        self._folder = tempfile.TemporaryDirectory(prefix="specgen-format-")
        self.root = Path(self._folder.name)
        try:
            for path, text in self.sources.items():
                target = self.root / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            self._process = subprocess.Popen(
                [*_COMMAND, str(self.root)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except BaseException:
            self._folder.cleanup()
            raise

    def result(self) -> dict[str, str]:
        """The formatted texts; a file ruff cannot format is named in a SpecgenError."""
        try:
            if self._process.wait() != 0:
                # Say which file is broken: format them one by one (a renderer bug, so rare).
                return {path: format_python(text, path) for path, text in self.sources.items()}
            return {path: (self.root / path).read_text(encoding="utf-8") for path in self.sources}
        finally:
            self._folder.cleanup()

    def discard(self) -> None:
        """Wait for ruff and delete the folder, reading nothing (the build failed meanwhile)."""
        try:
            self._process.wait()
        finally:
            self._folder.cleanup()


def format_all(sources: Mapping[str, str]) -> dict[str, str]:
    """Format several files with one ruff run over a temporary folder (start-up dominates)."""
    return PendingFormat(sources).result()
