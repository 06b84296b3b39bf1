"""The docstring fill for text with single spaces between words is textwrap's, line for line,
except that an inline code span is never split across lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.render.docs import _textwrap_fill, fill

words = st.text(
    alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc"), blacklist_characters="`"),
    min_size=1,
    max_size=30,
)
spaced = st.lists(words, min_size=1, max_size=40).map(" ".join)
anything = st.text(alphabet=" \t\n\u00a0\u2003ab-.x", max_size=200)
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


spans = st.lists(st.text(alphabet="ab/{}", min_size=1, max_size=12), min_size=1, max_size=4).map(
    lambda parts: "`" + " ".join(parts) + "`"
)
with_spans = st.lists(words | spans, min_size=1, max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=with_spans, width=st.integers(min_value=12, max_value=100))
def test_a_code_span_is_never_split(text: str, width: int) -> None:
    """Lines rejoin to the text; each holds whole spans; a line is over the width only when it
    is a single word or span."""
    lines = fill(text, width)
    assert " ".join(lines) == text
    for line in lines:
        assert line.count("`") % 2 == 0, line
        if len(line) > width:
            assert line.count(" ") == 0 or (line.startswith("`") and line.endswith("`")
                                             and line.count("`") == 2), line  # fmt: skip


def test_a_route_stays_on_one_line_and_a_stray_backtick_is_prose() -> None:
    route = "`DELETE /projects/{project_id}/service_accounts/{service_account_id}`"
    assert fill(f"Calls {route} now", 40) == ["Calls", route, "now"]
    assert fill("a stray ` tick and words", 12) == _textwrap_fill(
        "a stray ` tick and words", 12, "", ""
    )
