"""Which endpoint a part of a docs page documents: its ``METHOD /path`` lines, the headings each
block sits under, and the paths those headings name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..markdown import Block, Fence, Heading, MarkdownPage, Paragraph
from .curl import is_curl_fence, parse_curl

_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_HOST = re.compile(r"^[A-Za-z0-9.\-:\[\]]+$")

ENDPOINT = re.compile(
    r"^\s*`?(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)\s+"
    r"(https?://[^/\s`]+)?(/[^\s`?#]*)[^\s`]*`?\s*$"
)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    origin: str | None
    line: int


@dataclass(frozen=True)
class Located:
    """A block and the headings it sits under, outermost first."""

    block: Block
    headings: tuple[Heading, ...]


def locate(page: MarkdownPage) -> list[Located]:
    located: list[Located] = []
    path: list[Heading] = []
    for block in page.blocks:
        if isinstance(block, Heading):
            while path and path[-1].level >= block.level:
                path.pop()
            path.append(block)
        located.append(Located(block, tuple(path)))
    return located


def block_lines(block: Block) -> list[tuple[str, int]]:
    if isinstance(block, Fence):
        return [(text, block.first_line + i) for i, text in enumerate(block.content.splitlines())]
    if isinstance(block, Paragraph):
        return [(text, block.line + i) for i, text in enumerate(block.text.splitlines())]
    return []


def find_endpoints(page: MarkdownPage) -> list[Endpoint]:
    """Every ``METHOD /path`` line standing alone in a fence or a paragraph, in page order.

    A ``:name`` segment is how some pages write a path parameter; it is read as ``{name}``.
    """
    found: list[Endpoint] = []
    for block in page.blocks:
        for text, line in block_lines(block):
            match = ENDPOINT.match(text)
            if match:
                path = re.sub(r"/:([A-Za-z_]\w*)", r"/{\1}", match.group(3))
                found.append(Endpoint(match.group(1).lower(), path, match.group(2), line))
    return found


def curl_endpoints(page: MarkdownPage, file: str) -> list[Endpoint]:
    """The endpoints a page's curl commands call, for a page with no endpoint line: the method
    the command sends (``-X``, else POST with a body and GET without), the URL's path and host."""
    found: list[Endpoint] = []
    for fence in page.fences():
        if not is_curl_fence(fence):
            continue
        curl = parse_curl(fence, file)
        parts = urlsplit(curl.url or "")
        if not (parts.scheme in {"http", "https"} and _HOST.match(parts.netloc) and parts.path):
            continue
        method = curl.method or ("post" if curl.data is not None else "get")
        if method not in _METHODS:
            continue
        origin = f"{parts.scheme}://{parts.netloc}"
        if not any(e.method == method and e.path == parts.path for e in found):
            found.append(Endpoint(method, parts.path, origin, curl.url_line))
    return found


def find_endpoint(page: MarkdownPage) -> Endpoint | None:
    """The first endpoint line of the page."""
    endpoints = find_endpoints(page)
    return endpoints[0] if endpoints else None


PATH_MENTION = re.compile(r"(?<![\w.:/])(/[A-Za-z0-9_\-{}:.]+(?:/[A-Za-z0-9_\-{}:.]+)*)")


def foreign_path(headings: tuple[Heading, ...], endpoint: Endpoint) -> str | None:
    """A path the headings above a block name that is not ``endpoint``'s: the block is another
    endpoint's (a "POST /v1/messages parameters" table on a chat completions page)."""
    own = path_pattern(endpoint.path)
    for heading in headings:
        for mention in PATH_MENTION.findall(heading.text.replace("`", "")):
            candidate = re.sub(r"/:([A-Za-z_]\w*)", r"/{\1}", mention)
            if not own.fullmatch(candidate) and not path_pattern(candidate).fullmatch(
                endpoint.path
            ):
                return candidate
    return None


def path_pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]*\})", path.rstrip("/"))
    body = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(rf"(.*?){body}/?")


def headings_at(page: MarkdownPage, line: int) -> tuple[Heading, ...]:
    """The headings a block at ``line`` sits under; a paragraph that is only bold text
    ("**Request body**") heads what follows it like a heading one level below the last."""
    path: list[Heading] = []
    bold: Heading | None = None
    for block in page.blocks:
        start = block.opening_line if isinstance(block, Fence) else block.line
        if start > line:
            break
        if isinstance(block, Heading):
            while path and path[-1].level >= block.level:
                path.pop()
            path.append(block)
            bold = None
        elif isinstance(block, Paragraph):
            match = re.fullmatch(r"\*\*([^*]+)\*\*:?", block.text.strip())
            if match:
                bold = Heading(len(path) + 7, match.group(1), block.line)
    return (*path, bold) if bold is not None else tuple(path)
