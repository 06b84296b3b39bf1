"""yaml_text writes exactly the bytes of dump_yaml's node path (yaml_nodes + libyaml's emitter),
or steps aside for what it does not cover."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.ingest import document
from codegen.ingest.yaml_lines import parse_with_lines
from codegen.ingest.yaml_text import yaml_text

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    [
        *(ROOT / "tests" / "corpus").glob("*.yaml"),
        *(ROOT / "tests" / "corpus").glob("*.json"),
        *(ROOT / "bench" / "documents").glob("*.yaml"),
        *(ROOT / "specs").glob("*.yaml"),
        *(ROOT / "specs" / "reference").glob("*.yaml"),
    ]
)


@contextmanager
def _node_path_only() -> Iterator[None]:
    original = document.yaml_text
    document.yaml_text = lambda data: None
    try:
        yield
    finally:
        document.yaml_text = original


def _node_path(data: Any) -> str:
    with _node_path_only():
        return document.dump_yaml(data)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_every_document_is_written_as_the_node_path_writes_it(path: Path) -> None:
    data = parse_with_lines(path.read_text(encoding="utf-8"), file=path.name).data
    assert yaml_text(data) == _node_path(data)


def test_a_merged_build_output_is_written_as_the_node_path_writes_it() -> None:
    """The merged openapi.yaml of the seeds: shared schemas (anchors) and emitted shapes."""
    from codegen.ir.emit import emit_openapi
    from codegen.pipeline import load, merge_loaded

    sources = sorted((ROOT / "specs").glob("*.yaml"))
    merged = emit_openapi(merge_loaded(load(sources)).api)
    assert yaml_text(merged) == _node_path(merged)


def test_shared_containers_become_anchors_and_aliases_in_libyamls_order() -> None:
    shared, items, empty = {"type": "string"}, [1, 2], {}
    data = {"a": shared, "b": [shared, items, empty], "c": items, "d": {"e": shared}, "f": empty}
    text = yaml_text(data)
    assert text == _node_path(data)
    assert "&id001" in text and "*id003" in text


def test_a_container_that_contains_itself_is_written_as_the_node_path_writes_it() -> None:
    loop: dict[str, Any] = {"name": "x"}
    loop["self"] = [loop]
    assert yaml_text(loop) == _node_path(loop)


@pytest.mark.parametrize(
    "data",
    [
        "a scalar root",
        5,
        None,
        {"a": (1, 2)},
        {"a": b"bytes"},
        {(1, 2): "tuple key"},
        {"a": "lone surrogate \ud800"},
        {"a": {"b": object()}},
    ],
    ids=lambda data: re.sub(r" at 0x[0-9a-f]+", "", repr(data)),  # the same in every worker
)
def test_what_it_does_not_cover_goes_to_the_node_path(data: Any) -> None:
    assert yaml_text(data) is None


def test_deep_nesting_past_the_recursion_limit_goes_to_the_node_path() -> None:
    deep: list[Any] = []
    for _ in range(5000):
        deep = [deep]
    assert yaml_text(deep) is None


def test_dump_yaml_still_raises_what_the_node_path_raises() -> None:
    with pytest.raises(UnicodeEncodeError):
        document.dump_yaml({"a": "\udc00"})


_WORDS = st.sampled_from(
    ["", " ", "  ", "yes", "No", "null", "~", "1e3", "1.0", "0x1F", "12:30", "2024-01-01", "=",
     "<<", "---", "...", "- a", "? b", ": c", "a: b", "a #b", "#c", "'", '"', "\\", "|", ">",
     "&x", "*y", "!t", "%", "@", "`", "[", "]", "{", "}", ",", "\t", "\n", "\r", "\r\n",
     "\x85", "\u2028", "\u2029", "\ufeff", "\x00", "\x07", "\x1b", "\x7f", "\x9f", "\xa0", "é",
     "漢字", "\U0001f600", "\ufffe", "word", "x" * 40]
)  # fmt: skip
_TEXT = st.one_of(
    _WORDS,
    st.lists(_WORDS, max_size=30).map(" ".join),
    st.lists(_WORDS, max_size=12).map("".join),
    st.lists(
        st.sampled_from(["lorem", "ipsum", "dolor", "sit", "a", "bb", " ", "\n"]), max_size=90
    ).map(" ".join),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=160),
)
_SCALARS = st.one_of(
    _TEXT,
    st.integers(),
    st.integers(min_value=10**120, max_value=10**140),
    st.floats(),
    st.booleans(),
    st.none(),
)
_KEYS = st.one_of(_TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
_DATA = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(_KEYS, children, max_size=5),
    ),
    max_leaves=30,
)


def _deepen(data: Any, depth: int) -> Any:
    """The value under ``depth`` levels of keys: long text then starts far to the right."""
    for level in range(depth):
        data = {f"k{level}": data} if level % 3 else [data]
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(st.dictionaries(_KEYS, _DATA, max_size=6), st.lists(_DATA, max_size=6)),
    depth=st.integers(0, 60),
)
def test_random_data_is_written_as_the_node_path_writes_it(data: Any, depth: int) -> None:
    value = _deepen(data, depth)
    assert yaml_text(value) == _node_path(value)


@settings(max_examples=100, deadline=None)
@given(data=st.dictionaries(_KEYS, _DATA, max_size=4), share=st.integers(0, 3))
def test_random_shared_values_are_written_as_the_node_path_writes_them(
    data: dict[Any, Any], share: int
) -> None:
    value = {"x": data, "y": [data] * share, "z": {"w": data, "v": list(data)}}
    assert yaml_text(value) == _node_path(value)


def test_the_tags_it_resolves_are_the_dumpers() -> None:
    """yaml_text asks PyYAML's default resolver what a plain text reads as; dump_yaml's dumper
    must resolve with that same table (and no path resolvers) for the bytes to agree."""
    import yaml

    assert (
        document._Dumper.yaml_implicit_resolvers == yaml.resolver.Resolver.yaml_implicit_resolvers
    )
    assert not document._Dumper.yaml_path_resolvers


@st.composite
def _shared_graph(draw: st.DrawFn) -> Any:
    """Containers that reuse earlier ones as mapping values, sequence items or both (and
    sometimes an ancestor: a cycle), so anchors are found while writing or by the walk."""
    pool: list[Any] = []
    for _ in range(draw(st.integers(1, 8))):
        container: Any = {} if draw(st.booleans()) else []
        for _ in range(draw(st.integers(0, 4))):
            child = draw(st.sampled_from(pool)) if pool and draw(st.booleans()) else draw(_SCALARS)
            if isinstance(container, dict):
                container[draw(_KEYS)] = child
            else:
                container.append(child)
        pool.append(container)
    if draw(st.integers(0, 4)) == 0:
        target = draw(st.sampled_from(pool))
        if isinstance(target, dict):
            target["again"] = pool[-1]
        else:
            target.append(pool[-1])
    return {"root": pool[-1], "all": {f"k{i}": c for i, c in enumerate(pool)}}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_shared_graph())
def test_random_shared_graphs_are_written_as_the_node_path_writes_them(data: Any) -> None:
    assert yaml_text(data) == _node_path(data)


def test_anchors_found_while_writing_need_no_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Containers shared only as mapping values: the first pass names them itself."""
    from codegen.ingest import yaml_text as module

    def refuse(_data: Any) -> dict[int, str]:
        raise AssertionError("the anchor walk ran")

    shared, empty = {"type": "string"}, []
    data = {"a": {"schema": shared}, "b": {"schema": shared, "e": empty}, "c": empty, "d": shared}
    expected = _node_path(data)
    monkeypatch.setattr(module, "_anchors", refuse)
    assert yaml_text(data) == expected


def test_the_character_classes_are_libyamls_printable_ranges_exactly() -> None:
    """The escaping classes are written as the complement of the printable ranges (cheaper to
    compile); every code point is judged as the ranges themselves judge it."""
    from codegen.ingest import yaml_text as module

    printable = "\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    special = re.compile(f"[^\n{printable}]")
    escaped = re.compile(f'[^{printable}]|["\\\\\r\n\x85\u2028\u2029]')
    every = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in module._SPECIAL.finditer(every)] == [
        m.start() for m in special.finditer(every)
    ]
    assert [m.start() for m in module._DOUBLE_ESCAPED.finditer(every)] == [
        m.start() for m in escaped.finditer(every)
    ]
