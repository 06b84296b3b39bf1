"""The `specgen` program ends its process at once after a command (``run``/``end_process``): the
same files, lines and exit codes as the ordinary ending that ``main`` keeps in process, and the
ordinary ending wherever the quick one could differ."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
DOCUMENT = CORPUS / "ollama_openapi.yaml"


def _program(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_build_by_the_program_writes_and_says_what_the_in_process_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick, ordinary = tmp_path / "quick", tmp_path / "ordinary"
    quick.mkdir()
    ordinary.mkdir()
    args = ("build", "--no-cache", str(DOCUMENT), "--out", "o", "--package", "p")
    done = _program(*args, cwd=quick)
    monkeypatch.chdir(ordinary)
    result = CliRunner().invoke(main, list(args))
    assert done.returncode == result.exit_code == 0, done.stderr
    assert done.stdout == result.stdout
    assert done.stderr == ""
    assert _tree(quick / "o") == _tree(ordinary / "o")
    assert (quick / "o" / "p" / "_client.py").is_file()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("build", "--no-cache", "missing.yaml", "--out", "o", "--package", "p"), 2),
        (("build", "--no-cache", "--out", "o", "--package", "p"), 2),
        (("lint", str(CORPUS / "ollama_api.md")), None),
        (("--version",), 0),
        (("no-such-command",), 2),
    ],
)
def test_the_program_keeps_every_exit_code_and_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], code: int | None
) -> None:
    """Refusals, usage errors and a lint's own exit code end the same way as in process."""
    done = _program(*args, cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, list(args), prog_name="python -m codegen.cli")
    if code is not None:
        assert done.returncode == code
    assert done.returncode == result.exit_code
    assert done.stdout == result.stdout
    assert done.stderr == result.stderr


def test_exit_handlers_still_run_before_the_process_ends(tmp_path: Path) -> None:
    marker = tmp_path / "handled"
    script = (
        "import atexit, pathlib, sys\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        "from codegen.cli import run\n"
        "sys.argv = ['specgen', '--version']\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.startswith("specgen, version")
    assert marker.read_text() == "yes"


def test_output_left_in_a_buffer_is_flushed_before_the_process_ends(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from codegen.cli import end_process\n"
        "sys.stdout.write('kept'); sys.stderr.write('also kept')\n"
        "end_process(SystemExit(3))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (3, "kept", "also kept")


def _returns(script: str) -> bool:
    """Whether ``end_process`` returned in ``script`` (run in a process of its own, which a wrong
    quick ending would end with the code it was given)."""
    code = "import sys, threading\nfrom codegen.cli import end_process\n" + script
    code += "\nprint('returned')\nsys.stdout.flush()\nimport os; os._exit(9)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return (done.returncode, done.stdout) == (9, "returned\n")


@pytest.mark.parametrize("code", ["'a message'", "256", "-1"])
def test_an_exit_code_the_system_would_read_otherwise_takes_the_ordinary_ending(
    code: str,
) -> None:
    """sys.exit('text') prints the text and exits 1; out-of-range codes wrap: Python does that."""
    assert _returns(f"end_process(SystemExit({code}))")


def test_a_running_thread_takes_the_ordinary_ending() -> None:
    """The interpreter would wait for it; ending at once would cut it short."""
    script = (
        "release = threading.Event()\n"
        "worker = threading.Thread(target=release.wait)\n"
        "worker.start()\n"
        "end_process(SystemExit(0))\n"
        "release.set()\n"
    )
    assert _returns(script)


def test_the_checks_above_see_a_quick_ending_when_there_is_one() -> None:
    assert not _returns("end_process(SystemExit(0))")
