"""A markdown page as an ordered list of blocks (headings, paragraphs, fences, tables) with lines.

Built on markdown-it-py (CommonMark plus GFM tables) so fence and table edge cases follow the spec;
the readers only interpret the blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import SpecgenError
from .source import SourceText
from .yaml_construct import safe_load

_FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*$")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Fences that show markdown as an example, rather than wrap the page's own markdown.
_DOCUMENT_LANGS = frozenset({"markdown", "md", "mdx", "text", "txt"})


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


@dataclass(frozen=True)
class ListItem:
    """One bullet of a list: the text of its first paragraph and how deep the list nests (1..)."""

    text: str
    line: int
    depth: int


Block = Heading | Paragraph | Fence | Table | ListItem


@dataclass(frozen=True)
class MarkdownPage:
    front_matter: dict[str, Any] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()

    def fences(self) -> list[Fence]:
        return [block for block in self.blocks if isinstance(block, Fence)]

    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    def list_items(self) -> list[ListItem]:
        return [block for block in self.blocks if isinstance(block, ListItem)]


_PARSER = MarkdownIt("commonmark").enable("table")


def _split_front_matter(source: SourceText) -> tuple[dict[str, Any], str]:
    """Blank out a leading ``---`` YAML block, keeping line numbers, and return its data."""
    lines = list(source.lines)
    if not lines or lines[0].strip() != "---":
        return {}, source.text
    for end in range(1, len(lines)):
        if lines[end].strip() in {"---", "..."}:
            try:
                data = safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError:
                return {}, source.text
            if not isinstance(data, dict):
                return {}, source.text
            blanked = [""] * (end + 1) + lines[end + 1 :]
            return data, "\n".join(blanked)
    return {}, source.text


def _inline_text(token: Token) -> str:
    return token.content.strip()


def _check_fence_closed(token: Token, lines: list[str], source: SourceText, offset: int) -> None:
    assert token.map is not None
    start, end = token.map
    marker = token.markup[0]
    last = lines[end - 1] if end - 1 > start and end - 1 < len(lines) else ""
    match = _FENCE_CLOSE.match(last)
    if not (match and match.group(1)[0] == marker and len(match.group(1)) >= len(token.markup)):
        raise SpecgenError(
            f"code fence opened with {token.markup} is never closed",
            file=source.path,
            line=start + 1 + offset,
        )


def parse_markdown(source: SourceText) -> MarkdownPage:
    """Parse a page into blocks; a fence that never closes is an error naming its opening line.

    A fence that itself holds fences (a layout wrapper such as ````` ````stack `````) is the page's
    own markdown, not a code sample: its blocks take its place, at their own lines.
    """
    front_matter, text = _split_front_matter(source)
    return MarkdownPage(front_matter=front_matter, blocks=tuple(_blocks(text, source, 0)))


def _is_container(fence: Fence) -> bool:
    if fence.lang in _DOCUMENT_LANGS:
        return False
    return any(_FENCE_OPEN.match(line) for line in fence.content.splitlines())


def _shifted(block: Block, offset: int) -> Block:
    if isinstance(block, Fence):
        return replace(
            block, opening_line=block.opening_line + offset, first_line=block.first_line + offset
        )
    if isinstance(block, Table):
        rows = tuple(replace(row, line=row.line + offset) for row in block.rows)
        return replace(block, rows=rows, line=block.line + offset)
    return replace(block, line=block.line + offset)


def _blocks(text: str, source: SourceText, offset: int) -> list[Block]:
    lines = text.splitlines()
    tokens = _PARSER.parse(text)
    blocks: list[Block] = []
    depth = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            depth += 1
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            depth -= 1
        elif token.type == "list_item_open" and token.map:
            inline = next((t for t in tokens[index + 1 : index + 3] if t.type == "inline"), None)
            text_of = _inline_text(inline) if inline is not None else ""
            blocks.append(ListItem(text_of, token.map[0] + 1 + offset, depth))
        if token.type == "heading_open" and token.map:
            blocks.append(
                Heading(
                    int(token.tag[1]), _inline_text(tokens[index + 1]), token.map[0] + 1 + offset
                )
            )
            index += 3
            continue
        if token.type == "paragraph_open" and token.map:
            blocks.append(Paragraph(_inline_text(tokens[index + 1]), token.map[0] + 1 + offset))
            index += 3
            continue
        if token.type == "fence" and token.map:
            _check_fence_closed(token, lines, source, offset)
            info = token.info.strip()
            fence = Fence(
                lang=info.split()[0].lower() if info else "",
                info=info,
                content=token.content,
                opening_line=token.map[0] + 1 + offset,
                first_line=token.map[0] + 2 + offset,
            )
            if _is_container(fence):
                blocks.extend(_blocks(fence.content, source, fence.first_line - 1))
            else:
                blocks.append(fence)
        elif token.type == "table_open" and token.map:
            index, table = _read_table(tokens, index)
            blocks.append(_shifted(table, offset) if offset else table)
            continue
        index += 1
    return blocks


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
