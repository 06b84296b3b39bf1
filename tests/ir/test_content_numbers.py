"""Content numbers: equal decoded JSON gets one number, different JSON never shares one."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.ir.content import ContentNumbers

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, min_value=-2, max_value=2),
    st.sampled_from(["", "a", "1", "true", "null"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "type", "1"]), inner, max_size=3)
    ),
    max_leaves=12,
)


def same_json(left: Any, right: Any) -> bool:
    """Equal with types told apart (1, 1.0 and True differ) and key order kept."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(same_json(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same_json, left, right))
    if isinstance(left, float):
        return repr(left) == repr(right)
    return bool(left == right)


def test_equal_trees_of_different_identity_share_a_number() -> None:
    numbers = ContentNumbers()
    tree = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    assert numbers.number(tree) == numbers.number(copy.deepcopy(tree))
    assert numbers.number(tree) == numbers.number(json.loads(json.dumps(tree)))


def test_types_and_key_order_tell_trees_apart() -> None:
    numbers = ContentNumbers()
    found = {
        numbers.number(value)
        for value in (
            [1],
            [1.0],
            [True],
            ["1"],
            [0.0],
            [-0.0],
            [None],
            [[]],
            [{}],
            {"a": 1, "b": 2},
            {"b": 2, "a": 1},
        )
    }
    assert len(found) == 11


def test_a_container_inside_itself_gets_a_number_of_its_own() -> None:
    numbers = ContentNumbers()
    loop: list[Any] = [1]
    loop.append(loop)
    other: list[Any] = [1]
    other.append(other)
    assert numbers.number(loop) != numbers.number(other)
    assert numbers.number(loop) == numbers.number(loop)


@settings(max_examples=300, deadline=None)
@given(JSON, JSON)
def test_numbers_agree_with_strict_equality(left: Any, right: Any) -> None:
    numbers = ContentNumbers()
    wrapped_left, wrapped_right = [left], [copy.deepcopy(right)]
    assert (numbers.number(wrapped_left) == numbers.number(wrapped_right)) == same_json(left, right)
