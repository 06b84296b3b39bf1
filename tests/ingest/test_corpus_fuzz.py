"""No traceback on any input: every corpus document, and mutations of them, through ``specgen
lint`` and ``specgen build``. Each run ends in exit 0, 1 or 2, with one line per problem, every
``error:`` line naming its file, and never ``internal error`` (the CLI's last-resort guard).

Mutations (``_mutations.py``) are drawn by hypothesis at a node it chooses: delete a key, change a
value's type, break a ``$ref`` (missing component, remote, other file, cycles), duplicate or empty
``required``, empty ``oneOf``/``anyOf``/``allOf``, a nonsense ``type``; and on the raw text:
truncate at a byte, a tab at a line start, a UTF-8 BOM, a duplicated key line.

Fast profile (CI; derandomized, so every run tries the same examples; the small documents only)::

    python -m pytest tests/ingest/test_corpus_fuzz.py

Long profile (random; every corpus document; add ``--hypothesis-show-statistics`` for counts)::

    SPECGEN_FUZZ_EXAMPLES=500 SPECGEN_FUZZ_ALL=1 python -m pytest tests/ingest/test_corpus_fuzz.py

``SPECGEN_FUZZ_EXAMPLES`` sets the lint examples (build runs a quarter as many, at least 6);
setting either variable makes the run random. ``SPECGEN_FUZZ_KINDS=truncate,bom`` draws only
those mutation kinds (default: all of ``_mutations.KINDS``), to look past a known failure.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, currently_in_test_context, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import current_build_context

from codegen.cli import main

from ._mutations import CORPUS, KINDS, Mutation, corpus_document, example_of, mutate, mutations

CORPUS_DOCUMENTS = sorted(
    path.name for path in CORPUS.iterdir() if path.suffix in {".json", ".yaml"}
)
SMALL_DOCUMENTS = ("xai_openapi.yaml", "ollama_openapi.yaml", "tgi_openapi.json")

_LONG = "SPECGEN_FUZZ_EXAMPLES" in os.environ or os.environ.get("SPECGEN_FUZZ_ALL") == "1"
_ALL = os.environ.get("SPECGEN_FUZZ_ALL") == "1"
LINT_EXAMPLES = int(os.environ.get("SPECGEN_FUZZ_EXAMPLES", "25"))
BUILD_EXAMPLES = max(6, LINT_EXAMPLES // 4) if "SPECGEN_FUZZ_EXAMPLES" in os.environ else 6
LINT_FUZZED = tuple(CORPUS_DOCUMENTS) if _ALL else (*SMALL_DOCUMENTS, "aiproxy_swagger.json")
BUILD_FUZZED = tuple(CORPUS_DOCUMENTS) if _ALL else SMALL_DOCUMENTS
FUZZED_KINDS = tuple(os.environ.get("SPECGEN_FUZZ_KINDS", ",".join(KINDS)).split(","))
if not set(FUZZED_KINDS) <= set(KINDS):
    raise ValueError(f"SPECGEN_FUZZ_KINDS: unknown kinds {sorted(set(FUZZED_KINDS) - set(KINDS))}")

_FUZZ = settings(
    deadline=None,
    derandomize=not _LONG,
    database=settings.default.database if _LONG else None,
    phases=[phase for phase in Phase if phase is not Phase.explain],  # explain traces: slow
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)

# Every line the commands print, by stream; a line matching none is a problem said on two lines.
_FINDING = r"  (?:repair|warning|error) +\S+ +\S.*"
_SUMMARY = r"\d+ repaired, \d+ warnings, \d+ errors in \d+ documents"
_LINES = {
    ("lint", "stdout"): (
        r".+ \(.+\):",
        _FINDING,
        r"  no findings",
        _SUMMARY + r"(?:; \d+ unreadable)?",
    ),
    ("lint", "stderr"): (r"error: .+",),
    ("build", "stdout"): (
        r"wrote .+",
        r"kept .+",
        r"read \d+ vendor documents.*",
        r"merged \d+ operations.*",
        r"API changes: .+",
        r"  breaking: .+",
    ),
    ("build", "stderr"): (
        r"error: .+",
        r"\S.*:",
        _FINDING,
        _SUMMARY,
        r"\d+ documents unreadable; nothing written",
        r"errors in the documents; nothing written",
    ),
}


@dataclass(frozen=True)
class Run:
    """One command's outcome, as the checks and their failure messages need it."""

    args: tuple[str, ...]
    cwd: Path
    result: Result

    def __str__(self) -> str:
        text = f"$ specgen {' '.join(self.args)}\nexit {self.result.exit_code}\n"
        text += f"--- stdout\n{_cut(self.result.stdout)}--- stderr\n{_cut(self.result.stderr)}"
        if self.result.exc_info and not isinstance(self.result.exception, SystemExit):
            text += "--- exception\n" + _traceback(self.result)
        elif self.result.exit_code == 70 and _reported_example():
            again = _invoke(self.args, self.cwd, debug=True).result  # the guard lets it through
            if again.exc_info and not isinstance(again.exception, SystemExit):
                text += "--- SPECGEN_DEBUG=1\n" + _traceback(again)
        return text


def _cut(output: str) -> str:
    """The last lines of an output, each cut short, for a readable failure message."""
    return "".join(line[:500] + "\n" for line in output.splitlines()[-40:])


def _traceback(result: Result) -> str:
    """The last frames of a traceback, each line cut short (messages may quote a whole document)."""
    assert result.exc_info is not None
    lines = "".join(traceback.format_exception(*result.exc_info)).splitlines()
    return "".join(line[:300] + "\n" for line in lines[-60:])


def _reported_example() -> bool:
    """True outside hypothesis and on the example it reports; False while it shrinks, so the
    traceback is fetched (by running again) only once."""
    if not currently_in_test_context():
        return True
    return bool(getattr(current_build_context(), "is_final", True))


def _invoke(args: Sequence[str], cwd: Path, *, debug: bool = False) -> Run:
    """Run ``specgen ARGS`` in-process from ``cwd`` (no pyproject.toml there: no configuration)."""
    with contextlib.chdir(cwd):
        env = {"SPECGEN_DEBUG": "1" if debug else None}
        result = CliRunner().invoke(main, list(args), env=env)
    return Run(tuple(args), cwd, result)


def _check(run: Run, command: str, sources: Sequence[str]) -> None:
    """The contract of every run: exit 0, 1 or 2, no traceback, one line per problem, each
    ``error:`` line naming its file."""
    result = run.result
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"exception escaped the CLI:\n{run}"
    )
    output = result.stdout + result.stderr
    # Booleans, not `x in output`: pytest would diff the whole (maybe huge) output, for minutes.
    internal, traced = "internal error" in output, "Traceback" in output
    assert not internal, f"internal error:\n{run}"
    assert not traced, f"traceback in output:\n{run}"
    assert result.exit_code in {0, 1, 2}, f"exit {result.exit_code}:\n{run}"
    names = {name for source in sources for name in (source, os.path.basename(source))}
    problems = 0
    for stream in ("stdout", "stderr"):
        patterns = _LINES[command, stream]
        for line in getattr(result, stream).splitlines():
            assert any(re.fullmatch(pattern, line) for pattern in patterns), (
                f"{stream} line {line[:500]!r} is not one line of a known form "
                f"(a problem said on two lines?):\n{run}"
            )
            if line.startswith("error: "):
                problems += 1
                assert any(name in line for name in names), (
                    f"error line does not name the file: {line[:500]!r}\n{run}"
                )
            elif re.fullmatch(r"  error +\S.*", line):
                problems += 1
    assert result.exit_code == 0 or problems, (
        f"exit {result.exit_code} with no problem said:\n{run}"
    )


def _lint(folder: Path, source: str) -> Run:
    run = _invoke(["lint", source], folder)
    _check(run, "lint", [source])
    return run


def _build(folder: Path, source: str) -> Run:
    run = _invoke(["build", source, "--out", "out", "--package", "fuzzed"], folder)
    _check(run, "build", [source])
    if run.result.exit_code == 0:
        assert (folder / "out" / "fuzzed" / "__init__.py").is_file(), f"no package written:\n{run}"
    return run


@pytest.mark.parametrize("name", CORPUS_DOCUMENTS)
def test_corpus_document_lints(name: str, tmp_path: Path) -> None:
    """An unmutated corpus document lints to exit 0 or 1 without a traceback."""
    run = _lint(tmp_path, str(CORPUS / name))
    assert run.result.exit_code in {0, 1}, f"corpus document unreadable:\n{run}"


@pytest.mark.parametrize("name", CORPUS_DOCUMENTS)
def test_corpus_document_builds(name: str, tmp_path: Path) -> None:
    """An unmutated corpus document builds to exit 0, 1 or 2, writing the package on exit 0."""
    _build(tmp_path, str(CORPUS / name))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", (*SMALL_DOCUMENTS, "aiproxy_swagger.json"))
def test_every_mutation_kind_changes_the_document(name: str, kind: str) -> None:
    """Each mutation kind really changes the bytes, so the fuzzing below is not vacuous."""
    document = corpus_document(name)
    assert mutate(document, [example_of(kind, document)]) != document.raw


def _mutated(data: st.DataObject, names: Sequence[str], folder: Path) -> str:
    """Draw a corpus document and one to three mutations of it; write it under ``folder``."""
    name = data.draw(st.sampled_from(names), label="document")
    document = corpus_document(name)
    drawn: list[Mutation] = data.draw(
        st.lists(mutations(document, FUZZED_KINDS), min_size=1, max_size=3), label="mutations"
    )
    note(f"replay: mutate(corpus_document({name!r}), {drawn!r})")
    for mutation in drawn:
        event(f"mutation {mutation.kind}")
    source = Path("src") / name
    (folder / "src").mkdir()
    (folder / source).write_bytes(mutate(document, drawn))
    return str(source)


@settings(_FUZZ, max_examples=LINT_EXAMPLES)
@given(data=st.data())
def test_mutated_corpus_documents_lint(data: st.DataObject) -> None:
    """A mutated corpus document lints to exit 0, 1 or 2 with one line per problem."""
    with tempfile.TemporaryDirectory() as folder:
        run = _lint(Path(folder), _mutated(data, LINT_FUZZED, Path(folder)))
        event(f"lint exit {run.result.exit_code}")


@settings(_FUZZ, max_examples=BUILD_EXAMPLES)
@given(data=st.data())
def test_mutated_corpus_documents_build(data: st.DataObject) -> None:
    """A mutated corpus document builds to exit 0, 1 or 2 with one line per problem."""
    with tempfile.TemporaryDirectory() as folder:
        run = _build(Path(folder), _mutated(data, BUILD_FUZZED, Path(folder)))
        event(f"build exit {run.result.exit_code}")
