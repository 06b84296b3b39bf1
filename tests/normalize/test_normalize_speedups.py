"""The shortcuts the normalize rules take answer as the plain computations they replace."""

from __future__ import annotations

import pytest

from codegen.normalize.rules import unknown_shape

_MARKS = [
    set(),
    {"/a"},
    {"/a/b"},
    {"/a/b/c"},
    {"/a/b/c/d"},
    {"/a~1b"},
    {"/x", "/a/b/c/d"},
    {""},
    {"a/b/c/d"},
    {"//x/y"},
]
_POINTERS = ["/a/b/c", "/a", "/a~1b/c", "/a/b/c/d", "/a/b/c/d/e", "a/b/c/d/e", "//x/y/z", "/x/y"]


@pytest.mark.parametrize("marks", _MARKS, ids=lambda marks: repr(sorted(marks)))
@pytest.mark.parametrize("pointer", _POINTERS)
def test_marked_heads_answer_as_the_level_by_level_probe(marks: set[str], pointer: str) -> None:
    marked = unknown_shape._Marked()
    for mark in sorted(marks):
        marked.add(mark)
    assert marked.covers(pointer) is unknown_shape._under_any(pointer, marks)
