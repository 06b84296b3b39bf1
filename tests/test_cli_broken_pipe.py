"""The `specgen` program when its stdout's reader goes away (``specgen build | head -1``): the
command still runs to its end, what it would print further is dropped, stderr still arrives, and
the exit code is the command's own (no internal error, no traceback, no "Exception ignored")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from codegen.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
DOCUMENT = CORPUS / "ollama_openapi.yaml"


def _started(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "SPECGEN_CACHE_DIR": str(cwd / "cache")}
    env.pop("SPECGEN_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "codegen.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=env,
    )


def _with_stdout_closed(*args: str, cwd: Path) -> tuple[int, str]:
    """Exit code and stderr of a run whose stdout reader closed before it printed anything (the
    build takes far longer than closing a pipe, so its first line meets a closed pipe)."""
    process = _started(*args, cwd=cwd)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read()
    return process.wait(timeout=300), stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _folder_with_document(path: Path) -> Path:
    path.mkdir()
    (path / "ollama.yaml").write_bytes(DOCUMENT.read_bytes())
    return path


def test_a_build_whose_reader_is_gone_still_writes_its_package_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = _folder_with_document(tmp_path / "piped")
    args = ("build", "ollama.yaml", "--out", "o", "--package", "p")
    code, stderr = _with_stdout_closed(*args, cwd=piped)
    assert (code, stderr) == (0, "")
    expected = _folder_with_document(tmp_path / "expected")
    monkeypatch.chdir(expected)
    assert CliRunner().invoke(main, [*args, "--no-cache"]).exit_code == 0
    assert _tree(piped / "o") == _tree(expected / "o")
    # The run went on past its first line: it stored its cache entry, which answers this one.
    again = _started(*args, cwd=piped)
    out, err = again.communicate(timeout=300)
    assert (again.returncode, err) == (0, "")
    assert out.splitlines()[0].startswith("read 1 vendor documents")
    assert any((piped / "cache").iterdir())
    code, stderr = _with_stdout_closed(*args, cwd=piped)  # the cached answer, into no reader
    assert (code, stderr) == (0, "")


_SLOW_LINES = (
    "import sys, time, click\n"
    "from codegen import cli\n"
    "echo = click.echo\n"
    "def slow(*args, **kwargs):\n"
    "    time.sleep(0.3)\n"  # the reader closes between two lines, not after all of them
    "    echo(*args, **kwargs)\n"
    "cli.click.echo = slow\n"
    "sys.argv = ['specgen', *sys.argv[1:]]\n"
    "cli.run()\n"
)


def test_a_reader_that_takes_one_line_and_closes_ends_nothing_early(tmp_path: Path) -> None:
    """``| head -1``: the first summary line is read, the pipe closes, the next lines meet it."""
    env = {**os.environ, "SPECGEN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("SPECGEN_DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_LINES, "build", str(DOCUMENT), "--out", "o", "--package", "p"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    assert (process.wait(timeout=300), stderr) == (0, "")
    assert first.startswith("read 1 vendor documents")
    assert (tmp_path / "o" / "p" / ".specgen-manifest.json").is_file()


def test_stderr_still_arrives_after_stdout_is_gone_and_the_exit_code_is_kept(
    tmp_path: Path,
) -> None:
    """ingest prints the first document's line, then the second's refusal on stderr, then its
    count: the refusal and exit 1 are the command's own, whatever became of stdout."""
    good = tmp_path / "first.yaml"
    good.write_bytes(DOCUMENT.read_bytes())
    second = tmp_path / "second.yaml"
    second.write_bytes(DOCUMENT.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    (out / "second.yaml").write_text("not written by specgen\n", encoding="utf-8")
    code, stderr = _with_stdout_closed(
        "ingest", str(good), str(second), "--out", str(out), cwd=tmp_path
    )
    assert code == 1
    (line,) = stderr.splitlines()
    assert line.startswith(f"error: {out / 'second.yaml'}") and "internal error" not in line
    assert "/api/chat" in yaml.safe_load((out / "first.yaml").read_text(encoding="utf-8"))["paths"]
