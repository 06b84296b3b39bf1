"""The one-walk reader (yaml_values) gives exactly what the general path (_record_lines, then
PyYAML's constructor) gives: the same data, lines, duplicate keys and errors, or steps aside."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.errors import SpecgenError
from codegen.ingest import yaml_lines, yaml_values

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    [
        *(ROOT / "tests" / "corpus").glob("*.yaml"),
        *(ROOT / "bench" / "documents").glob("*.yaml"),
        *(ROOT / "specs").glob("*.yaml"),
        *(ROOT / "specs" / "reference").glob("*.yaml"),
        *(ROOT / "tests" / "hostile").glob("*.yaml"),
    ]
)


@contextmanager
def _general_path_only() -> Iterator[None]:
    original = yaml_lines.values_with_lines
    yaml_lines.values_with_lines = lambda *args: None
    try:
        yield
    finally:
        yaml_lines.values_with_lines = original


def _strict(value: Any) -> Any:
    """The value with every scalar's type kept (``1 == True == 1.0`` in Python)."""
    if isinstance(value, dict):
        return ("dict", [(_strict(k), _strict(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_strict(item) for item in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _outcome(text: str) -> Any:
    try:
        parsed = yaml_lines.parse_with_lines(text, file="doc.yaml", first_line=3)
    except SpecgenError as error:  # the only exception either path may raise (``!!int abc`` too)
        return ("error", error.message, error.line, error.column, error.pointer)
    return (_strict(parsed.data), list(parsed.lines.items()), parsed.duplicates, parsed.tab_lines)


def _both(text: str) -> tuple[Any, Any]:
    fast = _outcome(text)
    with _general_path_only():
        slow = _outcome(text)
    return fast, slow


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_every_yaml_document_reads_the_same_on_both_paths(path: Path) -> None:
    fast, slow = _both(path.read_text(encoding="utf-8", errors="replace"))
    assert fast == slow


def test_the_big_document_takes_the_one_walk() -> None:
    """The fast path is the one that runs on a real document (it does not always step aside)."""
    text = (ROOT / "bench" / "documents" / "openai_openapi_2026-08.yaml").read_text("utf-8")
    loader = yaml_lines._OpenAPILoader(text)
    try:
        node = loader.get_single_node()
        assert yaml_values.values_with_lines(loader, node, 0, 10**9) is not None
    finally:
        loader.dispose()


HOSTILE = {
    "anchors": "a: &x {b: [1, 2]}\nc: *x\nd: [*x, *x]\n",
    "scalar_anchor": "a: &s text\nb: *s\n",
    "merge_key": "base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n",
    "merge_list": "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n",
    "tags": "a: !!str 12\nb: !!int '7'\nc: !!float '1'\nd: !!binary aGk=\n",
    "set": "a: !!set {x, y}\n",
    "omap": "a: !!omap [{x: 1}, {y: 2}]\n",
    "custom_tag": "a: !thing 1\n",
    "bad_int": "a: !!int abc\n",
    "bad_float": "a: [1, !!float x]\n",
    "bad_bool": "a: {b: !!bool maybe}\n",
    "bad_timestamp": "a: !!timestamp nope\n",
    "bad_binary": "a: !!binary '@@@'\n",
    "binary": "a: !!binary aGk=\n",
    "huge_int": "a: 1" + "0" * 5000 + "\n",
    "bad_map": "a: !!map x\n",
    "set_key": "? !!set {a}\n: 1\n",
    "two_bad_values": "a: !!int x\nb: [!!float y]\n",
    "timestamp_tag": "a: !!timestamp 2024-01-01\n",
    "dates_stay_text": "a: 2024-01-01\nb: 12:30:00\n",
    "yaml11_scalars": "a: yes\nb: No\nc: ~\nd: 0x1F\ne: 0o17\nf: 1_000\ng: 1:30\nh: .inf\ni: -.NaN\n"
    "j: 1e3\nk: 1.5e+3\nl: '=' \nm: =\n200: ok\non: off\n",
    "duplicates": "a: 1\nb: {c: 1, c: 2}\na: [1]\na: {x: 1}\n",
    "flow": "{a: [1, {b: c}], 'd/e~f': {}, \"g\": []}\n",
    "non_scalar_key": "? [a, b]\n: 1\n",
    "mapping_key": "? {a: 1}\n: 1\n",
    "multi_documents": "a: 1\n---\nb: 2\n",
    "empty": "",
    "comment_only": "# nothing\n",
    "scalar_root": "just text\n",
    "sequence_root": "- 1\n- a: b\n- [x]\n",
    "tabs": "a:\n\tb: 1\n\tc: [1,\t2]\n",
    "bom": "\ufeffa: 1\n",
    "syntax_error": "a: [1, 2\nb: 3\n",
    "bad_indent": "a:\n  b: 1\n c: 2\n",
    "undefined_alias": "a: *nope\n",
    "self_alias": "a: &x [1, *x]\n",
    "deep": "a: " + "[" * 70 + "]" * 70 + "\n",
    "deep_block": "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v: 1\n",
    "alias_bomb": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    ),
    "escapes": "'a/b': 1\n'~c': {'d~1': 2}\n",
    "long_key": "? " + "k" * 1100 + "\n: 1\n",
    "null_key": "~: 1\nnull: 2\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_yaml_reads_the_same_on_both_paths(name: str) -> None:
    fast, slow = _both(HOSTILE[name])
    assert fast == slow


_UNMADE = ["bad_int", "bad_float", "bad_bool", "bad_timestamp", "bad_binary", "binary", "huge_int",
           "bad_map", "set_key", "non_scalar_key", "mapping_key", "set", "timestamp_tag"]  # fmt: skip


@pytest.mark.parametrize("name", _UNMADE)
def test_a_value_that_cannot_be_made_is_the_same_located_error_on_both_paths(name: str) -> None:
    """Not a ValueError or TypeError escaping: one SpecgenError at the value's line and column
    (the texts start on line 3), and the same one on both paths."""
    fast, slow = _both(HOSTILE[name])
    assert fast == slow
    kind, message, line, column, _pointer = fast
    assert kind == "error" and message and line == 3 and column is not None and column > 1


@pytest.mark.parametrize("name", ["merge_key", "tags", "set", "non_scalar_key", "bad_int"])
def test_unusual_nodes_go_to_the_general_path(name: str) -> None:
    loader = yaml_lines._OpenAPILoader(HOSTILE[name])
    try:
        node = loader.get_single_node()
        assert yaml_values.values_with_lines(loader, node, 0, 10**9) is None
    finally:
        loader.dispose()


def test_an_aliased_mapping_is_one_value_read_under_every_pointer() -> None:
    parsed = yaml_lines.parse_with_lines("a: &x {b: 1}\nc: [*x]\n", file="x.yaml")
    assert parsed.data["a"] is parsed.data["c"][0]
    assert parsed.lines == {"": 1, "/a": 1, "/c": 2, "/c/0": 1, "/c/0/b": 1, "/a/b": 1}


_PLAIN_WORDS = st.sampled_from(
    ["yes", "no", "on", "off", "y", "n", "true", "False", "NULL", "~", "", "1", "-1", "0x1f",
     "0o7", "0b11", "1_0", "1:20", "1.5", "1e3", "1.0e+3", ".inf", "-.Inf", ".nan", "=", "<<",
     "2024-01-01", "12:30", "a b", "#x", "- x", "'q'", '"d"', "é", "\u2028"]
)  # fmt: skip
_SCALARS = st.one_of(
    _PLAIN_WORDS, st.text(max_size=12), st.integers(), st.floats(), st.booleans(), st.none()
)
_DATA = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(_PLAIN_WORDS, st.text(max_size=6)), children, max_size=4),
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(data=_DATA, flow=st.sampled_from([False, True, None]), cut=st.integers(0, 400))
def test_random_yaml_reads_the_same_on_both_paths(data: Any, flow: bool | None, cut: int) -> None:
    """Dumped data (block, flow and mixed styles), whole and cut short (often a syntax error)."""
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    for candidate in (text, text[:cut], text.replace("'", "")):
        fast, slow = _both(candidate)
        assert fast == slow


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(_PLAIN_WORDS, st.text(max_size=8)), plain=st.booleans())
def test_the_remembered_tags_are_the_resolvers_tags(value: str, plain: bool) -> None:
    loader = yaml_lines._OpenAPILoader("")
    try:
        for _ in range(2):  # the second answer comes from the memo
            assert loader.resolve(yaml.ScalarNode, value, (plain, not plain)) == (
                yaml.resolver.BaseResolver.resolve(loader, yaml.ScalarNode, value, (plain, True))
            )
    finally:
        loader.dispose()


_NUMBER_TEXTS = [
    "0", "-0", "+0", "7", "+5", "-12", "010", "0o17", "0x1F", "0b101", "1_000", "190:20:30",
    "1.5", "-1.5", "+1.5", "-0.0", "0.", "-.5", ".5", "5.", "1.5e+3", "1.5E-3", "-2.5e+10",
    "1_0.5", "1:30.5", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "1e3", "1.5e3",
    "123456789012345678901234567890", "0.1000000000000000055511151231257827",
    "1.7976931348623157e+308", "1.8e+308", "4.9e-324", "!!float -.", "!!float .", "!!int +",
    "!!float 1.5", "!!int 12", "1" + "0" * 5000,
]  # fmt: skip


def _number_text() -> st.SearchStrategy[str]:
    digits = st.text("0123456789_", min_size=0, max_size=6)
    sign = st.sampled_from(["", "-", "+"])
    exponent = st.sampled_from(["", "e+5", "E-12", "e5", "e+400"])
    floats = st.builds(lambda s, a, b, e: f"{s}{a}.{b}{e}", sign, digits, digits, exponent)
    ints = st.builds(lambda s, a: f"{s}{a}", sign, st.text("0123456789_", min_size=1, max_size=8))
    return st.one_of(floats, ints, st.sampled_from(_NUMBER_TEXTS))


@pytest.mark.parametrize("text", _NUMBER_TEXTS, ids=lambda text: text[:40])
def test_numbers_read_the_same_on_both_paths(text: str) -> None:
    """The walk converts plain decimal numbers itself: the same value and type as PyYAML's
    constructor (octal ``010``, ``1_000``, base 60 and ``.inf`` still go through it)."""
    document = f"a: {text}\nb: [{text}, {text}]\n"
    fast, slow = _both(document)
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(text=_number_text())
def test_random_number_texts_read_the_same_on_both_paths(text: str) -> None:
    fast, slow = _both(f"- {text}\n- {{k: {text}}}\n")
    assert fast == slow


def test_plain_decimal_numbers_skip_the_constructor() -> None:
    """What the shortcut is for: an example of 1,000 floats calls no float constructor, while a
    form it leaves alone still does."""
    calls: list[str] = []
    loader = yaml_lines._OpenAPILoader(
        "v: [" + ", ".join(f"0.{i}" for i in range(1000)) + ", 1_0.5, .inf, 010, 12]\n"
    )
    constructors = dict(loader.yaml_constructors)
    for tag in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:int"):
        original = constructors[tag]
        constructors[tag] = lambda self, node, original=original: (
            calls.append(node.value) or original(self, node)
        )
    loader.yaml_constructors = constructors
    try:
        node = loader.get_single_node()
        walked = yaml_values.values_with_lines(loader, node, 0, 10**9)
    finally:
        loader.dispose()
    assert walked is not None
    values = walked[0]["v"]
    assert values[:3] == [0.0, 0.1, 0.2] and values[-4:] == [10.5, math.inf, 8, 12]
    assert calls == ["1_0.5", ".inf", "010"]
