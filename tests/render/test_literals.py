"""py_literal writes Python source that reads back as the very JSON value, on one line."""

from __future__ import annotations

import ast
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.render.typehints import py_literal

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(value=_JSON)
def test_a_literal_reads_back_as_its_value(value: Any) -> None:
    source = py_literal(value)
    assert "\n" not in source and "\r" not in source
    assert source.isprintable()
    back = ast.literal_eval(source)
    assert back == value  # 1.0 is written 1, which compares equal


def test_strings_are_double_quoted_with_json_escapes() -> None:
    assert py_literal('say "hi"\n\t\\') == '"say \\"hi\\"\\n\\t\\\\"'
    assert py_literal("é") == '"é"'
    assert py_literal("\u202e") == '"\\u202e"'  # a bidi control is spelt, not kept raw
