"""The docstring fill for text with single spaces between words is textwrap's, line for line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.render.docs import _textwrap_fill, fill

words = st.text(
    alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=30
)
spaced = st.lists(words, min_size=1, max_size=40).map(" ".join)
anything = st.text(alphabet=" \t\n\u00a0\u2003ab-.`x", max_size=200)
indents = st.sampled_from(["", " ", "    ", "        - "])


@settings(max_examples=400, deadline=None)
@given(text=spaced | anything, width=st.integers(min_value=12, max_value=100), first=indents,
       hanging=indents)  # fmt: skip
def test_the_fill_is_textwrap_s(text: str, width: int, first: str, hanging: str) -> None:
    expected = _textwrap_fill(text, width, first, hanging)
    assert fill(text, width, first=first, hanging=hanging) == expected


def test_long_words_stand_alone_and_both_indents_count() -> None:
    text = "a " + "x" * 30 + " b c d e"
    assert fill(text, 10, hanging="  ") == ["a", "  " + "x" * 30, "  b c d e"]
    assert fill(text, 10, first="    ", hanging="  ") == ["    a", "  " + "x" * 30, "  b c d e"]
    for first in ("", "    "):
        assert fill(text, 10, first=first, hanging="  ") == _textwrap_fill(text, 10, first, "  ")
    assert fill("", 10) == [""]
