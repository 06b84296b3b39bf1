"""Writing a rendered package: all files or none, never over a folder specgen did not write."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from ..errors import SpecgenError
from .package import HEADER_MARKER


def _check_ours(target: Path) -> None:
    """Refuse a target that exists and does not carry specgen's header (an empty folder is fine)."""
    if not target.exists():
        return
    if not target.is_dir():
        raise SpecgenError("exists and is not a folder; not replacing it", file=str(target))
    marker_file = target / "__init__.py"
    if marker_file.is_file():
        with marker_file.open(encoding="utf-8", errors="replace") as stream:
            if HEADER_MARKER in stream.readline():
                return
    elif not any(target.iterdir()):
        return
    raise SpecgenError(
        "exists and was not written by specgen (no header in __init__.py); not replacing it",
        file=str(target),
    )


def _relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"package file path must stay inside the package: {path!r}")
    return relative


def write_package(files: Mapping[str, str], out_dir: Path, package: str) -> Path:
    """Write ``files`` (paths relative to the package) as ``out_dir/package`` and return that path.

    The files go to a temporary folder beside the target first; only a complete package then
    takes the target's place, so a failure never leaves a half-written package behind.
    """
    target = out_dir / package
    _check_ours(target)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{package}.", suffix=".new", dir=out_dir))
    try:
        for path, text in files.items():
            destination = staging.joinpath(*_relative(path).parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8", newline="\n")
        if not target.exists():
            os.replace(staging, target)
            return target
        # Directories cannot be swapped atomically: move the old one aside, put the new one in
        # place, and move the old one back if that fails.
        retired = Path(tempfile.mkdtemp(prefix=f".{package}.", suffix=".old", dir=out_dir))
        retired.rmdir()
        os.replace(target, retired)
        try:
            os.replace(staging, target)
        except BaseException:
            os.replace(retired, target)
            raise
        shutil.rmtree(retired, ignore_errors=True)
        return target
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
