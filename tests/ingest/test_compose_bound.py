"""The cheap bound that lets a text skip the event-stream check must never call a deep text
shallow, and should not call a long line deep."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.ingest.yaml_limits import SAFE_COMPOSE_DEPTH, composes_safely, nesting_bound


def _depth(text: str) -> int:
    """Nesting of mappings and sequences, read from libyaml's events (the truth)."""
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
    return deepest


def _block_mappings(levels: int) -> str:
    return "".join(" " * level + f"k{level}:\n" for level in range(levels)) + " " * levels + "v\n"


def _hanging_sequences(levels: int) -> str:
    # "a:\n- b:\n  - c:" : a sequence at its key's column, two levels a column
    lines = []
    for level in range(levels):
        lines.append(" " * (2 * level) + f"- k{level}:")
    return "\n".join(lines) + "\n" + " " * (2 * levels) + "- v\n"


DEEP = SAFE_COMPOSE_DEPTH  # a text at least this deep must be called unsafe


@pytest.mark.parametrize(
    "text",
    [
        "- " * DEEP + "a\n",  # compact sequences on one line
        "? " * DEEP + "a\n",
        "[" * DEEP + "]" * DEEP,
        "{a: " * DEEP + "b" + "}" * DEEP,
        _block_mappings(DEEP),
        _hanging_sequences(DEEP // 2),
        "- " * (DEEP // 2) + "[" * (DEEP // 2) + "]" * (DEEP // 2),
    ],
)
def test_deep_texts_are_never_called_safe(text: str) -> None:
    assert not composes_safely(text)


def _node(tree: object, column: int, style: str) -> str:
    """YAML text of a tree of dicts, lists and strings, in block, compact or flow style."""
    pad = " " * column
    if isinstance(tree, dict):
        if style == "flow" or not tree:
            return "{" + ", ".join(f"{k}: {_node(v, 0, 'flow')}" for k, v in tree.items()) + "}"
        return "\n" + "\n".join(
            f"{pad}{k}:{' ' if not isinstance(v, dict | list) or not v else ''}"
            f"{_node(v, column + 2, style)}"
            for k, v in tree.items()
        )
    if isinstance(tree, list):
        if style == "flow" or not tree:
            return "[" + ", ".join(_node(v, 0, "flow") for v in tree) + "]"
        return "\n" + "\n".join(f"{pad}- {_node(v, column + 2, style).lstrip(chr(10))}"
                                 if not isinstance(v, dict) else
                                 f"{pad}-{_node(v, column + 2, style)}"
                                 for v in tree)  # fmt: skip
    return str(tree)


_TREES = st.recursive(
    st.sampled_from(["a", "b c", "[x]", "{y}"]),
    lambda inner: (
        st.lists(inner, min_size=1, max_size=3)
        | st.dictionaries(st.sampled_from(["k", "m", "n"]), inner, min_size=1, max_size=3)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(tree=_TREES, style=st.sampled_from(["block", "flow"]))
def test_the_bound_is_never_below_the_depth_libyaml_reads(tree: object, style: str) -> None:
    text = "root:" + _node(tree, 2, style) + "\n"
    try:
        depth = _depth(text)
    except yaml.YAMLError:
        return  # not YAML the generator meant; nothing to bound
    assert nesting_bound(text) >= depth


def test_a_long_description_line_does_not_make_a_shallow_text_look_deep() -> None:
    text = "info:\n  description: " + "word " * 4000 + "\npaths: {}\n"
    assert composes_safely(text)
    assert _depth(text) == 2


_START_PIECES = st.sampled_from([" ", "- ", "? ", ": ", "-", "x", "[", "{", "\n", "\r", "a: "])


@settings(max_examples=300, deadline=None)
@given(
    flow=st.integers(min_value=0, max_value=SAFE_COMPOSE_DEPTH + 2),
    width=st.integers(min_value=0, max_value=SAFE_COMPOSE_DEPTH // 2 + 2),
    line=st.lists(_START_PIECES, max_size=12),
    first=st.booleans(),
)
def test_the_verdict_is_the_full_bounds_wherever_the_widest_start_is(
    flow: int, width: int, line: list[str], first: bool
) -> None:
    """``composes_safely`` measures the widest block start only when one could be too wide;
    its verdict is the full bound's either way, for starts just below, at and above the limit,
    on the first line or a later one."""
    wide = " " * width + "".join(line) + "v\n"
    body = "[" * flow + "\n"
    text = wide + body if first else "k:\n" + body + wide
    assert composes_safely(text) == (nesting_bound(text) < SAFE_COMPOSE_DEPTH)


def test_a_wide_start_near_the_limit_is_measured() -> None:
    """Flow levels leave room for block starts up to a width; one character more is too deep."""
    flow = SAFE_COMPOSE_DEPTH - 100
    fits = "[" * flow + "\n" + " " * 48 + "v\n"  # 2 * (48 + 1) = 98 more levels: 4,998
    too_deep = "[" * flow + "\n" + " " * 49 + "v\n"  # 100 more: 5,000
    assert composes_safely(fits)
    assert not composes_safely(too_deep)
