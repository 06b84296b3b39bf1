"""JSON text read by the json module, with the line of every key and item from one token scan.

A JSON document is also YAML, and the YAML path gives the same data and lines; but PyYAML builds
its nodes and values in Python, about a second for a 1.2 MB document, where ``json.loads`` takes
a few milliseconds. This path is taken only where it is known to give exactly what the YAML path
gives (data, lines and duplicate keys); on any doubt it answers None and the YAML path runs.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..jsonpointer import escape

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_ENTRY = re.compile(
    rf"(?:({_STRING})[ \t\r\n]*:[ \t\r\n]*)?"  # 1: an object's key
    rf"(?:([{{\[])|{_STRING}|[^\s{{}}\[\],:\"]+)"  # 2: the value, when it opens a container
    r"[\s,]*((?:[}\]][\s,]*)*)"  # 3: the containers it closes
)
"""One key or array item, its value and what follows it up to the next entry: the closing
brackets, commas and white space. json has read the text, so the entries follow each other with
nothing between; one match per entry keeps Python's work to the entries (a scalar, a comma or a
bracket is no step of its own)."""

_YAML_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$")
"""YAML 1.1's float resolver (the YAML path's): ``1e5`` or ``1.0e5`` are strings there."""

_OUTSIDE_YAML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
r"""Characters a YAML stream may not hold at all (the YAML path refuses the text): all but a tab,
a line feed, a carriage return, ``\x20-\x7e``, ``\x85``, ``\xa0-\ud7ff``, ``\ue000-\ufffd`` and
``\U00010000-\U0010ffff``, written as that complement (a negated class of ranges this wide costs
``re`` ten times as long to compile)."""

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]", re.ASCII)
"""``\\ud83d\\ude00``: json joins the pair into one character, libyaml refuses it."""


_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")
"""Line breaks to YAML, not to json: each looked for with ``in`` (a search for one character
runs at memory speed, a class of three in ``re`` tests every position, 8 ms of 1.6 MB)."""

_KEY_APART = re.compile(r'"[ \t\r\n]*\n[ \t\r\n]*:|"[ \t\r\n]{64,}:')
"""A key whose colon is on a later line or far away: YAML's implicit keys may not be."""

_LONGEST_KEY = 960
"""YAML refuses an implicit key over 1,024 characters from its start to its colon."""


class _NotJSON(Exception):
    """A value json reads differently from YAML (NaN, Infinity)."""


def _float(text: str) -> float | str:
    return float(text) if _YAML_FLOAT.match(text) else text


def _constant(text: str) -> Any:
    raise _NotJSON(text)


def looks_like_json(text: str) -> bool:
    """Whether the text could be a JSON object or array (a cheap test before trying)."""
    head = text.lstrip(" \t\r\n")[:1]
    return head in ("{", "[")


def _yaml_reads_differently(text: str) -> bool:
    """Texts where YAML's reading may differ from json's beyond the values: characters YAML
    refuses, line breaks json does not count (a lone CR, NEL, LS, PS), keys apart from their
    colons, and a tab indenting a line outside the outer brackets (YAML's tolerated-tab repair
    then records it)."""
    if _OUTSIDE_YAML.search(text) or _KEY_APART.search(text):
        return True
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        return True
    # An ASCII text holds none of the other breaks (``isascii`` reads a flag of the string).
    if not text.isascii() and any(mark in text for mark in _OTHER_BREAKS):
        return True
    if text.count("\r") != text.count("\r\n"):
        return True
    head = text[: len(text) - len(text.lstrip())]
    tail = text[len(text.rstrip()) :]
    return "\t" in head or "\t" in tail


def load_json(text: str) -> Any | None:
    """The data the YAML path would construct from ``text``, or None if it might differ."""
    if _yaml_reads_differently(text):
        return None
    try:
        return json.loads(text, parse_float=_float, parse_constant=_constant)
    except (ValueError, _NotJSON, RecursionError):
        return None


def _key_token(token: str) -> str:
    """A key's JSON pointer token, from its JSON string."""
    key = token[1:-1] if "\\" not in token else str(json.loads(token))
    return escape(key) if "~" in key or "/" in key else key


def scan_lines(
    text: str, offset: int, max_depth: int
) -> tuple[dict[str, int], list[tuple[str, int, int]]] | None:
    """The pointer -> line map and the duplicate keys (pointer, first line, line) of a JSON text
    json has read, in the YAML path's order; None when it nests deeper than ``max_depth`` or
    holds a key too long for YAML (the YAML path then says where), or is not all entries."""
    # One frame per container: [pointer, is_object, next index, entries, kids]; entries are
    # (pointer, line) of its keys or items, kids its containers in order. ``frame`` is the
    # innermost open one, ``entries`` its entries.
    root: list[Any] | None = None
    stack: list[list[Any]] = []
    frame: list[Any] = []
    entries: list[tuple[str, int]] = []
    line = root_line = 1 + offset
    position = 0
    end = len(text) - len(text.lstrip(" \t\r\n"))  # where the first entry, the root, is
    count = text.count
    for match in _ENTRY.finditer(text, end):
        start = match.start()
        if start != end:  # something between two entries: not the text json read
            return None
        end = match.end()
        line += count("\n", position, start)
        position = start
        key, opening, closing = match.groups()
        if key is not None:
            if len(key) > _LONGEST_KEY:
                return None
            name = key[1:-1]
            if "\\" in name or "~" in name or "/" in name:
                name = _key_token(key)
            pointer = frame[0] + "/" + name
            entries.append((pointer, line))
        elif stack:
            pointer = frame[0] + "/" + str(frame[2])
            frame[2] += 1
            entries.append((pointer, line))
        else:
            pointer = ""
            root_line = line
        if opening is not None:
            if len(stack) >= max_depth:
                return None
            container = [pointer, opening == "{", 0, [], []]
            if stack:
                frame[4].append(container)
            else:
                root = container
            stack.append(container)
            frame, entries = container, container[3]
        if closing:
            del stack[len(stack) - closing.count("}") - closing.count("]") :]
            if stack:
                frame = stack[-1]
                entries = frame[3]
    if end != len(text) or stack:
        return None
    return _in_yaml_order(root, root_line)


def _in_yaml_order(
    root: list[Any] | None, root_line: int
) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """Lines and duplicates in the order the YAML path records them: a container's entries when
    it is visited, containers visited last child first (it walks with a stack)."""
    lines: dict[str, int] = {"": root_line}
    duplicates: list[tuple[str, int, int]] = []
    pending = [root] if root is not None else []
    while pending:
        container = pending.pop()
        if container[1]:
            seen: dict[str, int] = {}
            for pointer, line in container[3]:
                if pointer in seen:
                    duplicates.append((pointer, seen[pointer], line))
                seen[pointer] = line
                lines[pointer] = line
        else:
            lines.update(container[3])
        pending.extend(container[4])
    return lines, duplicates
