"""Reader 1: an OpenAPI 3.0/3.1 document, YAML or JSON, bare or fenced inside a markdown page."""

from __future__ import annotations

import re

from ..errors import SpecgenError
from .markdown import Fence, parse_markdown
from .reader import ReaderOutput
from .source import SourceText
from .yaml_lines import load_with_lines

NAME = "openapi"

_OPENAPI_KEY = re.compile(
    r"""^(?:openapi|swagger)\s*:|^\s*\{?\s*["'](?:openapi|swagger)["']\s*:""", re.M
)
_FENCE_OPEN = re.compile(r"^ {0,3}(?:`{3,}|~{3,})", re.M)


def _is_bare(source: SourceText) -> bool:
    """A bare document: no fence at all, and an ``openapi:`` key at the top."""
    return not _FENCE_OPEN.search(source.text) and bool(_OPENAPI_KEY.search(source.text))


def _openapi_fence(source: SourceText) -> Fence | None:
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
    data, lines = load_with_lines(text, file=source.path, first_line=first_line)
    if not isinstance(data, dict):
        raise SpecgenError("OpenAPI document is not a mapping", file=source.path, line=first_line)
    version = str(data.get("openapi", data.get("swagger", "")))
    if not version.startswith("3."):
        raise SpecgenError(
            f"unsupported OpenAPI version {version!r} (3.0 and 3.1 are read)",
            file=source.path,
            line=lines.get("/openapi", lines.get("/swagger", first_line)),
        )
    return ReaderOutput(document=data, lines=lines)
