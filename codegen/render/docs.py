"""Vendor prose made fit for a docstring: cleaned of markup noise, escaped, wrapped, indented."""

from __future__ import annotations

import functools
import html
import re
import textwrap

LINE_LENGTH = 88

_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PARAGRAPH_TAG = re.compile(r"</?p\s*>", re.IGNORECASE)
_CODE_TAG = re.compile(r"<code>(.*?)</code>", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional controls: in a docstring they make an editor show text in another order than
# Python reads it ("Trojan Source", CVE-2021-42574). A zero-width space shows nothing and
# splits an identifier a reader would copy; pylint and ruff (PLE2515) refuse it in source.
_INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")
_SPACES = re.compile(r"[ \t]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_LIST_ITEM = re.compile(r"^([-*+]|\d+[.)])\s+")


def clean_text(text: str | None) -> str | None:
    """Normalise a vendor description: HTML line breaks and tags, entities, spacing, blank runs.

    Returns None for text with nothing left to say, so callers can fall back to their own words.
    """
    if text is None:
        return None
    return _clean(text)


@functools.lru_cache(maxsize=8192)
def _clean(text: str) -> str | None:
    # Remembered: one description is cleaned for its model's field, the client's argument, the
    # server's docs and more, and large documents repeat descriptions across components.
    text = _visible(text).replace("\t", " ")
    if "<" in text:
        text = _BREAK_TAG.sub("\n", text)
        text = _PARAGRAPH_TAG.sub("\n\n", text)
        text = _CODE_TAG.sub(lambda match: f"`{match.group(1)}`", text)
        text = _ANY_TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
        text = _visible(text)  # again: entities may have spelt control characters
    lines = []
    in_fence = False
    for line in text.split("\n"):
        fence = line.lstrip().startswith("```")
        # Inside code fences spacing is meaningful; elsewhere indentation and runs of spaces are
        # layout of the vendor's page (YAML continuation lines), not of the text.
        lines.append(line.rstrip() if in_fence and not fence else _SPACES.sub(" ", line.strip()))
        if fence:
            in_fence = not in_fence
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
    return text or None


def _visible(text: str) -> str:
    """``text`` with ``\n`` its only line break, without control or bidirectional characters."""
    text = _LINE_SEPARATORS.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _INVISIBLE.sub("", _CONTROL.sub("", text))


def inline(text: str) -> str:
    """``text`` (a path, a title) inside one line of a template's docstring: control and bidi
    characters out, every run of whitespace one space, escaped."""
    return escape(" ".join(_visible(text).split()))


def escape(text: str) -> str:
    """Escape what would end or corrupt a triple-quoted string."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    # A quote right before the closing quotes must be escaped, unless it already is (an odd run
    # of backslashes before it): '"""' at the end has become '\\"\\"\\"' above.
    backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
    if text.endswith('"') and backslashes % 2 == 0:
        text = text[:-1] + '\\"'
    return text


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Group a paragraph's lines: ("prose", lines to join), ("item", a list item and its
    continuation lines), ("verbatim", table rows, fenced code and indented lines, kept)."""
    blocks: list[tuple[str, list[str]]] = []
    in_fence = False
    for line in lines:
        fence = line.startswith("```")
        # Indented lines were laid out by the renderer itself (Args: sections); vendor text
        # reaches here with its indentation removed by clean_text.
        if in_fence or fence or line.startswith(("|", " ")):
            blocks.append(("verbatim", [line]))
            in_fence = in_fence != fence
        elif _LIST_ITEM.match(line):
            blocks.append(("item", [line]))
        elif blocks and blocks[-1][0] in ("prose", "item"):
            blocks[-1][1].append(line)
        else:
            blocks.append(("prose", [line]))
    return blocks


_OTHER_WHITESPACE = re.compile(r"[^\S ]")
"""Whitespace but the space: textwrap breaks at some and drops words made of the others."""


def fill(text: str, width: int, *, first: str = "", hanging: str = "") -> list[str]:
    """``textwrap.wrap(text, width, initial_indent=first, subsequent_indent=hanging)``, words
    never broken, or ``[""]`` for no words. An inline code span counts as one word."""
    if "`" in text:
        held = _hold_code_spans(text)
        if held != text:
            filled = fill(held, width, first=first, hanging=hanging)
            return [line.replace(_HELD_SPACE, " ") for line in filled]
    words = text.split(" ")
    if "" in words or _OTHER_WHITESPACE.search(text):
        # Not single spaces between words: textwrap keeps runs of spaces as written, breaks at
        # tabs and line feeds too, and drops a word of no-break spaces at a line's end.
        return _textwrap_fill(text, width, first, hanging)
    # One space between words: textwrap's greedy fill, without its chunking (a tenth of a large
    # build's rendering goes to wrapping docstrings). A word longer than a line stands alone.
    lines: list[str] = []
    line = first + words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = hanging + word
    lines.append(line)
    return lines


_CODE_SPAN = re.compile(r"`[^`\n]+`")
_HELD_SPACE = "\x00"
"""Stands for a space inside a code span while the text is wrapped: never in a docstring's text,
which cannot hold a NUL."""


def _hold_code_spans(text: str) -> str:
    """``text`` with the spaces of each inline code span (`GET /v1/models`) held, so a line
    break never splits what a reader would copy."""
    return _CODE_SPAN.sub(lambda span: span.group().replace(" ", _HELD_SPACE), text)


def _textwrap_fill(text: str, width: int, first: str, hanging: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]


def _wrap_paragraph(lines: list[str], width: int) -> list[str]:
    """Rewrap prose and list items (a hanging indent under the marker); keep tables and code."""
    wrapped: list[str] = []
    for kind, block in _blocks(lines):
        if kind == "verbatim":
            wrapped.extend(block)
            continue
        joined = " ".join(line.strip() for line in block)
        item = _LIST_ITEM.match(joined) if kind == "item" else None
        wrapped.extend(fill(joined, width, hanging=" " * item.end() if item else ""))
    return wrapped


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters (a single long word may exceed it), paragraphs kept."""
    out: list[str] = []
    for index, paragraph in enumerate(text.split("\n\n")):
        if index:
            out.append("")
        out.extend(_wrap_paragraph(paragraph.split("\n"), width))
    return out


@functools.lru_cache(maxsize=8192)
def docstring(text: str, indent: int = 0) -> str:
    """A complete triple-quoted docstring for already cleaned ``text``, indented by ``indent``.

    One line when it fits (``\"\"\"text\"\"\"``), else summary and body with the closing quotes on
    their own line, as ruff format would leave them. Remembered: the sync, async and raw
    twins of every method carry the same texts.
    """
    pad = " " * indent
    width = LINE_LENGTH - indent
    # Every docstring passes here, whatever went into its text (enum values, vendor names).
    escaped = escape(_visible(text))
    if "\n" not in escaped and len(escaped) + 6 <= width:
        return f'"""{escaped}"""'
    if _blocks(escaped.split("\n", 1)[:1])[0][0] == "prose":
        # Wrap with the opening quotes in place, so the first line is as wide as the others.
        lines = wrap('"""' + escaped, width)
    else:
        # A list, table or code fence keeps its first line intact on the line after the quotes.
        lines = ['"""', *wrap(escaped, width)]
    body = "\n".join(f"{pad}{line}" if line else "" for line in lines[1:])
    return lines[0] + (f"\n{body}" if body else "") + f"\n{pad}" + '"""'
