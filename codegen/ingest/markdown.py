"""A markdown page as an ordered list of blocks (headings, paragraphs, fences, tables) with lines.

Built on markdown-it-py (CommonMark plus GFM tables) so fence and table edge cases follow the spec;
the readers only interpret the blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import SpecgenError
from .source import SourceText

_FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*$")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int


@dataclass(frozen=True)
class Fence:
    """A fenced code block; ``first_line`` is the 1-based source line of its first content line."""

    lang: str
    info: str
    content: str
    opening_line: int
    first_line: int


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    line: int


Block = Heading | Paragraph | Fence | Table


@dataclass(frozen=True)
class MarkdownPage:
    front_matter: dict[str, Any] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()

    def fences(self) -> list[Fence]:
        return [block for block in self.blocks if isinstance(block, Fence)]

    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]


_PARSER = MarkdownIt("commonmark").enable("table")


def _split_front_matter(source: SourceText) -> tuple[dict[str, Any], str]:
    """Blank out a leading ``---`` YAML block, keeping line numbers, and return its data."""
    lines = list(source.lines)
    if not lines or lines[0].strip() != "---":
        return {}, source.text
    for end in range(1, len(lines)):
        if lines[end].strip() in {"---", "..."}:
            try:
                data = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError:
                return {}, source.text
            if not isinstance(data, dict):
                return {}, source.text
            blanked = [""] * (end + 1) + lines[end + 1 :]
            return data, "\n".join(blanked)
    return {}, source.text


def _inline_text(token: Token) -> str:
    return token.content.strip()


def _check_fence_closed(token: Token, lines: list[str], source: SourceText) -> None:
    assert token.map is not None
    start, end = token.map
    marker = token.markup[0]
    last = lines[end - 1] if end - 1 > start and end - 1 < len(lines) else ""
    match = _FENCE_CLOSE.match(last)
    if not (match and match.group(1)[0] == marker and len(match.group(1)) >= len(token.markup)):
        raise SpecgenError(
            f"code fence opened with {token.markup} is never closed",
            file=source.path,
            line=start + 1,
        )


def parse_markdown(source: SourceText) -> MarkdownPage:
    """Parse a page into blocks; a fence that never closes is an error naming its opening line."""
    front_matter, text = _split_front_matter(source)
    lines = text.splitlines()
    tokens = _PARSER.parse(text)
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.map:
            blocks.append(
                Heading(int(token.tag[1]), _inline_text(tokens[index + 1]), token.map[0] + 1)
            )
            index += 3
            continue
        if token.type == "paragraph_open" and token.map:
            blocks.append(Paragraph(_inline_text(tokens[index + 1]), token.map[0] + 1))
            index += 3
            continue
        if token.type == "fence" and token.map:
            _check_fence_closed(token, lines, source)
            info = token.info.strip()
            blocks.append(
                Fence(
                    lang=info.split()[0].lower() if info else "",
                    info=info,
                    content=token.content,
                    opening_line=token.map[0] + 1,
                    first_line=token.map[0] + 2,
                )
            )
        elif token.type == "table_open" and token.map:
            index, table = _read_table(tokens, index)
            blocks.append(table)
            continue
        index += 1
    return MarkdownPage(front_matter=front_matter, blocks=tuple(blocks))


def _read_table(tokens: list[Token], index: int) -> tuple[int, Table]:
    assert tokens[index].map is not None
    table_line = tokens[index].map[0] + 1  # type: ignore[index]
    header: list[str] = []
    rows: list[TableRow] = []
    current: list[str] = []
    row_line = table_line
    in_head = False
    index += 1
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            current = []
            row_line = (token.map[0] + 1) if token.map else row_line
        elif token.type == "inline":
            current.append(token.content.strip())
        elif token.type == "tr_close":
            if in_head:
                header = current
            else:
                rows.append(TableRow(tuple(current), row_line))
        index += 1
    return index + 1, Table(tuple(header), tuple(rows), table_line)
