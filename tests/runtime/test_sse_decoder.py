"""SSEDecoder: event-stream field rules, line endings, and chunks split at arbitrary bytes."""

from __future__ import annotations

import itertools
import json
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

# A realistic chat stream: CRLF line ends, a keep-alive comment, multi-byte UTF-8 content and a
# final `data: [DONE]` with no blank line after it (as in the DeepSeek documentation's example).
CHUNKS = [
    {"id": "c1", "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]},
    {"id": "c1", "choices": [{"index": 0, "delta": {"content": "Héllo"}}]},
    {"id": "c1", "choices": [{"index": 0, "delta": {"content": " 你好 🙂"}}]},
    {"id": "c1", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
]
REAL_STREAM = (
    b": keep-alive\r\n\r\n"
    + b"".join(
        b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\r\n\r\n" for chunk in CHUNKS
    )
    + b"data: [DONE]"
)


def decode(rt: ModuleType, *chunks: bytes) -> list[Any]:
    """Feed the chunks one by one, then flush."""
    decoder = rt._streaming.SSEDecoder()
    events: list[Any] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    events.extend(decoder.flush())
    return events


def datas(events: list[Any]) -> list[str]:
    return [event.data for event in events]


def test_single_data_line_dispatched_on_blank_line(rt: ModuleType) -> None:
    """`data: x` then a blank line is one event with data "x" and no type, id or retry."""
    assert decode(rt, b"data: hello\n\n") == [rt._streaming.ServerSentEvent(data="hello")]


def test_no_event_before_the_blank_line(rt: ModuleType) -> None:
    """An event is only dispatched once its blank line has arrived."""
    decoder = rt._streaming.SSEDecoder()
    assert decoder.feed(b"data: a\n") == []
    assert datas(decoder.feed(b"\n")) == ["a"]


def test_multi_line_data_joined_with_newline(rt: ModuleType) -> None:
    """Several `data:` lines in one event are joined with "\\n"."""
    assert datas(decode(rt, b"data: first\ndata: second\ndata: third\n\n")) == [
        "first\nsecond\nthird"
    ]


def test_comment_lines_ignored(rt: ModuleType) -> None:
    """Lines starting with a colon are comments; a comment-only block dispatches nothing."""
    assert decode(rt, b": ping\n\n: another\ndata: x\n: inside\n\n") == [
        rt._streaming.ServerSentEvent(data="x")
    ]


def test_event_field_sets_type(rt: ModuleType) -> None:
    """`event:` names the event; the name does not carry over to the next event."""
    events = decode(rt, b"event: delta\ndata: 1\n\ndata: 2\n\n")
    assert [(e.event, e.data) for e in events] == [("delta", "1"), (None, "2")]


def test_id_persists_until_changed_and_nul_id_ignored(rt: ModuleType) -> None:
    """The last event id carries over to later events; an id containing NUL is ignored."""
    events = decode(rt, b"id: 7\ndata: a\n\ndata: b\n\nid: 8\x00\ndata: c\n\nid: 9\ndata: d\n\n")
    assert [(e.id, e.data) for e in events] == [("7", "a"), ("7", "b"), ("7", "c"), ("9", "d")]


def test_retry_field_digits_only(rt: ModuleType) -> None:
    """`retry:` with ASCII digits is reported as an int; any other value is ignored."""
    events = decode(rt, b"retry: 3000\ndata: a\n\nretry: 3s\ndata: b\n\n")
    assert [(e.retry, e.data) for e in events] == [(3000, "a"), (None, "b")]


def test_unknown_fields_ignored(rt: ModuleType) -> None:
    """Unknown field names are ignored, and a block of only unknown fields dispatches nothing."""
    assert datas(decode(rt, b"foo: bar\n\nfoo: bar\ndata: x\n\n")) == ["x"]


def test_field_without_colon_has_empty_value(rt: ModuleType) -> None:
    """A line with no colon is a field name with an empty value (`data` adds an empty line)."""
    assert datas(decode(rt, b"data\n\ndata\ndata: x\n\n")) == ["", "\nx"]


def test_only_one_leading_space_stripped(rt: ModuleType) -> None:
    """One space after the colon is dropped, further spaces are data; no space is fine too."""
    assert datas(decode(rt, b"data:  two\n\ndata:none\n\ndata: trail \n\n")) == [
        " two",
        "none",
        "trail ",
    ]


@pytest.mark.parametrize(
    "ending",
    [b"\n", b"\r\n", b"\r"],
    ids=["lf", "crlf", "cr"],
)
def test_each_line_ending(rt: ModuleType, ending: bytes) -> None:
    """LF, CRLF and lone CR all end lines, and two of them end an event."""
    raw = ending.join([b"event: e", b"data: a", b"data: b", b"", b"data: c", b"", b""])
    events = decode(rt, raw)
    assert [(e.event, e.data) for e in events] == [("e", "a\nb"), (None, "c")]


def test_mixed_line_endings_in_one_stream(rt: ModuleType) -> None:
    """A stream may mix CR, LF and CRLF freely."""
    assert datas(decode(rt, b"data: a\rdata: b\r\n\ndata: c\n\r")) == ["a\nb", "c"]


def test_crlf_split_across_chunks_is_one_line_end(rt: ModuleType) -> None:
    """A chunk ending in CR then one starting with LF is one CRLF, not an extra blank line."""
    events = decode(rt, b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n")
    assert datas(events) == ["a\nb"]


def test_cr_at_chunk_end_then_other_text(rt: ModuleType) -> None:
    """A lone CR at a chunk's end still ends the line when the next chunk is not LF."""
    assert datas(decode(rt, b"data: a\r", b"\r", b"data: b\n\n")) == ["a", "b"]


def test_split_inside_line_and_field_name(rt: ModuleType) -> None:
    """Chunks may split a field name, the colon and the value anywhere."""
    assert datas(decode(rt, b"da", b"ta", b":", b" he", b"llo\n", b"\n")) == ["hello"]


def test_split_inside_utf8_character_at_every_byte(rt: ModuleType) -> None:
    """A multi-byte UTF-8 character cut between two chunks is decoded intact."""
    raw = "data: héllo 你好 🙂\n\n".encode()
    for cut in range(1, len(raw)):
        assert datas(decode(rt, raw[:cut], raw[cut:])) == ["héllo 你好 🙂"], cut


def test_invalid_utf8_replaced_not_raised(rt: ModuleType) -> None:
    """Bytes that are not UTF-8 become U+FFFD instead of failing the whole stream."""
    assert datas(decode(rt, b"data: a\xffb\n\n")) == ["a\ufffdb"]


def test_trailing_event_without_blank_line_dispatched_at_eof(rt: ModuleType) -> None:
    """At end of input an event with no final blank line (or no final newline) is dispatched."""
    assert datas(decode(rt, b"data: a\n\ndata: last")) == ["a", "last"]
    assert datas(decode(rt, b"data: last\n")) == ["last"]
    assert datas(decode(rt, b"data: last\r")) == ["last"]


def test_flush_with_nothing_pending(rt: ModuleType) -> None:
    """Flushing after complete events (or an empty input) dispatches nothing more."""
    assert datas(decode(rt, b"data: a\n\n")) == ["a"]
    assert decode(rt) == []
    assert decode(rt, b": only a comment") == []


def test_byte_order_mark_at_start_stripped(rt: ModuleType) -> None:
    """A UTF-8 BOM at the start of the stream is not part of the first field name."""
    assert datas(decode(rt, b"\xef\xbb", b"\xbfdata: x\n\n")) == ["x"]


def test_iter_events_over_chunk_iterable(rt: ModuleType) -> None:
    """iter_events decodes a whole iterable of chunks and flushes at its end."""
    decoder = rt._streaming.SSEDecoder()
    assert datas(list(decoder.iter_events([b"data: a\n", b"\ndata: b"]))) == ["a", "b"]


@pytest.mark.anyio
async def test_aiter_events_over_async_chunks(rt: ModuleType) -> None:
    """aiter_events decodes an async iterable of chunks and flushes at its end."""

    async def chunks() -> Any:
        for chunk in (b"data: a\r", b"\n\r\ndata: b"):
            yield chunk

    decoder = rt._streaming.SSEDecoder()
    assert datas([event async for event in decoder.aiter_events(chunks())]) == ["a", "b"]


def test_server_sent_event_json(rt: ModuleType) -> None:
    """ServerSentEvent.json() decodes the data."""
    assert rt._streaming.ServerSentEvent(data='{"a": [1]}').json() == {"a": [1]}


def test_real_stream_decoded_whole(rt: ModuleType) -> None:
    """The reference chat stream gives one event per chunk plus the [DONE] terminator."""
    events = decode(rt, REAL_STREAM)
    assert [json.loads(e.data) for e in events[:-1]] == CHUNKS
    assert events[-1].data == "[DONE]"


@settings(max_examples=300, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=len(REAL_STREAM)), max_size=40))
def test_real_stream_split_anywhere(rt: ModuleType, cuts: list[int]) -> None:
    """Splitting the reference stream at any set of byte offsets yields the same events."""
    bounds = [0, *sorted(cuts), len(REAL_STREAM)]
    chunks = [REAL_STREAM[a:b] for a, b in itertools.pairwise(bounds)]
    assert decode(rt, *chunks) == decode(rt, REAL_STREAM)


_line_text = st.text(
    alphabet=st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)),
    max_size=12,
)
_event = st.tuples(
    st.one_of(st.none(), _line_text.filter(lambda name: name != "")),
    st.lists(_line_text, min_size=1, max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(
    events=st.lists(_event, min_size=1, max_size=6),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=20),
)
def test_generated_streams_round_trip(
    rt: ModuleType, events: list[tuple[str | None, list[str]]], ending: str, cuts: list[int]
) -> None:
    """Any events written with any line ending and split anywhere decode back to themselves."""
    lines: list[str] = []
    for name, data_lines in events:
        if name is not None:
            lines.append(f"event: {name}")
        lines.extend(f"data: {line}" for line in data_lines)
        lines.append("")
    raw = ending.join([*lines, ""]).encode()
    bounds = [0, *sorted(cut % (len(raw) + 1) for cut in cuts), len(raw)]
    chunks = [raw[a:b] for a, b in itertools.pairwise(bounds)]
    decoded = decode(rt, *chunks)
    assert [(e.event, e.data) for e in decoded] == [
        (name, "\n".join(data_lines)) for name, data_lines in events
    ]
