"""Times specgen's ingest + normalize on each corpus document against the floor of parsing it.

Run `python bench/ingest_corpus.py` from the repository root; it writes bench/ingest_results.md.
`--repeat N` measured runs (default 5, after a warm-up), `--corpus DIR` (default tests/corpus/,
else ../shared/corpus/). A document that fails gets its one-line error; the run goes on.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CORPORA = (ROOT / "tests" / "corpus", ROOT.parent / "shared" / "corpus")
GOAL = 3.0
LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
COLUMNS = ("parse", "json.loads", "ingest", "normalize", "ingest + normalize")


@dataclass
class Row:
    name: str
    size: int
    times: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in COLUMNS})
    """Seconds of each measured repetition, per column."""
    findings: int | None = None
    status: str = "ok"
    peak_mib: float | None = None


def error_text(error: BaseException, path: Path) -> str:
    try:
        from codegen.errors import SpecgenError

        user = isinstance(error, SpecgenError)
    except Exception:  # codegen itself may not import while it is being edited
        user = False
    text = str(error) if user else f"internal: {type(error).__name__}: {error}"
    # The document's name, not this machine's path to it, so the file is the same elsewhere.
    return (text.strip().splitlines() or [""])[0].replace(str(path), path.name)[:80].rstrip()


def ingest_and_normalize(path: Path) -> tuple[float, float, int]:
    from codegen.ingest import ingest_path
    from codegen.normalize import normalize

    start = time.perf_counter()
    ingested = ingest_path(path)
    middle = time.perf_counter()
    normalized = normalize(ingested)
    return middle - start, time.perf_counter() - middle, len(normalized.findings)


def repeated(call: Callable[[], object], repeat: int) -> list[float]:
    """Seconds of `repeat` calls after one warm-up call, collecting garbage before each."""
    times = []
    for _ in range(1 + repeat):
        gc.collect()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times[1:]


def measure(path: Path, repeat: int) -> Row:
    row = Row(path.name, path.stat().st_size)
    text = path.read_bytes().decode("utf-8-sig", "replace")
    with contextlib.suppress(Exception):  # a floor whose parser refuses the text stays blank
        row.times["parse"] = repeated(lambda: yaml.load(text, Loader=LOADER), repeat)
    if path.suffix.lower() == ".json":
        with contextlib.suppress(ValueError):
            row.times["json.loads"] = repeated(lambda: json.loads(text), repeat)
    try:
        for index in range(1 + repeat):  # each run ingests afresh: normalize repairs in place
            gc.collect()
            ingest, normalize, row.findings = ingest_and_normalize(path)
            split = (ingest, normalize, ingest + normalize)
            for column, seconds in zip(COLUMNS[2:], split, strict=True):
                row.times[column] += [seconds] if index else []
    except Exception as error:
        row.status, row.findings = error_text(error, path), None
        row.times.update({column: [] for column in COLUMNS[2:]})
    return row


def one(path: Path) -> int:
    """`--one PATH`: ingest and normalize once, then print the peak RSS as JSON."""
    status = "ok"
    try:
        ingest_and_normalize(path)
    except Exception as error:
        status = error_text(error, path)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"ru_maxrss": rss, "status": status}))
    return 0


def peak_mib(path: Path) -> float | None:
    command = [sys.executable, str(Path(__file__).resolve()), "--one", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        rss = json.loads(done.stdout.strip().splitlines()[-1])["ru_maxrss"]
    except (subprocess.TimeoutExpired, OSError, IndexError, ValueError, KeyError, TypeError):
        return None
    return float(rss) / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes vs KiB


def ms(times: list[float]) -> str:
    if not times:
        return ""
    low, mid, high = (1000 * f(times) for f in (min, statistics.median, max))
    return f"{mid:.1f} ({low:.1f}–{high:.1f})"


def ratio(row: Row) -> float | None:
    both, parse = row.times["ingest + normalize"], row.times["parse"]
    return statistics.median(both) / statistics.median(parse) if both and parse else None


def report(arguments: Sequence[str], corpus: Path, repeat: int, rows: list[Row]) -> str:
    shown = corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus
    libyaml = "with" if getattr(yaml, "__with_libyaml__", False) else "without"
    lines = [
        "# specgen ingest + normalize per corpus document\n",
        f"Command: `{shlex.join(['python', 'bench/ingest_corpus.py', *arguments])}` on every "
        f"*.json, *.yaml and *.yml in `{shown}` (1 warm-up run, then {repeat} measured).\n",
        f"Machine: os.cpu_count() {os.cpu_count()}; Python {platform.python_version()}; "
        f"PyYAML {yaml.__version__} {libyaml} libyaml (parse uses {LOADER.__name__}).\n",
        f"Goal: no document above {GOAL:g}× its own parse time. Times in ms, median (min–max). "
        "Parse is `yaml.load(text, Loader=yaml.CSafeLoader)` on text already read, as specgen "
        "parses YAML and JSON; ingest (`ingest_path`) also reads the file. A blank floor: that "
        "parser refused the text. Peak RSS: one `--one` subprocess per document after ingest + "
        "normalize, interpreter and imports included.\n",
        f"| document | bytes | {' | '.join(COLUMNS)} | ÷ parse | findings | peak RSS (MiB) "
        "| status |",
        "| --- |" + " ---: |" * (len(COLUMNS) + 4) + " --- |",
    ]
    for row in rows:
        value, peak = ratio(row), row.peak_mib
        cells = [row.name, f"{row.size:,}", *(ms(row.times[column]) for column in COLUMNS)]
        cells += ["" if value is None else f"{value:.1f}×"]
        cells += ["" if row.findings is None else str(row.findings)]
        cells += ["" if peak is None else f"{peak:.0f}", row.status]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    over = [(row.name, value) for row in rows if (value := ratio(row) or 0) > GOAL]
    lines += [""] + [
        f"- `{name}` is above {GOAL:g}×: {value:.1f}× its parse time." for name, value in over
    ]
    lines += [] if over else [f"No measured document is above {GOAL:g}× its parse time."]
    return "\n".join([*lines, ""])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="measured runs (default 5)")
    parser.add_argument("--corpus", type=Path, help="folder of documents (default tests/corpus)")
    parser.add_argument("--results", type=Path, default=BENCH / "ingest_results.md")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    arguments = list(sys.argv[1:] if argv is None else argv)
    options = parser.parse_args(arguments)
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    sys.path.insert(0, str(ROOT))
    if options.one is not None:
        return one(options.one)
    corpus = (options.corpus or next((d for d in CORPORA if d.is_dir()), CORPORA[-1])).resolve()
    if not corpus.is_dir():
        parser.error(f"no such folder: {corpus}")
    suffixes = {".json", ".yaml", ".yml"}
    paths = sorted(p for p in corpus.iterdir() if p.suffix.lower() in suffixes and p.is_file())
    if not paths:
        parser.error(f"no *.json, *.yaml or *.yml documents in {corpus}")
    started, rows = time.perf_counter(), []
    # Memory first: a child's ru_maxrss starts at its parent's (Linux keeps the high-water mark
    # across fork and exec), so the children must be started while this process is still small.
    print("peak RSS, one subprocess per document ...", flush=True)
    peaks = [peak_mib(path) for path in paths]
    for path, peak in zip(paths, peaks, strict=True):
        print(f"{path.name} ...", flush=True)
        rows.append(measure(path, options.repeat))
        rows[-1].peak_mib = peak
    text = report(arguments, corpus, options.repeat, rows)
    print(text)
    options.results.write_text(text, encoding="utf-8")
    print(f"wrote {options.results} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
