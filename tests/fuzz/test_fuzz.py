"""Fuzzing the whole pipeline (every reader, normalize, the merge and the render) with hypothesis:
random OpenAPI documents, mutations of corpus documents, random markdown pages and random
docs pages flattened to text, each through
``specgen build`` in process.

Every case ends in exit 0, 1 or 2, with one line per problem and every ``error:`` line naming its
file (the contract of tests/ingest/test_corpus_fuzz.py, reused), never an internal error. Every
package written imports (client and server); after the examples, ``ruff check`` runs once over
all of them and ``mypy --strict`` over a sample (all of them in the long profile): mypy is slow.

Fast profile (CI, derandomized: the same cases every run)::

    python -m pytest tests/fuzz

Long profile (random, 300 cases a test or ``SPECGEN_FUZZ_EXAMPLES``, every package
type-checked; prints the counts of cases by exit code)::

    SPECGEN_FUZZ=long python -m pytest tests/fuzz -s -n 0
"""

from __future__ import annotations

import collections
import importlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from tests._packages import assert_ruff_clean, mypy_cache
from tests.ingest._mutations import corpus_document, mutate, mutations
from tests.ingest.test_corpus_fuzz import _check, _invoke

from .strategies import flat_text_pages, markdown_pages, openapi_documents

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("SPECGEN_FUZZ") == "long"

settings.register_profile(
    "specgen-fuzz-ci",
    max_examples=6,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a CI failure prints its case
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "specgen-fuzz-long",
    max_examples=int(os.environ.get("SPECGEN_FUZZ_EXAMPLES", "300")),
    deadline=None,
    phases=[phase for phase in Phase if phase is not Phase.explain],
    suppress_health_check=list(HealthCheck),
)
FUZZ = settings.get_profile("specgen-fuzz-long" if LONG else "specgen-fuzz-ci")
MYPY_SAMPLE = None if LONG else 1
"""How many of the written packages mypy checks: a sample in CI (mypy takes seconds each)."""

COUNTS: collections.Counter[str] = collections.Counter()
_NUMBERS = itertools.count()


class Packages:
    """The packages the cases wrote: imported as they are written, linted together at the end."""

    def __init__(self, root: Path, kind: str) -> None:
        self.root = root
        self.kind = kind
        self.written: list[Path] = []

    def build(self, source: Path, folder: Path) -> None:
        package = f"fuzz_{self.kind}_{next(_NUMBERS)}"
        run = _invoke(["build", source.name, "--out", "out", "--package", package], folder)
        _check(run, "build", [source.name])
        COUNTS[f"{self.kind}: exit {run.result.exit_code}"] += 1
        if run.result.exit_code != 0:
            return
        built = folder / "out" / package
        kept = self.root / package
        built.rename(kept)
        _import(kept)
        self.written.append(kept)

    def lint_all(self) -> None:
        if not self.written:
            return
        assert_ruff_clean(self.written)
        sample = self.written if MYPY_SAMPLE is None else self.written[:MYPY_SAMPLE]
        with tempfile.TemporaryDirectory() as cache:
            mypy = subprocess.run(
                [sys.executable, "-m", "mypy", "--strict", f"--cache-dir={mypy_cache(Path(cache))}",
                 *map(str, sample)],
                capture_output=True, text=True, check=False, cwd=self.root,
            )  # fmt: skip
        assert mypy.returncode == 0, mypy.stdout[-4000:]
        COUNTS[f"{self.kind}: packages ruff-checked"] += len(self.written)
        COUNTS[f"{self.kind}: packages mypy-checked"] += len(sample)


def _import(folder: Path) -> None:
    """Import the package and its server, then forget them (each case has its own name)."""
    sys.path.insert(0, str(folder.parent))
    try:
        importlib.import_module(folder.name)
        importlib.import_module(f"{folder.name}.server")
    finally:
        sys.path.remove(str(folder.parent))
        for name in [m for m in sys.modules if m == folder.name or m.startswith(f"{folder.name}.")]:
            del sys.modules[name]


@pytest.fixture
def packages(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[[str], Packages]]:
    made: list[Packages] = []

    def make(kind: str) -> Packages:
        made.append(Packages(tmp_path, kind))
        return made[-1]

    yield make
    if LONG or os.environ.get("SPECGEN_FUZZ_COUNTS"):
        print("\n" + "\n".join(f"{key}: {value}" for key, value in sorted(COUNTS.items())))


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@FUZZ
@given(document=openapi_documents(), as_yaml=st.booleans())
def _random_openapi(document: dict[str, Any], as_yaml: bool, packages: Packages) -> None:
    text = yaml.safe_dump(document, allow_unicode=True) if as_yaml else json.dumps(document)
    note(text[:3000])
    with tempfile.TemporaryDirectory() as folder:
        source = _write(Path(folder), "random.yaml" if as_yaml else "random.json", text)
        packages.build(source, Path(folder))


def test_random_openapi_documents(packages: Callable[[str], Packages]) -> None:
    """Random documents: a defect anywhere is a finding or a one-line refusal, and whatever
    package comes out imports and is clean."""
    written = packages("openapi")
    _random_openapi(packages=written)
    assert COUNTS["openapi: exit 0"] >= 1, "the strategy must reach the render sometimes"
    written.lint_all()


CORPUS_MUTATED = ("xai_openapi.yaml", "ollama_openapi.yaml")


@FUZZ
@given(data=st.data())
def _mutated_corpus(data: st.DataObject, packages: Packages) -> None:
    name = data.draw(st.sampled_from(CORPUS_MUTATED))
    document = corpus_document(name)
    chosen = data.draw(st.lists(mutations(document), min_size=1, max_size=3))
    note(f"{name}: {chosen}")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / name
        source.write_bytes(mutate(document, chosen))
        packages.build(source, Path(folder))


def test_mutated_corpus_documents(packages: Callable[[str], Packages]) -> None:
    """Corpus documents with up to three mutations each (tests/ingest/_mutations.py): the
    packages that come out import and are clean, not only written."""
    written = packages("mutated")
    _mutated_corpus(packages=written)
    written.lint_all()


@FUZZ
@given(page=markdown_pages())
def _random_markdown(page: str, packages: Packages) -> None:
    note(page[:3000])
    with tempfile.TemporaryDirectory() as folder:
        packages.build(_write(Path(folder), "page.md", page), Path(folder))


def test_random_markdown_pages(packages: Callable[[str], Packages]) -> None:
    """Markdown pages from the readers' syntaxes: read, refused with a line, or built clean."""
    written = packages("markdown")
    _random_markdown(packages=written)
    written.lint_all()


@FUZZ
@given(page=flat_text_pages())
def _random_flat_text(page: str, packages: Packages) -> None:
    note(page[:3000])
    with tempfile.TemporaryDirectory() as folder:
        packages.build(_write(Path(folder), "page.txt", page), Path(folder))


def test_random_flat_text_pages(packages: Callable[[str], Packages]) -> None:
    """Docs pages flattened to text, as the flat-text reader gets them."""
    written = packages("flat_text")
    _random_flat_text(packages=written)
    written.lint_all()
