"""Bounds on what a YAML/JSON text may build, checked on libyaml's event stream before composing.

The composer is the wrong place to find out: libyaml's C composer recurses once per nesting level
(a 100,000-deep ``[[[...]]]`` crashes the interpreter) and shares an aliased node, so a few lines
of aliases (the "billion laughs") become a tree of 9**9 nodes for every later stage to walk.
The event stream is flat and cheap (a fifth of the time of composing), so it is read first.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import SpecgenError
from ..jsonpointer import join

MAX_DEPTH = 64
"""Nesting levels of mappings and sequences. Published API documents nest at most 24 levels; the
later stages (validation, merge, render) recurse per level, and stay far from Python's limit."""

ALIAS_ALLOWANCE = 200_000
"""Nodes that aliases may add beyond the text's own length. Without aliases a text cannot hold
more nodes than characters, so only alias expansion can exceed ``len(text) + ALIAS_ALLOWANCE``."""

SAFE_COMPOSE_DEPTH = 5_000
"""Nesting libyaml's composer takes in well under a second without exhausting the C stack (it
crashed near 100,000 levels; 10,000 took 3 s). Below it, nodes are composed first and the limits
checked on them, at no cost beyond the walk that records their lines."""

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Open:
    """A mapping or sequence being read: its anchor, where its count started, its depth so far."""

    __slots__ = ("anchor", "deepest", "depth", "first_node")

    def __init__(self, anchor: str | None, first_node: int, depth: int) -> None:
        self.anchor = anchor
        self.first_node = first_node
        self.depth = depth
        self.deepest = depth


def alias_budget(text: str) -> int:
    """The most nodes ``text`` may stand for once its aliases are expanded."""
    return len(text) + ALIAS_ALLOWANCE


def composes_safely(text: str) -> bool:
    """Whether ``text`` surely nests less than SAFE_COMPOSE_DEPTH, by a bound cheap to count:
    every flow level opens with a bracket where a node may start (see ``_FLOW_OPENING``), and
    every block level starts in a column of its own,
    at most two levels a column (a sequence may hang at its key's indentation). A block level
    starts at a line's indentation or after the ``- ``, ``? `` and ``: `` indicators that open
    it on that line (``- - - a``); the widest such start bounds them all (a long description
    line no longer counts as deep).

    The widest start is measured only where it could matter: a start is spaces and those
    indicators, so where no line begins with a run of them as wide as the bound allows, none is
    wider (one search for the run instead of a match per line: 11 of 13 ms on a 0.9 MB text)."""
    flow = _flow_bound(text)
    if flow >= SAFE_COMPOSE_DEPTH:
        return False
    too_wide = -(-(SAFE_COMPOSE_DEPTH - flow) // 2) - 1  # the narrowest start that is too deep
    if not _starts_as_wide(text, too_wide):
        return True
    return flow + 2 * (_widest_block_start(text) + 1) < SAFE_COMPOSE_DEPTH


def nesting_bound(text: str) -> int:
    """A number no smaller than the nesting depth of ``text`` (see ``composes_safely``)."""
    flow = _flow_bound(text)
    if flow >= SAFE_COMPOSE_DEPTH:
        return flow
    return flow + 2 * (_widest_block_start(text) + 1)


def _flow_bound(text: str) -> int:
    flow = text.count("[") + text.count("{")
    if flow >= SAFE_COMPOSE_DEPTH:
        flow = flow_openings(text)  # fewer, and worth their time only here
    return flow


def _widest_block_start(text: str) -> int:
    return max(map(len, _BLOCK_START.findall(text)), default=0)


def _starts_as_wide(text: str, width: int) -> bool:
    """Whether some line of ``text`` begins with ``width`` characters that a block start may
    hold (the lines ``_BLOCK_START`` sees: the first, and each after a line feed)."""
    if width <= 0:
        return True
    run = f"[ ?:\\-]{{{width}}}"
    return re.match(run, text) is not None or re.search("\n" + run, text) is not None


_BREAKS = "\r\n\x85\u2028\u2029"
_FLOW_OPENING = re.compile(
    rf"(?:\A|(?<=[\[{{,?:\-\ufeff{_BREAKS}])|(?<=\.\.\.))[ \t]*[\[{{]"
    rf"|[&!][^ \t{_BREAKS}]*[ \t]+[\[{{]"
)
"""The brackets that may open a flow collection: libyaml's parser starts a node only at the
start of a line (after blanks, a BOM or a comment's end), after ``[ { , ? : -`` (``---``
included), after ``...`` or after an anchor or a tag; elsewhere a bracket is text in a scalar or an error.
A superset: brackets in block scalars, quoted text and comments also match. Counted only when
every bracket is too many, as in a large document whose descriptions hold JSON examples and
markdown links."""


def flow_openings(text: str) -> int:
    """A number no smaller than the nesting of flow collections in ``text``: the matches of
    ``_FLOW_OPENING``, counted only on the lines that hold a bracket.

    No match holds a line feed, so the matches in ``text`` are those of its lines, each searched
    in place (its lookbehinds still see the line before); most lines of a large document hold
    no bracket, and the pattern is slow to try at every position of theirs (0.15 s of 3 MB)."""
    findall = _FLOW_OPENING.findall
    count = 0
    line_end = -1
    for bracket in _BRACKET.finditer(text):
        at = bracket.start()
        if at < line_end:
            continue  # its line is counted
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        if line_end < 0:
            line_end = len(text)
        count += len(findall(text, line_start, line_end))
    return count


_BRACKET = re.compile(r"[\[{]")


_BLOCK_START = re.compile(r"^[ ]*(?:[-?:][ ]+)*", re.MULTILINE)
"""A line's indentation and the block indicators after it: where its deepest block level
starts."""


def check_yaml_limits(text: str, *, file: str, first_line: int = 1) -> None:
    """Raise SpecgenError (file and line) if ``text`` nests deeper than MAX_DEPTH or its aliases
    expand it past its budget of nodes; a syntax error is left for the composer to report."""
    budget = alias_budget(text)
    offset = first_line - 1
    nodes = 0
    events = 0
    stack: list[_Open] = []
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (expanded nodes, levels below it)
    parser = _Parser(text)
    get_event = parser.get_event
    try:
        while True:
            event = get_event()
            events += 1
            kind = type(event)
            if kind is yaml.ScalarEvent:
                nodes += 1
                if event.anchor is not None:
                    sizes[event.anchor] = (1, 0)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                nodes += 1
                stack.append(_Open(event.anchor, nodes, len(stack) + 1))
                if len(stack) > MAX_DEPTH:
                    raise _too_deep(text, events, file, _line(event, offset))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                closed = stack.pop()
                if stack and closed.deepest > stack[-1].deepest:
                    stack[-1].deepest = closed.deepest
                if closed.anchor is not None:
                    levels = closed.deepest - closed.depth + 1
                    sizes[closed.anchor] = (nodes - closed.first_node + 1, levels)
            elif kind is yaml.AliasEvent:
                nodes += _alias_size(event, sizes, stack, text, events, file, offset)
                # Only an alias adds nodes the text does not spell out.
                if nodes > budget:
                    raise SpecgenError(
                        f"YAML aliases expand to more than {budget:,} nodes (an alias bomb?);"
                        " refused",
                        file=file,
                        line=_line(event, offset),
                    )
            elif kind is yaml.StreamEndEvent:
                return
    except yaml.YAMLError:
        return  # the composer reports a syntax error with its line
    finally:
        parser.dispose()


def _line(event: yaml.Event, offset: int) -> int | None:
    mark = event.start_mark
    return mark.line + 1 + offset if mark is not None else None


def _alias_size(
    event: yaml.AliasEvent,
    sizes: dict[str, tuple[int, int]],
    stack: list[_Open],
    text: str,
    events: int,
    file: str,
    offset: int,
) -> int:
    """The nodes an alias stands for; raises if it makes the tree too deep or contains itself."""
    line = _line(event, offset)
    if event.anchor not in sizes:
        if any(open_.anchor == event.anchor for open_ in stack):
            raise SpecgenError(
                f"alias *{event.anchor} refers to a node that contains it", file=file, line=line
            )
        return 1  # an undefined alias: the composer reports it
    size, levels = sizes[event.anchor]
    if len(stack) + levels > MAX_DEPTH:
        raise _too_deep(text, events, file, line)
    if stack and len(stack) + levels > stack[-1].deepest:
        stack[-1].deepest = len(stack) + levels
    return size


def _too_deep(text: str, events: int, file: str, line: int | None) -> SpecgenError:
    return SpecgenError(
        f"nested more than {MAX_DEPTH} levels deep (mappings and sequences); refused",
        file=file,
        line=line,
        pointer=_pointer_before(text, events),
    )


def _pointer_before(text: str, events: int) -> str:
    """The JSON pointer of the node that the ``events``-th event of ``text`` opens or names.

    Only called once a limit is passed, so the first pass need not track keys.
    """
    frames: list[list[Any]] = []  # per open node: [is a mapping, key awaited | next index, key]
    tokens: list[str | None] = []  # per open node: its token in its parent (None for the root)
    here: list[str] = []
    parser = _Parser(text)
    try:
        for _ in range(events):
            event = parser.get_event()
            if isinstance(event, _CLOSING):
                frames.pop()
                tokens.pop()
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, *_OPENING)):
                continue
            token = None
            if frames:
                frame = frames[-1]
                if not frame[0]:
                    token, frame[1] = str(frame[1]), frame[1] + 1
                elif frame[1]:
                    frame[1], frame[2] = False, str(getattr(event, "value", ""))
                    token = frame[2]
                else:
                    frame[1], token = True, frame[2]
            here = [t for t in (*tokens, token) if t is not None]
            if isinstance(event, _OPENING):
                is_mapping = isinstance(event, yaml.MappingStartEvent)
                frames.append([is_mapping, True if is_mapping else 0, ""])
                tokens.append(token)
    finally:
        parser.dispose()
    return join("", *here)
