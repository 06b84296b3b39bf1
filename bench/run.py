"""Times specgen's stages and its `build` command against peer generators on the same input.

Run `bash bench/setup.sh` once, then `python bench/run.py`; figures go to bench/results.md.
With `--document PATH` (repeatable) it times `specgen build PATH` and the peers on each given
OpenAPI document instead, wall time and peak memory, and writes bench/big_results.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
TOOL_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
"""Every timed command's environment: as a user's shell has it, so Python tools keep the bytecode
of their modules (a sandbox that sets PYTHONDONTWRITEBYTECODE would make every Python tool, and
only them, compile all its modules on every run); the warm-up run writes it."""
ROOT = BENCH.parent
VENVS = BENCH / ".venv"
COMMAND_TIMEOUT = 180.0

# Placeholders that stand for the temporary paths in the commands the results file records.
INPUT_MARK = "<merged.yaml>"
OUT_MARK = "<out>"


@dataclass
class Timing:
    """Wall times of the measured repetitions (the warm-up is not among them)."""

    seconds: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def worst(self) -> float:
        return max(self.seconds)


@dataclass
class Tool:
    """One command-line generator: how to call it, and what it produces."""

    name: str
    generates: str
    source: str
    argv: list[str]
    """Command with ``INPUT_MARK`` and ``OUT_MARK`` where the input and output folder go."""
    cwd: Path
    version: str = "?"
    unavailable: str | None = None
    timing: Timing = field(default_factory=Timing)
    statuses: list[int] = field(default_factory=list)
    """Exit status of each measured run."""
    failure: str | None = None
    """The one-line error of the last failed run."""
    stopped: str | None = None
    """Why the tool could not be run at all (would not start, timed out): no more tries."""
    files: int = 0
    lines: int = 0
    peaks_kib: list[int] = field(default_factory=list)
    """--document mode: the kernel's peak RSS of each measured run (KiB), when known."""
    sampled_kib: list[int] = field(default_factory=list)
    """--document mode: the largest sampled sum of RSS over the process tree, per run (KiB)."""
    keeps_output: bool = False
    """Every run writes into the same folder, primed by one unmeasured run (a rebuild)."""

    @property
    def succeeded(self) -> bool:
        return bool(self.statuses) and not any(self.statuses) and self.stopped is None

    def status_text(self) -> str:
        if self.stopped is not None:
            return f"not run: {self.stopped}"
        codes = sorted(set(self.statuses))
        text = "/".join(str(code) for code in codes)
        failed = sum(1 for code in self.statuses if code != 0)
        if failed:
            text += f" (failed {failed} of {len(self.statuses)}: {self.failure})"
        return text

    def command(self, merged: Path, out: Path) -> list[str]:
        return [
            arg.replace(INPUT_MARK, str(merged)).replace(OUT_MARK, str(out)) for arg in self.argv
        ]


# --- the machine -----------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def nproc() -> str:
    found = shutil.which("nproc")
    if found:
        done = subprocess.run([found], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return done.stdout.strip()
    return str(os.cpu_count())


def java_version() -> str | None:
    java = shutil.which("java")
    if java is None:
        return None
    done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    # `java -version` writes to stderr; its first line names the release.
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[0] if lines else "java (version unknown)"


def reference_loop_ms() -> float:
    """The median of five timings of a fixed pure-Python loop, in this process: how fast this
    machine runs Python right now. The shared machine's speed drifts between sessions (twofold
    and more), so a figure is compared with another run's only alongside this one."""
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


_loop_at_start: list[float] = []
"""The reference loop's time when ``main`` began (timed there, not when this module loads)."""


def machine_info() -> dict[str, str]:
    start = f"{_loop_at_start[0]:.1f} ms at the start, " if _loop_at_start else ""
    return {
        "reference loop": f"{start}{reference_loop_ms():.1f} ms at the end (1,000,000 "
        "additions in pure Python, median of 5: lower is a faster machine)",
        "nproc": nproc(),
        "CPU": cpu_model(),
        "Python": platform.python_version(),
        "OS": f"{platform.system()} {platform.release()}",
        "java": java_version() or "not installed",
        "bytecode": "kept, as in a user's shell (timed commands run without "
        "PYTHONDONTWRITEBYTECODE; the warm-up run writes it)",
    }


# --- measuring -------------------------------------------------------------------------------


def one_line_error(stdout: str, stderr: str) -> str:
    """The line of a failed run a reader needs.

    A Python traceback ends on the exception, so its last line; otherwise tools lead with their
    verdict ("Error(s) encountered ...") and follow with detail, so the first line that says
    error, exception or failed; else the last line.
    """
    lines = [line.strip() for line in (stderr + "\n" + stdout).splitlines() if line.strip()]
    if not lines:
        return "no output"
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        return lines[-1][:240]
    for line in lines:
        if re.search(r"\b(error|errors|exception|failed)\b", line, re.IGNORECASE):
            return line[:240]
    return lines[-1][:240]


def output_size(folder: Path) -> tuple[int, int]:
    """Files and text lines under a folder, bytecode caches left out."""
    files = lines = 0
    if not folder.exists():
        return 0, 0
    for path in folder.rglob("*"):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        files += 1
        # A binary or unreadable file counts as a file with no lines.
        with contextlib.suppress(UnicodeDecodeError, OSError):
            lines += len(path.read_text(encoding="utf-8").splitlines())
    return files, lines


def run_tool(tool: Tool, merged: Path, scratch: Path, label: str, measured: bool) -> None:
    """One run of a tool into a fresh folder (or its kept one); failures are recorded, not
    raised."""
    out = scratch / (f"{tool.name}-kept" if tool.keeps_output else f"{tool.name}-{label}")
    command = tool.command(merged, out)
    if tool.keeps_output and not out.exists():
        subprocess.run(command, cwd=tool.cwd, capture_output=True, check=False, env=TOOL_ENV)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=tool.cwd,
            env=TOOL_ENV,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        tool.stopped = f"timed out after {COMMAND_TIMEOUT:.0f} s"
        return
    except OSError as error:
        tool.stopped = f"could not start: {error}"
        return
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        tool.failure = one_line_error(done.stdout, done.stderr)
    if measured:
        tool.statuses.append(done.returncode)
        tool.timing.seconds.append(elapsed)
        tool.files, tool.lines = output_size(out)
    if not tool.keeps_output:
        shutil.rmtree(out, ignore_errors=True)


def time_calls(
    call: Callable[[], Any], warmup: int, repeat: int, timing: Timing | None = None
) -> Timing:
    timing = timing or Timing()
    for index in range(warmup + repeat):
        start = time.perf_counter()
        call()
        elapsed = time.perf_counter() - start
        if index >= warmup:
            timing.seconds.append(elapsed)
    return timing


# --- specgen in process ----------------------------------------------------------------------


@dataclass
class Stages:
    """In-process timings of specgen's stages, each over the same repetitions."""

    rows: dict[str, Timing] = field(default_factory=dict)
    merged_yaml: str = ""


def time_stages(warmup: int, repeat: int) -> Stages:
    """Each repetition runs the chain afresh (ingest -> normalize -> merge -> emit -> render), so
    no stage sees a document a previous repetition already repaired in place."""
    from codegen.config import expand_sources, load_config
    from codegen.ingest import ingest_all
    from codegen.ingest.document import dump_yaml
    from codegen.ir.emit import emit_openapi
    from codegen.normalize import normalize
    from codegen.pipeline import Loaded, merge_loaded

    config = load_config(ROOT)
    sources = expand_sources(config.sources)
    try:
        from codegen.render import render_package
    except ImportError as error:
        render: Callable[..., dict[str, str]] | None = None
        render_missing = f"unavailable: {error}"
    else:
        render = render_package
        render_missing = ""

    names = ["ingest", "normalize", "merge", "emit openapi", "render"]
    stages = Stages(rows={name: Timing() for name in names})
    for index in range(warmup + repeat):
        marks = [time.perf_counter()]
        ingested, unreadable = ingest_all(sources)
        references, unreadable_references = ingest_all(config.reference)
        if unreadable or unreadable_references:
            raise SystemExit(
                f"specgen cannot read its input: {(unreadable + unreadable_references)[0]}"
            )
        marks.append(time.perf_counter())
        loaded = Loaded(
            documents=[normalize(document) for document in ingested],
            reference=[normalize(document) for document in references],
        )
        marks.append(time.perf_counter())
        result = merge_loaded(loaded)
        marks.append(time.perf_counter())
        stages.merged_yaml = dump_yaml(emit_openapi(result.api))
        marks.append(time.perf_counter())
        if render is not None:
            try:
                # The same call build.build_files makes, so the figure is the build's render.
                render(
                    result.api,
                    package=config.package,
                    report_text=loaded.report.to_text(),
                    report_json=loaded.report.to_json(),
                    extra_files={"openapi.yaml": stages.merged_yaml},
                    template_dir=config.templates,
                )
            except Exception as error:
                render = None
                render_missing = f"failed: {type(error).__name__}: {error}"
        marks.append(time.perf_counter())
        if index >= warmup:
            for name, start, end in zip(names, marks, marks[1:], strict=False):
                stages.rows[name].seconds.append(end - start)
    if render is None:
        stages.rows["render"] = Timing(error=render_missing.splitlines()[0][:240])

    whole = Timing()
    try:
        from codegen.build import build_files

        time_calls(lambda: build_files(config, sources, root=ROOT), warmup, repeat, whole)
    except Exception as error:
        whole = Timing(error=f"{type(error).__name__}: {error}".splitlines()[0][:240])
    stages.rows["whole pipeline in memory (build_files)"] = whole
    return stages


# --- the tools -------------------------------------------------------------------------------


def venv_version(venv: Path, *packages: str) -> str:
    code = (
        "import importlib.metadata as m, sys\n"
        "print(', '.join(p + ' ' + m.version(p) for p in sys.argv[1:]))"
    )
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code, *packages],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else "?"


def peer(name: str, generates: str, executable: str, args: list[str], packages: list[str]) -> Tool:
    venv = VENVS / name
    binary = venv / "bin" / executable
    tool = Tool(
        name=name,
        generates=generates,
        source="merged document",
        argv=[str(binary), *args],
        cwd=ROOT,
    )
    failed = VENVS / f"{name}.failed"
    if failed.exists():
        reason = failed.read_text(encoding="utf-8").strip() or "install failed"
        tool.unavailable = f"bench/setup.sh could not install it: {reason[:200]}"
    elif not binary.exists():
        tool.unavailable = f"not installed (no {binary.relative_to(ROOT)}): run bash bench/setup.sh"
    else:
        tool.version = venv_version(venv, *packages)
    return tool


def specgen_program() -> tuple[list[str], str]:
    """The command that starts specgen, and its version."""
    specgen = shutil.which("specgen", path=str(Path(sys.executable).parent)) or shutil.which(
        "specgen"
    )
    from codegen import __version__

    program = [specgen] if specgen else [sys.executable, "-m", "codegen.cli"]
    return program, f"specgen {__version__}"


def tools() -> list[Tool]:
    program, version = specgen_program()
    own = Tool(
        name="specgen build",
        generates="client + models + server package",
        source="vendors' documents (specs/*.yaml)",
        argv=[*program, "build", "--no-cache", "--out", OUT_MARK],
        cwd=ROOT,
        version=version,
    )
    # The same build from the same input the peers get: a like-for-like figure. specgen reads
    # its own merged document back (normalize leaves a document it merged alone).
    own_merged = Tool(
        name="specgen build (merged doc)",
        generates="client + models + server package",
        source="merged document",
        argv=[*program, "build", "--no-cache", INPUT_MARK, "--out", OUT_MARK],
        cwd=ROOT,
        version=version,
    )
    # A rebuild with nothing changed, which the build cache answers: the pre-commit case.
    rebuild = Tool(
        name="specgen build (nothing changed)",
        generates="the same package, from the build cache",
        source="vendors' documents (specs/*.yaml)",
        argv=[*program, "build", "--out", OUT_MARK],
        cwd=ROOT,
        version=version,
        keeps_output=True,
    )
    return [own, own_merged, rebuild, *peer_tools()]


def peer_tools() -> list[Tool]:
    """The peer generators, each reading ``INPUT_MARK`` and writing into ``OUT_MARK``."""
    peers = [
        peer(
            "openapi-python-client",
            "client package (httpx + attrs)",
            "openapi-python-client",
            ["generate", "--path", INPUT_MARK, "--output-path", OUT_MARK, "--meta", "none"],
            ["openapi-python-client"],
        ),
        peer(
            "datamodel-code-generator",
            "models only (pydantic v2)",
            "datamodel-codegen",
            [
                "--input",
                INPUT_MARK,
                "--input-file-type",
                "openapi",
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--output",
                f"{OUT_MARK}/models.py",
            ],
            ["datamodel-code-generator"],
        ),
        peer(
            "fastapi-code-generator",
            "server stub + models (FastAPI)",
            "fastapi-codegen",
            ["--input", INPUT_MARK, "--output", OUT_MARK],
            ["fastapi-code-generator", "datamodel-code-generator"],
        ),
        peer(
            "openapi-generator",
            "client package + docs + tests (python)",
            "openapi-generator-cli",
            [
                "generate",
                "--input-spec",
                INPUT_MARK,
                "--generator-name",
                "python",
                "--output",
                OUT_MARK,
            ],
            ["openapi-generator-cli"],
        ),
    ]
    openapi_generator = peers[-1]
    if openapi_generator.unavailable is None and shutil.which("java") is None:
        openapi_generator.unavailable = "needs java, which is not on PATH"
    return peers


def shown_command(tool: Tool) -> str:
    """The command as a reader would type it: the program's name, not this machine's path."""
    return shlex.join([Path(tool.argv[0]).name, *tool.argv[1:]])


# --- reporting -------------------------------------------------------------------------------


def seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def ratios(tool: Tool, baseline: Tool) -> str:
    """Tool time ÷ baseline time, on the medians and on the minimums."""
    if not baseline.succeeded or not tool.timing.seconds:
        return "n/a"
    if tool is baseline:
        return "1"
    median = tool.timing.median / baseline.timing.median
    best = tool.timing.best / baseline.timing.best
    return f"{median:.2f}× / {best:.2f}×"


def report(
    arguments: Sequence[str],
    repeat: int,
    warmup: int,
    stages: Stages,
    merged_lines: int,
    all_tools: list[Tool],
    machine: dict[str, str],
    elapsed: float,
) -> str:
    own, own_merged = all_tools[0], all_tools[1]
    lines = [
        "# specgen against peer generators",
        "",
        f"Command: `{shlex.join(['python', 'bench/run.py', *arguments])}` "
        f"({warmup} warm-up run{'s' if warmup != 1 else ''} then {repeat} measured repetitions "
        f"per row; whole run {elapsed:.0f} s).",
        "",
        "Machine: "
        + "; ".join(f"{key} {value}" for key, value in machine.items())
        + ". The machine is shared with other work, so the minimum is the steadier figure; the "
        "median shows the spread.",
        "",
        "## End to end, one process per run",
        "",
        "The peers cannot read the vendors' markdown, pasted OpenAPI or flattened docs pages, so "
        "every peer reads the merged OpenAPI 3.1 document specgen produces from them "
        f"({merged_lines} lines of YAML). `specgen build` starts from the vendors' ingested "
        "documents (`specs/*.yaml`) and the reference document and does the whole build "
        "(ingest, normalize, merge, render, write); `specgen build (merged doc)` builds from the "
        "same merged document the peers read. Every run writes into a fresh temporary folder and "
        "starts a new process, so each time includes interpreter (or JVM) start-up; those "
        "specgen rows pass `--no-cache`, so they are cold builds. `specgen build (nothing "
        "changed)` is the exception: it rebuilds into one kept folder, primed by an unmeasured "
        "build, so the build cache answers every measured run.",
        "",
        "| tool | generates | input | median | min | ÷ specgen build (median / min) "
        "| ÷ specgen on merged doc (median / min) | exit | files | lines |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for tool in all_tools:
        head = f"| {tool.name} | {tool.generates} | {tool.source} "
        if tool.unavailable is not None:
            lines.append(f"{head}| unavailable: {cell(tool.unavailable)} | | | | | | |")
            continue
        if not tool.timing.seconds:
            lines.append(f"{head}| | | | | {cell(tool.status_text())} | | |")
            continue
        lines.append(
            f"{head}| {seconds(tool.timing.median)} | {seconds(tool.timing.best)} "
            f"| {ratios(tool, own)} | {ratios(tool, own_merged)} | {cell(tool.status_text())} "
            f"| {tool.files} | {tool.lines} |"
        )
    for baseline in (own, own_merged):
        if not baseline.succeeded:
            lines += [
                "",
                f"`{baseline.name}` did not succeed, so there are no ratios against it: "
                f"{cell(baseline.stopped or baseline.failure or 'no measured run')}.",
            ]
    lines += [
        "",
        "A ratio above 1 means the tool is slower than specgen. A failed run's time is the time "
        "to fail, not to generate. Output sizes count every file written (caches left out) and "
        "their text lines; the tools generate different things, so size is context, not score.",
        "",
        "## specgen's stages, in process",
        "",
        "| stage | median | min |",
        "| --- | --- | --- |",
    ]
    for name, timing in stages.rows.items():
        if timing.seconds:
            lines.append(f"| {name} | {seconds(timing.median)} | {seconds(timing.best)} |")
        else:
            lines.append(f"| {name} | {cell(timing.error or 'not measured')} | |")
    lines += [
        "",
        "ingest + normalize is what `codegen.pipeline.load` does and merge is `merge_loaded`; "
        "emit is `emit_openapi` + `dump_yaml` (the merged document the peers read); the last row "
        "is `codegen.build.build_files` with the configured sources, all of it once more. The end "
        "to end figure above adds interpreter start-up, imports and writing the files.",
        "",
        "## Versions and commands",
        "",
        "| tool | version | command |",
        "| --- | --- | --- |",
    ]
    for tool in all_tools:
        lines.append(f"| {tool.name} | {tool.version} | `{shown_command(tool)}` |")
    lines += [
        "",
        f"`{INPUT_MARK}` is the merged document and `{OUT_MARK}` a fresh temporary folder; the "
        "peers run from their own virtual environments under `bench/.venv/` (see "
        "`bench/setup.sh`), specgen from the project's environment with the repository root as "
        "its working directory.",
        "",
    ]
    return "\n".join(lines)


# --- --document: one large document, wall time and peak memory --------------------------------

DOCUMENT_MARK = "<document>"
SAMPLE_INTERVAL = 0.05
"""Seconds between two samples of the process tree's summed RSS."""
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4
PARSE_ONLY = (
    "import sys, yaml\n"
    "text = open(sys.argv[1], encoding='utf-8').read()\n"
    "yaml.load(text, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))\n"
)
"""A fresh interpreter that only reads and parses the document: the memory floor."""


def gnu_time() -> str | None:
    """GNU time's path (``-f %M -o FILE``: the child's peak RSS in KiB), or None.

    The bench cannot wait4 on the tool itself: Linux records the parent's RSS high-water mark in
    the child at exec, so every child of this process would report at least this process's peak.
    GNU time is a 2 MiB process between the two, so that floor is its size, not ours.
    """
    for folder in ("/usr/bin", "/bin"):
        found = Path(folder) / "time"
        if not found.is_file():
            continue
        done = subprocess.run(
            [str(found), "--version"], capture_output=True, text=True, check=False
        )
        if "GNU" in done.stdout + done.stderr:
            return str(found)
    return None


def can_sample_tree() -> bool:
    own = os.getpid()
    return Path(f"/proc/{own}/task/{own}/children").exists()


def tree_rss_kib(root: int, include_root: bool) -> int:
    """The summed RSS of ``root``'s descendants (and ``root`` if asked), now, from /proc."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            # Any thread can start a child, so every task's children, not only the main one's.
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                    stack.extend(int(child) for child in handle.read().split())
            if pid != root or include_root:
                with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
                    total += int(handle.read().split()[1]) * PAGE_KIB
        except (OSError, ValueError, IndexError):
            continue  # it ended between being listed and being read
    return total


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree until stopped; keeps the largest sum."""

    def __init__(self, root: int, include_root: bool) -> None:
        super().__init__(daemon=True)
        self.root, self.include_root = root, include_root
        self.peak_kib = 0
        self.finished = threading.Event()

    def run(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.root, self.include_root))
            if self.finished.wait(SAMPLE_INTERVAL):
                return

    def stop(self) -> int:
        self.finished.set()
        self.join()
        return self.peak_kib


@dataclass
class Measured:
    """One run of a command: wall time, exit status, output and memory."""

    seconds: float = 0.0
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    peak_kib: int | None = None
    sampled_kib: int | None = None
    stopped: str | None = None


def measure_command(
    command: list[str],
    cwd: Path,
    peak_file: Path,
    timeout: float,
    launcher: str | None,
    sample: bool,
) -> Measured:
    """Runs a command once under GNU time (when there is one) and samples its process tree."""
    argv = [launcher, "-f", "%M", "-o", str(peak_file), *command] if launcher else command
    result = Measured()
    start = time.perf_counter()
    try:
        # Its own session, so a timeout can end the whole tree by its process group.
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=TOOL_ENV,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    except OSError as error:
        result.stopped = f"could not start: {error}"
        return result
    sampler = TreeSampler(process.pid, include_root=launcher is None) if sample else None
    if sampler is not None:
        sampler.start()
    try:
        result.stdout, result.stderr = process.communicate(timeout=timeout)
        result.seconds = time.perf_counter() - start
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        result.stopped = f"timed out after {timeout:.0f} s"
    finally:
        if sampler is not None:
            result.sampled_kib = sampler.stop()
    result.returncode = process.returncode
    if launcher is not None:
        # GNU time writes "Command exited with non-zero status N" before the figure on failure.
        with contextlib.suppress(OSError, ValueError, IndexError):
            result.peak_kib = int(peak_file.read_text(encoding="utf-8").split()[-1])
        peak_file.unlink(missing_ok=True)
    return result


def run_on_document(
    tool: Tool,
    document: Path,
    scratch: Path,
    label: str,
    measured: bool,
    timeout: float,
    launcher: str | None,
    sample: bool,
) -> None:
    """One run of a tool on the document into a fresh folder; failures are recorded."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", tool.name).strip("-")
    out = scratch / f"{slug}-{label}"
    run = measure_command(
        tool.command(document, out),
        tool.cwd,
        scratch / f"{slug}-{label}.maxrss",
        timeout,
        launcher,
        sample,
    )
    if run.stopped is not None:
        tool.stopped = run.stopped
    else:
        if run.returncode != 0:
            tool.failure = one_line_error(run.stdout, run.stderr)
        if measured:
            tool.statuses.append(run.returncode)
            tool.timing.seconds.append(run.seconds)
            if run.peak_kib is not None:
                tool.peaks_kib.append(run.peak_kib)
            if run.sampled_kib is not None:
                tool.sampled_kib.append(run.sampled_kib)
            tool.files, tool.lines = output_size(out)
    shutil.rmtree(out, ignore_errors=True)


def document_tools(cwd: Path) -> list[Tool]:
    """specgen's build of the document alone, then the peers on the same file."""
    program, version = specgen_program()
    own = Tool(
        name="specgen build",
        generates="client + models + server package",
        source="the document",
        argv=[*program, "build", "--no-cache", INPUT_MARK, "--out", OUT_MARK, "--package", "p"],
        cwd=cwd,
        version=version,
    )
    peers = peer_tools()
    for tool in peers:
        tool.source, tool.cwd = "the document", cwd
    return [own, *peers]


@dataclass
class DocumentResult:
    path: Path
    size: int
    facts: str
    tools: list[Tool]
    parse: Timing
    parse_process: Measured | None


def describe_document(parsed: Any) -> str:
    """Version and size of an OpenAPI document, from its parsed form."""
    if not isinstance(parsed, dict):
        return "not a mapping"
    version = parsed.get("openapi") or (
        f"Swagger {parsed['swagger']}" if "swagger" in parsed else "?"
    )
    paths = parsed.get("paths") if isinstance(parsed.get("paths"), dict) else {}
    verbs = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    operations = sum(
        1 for item in paths.values() if isinstance(item, dict) for key in item if key in verbs
    )
    components = parsed.get("components") if isinstance(parsed.get("components"), dict) else {}
    schemas = components.get("schemas") if isinstance(components.get("schemas"), dict) else {}
    return (
        f"OpenAPI {version}, {len(paths)} paths, {operations} operations, "
        f"{len(schemas)} component schemas"
    )


def time_parse(text: str, warmup: int, repeat: int) -> tuple[Timing, Any]:
    """The parse floor: `yaml.load(text, Loader=yaml.CSafeLoader)` in this process."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return Timing(error="PyYAML has no CSafeLoader (built without libyaml)"), None
    timing, parsed = Timing(), None
    for index in range(warmup + repeat):
        parsed = None
        gc.collect()
        start = time.perf_counter()
        parsed = yaml.load(text, Loader=loader)
        elapsed = time.perf_counter() - start
        if index >= warmup:
            timing.seconds.append(elapsed)
    return timing, parsed


def measure_document(
    document: Path,
    warmup: int,
    repeat: int,
    timeout: float,
    launcher: str | None,
    sample: bool,
) -> DocumentResult:
    with tempfile.TemporaryDirectory(prefix="specgen-bench-big-") as scratch_name:
        scratch = Path(scratch_name)
        # An empty working directory: no pyproject.toml above it, so no [tool.specgen] adds its
        # sources or reference document to specgen's build; the peers do not care.
        cwd = scratch / "cwd"
        cwd.mkdir()
        all_tools = document_tools(cwd)
        runnable = [tool for tool in all_tools if tool.unavailable is None]
        for tool in all_tools:
            if tool.unavailable is not None:
                print(f"{tool.name}: unavailable ({tool.unavailable})")
        # Round robin, as in the default run: one run of each tool per round.
        for index in range(warmup + repeat):
            measured = index >= warmup
            label = f"run{index}" if measured else f"warmup{index}"
            print(f"{document.name}: round {index + 1}/{warmup + repeat} ({label}) ...", flush=True)
            for tool in runnable:
                if tool.stopped is not None:
                    continue
                run_on_document(tool, document, scratch, label, measured, timeout, launcher, sample)
                if measured and tool.timing.seconds:
                    peak = f", peak {tool.peaks_kib[-1] / 1024:.0f} MiB" if tool.peaks_kib else ""
                    print(f"  {tool.name}: {seconds(tool.timing.seconds[-1])}{peak}", flush=True)
        print(f"{document.name}: parse floor ...", flush=True)
        parse_process = measure_command(
            [sys.executable, "-c", PARSE_ONLY, str(document)],
            cwd,
            scratch / "parse.maxrss",
            timeout,
            launcher,
            sample,
        )
    # In process, after the tools: this process grows by the parsed document, and GNU time
    # keeps that out of the children's figures anyway (see gnu_time).
    text = document.read_text(encoding="utf-8")
    parse, parsed = time_parse(text, warmup, repeat)
    facts = f"{len(text.encode('utf-8')):,} bytes, {len(text.splitlines()):,} lines, "
    facts += describe_document(parsed) if parsed is not None else "not parsed"
    del parsed
    return DocumentResult(
        path=document,
        size=document.stat().st_size,
        facts=facts,
        tools=all_tools,
        parse=parse,
        parse_process=parse_process,
    )


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f}"


def shown_path(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(ROOT))
    return str(path)


def document_report(
    arguments: Sequence[str],
    repeat: int,
    warmup: int,
    results: list[DocumentResult],
    machine: dict[str, str],
    launcher: str | None,
    sample: bool,
    elapsed: float,
) -> str:
    lines = [
        "# specgen against peer generators on large documents",
        "",
        f"Command: `{shlex.join(['python', 'bench/run.py', *arguments])}` "
        f"({warmup} warm-up run{'s' if warmup != 1 else ''} then {repeat} measured per tool and "
        f"document, round robin; whole run {elapsed:.0f} s).",
        "",
        "Machine: "
        + "; ".join(f"{key} {value}" for key, value in machine.items())
        + ". The machine is shared with other work, so the minimum is the steadier time; the "
        "median and maximum show the spread.",
        "",
        "Every tool reads the document itself (OpenAPI YAML, no merging by specgen first). Each "
        "run is one process started afresh (interpreter or JVM start-up included), writing into a "
        "fresh temporary folder, from an empty working directory: `specgen build <document> "
        "--out <out> --package p` then builds the document alone, with no `[tool.specgen]` "
        "sources or reference document added.",
        "",
        "Peak RSS is the kernel's high-water mark, the largest over the measured runs: "
        + (
            "`/usr/bin/time -f %M` around each command, that is `wait4` on the command, whose "
            "figure is the largest of the command's own peak and that of every descendant it "
            "waited for (openapi-generator's python wrapper waits for its `java`, so the JVM is "
            "what it shows). It is the largest single process, not a sum."
            if launcher
            else "not measured: no GNU time on this machine (see bench/README.md)."
        )
        + (
            " The sampled tree sum adds up the RSS of every live process of the command's tree "
            f"(from /proc, every {SAMPLE_INTERVAL * 1000:.0f} ms): it counts processes alive "
            "together (wrapper + JVM) but can miss a peak shorter than the interval and counts "
            "shared library pages once per process."
            if sample
            else ""
        ),
        "",
    ]
    for result in results:
        own = result.tools[0]
        lines += [
            f"## {result.path.name}",
            "",
            f"`{shown_path(result.path)}`: {result.facts}.",
            "",
            "| tool | generates | median | min | max | ÷ specgen (median / min) | peak RSS (MiB) "
            "| ÷ specgen's peak | tree sum, sampled (MiB) | exit | files | lines |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
        ]
        own_peak = max(own.peaks_kib) if own.peaks_kib and own.succeeded else None
        for tool in result.tools:
            head = f"| {tool.name} | {tool.generates} "
            if tool.unavailable is not None:
                lines.append(f"{head}| unavailable: {cell(tool.unavailable)} |" + " |" * 10)
                continue
            if not tool.timing.seconds:
                lines.append(f"{head}|" + " |" * 8 + f" {cell(tool.status_text())} | | |")
                continue
            peak = max(tool.peaks_kib) if tool.peaks_kib else None
            if peak is None or not own_peak:
                peak_ratio = "n/a"
            else:
                peak_ratio = "1" if tool is own else f"{peak / own_peak:.2f}×"
            sampled = mib(max(tool.sampled_kib)) if tool.sampled_kib else "n/a"
            lines.append(
                f"{head}| {seconds(tool.timing.median)} | {seconds(tool.timing.best)} "
                f"| {seconds(tool.timing.worst)} | {ratios(tool, own)} "
                f"| {mib(peak) if peak is not None else 'n/a'} | {peak_ratio} | {sampled} "
                f"| {cell(tool.status_text())} | {tool.files} | {tool.lines} |"
            )
        if not own.succeeded:
            lines += [
                "",
                f"`{own.name}` did not succeed, so there are no ratios against it: "
                f"{cell(own.stopped or own.failure or 'no measured run')}.",
            ]
        lines += [""]
        parse = result.parse
        if parse.seconds:
            floor = (
                f"**{own.timing.median / parse.median:.1f}×** that (min ÷ min "
                f"{own.timing.best / parse.best:.1f}×)"
                if own.succeeded
                else "not comparable (it did not succeed)"
            )
            lines.append(
                "Parse floor: `yaml.load(text, Loader=yaml.CSafeLoader)` on the text already "
                f"read, in the bench's process: median {seconds(parse.median)} (min "
                f"{seconds(parse.best)}, max {seconds(parse.worst)}, {len(parse.seconds)} "
                f"run{'s' if len(parse.seconds) != 1 else ''}). "
                f"specgen build's median is {floor}."
            )
        else:
            lines.append(f"Parse floor: {cell(parse.error or 'not measured')}.")
        process = result.parse_process
        if process is not None and process.stopped is None and process.returncode == 0:
            lines += [
                "",
                "Memory floor: a fresh `python -c` that only reads and parses the document "
                f"peaks at {mib(process.peak_kib) if process.peak_kib is not None else 'n/a'} "
                f"MiB ({seconds(process.seconds)} wall, start-up included, one run).",
            ]
        lines += [""]
    lines += [
        "A ratio above 1 means the tool is slower (or bigger) than specgen. A failed run's time "
        "is the time to fail. Files and lines count everything a run wrote (bytecode caches left "
        "out); the tools generate different things, so size is context, not score.",
        "",
        "## Versions and commands",
        "",
        "| tool | version | command |",
        "| --- | --- | --- |",
    ]
    for tool in results[0].tools if results else []:
        shown = shown_command(tool).replace(INPUT_MARK, DOCUMENT_MARK)
        lines.append(f"| {tool.name} | {tool.version} | `{shown}` |")
    lines += [
        "",
        f"`{DOCUMENT_MARK}` is the document's absolute path and `{OUT_MARK}` a fresh temporary "
        "folder; the working directory is an empty temporary folder. The peers run from their "
        "own virtual environments under `bench/.venv/` (see `bench/setup.sh`), specgen from the "
        "project's environment.",
        "",
    ]
    return "\n".join(lines)


CORPUS = ROOT / "tests" / "corpus"
BENCH_DOCUMENTS = BENCH / "documents"
"""Documents only the benchmark reads (a 3 MB one; see its ORIGIN.md)."""
GOAL_MB_PER_S = 1.2
"""Issue 14's floor for documents over 500 KB: end-to-end megabytes per second."""


def corpus_documents() -> list[Path]:
    """The corpus's OpenAPI and Swagger files (the peers read no markdown) and the bench's own,
    smallest first."""
    found = [
        path
        for folder in (CORPUS, BENCH_DOCUMENTS)
        for path in folder.iterdir()
        if path.suffix in {".json", ".yaml", ".yml"}
    ]
    return sorted(found, key=lambda path: (path.stat().st_size, path.name))


def scaling_lines(results: list[DocumentResult]) -> list[str]:
    """One row a document: specgen's throughput, its lead over the fastest peer, its parse floor."""
    lines = [
        "## Summary: specgen against the fastest peer and the parse floor",
        "",
        "| document | size | specgen median | MB/s | fastest peer (median) | ÷ specgen "
        "| parse floor | specgen ÷ parse | specgen peak RSS (MiB) |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        own = result.tools[0]
        if not own.succeeded:
            lines.append(f"| {result.path.name} | {result.size:,} B | failed | | | | | | |")
            continue
        peers = [tool for tool in result.tools[1:] if tool.succeeded and tool.timing.seconds]
        fastest = min(peers, key=lambda tool: tool.timing.median, default=None)
        peer = (
            f"{fastest.name} ({seconds(fastest.timing.median)})" if fastest is not None else "n/a"
        )
        lead = f"{fastest.timing.median / own.timing.median:.2f}×" if fastest else "n/a"
        rate = result.size / 1e6 / own.timing.median
        floor = result.parse.median if result.parse.seconds else None
        peak = mib(max(own.peaks_kib)) if own.peaks_kib else "n/a"
        lines.append(
            f"| {result.path.name} | {result.size / 1e6:.2f} MB | {seconds(own.timing.median)} "
            f"| {rate:.2f} | {peer} | {lead} "
            f"| {seconds(floor) if floor is not None else 'n/a'} "
            f"| {f'{own.timing.median / floor:.1f}×' if floor else 'n/a'} | {peak} |"
        )
    lines += [
        "",
        f"MB/s is the document's size over specgen's median wall time (goal for documents over "
        f"500 KB: {GOAL_MB_PER_S} MB/s). ÷ specgen is the fastest peer's median over specgen's: "
        "above 1 specgen is faster. The chart `bench/scaling.svg` plots every tool's median "
        "against document size.",
        "",
    ]
    return lines


def write_chart(results: list[DocumentResult], path: Path) -> None:
    from chart import scaling_svg

    series: dict[str, list[tuple[float, float]]] = {}
    for result in results:
        for tool in result.tools:
            if tool.succeeded and tool.timing.seconds:
                point = (result.size / 1e6, tool.timing.median)
                series.setdefault(tool.name, []).append(point)
    path.write_text(
        scaling_svg("Build time against document size (corpus documents, median wall)", series),
        encoding="utf-8",
    )


def main_documents(
    arguments: Sequence[str],
    options: argparse.Namespace,
    results_path: Path,
    chart: Path | None = None,
) -> int:
    started = time.perf_counter()
    launcher = gnu_time()
    if launcher is None:
        print("note: no GNU time (/usr/bin/time): peak RSS is not measured")
    sample = can_sample_tree()
    results = []
    for document in options.document:
        results.append(
            measure_document(
                document.resolve(),
                options.warmup,
                options.repeat,
                options.timeout,
                launcher,
                sample,
            )
        )
    text = document_report(
        arguments,
        options.repeat,
        options.warmup,
        results,
        machine_info(),
        launcher,
        sample,
        time.perf_counter() - started,
    )
    if chart is not None:
        heading, _, rest = text.partition("\n## ")
        text = heading + "\n".join(scaling_lines(results)) + "\n## " + rest
        write_chart(results, chart)
        print(f"wrote {chart}")
    print()
    print(text)
    results_path.write_text(text, encoding="utf-8")
    print(f"wrote {results_path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7, help="measured runs per row (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="discarded runs first (default 1)")
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help="where to write the report (default bench/results.md, or bench/big_results.md "
        "with --document)",
    )
    parser.add_argument(
        "--document",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="time specgen build and the peers on this OpenAPI document (wall time and peak "
        "memory) instead of the seeds' merged document; repeatable",
    )
    parser.add_argument(
        "--corpus",
        action="store_true",
        help="every OpenAPI and Swagger document of tests/corpus/ and bench/documents/, "
        "smallest first, as --document; writes bench/scaling_results.md and the chart "
        "bench/scaling.svg",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=COMMAND_TIMEOUT,
        help=f"--document mode: seconds before a run is stopped (default {COMMAND_TIMEOUT:.0f})",
    )
    arguments = list(sys.argv[1:] if argv is None else argv)
    options = parser.parse_args(arguments)
    if options.repeat < 1 or options.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")
    if options.corpus:
        options.document += corpus_documents()
    for document in options.document:
        if not document.is_file():
            parser.error(f"--document {document}: no such file")
    sys.path.insert(0, str(ROOT))
    _loop_at_start.append(reference_loop_ms())
    if options.document:
        default = "scaling_results.md" if options.corpus else "big_results.md"
        chart = BENCH / "scaling.svg" if options.corpus else None
        return main_documents(arguments, options, options.results or BENCH / default, chart)
    results_path = options.results or BENCH / "results.md"
    started = time.perf_counter()

    print(f"specgen stages in process ({options.warmup} warm-up, {options.repeat} measured) ...")
    stages = time_stages(options.warmup, options.repeat)

    all_tools = tools()
    with tempfile.TemporaryDirectory(prefix="specgen-bench-") as scratch_name:
        scratch = Path(scratch_name)
        merged = scratch / "merged.yaml"
        merged.write_text(stages.merged_yaml, encoding="utf-8")
        merged_lines = len(stages.merged_yaml.splitlines())
        runnable = [tool for tool in all_tools if tool.unavailable is None]
        for tool in all_tools:
            if tool.unavailable is not None:
                print(f"{tool.name}: unavailable ({tool.unavailable})")
        # Round robin, one run of each tool per round, so a burst of load from the shared
        # machine falls on every tool alike rather than on whichever ran at that moment.
        for index in range(options.warmup + options.repeat):
            measured = index >= options.warmup
            label = f"run{index}" if measured else f"warmup{index}"
            print(f"round {index + 1}/{options.warmup + options.repeat} ({label}) ...")
            for tool in runnable:
                if tool.stopped is not None:
                    continue  # could not start or timed out: do not try again
                run_tool(tool, merged, scratch, label, measured)

    machine = machine_info()
    text = report(
        arguments,
        options.repeat,
        options.warmup,
        stages,
        merged_lines,
        all_tools,
        machine,
        time.perf_counter() - started,
    )
    print()
    print(text)
    results_path.write_text(text, encoding="utf-8")
    print(f"wrote {results_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
