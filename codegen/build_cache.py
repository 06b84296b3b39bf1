"""A record of past builds' inputs, so a rebuild with nothing changed skips the pipeline.

A build that succeeds leaves one small entry in the cache folder. Its key hashes specgen's own code
(every module and template, so an edited or upgraded specgen never trusts an old entry), the
options and the sources named; the entry holds the hash of every file the build read (a bundled
``$ref`` target too), the package's manifest as written and the lines the build printed.

A later build whose key has an entry, whose inputs still hash the same, and whose package on disk
still matches that manifest file for file has nothing to do: the pipeline is idempotent on its own
output, so running it again would write the same bytes. Anything else (no entry, a changed input,
an edited, added or missing file, a missing starter module, a build killed mid-write) runs the
full build. The folder is ``.specgen-cache/`` beside pyproject.toml (the working directory when
there is none); ``SPECGEN_CACHE_DIR`` moves it, and deleting it costs one full build, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import msgspec

from . import BUILTIN_TEMPLATES, __version__
from .config import Config
from .fs import write_atomic

CACHE_FOLDER = ".specgen-cache"
ENTRY_FORMAT = 1
KEPT_ENTRIES = 64
"""The newest entries kept; older ones are deleted when a build stores a new one."""

_MANIFEST = ".specgen-manifest.json"
_PACKAGE = Path(__file__).resolve().parent
# An installed specgen carries its templates inside the package: hashed once, with the modules.
_CODE_ROOTS = (
    (_PACKAGE,) if BUILTIN_TEMPLATES.is_relative_to(_PACKAGE) else (_PACKAGE, BUILTIN_TEMPLATES)
)


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _tree_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        path for path in root.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    )


def code_identity() -> str:
    """A hash of specgen's version, modules and built-in templates: what produced a package."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    for root in _CODE_ROOTS:
        for path in _tree_files(root):
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_folder(config_root: Path | None) -> Path:
    configured = os.environ.get("SPECGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    return (config_root or Path.cwd()) / CACHE_FOLDER


class CachedBuild(msgspec.Struct, frozen=True):
    """What a skipped rebuild prints: the lines the full build would print for it."""

    lines: tuple[str, ...]


class BuildCache:
    """Entries of one cache folder; every failure to read or write one is a miss, never an error."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(config: Config, sources: Sequence[Path]) -> str:
        """The entry's name: specgen's code, the options and the sources as given (their bytes
        are checked against the entry, together with every other file the build read)."""
        parts = {
            "code": code_identity(),
            "cwd": str(Path.cwd().resolve()),
            "config": repr(config),
            "sources": [str(source) for source in sources],
            "templates": _folder_digests(config.templates),
        }
        text = json.dumps(parts, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]

    def _entry_path(self, key: str) -> Path:
        return self.folder / f"build-{key}.json"

    def lookup(self, key: str, config: Config) -> CachedBuild | None:
        """The entry's lines when the build it recorded would be repeated byte for byte."""
        try:
            entry = json.loads(self._entry_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != ENTRY_FORMAT:
            return None
        if entry.get("key") != key or entry.get("version") != __version__:
            return None
        inputs = entry.get("inputs")
        if not isinstance(inputs, dict) or not _inputs_unchanged(inputs):
            return None
        manifest = entry.get("manifest")
        if not isinstance(manifest, str) or not _package_matches(config, manifest):
            return None
        starter = entry.get("starter")
        if isinstance(starter, str) and not Path(starter).is_file():
            return None
        lines = entry.get("lines")
        if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
            return None
        return CachedBuild(tuple(lines))

    def store(
        self,
        key: str,
        *,
        inputs: Iterable[Path],
        manifest: str,
        starter: Path | None,
        lines: Sequence[str],
    ) -> None:
        """Record a successful build; a folder that cannot be written just means no cache."""
        digests = {str(path.resolve()): _file_digest(path) for path in sorted(set(inputs))}
        entry: dict[str, Any] = {
            "format": ENTRY_FORMAT,
            "key": key,
            "version": __version__,
            "inputs": digests,
            "manifest": manifest,
            "starter": str(starter.resolve()) if starter is not None else None,
            "lines": list(lines),
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            readme = self.folder / "README"
            if not readme.exists():
                readme.write_text(
                    "specgen's build cache: safe to delete (the next build runs in full).\n",
                    encoding="utf-8",
                )
            write_atomic(self._entry_path(key), json.dumps(entry, indent=1, sort_keys=True))
            self._prune()
        except OSError:
            return

    def _prune(self) -> None:
        entries = sorted(self.folder.glob("build-*.json"), key=lambda path: path.stat().st_mtime_ns)
        for stale in entries[:-KEPT_ENTRIES]:
            stale.unlink(missing_ok=True)


def _folder_digests(folder: Path | None) -> dict[str, str | None]:
    if folder is None:
        return {}
    return {path.as_posix(): _file_digest(path) for path in _tree_files(folder)}


def _inputs_unchanged(inputs: dict[str, Any]) -> bool:
    return all(_file_digest(Path(path)) == digest for path, digest in inputs.items())


def _package_matches(config: Config, manifest: str) -> bool:
    """The package folder holds exactly the files the manifest lists, each with its hash, and no
    build left a staging or retired folder beside it."""
    out, package = config.out, config.package
    folder = out / package
    if any(out.glob(f".{package}.*")):
        return False
    try:
        if (folder / _MANIFEST).read_text(encoding="utf-8") != manifest:
            return False
        listed = json.loads(manifest)["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    on_disk = {path.relative_to(folder).as_posix() for path in _tree_files(folder)} - {_MANIFEST}
    if on_disk != set(listed):
        return False
    return all(_file_digest(folder / path) == digest for path, digest in listed.items())
