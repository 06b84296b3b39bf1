"""Block-style YAML text of JSON-shaped data, written directly: the bytes libyaml's emitter
writes for the node tree of ``yaml_nodes`` with ``dump_yaml``'s settings (width 100, indent 2,
unicode, implicit document), without building a node per value.

Building those nodes, resolving each scalar's tag twice and driving the emitter cost most of the
time of dumping a large document. This module follows libyaml 0.2.5's emitter (``emitter.c``:
``analyze_scalar``, ``select_scalar_style``, the ``write_*`` functions and the block states)
for the one shape of event stream ``dump_yaml`` produces: block mappings and sequences, flow
``{}``/``[]`` when empty, implicit tags, anchors for a container met twice. Anything else (other
types, a scalar root, text that cannot be encoded, nesting past the recursion limit) answers
None and the node path writes it.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import yaml

from .yaml_nodes import _float_text, block_literal_wanted

WIDTH = 100
"""``best_width``: the column after which libyaml breaks a long scalar at a space."""

INDENT = 2
"""``best_indent``."""

_BREAKS = "\r\n\x85\u2028\u2029"
# The complements of the printable ranges, written out: a negated class of ranges this wide
# costs ``re`` about 4 ms to compile, this one a tenth of that (a test compares every character).
_UNPRINTABLE = "\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff"
_SPECIAL = re.compile(f"[{_UNPRINTABLE}]")
r"""Characters libyaml's ``IS_PRINTABLE`` refuses (everything but a line feed, ``\x20-\x7e``,
``\xa0-\ud7ff``, ``\ue000-\ufefe`` and ``\uff00-\ufffd``): only a double-quoted scalar can hold
them."""
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile(f"[{_BREAKS}]")
_BLANKZ = f" \t{_BREAKS}\x00"
_PLAIN_BLOCKED = re.compile(
    rf"""\A(?:---|\.\.\.)|\A[#,\[\]{{}}&*!|>'"%@`]|\A[?\-](?:[{_BLANKZ}]|\Z)"""
    rf"|:(?:[{_BLANKZ}]|\Z)|[{_BLANKZ}]#"
)
"""``analyze_scalar``'s block indicators: what a plain scalar may not start with or contain."""
_BREAK_SPACE = re.compile(f"[{_BREAKS}] ")
_SPACE_BREAK = re.compile(f" [{_BREAKS}]")
_DOUBLE_ESCAPED = re.compile(f'[\n{_UNPRINTABLE}"\\\\{_BREAKS}]')
_NAMED_ESCAPES = {
    "\x00": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f",
    "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L",
    "\u2029": "P",
}  # fmt: skip

_PLAIN, _SINGLE, _DOUBLE, _LITERAL = "plain", "single", "double", "literal"
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


def _plain_tag(text: str) -> str:
    """The tag the dumper's resolver gives ``text`` written plain (``yes`` is a bool)."""
    return str(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]


class _Unsure(Exception):
    """Data this writer does not cover; ``yaml_nodes`` and libyaml write it."""


class _Facts:
    """What ``analyze_scalar`` finds in a text, and whether it reads back as a string plain."""

    __slots__ = ("block", "multiline", "plain", "plain_is_str", "single", "size")

    def __init__(self, text: str) -> None:
        special = _SPECIAL.search(text) is not None
        if special and _SURROGATE.search(text):
            raise _Unsure  # not encodable: the node path raises what it raises
        self.size = len(text.encode("utf-8"))
        self.plain_is_str = _plain_tag(text) == _STR_TAG
        if not text:
            self.multiline, self.plain, self.single, self.block = False, True, True, False
            return
        breaks = _LINE_BREAK.search(text) is not None
        break_space = breaks and _BREAK_SPACE.search(text) is not None
        space_break = breaks and _SPACE_BREAK.search(text) is not None
        edges = text[0] == " " or text[-1] == " " or text[0] in _BREAKS or text[-1] in _BREAKS
        self.multiline = breaks
        self.plain = not (special or breaks or edges or _PLAIN_BLOCKED.search(text))
        self.single = not (break_space or space_break or special)
        self.block = not (text[-1] == " " or space_break or special)


_TAGS = {
    type(None): "tag:yaml.org,2002:null",
    bool: "tag:yaml.org,2002:bool",
    int: "tag:yaml.org,2002:int",
    float: "tag:yaml.org,2002:float",
}


def _scalar_text(value: Any) -> str:
    """SafeRepresenter's text of null, a bool, an int or a float (``yaml_nodes``' spelling)."""
    kind = type(value)
    if kind not in _TAGS:
        raise _Unsure
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    return str(value) if kind is int else _float_text(value)


def _short_scalar(value: Any) -> str:
    """null, a bool or an int as written after ``:`` or ``-`` (always plain: each reads back
    as itself and holds no space), or "" for anything else."""
    kind = type(value)
    if kind is bool:
        return " true" if value else " false"
    if value is None:
        return " null"
    return " " + str(value) if kind is int else ""


def yaml_text(data: Any) -> str | None:
    """``data`` as ``dump_yaml`` writes it, or None when the node path must write it."""
    if type(data) is not dict and type(data) is not list:
        return None
    try:
        try:
            return _Writer(None).document(data)
        except _Shared:  # only then is the walk that finds every shared container paid
            return _Writer(_anchors(data)).document(data)
    except (_Unsure, RecursionError):
        return None


class _Shared(Exception):
    """A container met again, in a place where its anchor cannot be added afterwards."""


def _anchors(data: Any) -> dict[int, str]:
    """libyaml's ``_anchor_node`` walk: a container met a second time gets the next ``idNNN``,
    in the order of those second meetings (keys before values, depth first)."""
    seen: set[int] = set()
    anchors: dict[int, str] = {}
    stack = [data]
    while stack:
        value = stack.pop()
        if id(value) in seen:
            if id(value) not in anchors:
                anchors[id(value)] = f"id{len(anchors) + 1:03d}"
            continue
        seen.add(id(value))
        children = [
            child
            for child in (value.values() if type(value) is dict else value)
            if type(child) is dict or type(child) is list
        ]
        children.reverse()
        stack.extend(children)
    return anchors


class _Writer:
    """libyaml's emitter state (column, whitespace, indention, indent) over one document."""

    def __init__(self, anchors: dict[int, str] | None) -> None:
        self.out: list[str] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.indent = -1
        self.open_ended = 0
        # With ``anchors`` None, anchors are found while writing: for a container first written
        # as a mapping's value, ``written`` keeps where its key's colon is in ``out``; there
        # ``&idNNN`` changes nothing else on the page (a newline or `` {}`` follows either way).
        # Met again, it gets the next name, in the order libyaml's walk would give it. Met again
        # after a first writing elsewhere (``- &id001`` would move that item to the next line),
        # the caller starts over with the walk.
        self.anchors = anchors
        self.written: dict[int, int] = {}
        self.named: dict[int, str] = {}
        self.facts: dict[str, _Facts] = {}
        self.keys: dict[str, str] = {}
        self.values: dict[str, str] = {}

    def document(self, data: Any) -> str:
        self.node(data, mapping=False, simple_key=False)
        self.indent = -1
        self.write_indent()  # document end
        if self.open_ended == 2:
            self.indicator("...", True, False, False)
            self.write_indent()
        return "".join(self.out)

    # -- the primitives of emitter.c --------------------------------------------------------

    def write_indent(self) -> None:
        indent = self.indent if self.indent >= 0 else 0
        if (
            not self.indention
            or self.column > indent
            or (self.column == indent and not self.whitespace)
        ):
            self.out.append("\n")
            self.column = 0
        if self.column < indent:
            self.out.append(" " * (indent - self.column))
            self.column = indent
        self.whitespace = True
        self.indention = True

    def indicator(self, text: str, need_space: bool, is_space: bool, is_indention: bool) -> None:
        if need_space and not self.whitespace:
            self.out.append(" ")
            self.column += 1
        self.out.append(text)
        self.column += len(text)
        self.whitespace = is_space
        self.indention = self.indention and is_indention

    # -- nodes --------------------------------------------------------------------------------

    def node(self, value: Any, *, mapping: bool, simple_key: bool) -> None:
        kind = type(value)
        if kind is dict or kind is list:
            self.collection(value, kind is dict, mapping)
        elif kind is str:
            self.scalar(value, _STR_TAG, simple_key)
        else:
            self.scalar(_scalar_text(value), _TAGS[kind], simple_key)

    def anchor(self, value: Any, colon: int) -> bool:
        """``&idNNN`` before a shared container's first writing; True when it was written
        before, and ``*idNNN`` was written instead of it. ``colon``: where in ``out`` its key's
        colon is when it is a mapping's value, else -1."""
        key = id(value)
        first_colon = self.written.get(key)
        if first_colon is None:
            self.written[key] = colon
        if self.anchors is None:
            if first_colon is None:
                return False
            if first_colon < 0:
                raise _Shared
            anchor = self.named.get(key)
            if anchor is None:
                anchor = self.named[key] = f"id{len(self.named) + 1:03d}"
                self.out[first_colon] += " &" + anchor
        else:
            anchor = self.anchors.get(key)
            if anchor is None:
                return False
        self.indicator("&" if first_colon is None else "*", True, False, False)
        self.out.append(anchor)
        self.column += len(anchor)
        self.whitespace = self.indention = False
        return first_colon is not None

    def collection(
        self, value: Any, is_mapping: bool, mapping_context: bool, colon: int = -1
    ) -> None:
        if self.anchor(value, colon):
            return
        outer = self.indent
        if not value:
            self.indicator("{" if is_mapping else "[", True, True, False)
            self.indicator("}" if is_mapping else "]", False, False, False)
            return
        if is_mapping:
            self.indent = 0 if outer < 0 else outer + INDENT
            self.mapping_items(value)
        else:
            indentless = mapping_context and not self.indention
            self.indent = 0 if outer < 0 else outer if indentless else outer + INDENT
            self.sequence_items(value)
        self.indent = outer

    def mapping_items(self, value: dict[Any, Any]) -> None:
        """``emit_block_mapping_key``/``_value`` per item; a short key and a short string on one
        line (most items) are written from what was worked out for them the first time."""
        out, keys = self.out, self.keys
        indent = self.indent
        newline = "\n" + " " * indent
        for key, item in value.items():
            column = self.column  # write_indent, inline: it runs for every item
            if not self.indention or column > indent or (column == indent and not self.whitespace):
                out.append(newline)
            elif column < indent:
                out.append(" " * (indent - column))
            self.column = indent
            self.whitespace = self.indention = True
            key_text = (keys.get(key) or self.key_text(key)) if type(key) is str else ""
            if key_text == "-":
                key_text = ""
            if key_text:
                out.append(key_text)
                column = indent + len(key_text)
                kind = type(item)
                if kind is dict or kind is list:
                    self.column = column
                    self.whitespace = self.indention = False
                    self.collection(item, kind is dict, True, len(out) - 1)
                    continue
                if self.short_item(item, column):
                    continue
                self.column = column
                self.whitespace = self.indention = False
            elif self.simple_key(key):
                self.node(key, mapping=True, simple_key=True)
                self.indicator(":", False, False, False)
                if type(item) is dict or type(item) is list:
                    self.collection(item, type(item) is dict, True, len(out) - 1)
                    continue
            else:
                self.indicator("?", True, False, True)
                self.node(key, mapping=True, simple_key=False)
                self.write_indent()
                self.indicator(":", True, False, True)
            self.node(item, mapping=True, simple_key=False)

    def sequence_items(self, value: list[Any]) -> None:
        """``emit_block_sequence_item`` per item, short strings as in ``mapping_items``."""
        out = self.out
        indent = self.indent
        newline = "\n" + " " * indent
        for item in value:
            column = self.column  # write_indent, inline
            if not self.indention or column > indent or (column == indent and not self.whitespace):
                out.append(newline)
            elif column < indent:
                out.append(" " * (indent - column))
            self.whitespace = self.indention = True
            out.append("-")
            column = indent + 1
            if type(item) is not dict and type(item) is not list and self.short_item(item, column):
                continue
            self.column = column
            self.whitespace = False
            self.node(item, mapping=False, simple_key=False)

    def short_item(self, item: Any, column: int) -> bool:
        """Write a string, null, a bool or an int that fits on the line after the ``:`` or
        ``-`` that ends at ``column``, from what was worked out for its text the first time;
        False (nothing written) when it takes the general path."""
        if type(item) is str:
            text = self.values.get(item) or self.value_text(item)
        else:
            text = _short_scalar(item)
        if len(text) > 1 and column + len(text) <= WIDTH:
            self.out.append(text)
            self.column = column + len(text)
            self.whitespace = self.indention = False
            return True
        return False

    def key_text(self, key: str) -> str:
        """A simple key as written after its indentation, with its colon (its text does not
        depend on the column: a simple key is never broken), or "-" when it is not simple."""
        if not self.simple_key(key):
            self.keys[key] = "-"
            return "-"
        saved = (self.out, self.column, self.whitespace, self.indention)
        self.out, self.column, self.whitespace, self.indention = [], 0, True, True
        self.scalar(key, _STR_TAG, simple_key=True)
        text = self.keys[key] = "".join(self.out) + ":"
        self.out, self.column, self.whitespace, self.indention = saved
        return text

    def value_text(self, text: str) -> str:
        """A string as written after ``:`` or ``-`` when it fits in the line (plain or single
        quoted, on one line: then nothing in it depends on the column), else "-"."""
        style = self.style(text, _STR_TAG, simple_key=False)
        if style == _PLAIN:
            written = " " + text
        elif style == _SINGLE and not _LINE_BREAK.search(text):
            written = " '" + text.replace("'", "''") + "'"
        else:
            written = "-"
        self.values[text] = written
        return written

    def simple_key(self, key: Any) -> bool:
        kind = type(key)
        if kind is dict or kind is list:
            raise _Unsure
        if kind is not str:
            key = _scalar_text(key)  # a number, a bool or null: on one line
        facts = self.facts.get(key) or self.fact(key)
        return not facts.multiline and facts.size <= 128

    def fact(self, text: str) -> _Facts:
        facts = self.facts[text] = _Facts(text)
        return facts

    # -- scalars ------------------------------------------------------------------------------

    def style(self, text: str, tag: str, simple_key: bool) -> str:
        """``select_scalar_style`` for the style ``yaml_nodes`` asks (``|`` for multi-line
        text, else plain) and implicit tags."""
        facts = self.facts.get(text) or self.fact(text)
        if tag == _STR_TAG:
            plain_implicit = facts.plain_is_str
            style = _LITERAL if block_literal_wanted(text) else _PLAIN
        else:
            plain_implicit = _plain_tag(text) == tag
            if not plain_implicit:
                raise _Unsure  # libyaml would add a "!" tag; dump_yaml never meets it
            style = _PLAIN
        if simple_key and facts.multiline:
            style = _DOUBLE
        if style == _PLAIN and (not facts.plain or (not text and simple_key) or not plain_implicit):
            style = _SINGLE
        if style == _SINGLE and not facts.single:
            style = _DOUBLE
        if style == _LITERAL and (not facts.block or simple_key):
            style = _DOUBLE
        if tag != _STR_TAG and style != _PLAIN:
            raise _Unsure
        return style

    def scalar(self, text: str, tag: str, simple_key: bool) -> None:
        style = self.style(text, tag, simple_key)
        outer = self.indent
        self.indent = INDENT if outer < 0 else outer + INDENT
        breaks = not simple_key
        if style == _PLAIN:
            self.plain(text, breaks)
        elif style == _SINGLE:
            self.single(text, breaks)
        elif style == _DOUBLE:
            self.double(text, breaks)
        else:
            self.literal(text)
        self.indent = outer

    def plain(self, text: str, breaks: bool) -> None:
        if not self.whitespace and text:
            self.out.append(" ")
            self.column += 1
        if not breaks or self.column + len(text) <= WIDTH or " " not in text:
            self.out.append(text)
            self.column += len(text)
        else:
            # A plain scalar holds no line break and no leading or trailing space: it breaks at
            # a lone space once past the width.
            words = text.split(" ")
            self.out.append(words[0])
            self.column += len(words[0])
            for before, word in itertools.pairwise(words):
                if before and word and self.column > WIDTH:
                    self.write_indent()
                else:
                    self.out.append(" ")
                    self.column += 1
                self.out.append(word)
                self.column += len(word)
                self.indention = False
        self.whitespace = False
        self.indention = False

    def single(self, text: str, breaks: bool) -> None:
        self.indicator("'", True, False, False)
        if (
            "\n" not in text
            and "\u2028" not in text
            and "\u2029" not in text
            and (not breaks or self.column + len(text) + text.count("'") <= WIDTH)
        ):
            quoted = text.replace("'", "''")
            self.out.append(quoted)
            self.column += len(quoted)
        else:
            self.single_by_character(text, breaks)
        self.indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def single_by_character(self, text: str, allow_breaks: bool) -> None:
        """``write_single_quoted_scalar`` as libyaml has it, a character at a time."""
        spaces = in_breaks = False
        last = len(text) - 1
        out = self.out
        for position, char in enumerate(text):
            if char == " ":
                if (
                    allow_breaks
                    and not spaces
                    and self.column > WIDTH
                    and 0 < position < last
                    and text[position + 1] != " "
                ):
                    self.write_indent()
                else:
                    out.append(" ")
                    self.column += 1
                spaces = True
            elif char in _BREAKS:
                if not in_breaks and char == "\n":
                    out.append("\n")
                out.append(char)
                self.column = 0
                self.indention = True
                in_breaks = True
            else:
                if in_breaks:
                    self.write_indent()
                if char == "'":
                    out.append("'")
                    self.column += 1
                out.append(char)
                self.column += 1
                self.indention = False
                spaces = in_breaks = False
        if in_breaks:
            self.write_indent()

    def double(self, text: str, allow_breaks: bool) -> None:
        """``write_double_quoted_scalar``: escapes, and a break at a space past the width (a
        following space then escaped)."""
        self.indicator('"', True, False, False)
        spaces = False
        last = len(text) - 1
        out = self.out
        for position, char in enumerate(text):
            if _DOUBLE_ESCAPED.match(char):
                escape = _NAMED_ESCAPES.get(char)
                if escape is None:
                    code = ord(char)
                    escape = (
                        f"x{code:02X}" if code <= 0xFF else
                        f"u{code:04X}" if code <= 0xFFFF else f"U{code:08X}"
                    )  # fmt: skip
                out.append("\\" + escape)
                self.column += 1 + len(escape)
                spaces = False
            elif char == " ":
                if allow_breaks and not spaces and self.column > WIDTH and 0 < position < last:
                    self.write_indent()
                    if text[position + 1] == " ":
                        out.append("\\")
                        self.column += 1
                else:
                    out.append(" ")
                    self.column += 1
                spaces = True
            else:
                out.append(char)
                self.column += 1
                spaces = False
        self.indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def literal(self, text: str) -> None:
        """``write_literal_scalar`` with its indentation and chomping hints."""
        self.indicator("|", True, False, False)
        if text[0] == " " or text[0] in _BREAKS:
            self.indicator(str(INDENT), False, False, False)
        self.open_ended = 0
        if text[-1] not in _BREAKS:
            self.indicator("-", False, False, False)
        elif len(text) == 1 or text[-2] in _BREAKS:
            self.indicator("+", False, False, False)
            self.open_ended = 2
        self.out.append("\n")
        self.column = 0
        self.indention = True
        self.whitespace = True
        # Every run of text follows a break (the first one the header's): it is indented.
        out = self.out
        start = 0
        for match in _LINE_BREAK.finditer(text):
            if match.start() > start:
                self.write_indent()
                chunk = text[start : match.start()]
                out.append(chunk)
                self.column += len(chunk)
                self.indention = False
            out.append(match.group())
            self.column = 0
            self.indention = True
            start = match.end()
        if start < len(text):
            self.write_indent()
            chunk = text[start:]
            out.append(chunk)
            self.column += len(chunk)
            self.indention = False
