"""The JSON path of parse_with_lines gives exactly what the YAML path gives, or steps aside."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.errors import SpecgenError
from codegen.ingest import json_lines, yaml_lines

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@contextmanager
def _yaml_path_only() -> Iterator[None]:
    original = yaml_lines._parse_json
    yaml_lines._parse_json = lambda text, offset: None
    try:
        yield
    finally:
        yaml_lines._parse_json = original


def _outcome(text: str, first_line: int = 1) -> Any:
    try:
        parsed = yaml_lines.parse_with_lines(text, file="doc.json", first_line=first_line)
    except SpecgenError as error:
        return ("error", error.message, error.line)
    return (parsed.data, list(parsed.lines.items()), parsed.duplicates, parsed.tab_lines)


def _both(text: str, first_line: int = 1) -> tuple[Any, Any]:
    fast = _outcome(text, first_line)
    with _yaml_path_only():
        slow = _outcome(text, first_line)
    return fast, slow


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.json")))
def test_every_corpus_json_document_reads_the_same_on_both_paths(name: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    fast, slow = _both(text)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]  # lines, in the same order
    assert fast[2:] == slow[2:]


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.json")))
def test_every_corpus_json_document_takes_the_json_path(name: str) -> None:
    """The scan gives up on none of them (the YAML path would give the same, a second slower)."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert json_lines.load_json(text) is not None
    assert json_lines.scan_lines(text, 0, yaml_lines.MAX_DEPTH) is not None


def test_the_json_path_is_the_one_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON text is read without libyaml composing a node (the point of the path)."""

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the YAML path ran")

    monkeypatch.setattr(yaml_lines._OpenAPILoader, "get_single_node", refuse)
    parsed = yaml_lines.parse_with_lines('{\n  "a": [1, {"b": 2}]\n}', file="x.json")
    assert parsed.data == {"a": [1, {"b": 2}]}
    assert parsed.lines == {"": 1, "/a": 2, "/a/0": 2, "/a/1": 2, "/a/1/b": 2}


@pytest.mark.parametrize(
    "text",
    [
        '{"a": NaN}',  # json reads a float, YAML a string
        '{"a": "\\ud83d\\ude00"}',  # json joins the pair, libyaml refuses it
        '{"a": "\x07"}',  # a character a YAML stream may not hold
        '{"a": 1,}',  # not JSON; YAML reads it
        '{"a": "b" # c\n}',  # a YAML comment
        "{a: b}",
        '{"a": 1}\n{"b": 2}',
        "[" * 70 + "]" * 70,  # deeper than the limit: YAML's refusal says where
        '{"a"\n: 1}',  # YAML's implicit key must end on its line
        '{"%s": 1}' % ("k" * 1030),  # and be at most 1,024 characters
        '{"a"%s: 1}' % (" " * 1100),
        "\t[]",  # a tab indenting a line outside the brackets: YAML's repair records it
        "[]\n\t\n",
        '{"a": 1}\r',  # a lone CR is a line break to YAML
        '{"a": "\u2028"}',
    ],
)
def test_texts_json_reads_differently_go_to_the_yaml_path(text: str) -> None:
    fast, slow = _both(text)
    assert fast == slow


def test_json_numbers_keep_yaml_types() -> None:
    """YAML 1.1 reads ``1e5`` (no dot) as a string; the JSON path keeps that."""
    parsed = yaml_lines.parse_with_lines('{"a": 1e5, "b": 1.5e+3, "c": 2, "d": -0.5}', file="x")
    assert parsed.data == {"a": "1e5", "b": 1500.0, "c": 2, "d": -0.5}
    assert json_lines.load_json("[NaN]") is None


def test_duplicate_keys_are_recorded_with_both_lines() -> None:
    parsed = yaml_lines.parse_with_lines('{\n"a": 1,\n"b": {"c": 1,\n"c": 2},\n"a": 3}', file="x")
    assert parsed.data == {"a": 3, "b": {"c": 2}}
    assert {(d.pointer, d.first_line, d.line) for d in parsed.duplicates} == {
        ("/a", 2, 5),
        ("/b/c", 3, 4),
    }


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
_KEYS = (
    st.text(max_size=6)
    | st.sampled_from(["a", "a/b", "~0", "<<", "", "$ref"])
    | st.integers(min_value=950, max_value=1030).map(lambda n: "k" * n)
)


def _pairs(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(st.tuples(_KEYS, children), max_size=4).map(lambda pairs: ("object", pairs))


_TREES = st.recursive(
    _SCALARS, lambda children: st.lists(children, max_size=4) | _pairs(children), max_leaves=25
)


def _write(tree: Any, draw_space: Any, ensure_ascii: bool) -> str:
    """JSON text for a tree whose objects are pair lists (so keys may repeat)."""
    space = draw_space()
    if isinstance(tree, tuple):
        body = ",".join(
            f"{draw_space()}{json.dumps(k, ensure_ascii=ensure_ascii)}{draw_space()}:"
            f"{draw_space()}{_write(v, draw_space, ensure_ascii)}"
            for k, v in tree[1]
        )
        return f"{space}{{{body}{draw_space()}}}"
    if isinstance(tree, list):
        body = ",".join(_write(item, draw_space, ensure_ascii) for item in tree)
        return f"{space}[{body}{draw_space()}]"
    return space + json.dumps(tree, ensure_ascii=ensure_ascii)


def _longest_key(tree: Any, ensure_ascii: bool) -> int:
    """The longest key of a tree written by ``_write``, as JSON text."""
    if isinstance(tree, tuple):
        return max(
            (
                max(
                    len(json.dumps(key, ensure_ascii=ensure_ascii)),
                    _longest_key(value, ensure_ascii),
                )
                for key, value in tree[1]
            ),
            default=0,
        )
    if isinstance(tree, list):
        return max((_longest_key(item, ensure_ascii) for item in tree), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(
    tree=_TREES.filter(lambda t: isinstance(t, list | tuple)),
    spaces=st.lists(
        st.sampled_from(["", " ", "\n", "  \n  ", "\t", "\n\t", "\r\n", " " * 70]), min_size=1
    ),
    ensure_ascii=st.booleans(),
    first_line=st.integers(min_value=1, max_value=40),
)
def test_random_json_texts_read_the_same_on_both_paths(
    tree: Any, spaces: list[str], ensure_ascii: bool, first_line: int
) -> None:
    cycle = iter(spaces * 10_000)
    text = _write(tree, lambda: next(cycle, ""), ensure_ascii)
    fast, slow = _both(text, first_line)
    assert fast == slow, repr(text)
    if json_lines.load_json(text) is not None and _longest_key(tree, ensure_ascii) <= (
        json_lines._LONGEST_KEY
    ):  # the scan gives up on a text json read only for a key YAML cannot take
        assert json_lines.scan_lines(text, first_line - 1, yaml_lines.MAX_DEPTH) is not None


def test_the_characters_yaml_refuses_are_its_ranges_exactly() -> None:
    """``_OUTSIDE_YAML`` is written as the complement of the characters a YAML stream may hold;
    every code point is judged as the ranges themselves judge it."""
    allowed = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    every = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in json_lines._OUTSIDE_YAML.finditer(every)] == [
        m.start() for m in allowed.finditer(every)
    ]
