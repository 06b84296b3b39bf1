"""specgen used from another repository: the manifest that guards hand edits, builds that survive
a kill, the consumer's build/check cycle and the pre-commit hook, each run as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.errors import SpecgenError
from codegen.render import HEADER_MARKER, write_package
from codegen.render.manifest import MANIFEST_NAME, digest, with_manifest
from codegen.render.writer import KILL_AT_VARIABLE, recover_package

from ._consumer import (
    DOCUMENT,
    OUT,
    PACKAGE,
    ROOT,
    environment,
    git,
    make_consumer,
    specgen,
    specgen_on_path,
    tree,
    with_top_p,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and sh shims are POSIX")

HEADER = f"# {HEADER_MARKER} test\n"


def _leftovers(out: Path) -> list[str]:
    """Names of staging or retired folders beside the package."""
    return sorted(path.name for path in out.iterdir() if path.name.startswith(f".{PACKAGE}."))


# The manifest and hand-edit safety, on small packages written directly.


def test_the_manifest_lists_every_other_file_with_its_sha256_deterministically() -> None:
    """with_manifest adds one sorted JSON file of POSIX paths and hashes, the same every time."""
    files = {"sub/b.py": "b = 2\n", "__init__.py": HEADER, "é.md": "ü\n"}
    first = with_manifest(files)
    assert list(first) == sorted(first)
    assert with_manifest(dict(reversed(list(files.items())))) == first
    assert with_manifest(first) == first, "a manifest is never listed in itself"
    data = json.loads(first[MANIFEST_NAME])
    assert data == {
        "files": {path: digest(text.encode("utf-8")) for path, text in files.items()},
        "format": 1,
        "generator": "specgen",
    }
    assert list(data["files"]) == sorted(files)


def test_hand_edits_and_added_files_are_refused_by_name_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    """An edited and an added file stop the write with one error naming both; --force writes."""
    old = with_manifest({"__init__.py": HEADER, "types.py": "x = 1\n", "sub/m.py": "m = 1\n"})
    write_package(old, tmp_path, "pkg")
    (tmp_path / "pkg" / "types.py").write_text("x = 1\nmine = True\n")
    (tmp_path / "pkg" / "sub" / "notes.py").write_text("notes\n")
    before = tree(tmp_path)
    new = with_manifest({"__init__.py": HEADER, "types.py": "x = 2\n", "sub/m.py": "m = 2\n"})
    with pytest.raises(SpecgenError) as raised:
        write_package(new, tmp_path, "pkg")
    message = str(raised.value)
    assert "pkg: edited by hand since the last build: types.py; added by hand: sub/notes.py" in (
        message
    )
    assert message.endswith("not overwriting (use --force)")
    assert "m.py" not in message and "__init__.py" not in message
    assert tree(tmp_path) == before, "nothing written, no leftovers"
    write_package(new, tmp_path, "pkg", force=True)
    assert tree(tmp_path / "pkg") == {path: text.encode() for path, text in new.items()}


def test_deleted_files_and_edits_that_match_the_new_output_are_not_refused(
    tmp_path: Path,
) -> None:
    """Nothing is lost by replacing a file deleted by hand or already edited to the new text."""
    write_package(
        with_manifest({"__init__.py": HEADER, "a.py": "a\n", "b.py": "b\n"}), tmp_path, "p"
    )
    (tmp_path / "p" / "a.py").unlink()
    (tmp_path / "p" / "b.py").write_text("b2\n")
    new = with_manifest({"__init__.py": HEADER, "a.py": "a\n", "b.py": "b2\n"})
    write_package(new, tmp_path, "p")
    assert tree(tmp_path / "p") == {path: text.encode() for path, text in new.items()}


def test_a_package_without_a_manifest_is_replaced_as_before(tmp_path: Path) -> None:
    """An older build (header, no manifest) is replaced whole, hand edits or not."""
    write_package({"__init__.py": HEADER, "types.py": "x = 1\n"}, tmp_path, "pkg")
    (tmp_path / "pkg" / "types.py").write_text("edited\n")
    new = with_manifest({"__init__.py": HEADER, "types.py": "x = 2\n"})
    write_package(new, tmp_path, "pkg")
    assert (tmp_path / "pkg" / "types.py").read_text() == "x = 2\n"
    assert (tmp_path / "pkg" / MANIFEST_NAME).is_file()


def test_a_broken_manifest_counts_as_a_hand_edit(tmp_path: Path) -> None:
    """A manifest that is not specgen's stops the write naming it; --force replaces it."""
    files = with_manifest({"__init__.py": HEADER, "types.py": "x = 1\n"})
    write_package(files, tmp_path, "pkg")
    (tmp_path / "pkg" / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(
        SpecgenError, match=rf"edited by hand since the last build: {MANIFEST_NAME}"
    ):
        write_package(files, tmp_path, "pkg")
    write_package(files, tmp_path, "pkg", force=True)
    assert (tmp_path / "pkg" / MANIFEST_NAME).read_text() == files[MANIFEST_NAME]


def test_a_package_whose_header_was_removed_by_hand_is_still_recognised(tmp_path: Path) -> None:
    """The manifest marks the folder as specgen's: the edit is named and --force repairs it."""
    files = with_manifest({"__init__.py": HEADER, "types.py": "x = 1\n"})
    write_package(files, tmp_path, "pkg")
    (tmp_path / "pkg" / "__init__.py").write_text("# my package now\n")
    with pytest.raises(SpecgenError, match=r"edited by hand since the last build: __init__\.py"):
        write_package(files, tmp_path, "pkg")
    write_package(files, tmp_path, "pkg", force=True)
    assert (tmp_path / "pkg" / "__init__.py").read_text() == HEADER


def test_force_never_replaces_a_folder_specgen_did_not_write(tmp_path: Path) -> None:
    """--force is about hand edits to specgen's package, not about someone else's folder."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("# my own code\n")
    with pytest.raises(SpecgenError, match="not written by specgen"):
        write_package(with_manifest({"__init__.py": HEADER}), tmp_path, "pkg", force=True)
    assert (tmp_path / "pkg" / "__init__.py").read_text() == "# my own code\n"


def test_recovery_restores_a_package_moved_aside_and_spares_running_builds(
    tmp_path: Path,
) -> None:
    """A dead build's .old folder comes back when no package stands; its .new folder goes; the
    folders of a build still running stay."""
    write_package(with_manifest({"__init__.py": HEADER, "a.py": "a\n"}), tmp_path, "pkg")
    expected = tree(tmp_path / "pkg")
    finished = subprocess.Popen(["true"])
    finished.wait()
    running = subprocess.Popen(["sleep", "30"])
    try:
        (tmp_path / "pkg").rename(tmp_path / f".pkg.{finished.pid}.abc.old")
        (tmp_path / f".pkg.{finished.pid}.def.new" / "half").mkdir(parents=True)
        (tmp_path / f".pkg.{running.pid}.ghi.new").mkdir()
        (tmp_path / ".pkgother.1.jkl.new").mkdir()
        restored = recover_package(tmp_path, "pkg")
        assert restored == tmp_path / f".pkg.{finished.pid}.abc.old"
        assert tree(tmp_path / "pkg") == expected
        assert sorted(path.name for path in tmp_path.iterdir()) == [
            f".pkg.{running.pid}.ghi.new",
            ".pkgother.1.jkl.new",
            "pkg",
        ]
        assert recover_package(tmp_path, "pkg") is None
    finally:
        running.kill()
        running.wait()


# A build killed at each step of the write.

KILL_POINTS = ("staged-1", "staged-11", "staged", "aside", "swapped")


def _build_in_process(
    consumer: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str]:
    monkeypatch.chdir(consumer)
    result = CliRunner().invoke(main, ["build", *args])
    return result.exit_code, result.output


def test_a_killed_build_leaves_the_previous_package_or_the_next_build_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL at each step of writing a package over one built from another document: the old
    package stands byte for byte, or (killed mid-swap) recovery puts it back byte for byte; the
    next build then completes and leaves no temporary folder; the starter is never touched."""
    consumer = make_consumer(tmp_path / "consumer")
    changed = consumer / "next" / "acme.yaml"
    changed.parent.mkdir()
    changed.write_text(with_top_p(DOCUMENT), encoding="utf-8")
    pristine, fresh = tmp_path / "pristine", tmp_path / "fresh"
    assert _build_in_process(consumer, monkeypatch, "--out", str(pristine))[0] == 0
    # The new package as a build over the old one writes it (its CHANGES.md names the change).
    shutil.copytree(pristine, fresh)
    assert _build_in_process(consumer, monkeypatch, "--out", str(fresh), str(changed))[0] == 0
    old, new = tree(pristine / PACKAGE), tree(fresh / PACKAGE)
    starter = (pristine / "server_impl.py").read_bytes()
    assert old != new and len(new) > 11

    for point in KILL_POINTS:
        out = tmp_path / f"killed-{point}"
        shutil.copytree(pristine, out)
        killed = specgen(
            consumer, "build", "--out", str(out), str(changed), env={KILL_AT_VARIABLE: point}
        )
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)
        target = out / PACKAGE
        if point == "aside":
            # The one window two renames leave: no package at the target, the old one aside.
            assert not target.exists()
            assert len(_leftovers(out)) == 2, "the complete old package and the new one"
        else:
            assert tree(target) == (new if point == "swapped" else old), point
            assert len(_leftovers(out)) == 1, point
        restored = recover_package(out, PACKAGE)
        assert (restored is not None) == (point == "aside"), point
        assert tree(target) == (new if point == "swapped" else old), point
        assert _leftovers(out) == [], point
        assert (out / "server_impl.py").read_bytes() == starter

    # And through the command line: a kill mid-swap, then a plain `specgen build`.
    out = tmp_path / "killed-aside"
    shutil.rmtree(out)
    shutil.copytree(pristine, out)
    killed = specgen(
        consumer, "build", "--out", str(out), str(changed), env={KILL_AT_VARIABLE: "aside"}
    )
    assert killed.returncode == -signal.SIGKILL
    code, output = _build_in_process(consumer, monkeypatch, "--out", str(out), str(changed))
    assert code == 0, output
    assert tree(out / PACKAGE) == new
    assert _leftovers(out) == []
    assert (out / "server_impl.py").read_bytes() == starter


def test_a_forced_build_killed_mid_swap_loses_no_hand_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`build --force` killed between its renames did not happen: the next plain build restores
    the package with its hand edit and refuses to overwrite it."""
    consumer = make_consumer(tmp_path / "consumer")
    assert _build_in_process(consumer, monkeypatch)[0] == 0
    types = consumer / OUT / PACKAGE / "types.py"
    types.write_text(types.read_text() + "MINE = 1\n")
    edited = tree(consumer / OUT / PACKAGE)
    (consumer / "apis" / "acme.yaml").write_text(with_top_p(DOCUMENT))
    killed = specgen(consumer, "build", "--force", env={KILL_AT_VARIABLE: "aside"})
    assert killed.returncode == -signal.SIGKILL
    assert not (consumer / OUT / PACKAGE).exists()
    code, output = _build_in_process(consumer, monkeypatch)
    assert code == 1
    assert "edited by hand since the last build: types.py" in output
    assert tree(consumer / OUT / PACKAGE) == edited
    assert _leftovers(consumer / OUT) == []


# The consumer's workflow, every command in its own process.


def test_a_consumer_repository_builds_checks_and_keeps_hand_edits_until_forced(
    tmp_path: Path,
) -> None:
    """build, commit, vendor change, check (stale), build, check (clean), hand edit, build
    (refused), build --force (replaced), check (clean); the user's server_impl.py survives."""
    consumer = make_consumer(tmp_path / "consumer")
    package = consumer / OUT / PACKAGE
    types = package / "types.py"

    # 1. build from the consumer's [tool.specgen]
    built = specgen(consumer, "build")
    assert built.returncode == 0, built.stderr
    assert (package / "__init__.py").is_file()
    assert f"wrote {OUT.as_posix()}/{PACKAGE}" in built.stdout
    manifest = json.loads((package / MANIFEST_NAME).read_text())
    on_disk = {path: digest(data) for path, data in tree(package).items() if path != MANIFEST_NAME}
    assert manifest["files"] == on_disk
    starter = consumer / OUT / "server_impl.py"
    assert starter.is_file(), "the build wrote the starter handler beside the package"
    mine = starter.read_text() + "\n# my handler code\n"
    starter.write_text(mine)

    # 2. commit
    git(consumer, "add", "-A")
    git(consumer, "commit", "-q", "-m", "vendor acme")

    # 3. the vendor adds an optional request field
    document = consumer / "apis" / "acme.yaml"
    document.write_text(with_top_p(DOCUMENT))

    # 4. check names the stale package
    stale = specgen(consumer, "check")
    assert stale.returncode == 1
    assert "is stale" in stale.stderr and f"{PACKAGE}/" in stale.stderr

    # 5. diff names the change, against the package on disk: a new optional field, not breaking
    diffed = specgen(consumer, "diff", f"{OUT.as_posix()}/{PACKAGE}", "apis/*.yaml")
    assert diffed.returncode == 0, diffed.stderr
    assert "top_p" in diffed.stdout and "1 API change, 0 breaking" in diffed.stdout

    # 6. regenerate: the summary and the package's CHANGES.md say what changed; 7. clean
    rebuilt = specgen(consumer, "build")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "API changes: 1 API change, 0 breaking" in rebuilt.stdout
    changes = (consumer / OUT / PACKAGE / "CHANGES.md").read_text()
    assert "top_p" in changes
    assert "top_p" in types.read_text()
    assert specgen(consumer, "check").returncode == 0
    again = specgen(consumer, "build")
    assert "API changes: no API changes" in again.stdout and "0 written" in again.stdout
    assert (consumer / OUT / PACKAGE / "CHANGES.md").read_text() == changes, "kept as it was"

    # 8. a hand edit; 9. the build refuses and keeps it
    types.write_text(types.read_text() + "HAND_EDIT = 1\n")
    refused = specgen(consumer, "build")
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"error: {OUT.as_posix()}/{PACKAGE}: edited by hand")
    assert "types.py" in refused.stderr and "--force" in refused.stderr
    assert refused.stderr.count("error:") == 1
    assert types.read_text().endswith("HAND_EDIT = 1\n")
    assert specgen(consumer, "check").returncode == 1

    # 10. --force replaces it, and check is clean again
    forced = specgen(consumer, "build", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "HAND_EDIT" not in types.read_text()
    final = specgen(consumer, "check")
    assert final.returncode == 0, final.stderr

    assert starter.read_text() == mine, "builds, forced or not, never touch the user's handler"


def test_the_pre_commit_hook_passes_on_a_fresh_package_and_fails_on_a_stale_one(
    tmp_path: Path,
) -> None:
    """`pre-commit try-repo <specgen> specgen-check --all-files` in a consumer: 0, then 1."""
    pytest.importorskip("pre_commit", reason="pre-commit is in the dev extra")
    consumer = make_consumer(tmp_path / "consumer")
    assert specgen(consumer, "build").returncode == 0
    git(consumer, "add", "-A")
    git(consumer, "commit", "-q", "-m", "vendor acme")

    # try-repo clones HEAD (plus changes to tracked files) of the hooks repository: a copy of
    # this repository's hook file in a repository of its own tests it whether committed or not.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks / ".pre-commit-hooks.yaml")
    git(hooks, "init", "-q")
    git(hooks, "add", "-A")
    git(hooks, "commit", "-q", "-m", "hooks")

    shim = specgen_on_path(tmp_path / "bin")
    env = environment(
        {
            "PATH": os.pathsep.join([str(shim), os.environ.get("PATH", "")]),
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
            "PRE_COMMIT_COLOR": "never",
        }
    )
    command = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(hooks),
        "specgen-check",
        "--all-files",
    ]

    def run_hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=consumer, env=env, capture_output=True, text=True, timeout=120
        )

    clean = run_hook()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "specgen check" in clean.stdout and "Passed" in clean.stdout

    (consumer / "apis" / "acme.yaml").write_text(with_top_p(DOCUMENT))
    git(consumer, "add", "-A")
    stale = run_hook()
    assert stale.returncode != 0
    assert "Failed" in stale.stdout and "is stale" in stale.stdout
