"""The count of brackets that may open a flow collection (``flow_openings``) never falls below
the flow nesting libyaml reads, so a large document whose text holds many brackets (JSON
examples, markdown links) may skip the event-stream check only when it is surely shallow."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.ingest.yaml_limits import SAFE_COMPOSE_DEPTH, composes_safely, flow_openings

DEEP = SAFE_COMPOSE_DEPTH


def _flow_depth(text: str) -> int:
    """Open flow collections at the deepest point of libyaml's events (the truth)."""
    open_: list[bool] = []
    deepest = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            open_.append(bool(event.flow_style))
            deepest = max(deepest, sum(open_))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            open_.pop()
    return deepest


@pytest.mark.parametrize(
    "text",
    [
        "[" * DEEP + "]" * DEEP,
        "[\n" * DEEP + "]" * DEEP,
        "[ # a comment [\n" * DEEP + "]" * DEEP,
        "[\r" * DEEP + "]" * DEEP,
        "[\x85" * DEEP + "]" * DEEP,
        "{a: " * DEEP + "b" + "}" * DEEP,
        '{"a":' * DEEP + "1" + "}" * DEEP,
        "".join(f"[&a{i} " for i in range(DEEP)) + "]" * DEEP,
        "[!!seq " * DEEP + "]" * DEEP,
        "[? " * DEEP + "]" * DEEP,
        "--- " + "[" * DEEP + "]" * DEEP,
        "\ufeff" + "[" * DEEP + "]" * DEEP,
        "a: x\n... " + "[" * DEEP + "]" * DEEP,
        "- \t" * 10 + "[" * DEEP + "]" * DEEP,
    ],
)
def test_deep_flow_texts_are_never_called_safe(text: str) -> None:
    assert flow_openings(text) >= DEEP
    assert not composes_safely(text)


def test_a_shallow_text_full_of_brackets_in_its_text_is_called_safe() -> None:
    """Markdown links and brackets inside plain text are not where a node starts."""
    description = "See [the guide](https://example.com/a) and {placeholders} in text. " * 3000
    text = f"info:\n  description: {description}\n  summary: x\npaths: {{}}\n"
    assert text.count("[") + text.count("{") >= DEEP
    assert composes_safely(text)


_PROPERTY = st.sampled_from(["", "", "&a{n} ", "!t ", "!!seq ", "!!map ", "&b{n} !x "])
_GAP = st.sampled_from(["", " ", "\n", " # c [\n", "\t", "\r\n", "\n  "])
_SCALAR = st.sampled_from(["a", "'q [x'", '"d {y}"', "b [c]", "k: v", "1"])


@st.composite
def _flow(draw: st.DrawFn, depth: int = 0) -> str:
    """A flow node with properties, comments and line breaks between its tokens."""
    n = draw(st.integers(0, 999))
    prop = draw(_PROPERTY).format(n=n)
    if depth > 6 or draw(st.integers(0, 2)) == 0:
        return prop + draw(_SCALAR).replace("k: v", "kv")
    gap = draw(_GAP)
    items = [draw(_flow(depth + 1)) for _ in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        return prop + "[" + gap + ("," + draw(_GAP)).join(items) + gap + "]"
    keys = [draw(st.sampled_from(["k", "? k", '"j"'])) for _ in items]
    pairs = [f"{key}:{gap or ' '}{item}" for key, item in zip(keys, items, strict=True)]
    return prop + "{" + gap + ("," + draw(_GAP)).join(pairs) + gap + "}"


@settings(max_examples=400, deadline=None)
@given(
    node=_flow(),
    place=st.sampled_from(["{}", "a: {}", "- {}", "? {}\n: b", "a:\n  - {}", "--- {}", "- - {}"]),
)
def test_the_count_is_never_below_the_flow_nesting_libyaml_reads(node: str, place: str) -> None:
    text = place.format(node) + "\n"
    try:
        depth = _flow_depth(text)
    except yaml.YAMLError:
        return  # not YAML; the composer reports it where it stops
    assert flow_openings(text) >= depth


_FLOW_TEXT = st.text(
    alphabet=st.sampled_from(list("[{ \t,?:-&!.a]}#\n\r\x85\u2028\u2029\ufeff")), max_size=60
)


@settings(max_examples=300)
@given(text=_FLOW_TEXT)
def test_counting_line_by_line_counts_what_the_whole_text_matches(text: str) -> None:
    """Only the lines holding a bracket are searched, and the count is the whole text's."""
    from codegen.ingest.yaml_limits import _FLOW_OPENING

    assert flow_openings(text) == len(_FLOW_OPENING.findall(text))


@pytest.mark.parametrize(
    "text", ["a\n[", "-\n[", "a:\n  [", "...[", "&x\n [", "\ufeff[", "\r\n[", ":\n&a [ {"]
)
def test_a_line_start_sees_the_line_before(text: str) -> None:
    from codegen.ingest.yaml_limits import _FLOW_OPENING

    assert flow_openings(text) == len(_FLOW_OPENING.findall(text))
