"""RFC 6901 pointers: joined tokens are escaped (``~`` then ``/``) and split back unchanged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from codegen.jsonpointer import escape, join, split, unescape

_TOKENS = st.lists(st.one_of(st.text(alphabet="ab~/01 ", max_size=6), st.integers(0, 99)))


@given(tokens=_TOKENS)
def test_joined_tokens_split_back_as_written(tokens: list[str | int]) -> None:
    pointer = join("", *tokens)
    assert split(pointer) == [str(token) for token in tokens]
    assert pointer == "".join("/" + escape(token) for token in tokens)


def test_tilde_is_escaped_before_slash() -> None:
    assert join("/paths", "/v1/{id}", "~1") == "/paths/~1v1~1{id}/~01"
    assert join("", 0, "") == "/0/"
    assert join("/a") == "/a"
    assert unescape("~01") == "~1"
