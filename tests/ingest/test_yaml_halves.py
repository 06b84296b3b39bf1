"""A YAML document parsed in two halves, the second in a forked copy
(``codegen/ingest/yaml_halves.py``), gives what the whole text gives: the same values, line map
(in the same order), duplicate keys and errors, on every corpus YAML document, OpenAI's 3 MB one,
random documents, and made-up texts where a cut could straddle something; and the halves are
taken where they should be."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen import forked
from codegen.errors import SpecgenError
from codegen.ingest import yaml_halves, yaml_lines
from codegen.ingest.yaml_halves import cut
from codegen.ingest.yaml_lines import parse_with_lines

ROOT = Path(__file__).resolve().parents[2]
YAML_CORPUS = sorted((ROOT / "tests" / "corpus").glob("*.yaml"))
LARGE = ROOT / "bench" / "documents" / "openai_openapi_2026-08.yaml"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


@pytest.fixture(autouse=True)
def _halves_for_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_halves, "MIN_SIZE", 0)
    monkeypatch.setattr(forked, "ENABLED", True)
    monkeypatch.setattr(forked, "_cores", lambda: 2)
    monkeypatch.setattr(forked, "_other_threads", lambda: False)  # a parallel run's worker
    assert forked.can_fork()


def _whole(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(forked, "ENABLED", False)
        return _outcome(text)


def _outcome(text: str) -> Any:
    """The parse's result with its line map's order, or its error's words and line."""
    try:
        parsed = parse_with_lines(text, file="doc.yaml")
    except SpecgenError as error:
        return ("error", error.message, error.line)
    return parsed, list(parsed.lines.items())


def _taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, per parse, whether the halves gave the result."""
    taken: list[bool] = []
    real = yaml_halves.parse_in_halves

    def spy(*args: Any) -> Any:
        result = real(*args)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(yaml_lines, "parse_in_halves", spy)
    return taken


@pytest.mark.parametrize("path", [*YAML_CORPUS, LARGE], ids=lambda path: path.name)
def test_corpus_documents_parse_in_halves_as_whole(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text(encoding="utf-8")
    taken = _taken(monkeypatch)
    assert _outcome(text) == _whole(text, monkeypatch)
    if path.stat().st_size > 50_000:  # an OpenAPI document of any size has a section to cut
        assert taken[0], f"{path.name} was not cut"


def test_a_plain_document_is_cut_near_its_middle_inside_its_largest_section() -> None:
    entries = "".join(f"    Model{i}:\n      type: object\n" for i in range(100))
    text = f"openapi: 3.1.0\ninfo:\n  title: t\npaths: {{}}\ncomponents:\n  schemas:\n{entries}"
    where = cut(text)
    assert where is not None
    assert where.depth == 2
    assert where.tail.startswith("components:\n  schemas:\n    Model")
    assert abs(len(where.head) - len(text) / 2) < len(entries) / 50
    assert text.splitlines()[where.tail_line - 1] == where.tail.splitlines()[2]


_SECTION = "".join(f"  /p{i}:\n    get:\n      summary: s{i}\n" for i in range(40))
_MIDDLE = "  /middle:\n    get:\n      description: "


@pytest.mark.parametrize(
    "text",
    [
        # Straddling the cut: the head is then unterminated and the whole text decides.
        f'paths:\n{_SECTION}{_MIDDLE}"one\n  /fake:\n  two"\n{_SECTION}',
        f"paths:\n{_SECTION}{_MIDDLE}[one,\n  /fake: x,\n  two]\n{_SECTION}",
        f"paths:\n{_SECTION}{_MIDDLE}|\n      text\n\n      more\n{_SECTION}",
        # An alias across the cut, a key in both halves, a duplicate in one.
        f"paths:\n{_SECTION}  /a: &shared\n    get: {{}}\n{_SECTION.replace('s3', 's3b')}  /b: *shared\n",
        f"paths:\n{_SECTION}{_SECTION}",
        f"paths:\n  /x: 1\n  /x: 2\n{_SECTION}",
        # Shapes the cut refuses.
        f"- paths:\n{_SECTION}",
        f"%YAML 1.1\n---\npaths:\n{_SECTION}",
        f"\ufeffpaths:\n{_SECTION}",
        f"paths:\r\n{_SECTION}".replace("\n", "\r\n"),
        f"paths:\n{_SECTION}  /n: '\x85'\n{_SECTION.replace('/p', '/q')}",
        f"paths:\n{_SECTION}  /n: '\u2028'\n{_SECTION.replace('/p', '/q')}",
        f'"paths":\n{_SECTION}',
        f"paths:\n{_SECTION}\t# a tab\n{_SECTION.replace('/p', '/q')}",
        f"paths:\n  - a\n  - b\n{_SECTION.replace('  /', '  - /')}",
        # Syntax errors in either half.
        f"paths:\n{_SECTION}  /bad: [\n{_SECTION.replace('/p', '/q')}",
        f"paths:\n{_SECTION}{_SECTION.replace('/p', '/q')}  /bad: : :\n",
        f"paths:\n  /bad: ]\n{_SECTION}{_SECTION.replace('/p', '/q')}",
        # Merge keys and tags, which the plain values walk leaves to PyYAML.
        f"paths:\n{_SECTION}  /m:\n    <<: {{a: 1}}\n{_SECTION.replace('/p', '/q')}",
        f"paths:\n{_SECTION}  /t: !!binary aGk=\n{_SECTION.replace('/p', '/q')}",
        f"paths:\n{_SECTION}  /i: !!int abc\n{_SECTION.replace('/p', '/q')}",
        # Sections after the cut, and the section the cut falls in being the last.
        f"a: 1\npaths:\n{_SECTION}{_SECTION.replace('/p', '/q')}b:\n  c: 1\n",
    ],
)
def test_made_up_texts_parse_in_halves_as_whole(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        whole = _whole(text, monkeypatch)
    except Exception as error:  # what the whole text raises, the halves must raise too
        with pytest.raises(type(error)):
            _outcome(text)
        return
    assert _outcome(text) == whole


def test_a_clean_text_is_parsed_in_halves(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = _taken(monkeypatch)
    text = f"a: 1\npaths:\n{_SECTION}{_SECTION.replace('/p', '/q')}b:\n  c: 1\n"
    assert _outcome(text) == _whole(text, monkeypatch)
    assert taken[0]


def test_without_a_copy_the_whole_text_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    text = f"paths:\n{_SECTION}{_SECTION.replace('/p', '/q')}"
    monkeypatch.setattr(forked, "_cores", lambda: 1)
    assert yaml_halves.parse_in_halves(text, lambda part, line: None, 1) is None


def test_a_small_text_is_parsed_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_halves, "MIN_SIZE", 256 * 1024)
    text = f"paths:\n{_SECTION}{_SECTION.replace('/p', '/q')}"
    assert yaml_halves.parse_in_halves(text, lambda part, line: None, 1) is None


_KEYS = st.text(alphabet="abcxyz/_-{}0123456789 ", min_size=1, max_size=6)
_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.sampled_from(["yes", "1e3", "- x", "a: b", "#c"]),
)
_TREES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=60, deadline=None)
@given(
    sections=st.dictionaries(
        _KEYS, st.dictionaries(_KEYS, _TREES, min_size=2, max_size=8), min_size=1, max_size=3
    ),
    width=st.sampled_from([20, 80, 1000]),
    flow=st.sampled_from([False, None]),
)
def test_random_documents_parse_in_halves_as_whole(
    sections: dict[str, Any], width: int, flow: bool | None
) -> None:
    text = yaml.safe_dump(
        sections, width=width, default_flow_style=flow, sort_keys=False, allow_unicode=True
    )
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _outcome(text) == _whole(text, monkeypatch)
