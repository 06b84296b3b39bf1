"""Times specgen's stages and its `build` command against peer generators on the same input.

Run `bash bench/setup.sh` once, then `python bench/run.py`; figures go to bench/results.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
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
    """One run of a tool into a fresh folder; failures are recorded, not raised."""
    out = scratch / f"{tool.name}-{label}"
    command = tool.command(merged, out)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=tool.cwd,
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


def tools() -> list[Tool]:
    specgen = shutil.which("specgen", path=str(Path(sys.executable).parent)) or shutil.which(
        "specgen"
    )
    from codegen import __version__

    program = [specgen] if specgen else [sys.executable, "-m", "codegen.cli"]
    own = Tool(
        name="specgen build",
        generates="client + models + server package",
        source="vendors' documents (specs/*.yaml)",
        argv=[*program, "build", "--out", OUT_MARK],
        cwd=ROOT,
        version=f"specgen {__version__}",
    )
    # The same build from the same input the peers get: a like-for-like figure. specgen reads
    # its own merged document back (normalize leaves a document it merged alone).
    own_merged = Tool(
        name="specgen build (merged doc)",
        generates="client + models + server package",
        source="merged document",
        argv=[*program, "build", INPUT_MARK, "--out", OUT_MARK],
        cwd=ROOT,
        version=f"specgen {__version__}",
    )
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
    return [own, own_merged, *peers]


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
        "starts a new process, so each time includes interpreter (or JVM) start-up.",
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7, help="measured runs per row (default 7)")
    parser.add_argument("--warmup", type=int, default=1, help="discarded runs first (default 1)")
    parser.add_argument(
        "--results",
        type=Path,
        default=BENCH / "results.md",
        help="where to write the report (default bench/results.md)",
    )
    arguments = list(sys.argv[1:] if argv is None else argv)
    options = parser.parse_args(arguments)
    if options.repeat < 1 or options.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")
    sys.path.insert(0, str(ROOT))
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

    machine = {
        "nproc": nproc(),
        "CPU": cpu_model(),
        "Python": platform.python_version(),
        "OS": f"{platform.system()} {platform.release()}",
        "java": java_version() or "not installed",
    }
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
    options.results.write_text(text, encoding="utf-8")
    print(f"wrote {options.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
