"""A large YAML document parsed in two halves at once, the second by a forked copy of the process.

Parsing is most of a large YAML document's build (1 s of OpenAI's 3 MB one) and it is one long
pass on one core. An OpenAPI document is a block mapping whose big sections (``paths``,
``components``) are block mappings too, so the text can be cut at a line that starts one of
their entries, halfway down: the head is a document on its own, and the tail becomes one when the
section's key is written above it. The copy parses the tail while this process parses the head,
and the two mappings are joined.

The cut is taken only where nothing can straddle it, as far as the text shows: every line in the
first column is a plain ``key:`` entry, no directive, document marker or tab indentation
appears, and the cut line sits at the section's own indentation. Whatever straddles it all the
same (a quoted or flow scalar running over several lines) leaves the head unterminated, which
fails. Any failure, an alias reaching across, a key written in both halves, or no copy to be had
sends the caller back to parsing the whole text, so the result is always the whole text's.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import SpecgenError
from ..forked import Forked, can_fork
from ..jsonpointer import join

MIN_SIZE = 256 * 1024
"""Below it the fork and the hand-over of the tail's values cost what the halving saves."""

_TOP_LINE = re.compile(r"^(?![ \t\r\n#]).+$", re.MULTILINE)
_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")
"""Line breaks to libyaml besides the line feed."""
_REFUSED = re.compile(r"^(?:%|---|\.\.\.)", re.MULTILINE)
_CUT_START = " #-?:,[]{}&*!|>'\"%@`\t\r\n"
"""Characters a line starting a plain entry cannot begin with (after its indentation)."""
_SECTION = re.compile(r"[ ]*(\S.*?):[ \t]*(?:#.*)?")
"""A key line whose value is a block below it (nothing after the colon but a comment)."""
_DESCEND_FROM = 8
"""An entry holding more than 1/8 of the text is cut inside rather than beside."""


class _Parsed(Protocol):
    """What a part's parse gives (``yaml_lines.Parsed``)."""

    @property
    def data(self) -> Any: ...
    @property
    def lines(self) -> dict[str, int]: ...
    @property
    def duplicates(self) -> tuple[Any, ...]: ...


@dataclass(frozen=True)
class Cut:
    """Where a text is cut: ``head`` is ``text[:at]``; ``tail`` is the key lines of the entries
    the cut falls in (``depth`` of them) and ``text[at:]``, whose first line is line
    ``tail_line`` of the original text."""

    head: str
    tail: str
    tail_line: int
    depth: int


def cut(text: str) -> Cut | None:
    """The cut closest to the middle of ``text``, or None where none is surely clean."""
    if _OTHER_BREAKS.search(text) or text.startswith("\ufeff") or _REFUSED.search(text):
        return None  # lines are counted by line feeds alone here
    tops = [line.start() for line in _TOP_LINE.finditer(text)]
    if not tops or any(text[at] in _CUT_START for at in tops):
        return None  # a top-level sequence, flow mapping or quoted key: not sure
    middle = len(text) // 2
    starts, end, headers = tops, len(text), []
    while True:
        index = max(0, bisect.bisect_right(starts, middle) - 1)
        entry_end = starts[index + 1] if index + 1 < len(starts) else end
        inner = _entries_inside(text, starts[index], entry_end)
        if inner is None or (entry_end - starts[index]) * _DESCEND_FROM < len(text):
            break
        headers.append(text[starts[index] : text.index("\n", starts[index]) + 1])
        starts, end = inner, entry_end
    # The entry the middle falls in, or the next one if that is closer; never the first of a
    # block, which would leave its key without entries in the head.
    choices = [at for at in starts[index : index + 2] if at != starts[0] or not headers]
    choices = [at for at in choices if at > 0]
    if not headers or not choices:
        return None
    at = min(choices, key=lambda at: abs(at - middle))
    return Cut(text[:at], "".join(headers) + text[at:], text.count("\n", 0, at) + 1, len(headers))


def _entries_inside(text: str, start: int, end: int) -> list[int] | None:
    """The starts of the lines that begin the entries of the block mapping written below the key
    line at ``start`` (up to ``end``); None if it is not one, surely."""
    line_end = text.find("\n", start, end)
    if line_end < 0 or _SECTION.fullmatch(text, start, line_end) is None:
        return None
    key_indent = len(text[start:line_end]) - len(text[start:line_end].lstrip(" "))
    first = re.compile(r"^( +)[^ #\n\t]", re.MULTILINE).search(text, line_end, end)
    if first is None or len(first.group(1)) <= key_indent:
        return None
    indent = first.group(1)
    if text[first.end() - 1] in _CUT_START:
        return None  # a sequence or a flow collection
    entries = re.compile(rf"^{indent}[^{re.escape(_CUT_START)}]", re.MULTILINE)
    found = [entry.start() for entry in entries.finditer(text, first.start(), end)]
    return found or None


def parse_in_halves(
    text: str, parse: Callable[[str, int], _Parsed | None], first_line: int
) -> tuple[Any, dict[str, int]] | None:
    """(data, lines) of ``text`` as ``parse(text, first_line)`` gives them for the whole text, made
    from its two halves at once; None where the caller must parse the whole text itself.

    ``parse`` gives None (or raises SpecgenError) for a part whose values it cannot read by the
    plain walk (tags, merge keys, anything ``_walk_order`` would not retrace)."""
    if len(text) < MIN_SIZE or not can_fork():
        return None
    where = cut(text)
    if where is None:
        return None

    def tail() -> _Parsed | None:
        try:
            return parse(where.tail, first_line + where.tail_line - 1 - where.depth)
        except SpecgenError:
            return None

    tail_work = Forked(tail, here=lambda: None)
    try:
        head = parse(where.head, first_line)
    except SpecgenError:
        head = None
    except BaseException:  # interrupted: the copy goes too
        tail_work.discard()
        raise
    if head is None:
        tail_work.discard()
        return None
    second = tail_work.result()
    if second is None:
        return None
    return _joined(head, second, where.depth)


def _joined(head: _Parsed, tail: _Parsed, depth: int) -> tuple[Any, dict[str, int]] | None:
    """The head's values with the tail's entries after their own; None unless the tail's key
    lines name the head's last entries, ``depth`` levels down, and no key is in both."""
    if head.duplicates or tail.duplicates:
        return None  # their order in the whole text's walk is not worth working out
    first, second = head.data, tail.data
    lines = dict(head.lines)
    headers = {""}
    pointer = ""
    pending: list[tuple[dict[Any, Any], list[tuple[Any, Any]]]] = []
    for _level in range(depth):
        if not isinstance(first, dict) or not isinstance(second, dict) or not first or not second:
            return None
        key = next(reversed(first))
        if next(iter(second)) != key:
            return None
        rest = list(second.items())[1:]
        if any(name in first for name, _value in rest):
            return None
        pending.append((first, rest))
        pointer = join(pointer, key)
        headers.add(pointer)
        first, second = first[key], second[key]
    if not isinstance(first, dict) or not isinstance(second, dict):
        return None
    if not first.keys().isdisjoint(second):
        return None
    first.update(second)
    for mapping, rest in reversed(pending):
        mapping.update(rest)
    lines.update((at, line) for at, line in tail.lines.items() if at not in headers)
    ordered = {pointer: lines[pointer] for pointer in _walk_order(head.data) if pointer in lines}
    if len(ordered) != len(lines):
        return None
    return head.data, ordered


def _walk_order(data: Any) -> Iterator[str]:
    """The pointers of ``data`` in the order the values walk records their lines (each
    container's entries, then the last container entered first), which the whole text's line
    map has: whatever reads the map reads it in the same order."""
    yield ""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, node = stack.pop()
        items = node.items() if node.__class__ is dict else enumerate(node)
        for key, value in items:
            child = join(pointer, key)
            yield child
            if value.__class__ is dict or value.__class__ is list:
                stack.append((child, value))
