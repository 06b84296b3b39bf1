"""``codegen.forked``: work done in a forked copy of the process gives the caller the value it
would compute itself, and wherever the copy gives none (no fork allowed, the child failing,
killed or cut short) the caller computes it; a build renders the same package, and fails with the
same error, with the copy and without it."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen import forked
from codegen.cli import main
from codegen.errors import SpecgenError
from codegen.forked import Forked, can_fork
from codegen.render import package as package_module

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


_OTHER_THREADS = forked._other_threads


@pytest.fixture(autouse=True)
def _forking_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forks are made here whatever the test process: a parallel run's worker has a thread of
    its own (its link to the controller), which a child that only computes never meets."""
    monkeypatch.setattr(forked, "ENABLED", True)
    monkeypatch.setattr(forked, "_cores", lambda: 2)
    monkeypatch.setattr(forked, "_other_threads", lambda: False)
    assert can_fork()


def test_the_value_is_computed_in_the_child() -> None:
    parent = os.getpid()
    work = Forked(lambda: (os.getpid(), "x" * 200_000))  # more than a pipe holds at once
    child, text = work.result()
    assert child != parent
    assert text == "x" * 200_000


def test_a_failing_child_leaves_the_work_to_the_caller() -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return os.getpid()

    assert Forked(work).result() == parent


def test_a_child_that_dies_leaves_the_work_to_the_caller() -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return os.getpid()

    assert Forked(work).result() == parent


def test_the_callers_own_way_is_used_where_the_child_gives_nothing() -> None:
    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            os._exit(0)  # ends without handing a value over
        return "work"

    assert Forked(work, here=lambda: "here").result() == "here"


def test_an_error_is_the_callers_own() -> None:
    def work() -> None:
        raise SpecgenError("broken", file="a.yaml")

    with pytest.raises(SpecgenError, match="broken"):
        Forked(work).result()


def test_no_fork_while_a_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "_other_threads", _OTHER_THREADS)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        assert Forked(os.getpid).result() == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_disabled_means_computed_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "ENABLED", False)
    assert Forked(os.getpid).result() == os.getpid()


def test_discard_stops_the_child() -> None:
    work = Forked(lambda: time.sleep(60))
    pid = work._pid
    assert pid
    started = time.monotonic()
    work.discard()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # reaped already: no zombie left


# --- in a build -------------------------------------------------------------------------------


def _build(folder: Path, monkeypatch: pytest.MonkeyPatch, *, fork: bool) -> tuple[int, str]:
    monkeypatch.setattr(forked, "ENABLED", fork)
    monkeypatch.setattr(package_module, "FORK_FROM", 0)  # the seeds are below it
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["build", "--no-cache"])
    return result.exit_code, result.output


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".specgen" not in path.parts
    }


def _project(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    shutil.copytree(ROOT / "specs", folder / "specs")
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    return folder


def test_a_build_writes_the_same_package_with_and_without_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_copy, without = _project(tmp_path, "a"), _project(tmp_path, "b")
    forks: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    code_a, out_a = _build(with_copy, monkeypatch, fork=True)
    assert forks, "the build did not fork"
    code_b, out_b = _build(without, monkeypatch, fork=False)
    assert (code_a, out_a.replace(str(with_copy), "")) == (code_b, out_b.replace(str(without), ""))
    assert code_a == 0
    assert _tree(with_copy / "generated") == _tree(without / "generated")


def test_a_rendering_error_in_the_copy_is_the_builds_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The models module fails to render: in the copy, then again here, with the same words
    and exit as a build without the copy; nothing is written either way."""

    def broken(self: object) -> str:
        raise SpecgenError("the models module cannot render")

    monkeypatch.setattr(package_module.PackageRenderer, "types_module", broken)
    results = []
    for name, fork in (("a", True), ("b", False)):
        folder = _project(tmp_path, name)
        code, output = _build(folder, monkeypatch, fork=fork)
        results.append((code, output.replace(str(folder), "")))
        assert not (folder / "generated").exists()
    assert results[0] == results[1]
    assert results[0][0] != 0
    assert "the models module cannot render" in results[0][1]


def test_a_small_api_is_rendered_without_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below FORK_FROM models and operations the fork would cost what it saves."""
    folder = _project(tmp_path, "a")
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["build", "--no-cache"])
    assert result.exit_code == 0
    assert forks == []
    assert package_module.FORK_FROM > 0


def test_one_core_means_computed_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """With one core the copy would only take turns with the caller."""
    monkeypatch.setattr(forked, "_cores", lambda: 1)
    assert not can_fork()
    assert Forked(os.getpid).result() == os.getpid()
