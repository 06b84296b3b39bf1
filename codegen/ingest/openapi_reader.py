"""Reader 1: a Swagger 2.0 or OpenAPI 3.x document, YAML or JSON, bare or fenced in a markdown page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import SpecgenError
from .notes import IngestNote
from .reader import ReaderOutput
from .source import SourceText
from .yaml_lines import Parsed, parse_with_lines

if TYPE_CHECKING:
    from .markdown import Fence

NAME = "openapi"

_OPENAPI_KEY = re.compile(
    r"""^(?:openapi|swagger)\s*:|^\s*\{?\s*["'](?:openapi|swagger)["']\s*:""", re.M
)
_FENCE_OPEN = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.M)


_FIRST_LINE = re.compile(r"""^\s*(?:#[^\n]*\n\s*)*(?:\{|["']?(?:openapi|swagger)["']?\s*:)""")


def _is_bare(source: SourceText) -> bool:
    """A bare document: it opens as JSON or with an ``openapi:``/``swagger:`` key (a markdown code
    fence inside a description does not make it a page), or has no fence and the key anywhere."""
    if not _OPENAPI_KEY.search(source.text):
        return False
    return bool(_FIRST_LINE.match(source.text)) or not _FENCE_OPEN.search(source.text)


def _openapi_fence(source: SourceText) -> Fence | None:
    from .markdown import parse_markdown  # here: a bare document never needs markdown-it

    for fence in parse_markdown(source).fences():
        if _OPENAPI_KEY.search(fence.content):
            return fence
    return None


def claims(source: SourceText) -> bool:
    return _is_bare(source) or _openapi_fence(source) is not None


def read(source: SourceText) -> ReaderOutput:
    if _is_bare(source):
        text, first_line = source.text, 1
    else:
        fence = _openapi_fence(source)
        if fence is None:
            raise SpecgenError("no fenced OpenAPI document found", file=source.path)
        text, first_line = fence.content, fence.first_line
    parsed = parse_with_lines(text, file=source.path, first_line=first_line)
    data, lines = parsed.data, parsed.lines
    if not isinstance(data, dict):
        raise SpecgenError("OpenAPI document is not a mapping", file=source.path, line=first_line)
    version = str(data.get("openapi", data.get("swagger", "")))
    if not (version.startswith("3.") or version == "2.0"):
        raise SpecgenError(
            f"unsupported OpenAPI version {version!r} (Swagger 2.0, OpenAPI 3.0 and 3.1 are read)",
            file=source.path,
            line=lines.get("/openapi", lines.get("/swagger", first_line)),
        )
    return ReaderOutput(document=data, lines=lines, notes=_tolerated(parsed))


def _tolerated(parsed: Parsed) -> tuple[IngestNote, ...]:
    notes = [
        IngestNote(
            rule="duplicate-key",
            pointer=duplicate.pointer,
            message="key written twice; the later value is kept, as YAML 1.1 loaders do",
            level="warning",
            evidence=f"first at line {duplicate.first_line}, again at line {duplicate.line}",
            line=duplicate.line,
        )
        for duplicate in parsed.duplicates
    ]
    if parsed.tab_lines:
        shown = ", ".join(str(n) for n in parsed.tab_lines[:10])
        more = f" and {len(parsed.tab_lines) - 10} more" if len(parsed.tab_lines) > 10 else ""
        notes.append(
            IngestNote(
                rule="tab-indentation",
                pointer="",
                message="YAML indentation written with tabs, read as tab stops of eight columns",
                level="warning",
                evidence=f"lines {shown}{more}",
                line=parsed.tab_lines[0],
            )
        )
    return tuple(notes)
