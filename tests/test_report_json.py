"""REPAIRS.json through ``indented_json`` is json.dumps(indent=2)'s text byte for byte: on the
corpus documents' reports, on made-up values (unicode, floats orjson writes otherwise, huge
integers, nested empties, dataclasses, non-string keys) and on values json refuses."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.pipeline import load
from codegen.report import Finding, Report, _as_data, indented_json

CORPUS = Path(__file__).resolve().parent / "corpus"


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=False, ensure_ascii=False, default=_as_data)


@dataclass(frozen=True)
class _Point:
    x: float
    tags: tuple[str, ...] = ()


class _Mark(msgspec.Struct, frozen=True):
    """A record of the pipeline's kind (its records are msgspec Structs)."""

    name: str
    at: tuple[int, ...] = ()


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([1e16, 1e-05, 1.5e300, 5e-324, -0.0, 1e21, 123456.789])
    | st.text()
    | st.text(alphabet=st.characters(max_codepoint=0x40)).map(lambda text: text + '\n\t"\\')
)
values = st.recursive(
    scalars
    | st.builds(_Point, st.floats(allow_nan=False), st.tuples(st.text()))
    | st.builds(_Mark, st.text(), st.tuples(st.integers())),
    lambda inner: (
        st.lists(inner, max_size=6)
        | st.lists(inner, max_size=6).map(tuple)
        | st.dictionaries(st.text(), inner, max_size=6)
        | st.dictionaries(st.integers() | st.booleans() | st.none(), inner, max_size=3)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_any_value_is_written_as_json_writes_it(value: Any) -> None:
    assert indented_json(value) == _json(value)


@pytest.mark.parametrize(
    "value",
    [
        [],
        {},
        [[]],
        {"a": {}, "b": []},
        [1, 1e16, "x", [1e-05, {"a": []}], {}],
        {"k": (2**70, "é\u2028\x00")},
        [{"ok": 1}, {"exponent": 1e-07}, {"ok": 2}, {"ok": 3}],
        [float("nan"), math.inf, -math.inf],
        {"point": _Point(0.5, ("a",)), "after": [_Point(1e16)]},
        {"mark": _Mark("m", (1, 2)), "marks": [_Mark("é")]},
        {3: "a", 2.5: "b", None: "c", True: "d"},
        "\ud800 a lone surrogate",
        [[[[[[[[[[1e16]]]]]]]]]],
    ],
)
def test_the_cases_orjson_writes_otherwise_are_json_s_text(value: Any) -> None:
    assert indented_json(value) == _json(value)


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("depth", [253, 254, 255, 300])
def test_nesting_deeper_than_orjson_allows_is_still_json_s_text(depth: int) -> None:
    assert indented_json(_nested(depth)) == _json(_nested(depth))


def test_what_json_refuses_is_refused_alike() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    for value in (cycle, {"a": [cycle]}, {"x": object()}):
        with pytest.raises((ValueError, TypeError)) as ours:
            indented_json(value)
        with pytest.raises((ValueError, TypeError)) as theirs:
            _json(value)
        assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


@pytest.mark.parametrize(
    "name",
    ["openai_openapi.yaml", "discord_openapi.json", "anthropic_openapi.json", "ollama_api.md"],
)
def test_a_corpus_document_s_report_is_written_as_json_writes_it(name: str) -> None:
    report = load([CORPUS / name]).report
    assert report.findings
    payload = {"summary": report.counts(), "findings": [f.to_json() for f in report.findings]}
    assert report.to_json() == _json(payload) + "\n"


def test_a_report_with_an_exponent_float_is_written_part_by_part_and_alike() -> None:
    """orjson writes 1e-05 as 0.00001: that finding goes to json, the others to orjson."""
    report = Report()
    for number in range(5):
        report.add(Finding("r", "repair", "d", f"/{number}", "m", before=number, after=[1e-05]))
    report.add(Finding("r", "warning", "d", "/x", "m", before={"a": []}, after=_Point(2.0)))
    payload = {"summary": report.counts(), "findings": [f.to_json() for f in report.findings]}
    assert report.to_json() == _json(payload) + "\n"
