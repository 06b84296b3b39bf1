"""Writing a rendered package: all files or none, never over a folder specgen did not write, never
over a hand edit unless forced.

How a write goes, and what a kill (SIGKILL, power loss) at any moment leaves:

1. The new files are written to a staging folder beside the target,
   ``.<package>.<pid>.<random>.new``. Killed here: the old package stands untouched; the staging
   folder is a leftover.
2. The old package is moved aside to ``.<package>.<pid>.<random>.old`` and the staging folder
   takes the target's name. Two renames, because directories cannot be swapped atomically
   (portably: a symlink swap or Linux's ``renameat2(RENAME_EXCHANGE)`` are not). Killed between
   them: no package stands at the target, the complete old one waits in the ``.old`` folder.
3. The ``.old`` folder is deleted. Killed here: the new package stands; the (partly deleted)
   ``.old`` folder is a leftover.

Every write first recovers from an earlier killed one (``recover_package``): when no package
stands at the target, the ``.old`` folder is renamed back (so the package is byte-identical to
what stood before the killed build, and the hand-edit check below still sees its edits); then
the leftover ``.new`` and ``.old`` folders are deleted. Folders are tagged with the pid of the
build that made them, so a build never touches the folders of another build still running.
``specgen check`` only reads: after a killed build it reports the package stale until the next
``specgen build`` restores and rewrites it.

Hand edits: a package carries a manifest of its files' hashes (see ``manifest``). A write that
finds a file changed since the build that wrote the manifest, or a file added to the package
folder, refuses with an error naming them, unless ``force`` is given. A package with no
manifest (older builds) is replaced whole, as long as its ``__init__.py`` carries the header.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from ..errors import SpecgenError
from ..fs import shown_path
from .manifest import MANIFEST_NAME, InvalidManifest, hand_changes, read_manifest
from .package import HEADER_MARKER

KILL_AT_VARIABLE = "SPECGEN_TEST_KILL_AT"
"""Test-only: names the point of a write (``staged-<n>``, ``staged``, ``aside``, ``swapped``) at
which the process kills itself with SIGKILL, so tests can stop a build at a chosen step."""


def _kill_point(name: str) -> None:
    """Test-only hook: die here, as ``kill -9`` would, when SPECGEN_TEST_KILL_AT names this point."""
    if os.environ.get(KILL_AT_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _has_header(target: Path) -> bool:
    marker_file = target / "__init__.py"
    if not marker_file.is_file():
        return False
    with marker_file.open(encoding="utf-8", errors="replace") as stream:
        return HEADER_MARKER in stream.readline()


def _has_manifest(target: Path) -> bool:
    try:
        return read_manifest(target) is not None
    except InvalidManifest:
        return False


def _check_ours(target: Path) -> None:
    """Refuse a target that exists and carries neither specgen's header nor its manifest (an
    empty folder is fine)."""
    if not target.exists():
        return
    if not target.is_dir():
        raise SpecgenError("exists and is not a folder; not replacing it", file=shown_path(target))
    if _has_header(target) or _has_manifest(target) or not any(target.iterdir()):
        return
    raise SpecgenError(
        "exists and was not written by specgen (no header in __init__.py); not replacing it",
        file=shown_path(target),
    )


def _check_hand_edits(target: Path, files: Mapping[str, str]) -> None:
    """Refuse, naming the files, when the package was edited or added to since its last build."""
    if not target.is_dir():
        return
    edited: list[str]
    added: list[str]
    try:
        manifest = read_manifest(target)
    except InvalidManifest:
        edited, added = [MANIFEST_NAME], []
    else:
        if manifest is None:
            return
        edited, added = hand_changes(target, manifest, files)
    parts: list[str] = []
    if edited:
        parts.append(f"edited by hand since the last build: {', '.join(edited)}")
    if added:
        parts.append(f"added by hand: {', '.join(added)}")
    if parts:
        raise SpecgenError(
            f"{'; '.join(parts)}; not overwriting (use --force)", file=shown_path(target)
        )


def _relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"package file path must stay inside the package: {path!r}")
    return relative


def _owner(folder: Path, package: str) -> int | None:
    """The pid in a staging or retired folder's name (``.<package>.<pid>.<random>.new``)."""
    rest = folder.name[len(package) + 2 :]
    pid = rest.split(".", 1)[0]
    return int(pid) if pid.isdigit() else None


def _running(pid: int | None) -> bool:
    """Whether the build that made a folder still runs (it owns the folder then)."""
    if pid is None:
        return False
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False  # no safe liveness probe (os.kill would terminate the process)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(out_dir: Path, package: str) -> list[Path]:
    """Staging and retired folders of ``package`` left by builds that no longer run."""
    if not out_dir.is_dir():
        return []
    return [
        folder
        for folder in sorted(out_dir.glob(f".{package}.*"))
        if folder.suffix in {".new", ".old"}
        and folder.is_dir()
        and not _running(_owner(folder, package))
    ]


def recover_package(out_dir: Path, package: str) -> Path | None:
    """Undo what a killed write left: put the previous package back when none stands at the
    target, then delete leftover staging and retired folders. Returns the folder restored from,
    or None when there was nothing to restore."""
    target = out_dir / package
    leftovers = _leftovers(out_dir, package)
    restored = None
    retired = [folder for folder in leftovers if folder.suffix == ".old"]
    if retired and not target.exists():
        # Normally one: every write recovers first. If several, the last one moved aside.
        restored = max(retired, key=lambda folder: folder.stat().st_ctime_ns)
        os.replace(restored, target)
    for folder in leftovers:
        if folder != restored:
            shutil.rmtree(folder, ignore_errors=True)
    return restored


def write_package(
    files: Mapping[str, str], out_dir: Path, package: str, *, force: bool = False
) -> Path:
    """Write ``files`` (paths relative to the package) as ``out_dir/package`` and return that path.

    The files go to a temporary folder beside the target first; only a complete package then
    takes the target's place, so a failure never leaves a half-written package behind (and a
    kill is undone by the next write; see the module's docstring). With ``force``, files edited
    or added by hand since the last build are overwritten instead of refused.
    """
    target = out_dir / package
    recover_package(out_dir, package)
    _check_ours(target)
    if not force:
        _check_hand_edits(target, files)
    out_dir.mkdir(parents=True, exist_ok=True)
    tag = f".{package}.{os.getpid()}."
    staging = Path(tempfile.mkdtemp(prefix=tag, suffix=".new", dir=out_dir))
    try:
        for count, (path, text) in enumerate(files.items(), start=1):
            destination = staging.joinpath(*_relative(path).parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8", newline="\n")
            _kill_point(f"staged-{count}")
        _kill_point("staged")
        if not target.exists():
            os.replace(staging, target)
            return target
        retired = Path(tempfile.mkdtemp(prefix=tag, suffix=".old", dir=out_dir))
        retired.rmdir()
        os.replace(target, retired)
        _kill_point("aside")
        try:
            os.replace(staging, target)
        except BaseException:
            os.replace(retired, target)
            raise
        _kill_point("swapped")
        shutil.rmtree(retired, ignore_errors=True)
        return target
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
