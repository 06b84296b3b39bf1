"""The docstring fill for text with single spaces between words is textwrap's, line for line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.render.docs import _fill, _textwrap_fill

words = st.text(
    alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=30
)
spaced = st.lists(words, min_size=1, max_size=40).map(" ".join)
anything = st.text(alphabet=" \t\n\u00a0\u2003ab-.`x", max_size=200)


@settings(max_examples=400, deadline=None)
@given(
    text=spaced | anything, width=st.integers(min_value=8, max_value=100), hang=st.integers(0, 4)
)
def test_the_fill_is_textwrap_s(text: str, width: int, hang: int) -> None:
    assert _fill(text, width, " " * hang) == _textwrap_fill(text, width, " " * hang)


def test_long_words_stand_alone_and_the_hanging_indent_counts() -> None:
    text = "a " + "x" * 30 + " b c d e"
    assert _fill(text, 10, "  ") == ["a", "  " + "x" * 30, "  b c d e"]
    assert _fill(text, 10, "  ") == _textwrap_fill(text, 10, "  ")
