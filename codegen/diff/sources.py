"""One side of a diff, from what the user typed to a merged API: file, folder, package or glob."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpecgenError
from ..ir.model import API
from ..pipeline import load, merge_loaded

PACKAGE_DOCUMENT = "openapi.yaml"
"""The merged document ``specgen build`` writes into every package."""

_GLOB_CHARACTERS = frozenset("*?[")


def is_package(folder: Path) -> bool:
    """A package specgen generated: an ``openapi.yaml`` and an ``__init__.py`` with its header."""
    from ..render.package import HEADER_MARKER  # here: the renderer is heavy to import

    init = folder / "__init__.py"
    if not (folder / PACKAGE_DOCUMENT).is_file() or not init.is_file():
        return False
    try:
        with init.open(encoding="utf-8", errors="replace") as stream:
            return HEADER_MARKER in stream.readline()
    except OSError:
        return False


def _folder(folder: Path) -> list[Path]:
    if is_package(folder):
        return [folder / PACKAGE_DOCUMENT]
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise SpecgenError("no document in this folder", file=str(folder))
    return files


def side_paths(spec: str) -> list[Path]:
    """The documents one side names: a file; a package's ``openapi.yaml``; every file directly in
    another folder (hidden files aside); or the sorted matches of a glob pattern."""
    if _GLOB_CHARACTERS & set(spec):
        matches = sorted(glob.glob(spec))
        if not matches:
            raise SpecgenError("no document matches this pattern", file=spec)
        found: list[Path] = []
        for match in matches:
            path = Path(match)
            found.extend(_folder(path) if path.is_dir() else [path])
        return found
    path = Path(spec)
    return _folder(path) if path.is_dir() else [path]


@dataclass
class LoadedSide:
    """A side's merged API, or the problems that kept it from being read."""

    api: API | None = None
    errors: list[SpecgenError] = field(default_factory=list)


def load_side(spec: str, reference: Sequence[Path]) -> LoadedSide:
    """Ingest, normalize and merge one side as ``specgen build`` does; problems are collected."""
    side = LoadedSide()
    try:
        paths = side_paths(spec)
    except (SpecgenError, OSError) as error:
        side.errors.append(error if isinstance(error, SpecgenError) else _os_error(spec, error))
        return side
    loaded = load(paths, reference=reference)
    if loaded.unreadable:
        side.errors.extend(loaded.unreadable)
        return side
    try:
        side.api = merge_loaded(loaded).api
    except SpecgenError as error:
        side.errors.append(error)
    return side


def _os_error(spec: str, error: OSError) -> SpecgenError:
    return SpecgenError(error.strerror or str(error), file=spec)
