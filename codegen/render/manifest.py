"""The package's manifest: every file specgen wrote into it, with its sha256, so a build can tell
a hand edit from its own output.

The manifest is one more rendered file (``<package>/.specgen-manifest.json``), computed from the
texts of the others; it carries no timestamp or machine detail, so the same inputs give the same
manifest byte for byte and ``specgen check`` compares it like any other file::

    {
      "files": {
        "__init__.py": "<sha256 of the file's UTF-8 bytes>",
        "resources/v1.py": "..."
      },
      "format": 1,
      "generator": "specgen"
    }

Paths are relative to the package folder, in POSIX form; keys are sorted. The manifest does not
list itself, nor the user's server handler module (which lives outside the package).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

MANIFEST_NAME = ".specgen-manifest.json"
"""The manifest's file name inside the package folder."""

FORMAT = 1
GENERATOR = "specgen"


def digest(data: bytes) -> str:
    """The sha256 of a file's bytes, as the manifest records it."""
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: Mapping[str, str]) -> str:
    """The manifest of ``files`` (path relative to the package -> text as written, UTF-8)."""
    hashes = {
        path: digest(text.encode("utf-8"))
        for path, text in sorted(files.items())
        if path != MANIFEST_NAME
    }
    data = {"files": hashes, "format": FORMAT, "generator": GENERATOR}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def with_manifest(files: Mapping[str, str]) -> dict[str, str]:
    """``files`` plus their manifest, sorted by path like ``render_package``'s result."""
    complete = {path: text for path, text in files.items() if path != MANIFEST_NAME}
    complete[MANIFEST_NAME] = manifest_text(complete)
    return dict(sorted(complete.items()))


class InvalidManifest(Exception):
    """The manifest on disk cannot be read as one specgen wrote (so it was edited by hand)."""


def read_manifest(folder: Path) -> dict[str, str] | None:
    """The recorded hashes of the package in ``folder``, or None when it has no manifest (a
    package from a build older than manifests); raises InvalidManifest when it is not one."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidManifest(str(error)) from None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR:
        raise InvalidManifest("not a specgen manifest")
    hashes = data.get("files")
    if not isinstance(hashes, dict) or not all(
        isinstance(path, str) and isinstance(value, str) for path, value in hashes.items()
    ):
        raise InvalidManifest("no table of file hashes")
    return dict(hashes)


def package_files(folder: Path) -> list[tuple[str, Path]]:
    """Every file in the package folder (bytecode caches and the manifest left out), as
    (POSIX path relative to the folder, path), sorted."""
    found = []
    for path in sorted(folder.rglob("*")):
        inside = path.relative_to(folder)
        relative = inside.as_posix()
        if path.is_file() and "__pycache__" not in inside.parts and relative != MANIFEST_NAME:
            found.append((relative, path))
    return found


def hand_changes(
    folder: Path, manifest: Mapping[str, str], new_files: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """Files in ``folder`` changed by hand since the build that wrote ``manifest`` (their hash
    differs), and files added by hand (not in the manifest), as two sorted lists of paths.

    A file whose bytes are exactly what the new build writes (``new_files``) is neither: replacing
    it loses nothing. A file deleted by hand is neither too: the build puts it back.
    """
    edited: list[str] = []
    added: list[str] = []
    for relative, path in package_files(folder):
        data = path.read_bytes()
        new_text = new_files.get(relative)
        if new_text is not None and data == new_text.encode("utf-8"):
            continue
        recorded = manifest.get(relative)
        if recorded is None:
            added.append(relative)
        elif digest(data) != recorded:
            edited.append(relative)
    return edited, added
