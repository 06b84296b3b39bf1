"""Writing files safely: atomically, and never over something specgen did not write."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import SpecgenError


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        # mkstemp makes the file private (0600); the result is an ordinary file of the project.
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def ensure_ours(path: Path, marker: str, *, force: bool = False) -> None:
    """Refuse to replace an existing file that lacks ``marker`` (so was not written by specgen)."""
    if force or not path.exists():
        return
    try:
        head = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise SpecgenError(f"cannot read existing file: {exc.strerror}", file=str(path)) from None
    if marker not in head:
        raise SpecgenError(
            "exists and was not written by specgen; not overwriting (use --force)", file=str(path)
        )
