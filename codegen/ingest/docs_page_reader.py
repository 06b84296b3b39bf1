"""Reader 4: docs pages as vendors publish them (MDX with JSX props, bullet lists, TypeScript
types, checklists, parameter fences, resolved pseudo-spec fences), one or many endpoints a page.

Each syntax has its reader in ``readers/``, and every one yields the same field evidence. Which
endpoint a part of the page documents is decided from its endpoint line and the headings above
it; each endpoint's part is then read like a one-endpoint reference page. A page that states no
request parameters for any operation is refused in one line that names what it does hold.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import SpecgenError
from ..jsonpointer import join
from .markdown import Fence, Heading, ListItem, MarkdownPage, Paragraph, Table, parse_markdown
from .markdown_reader import openapi_document, read_section
from .notes import IngestNote
from .reader import ReaderOutput
from .readers import bullets, checklists, jsx_props, param_fences, pseudo_spec, typescript
from .readers.curl import is_curl_fence
from .readers.fields import Evidence, FieldGroup
from .readers.lines import complete_lines
from .readers.sections import (
    Endpoint,
    curl_endpoints,
    find_endpoints,
    foreign_path,
    headings_at,
)
from .readers.tables import parameter_columns
from .source import SourceText

NAME = "docs-page"

_LINK = re.compile(r"\[[^\]]*\]\((https?://[^)\s]+)\)|<(https?://[^>\s]+)>")
_NO_END = 10**9
MAX_FIELD_DEPTH = 32
"""Deeper than any API's fields; a page nesting more is refused before its schemas are built."""


def _depth(item: Evidence) -> int:
    return 1 + max(map(_depth, item.children), default=0)


def field_groups(source: SourceText, page: MarkdownPage) -> list[FieldGroup]:
    """Every syntax's fields on the page, in page order (tables are read with their section)."""
    try:
        groups = [
            *bullets.read_groups(page),
            *checklists.read_groups(page),
            *param_fences.read_groups(page),
            *typescript.read_groups(page),
            *jsx_props.read_groups(source, page),
        ]
        too_deep = [g for g in groups if max(map(_depth, g.fields), default=0) > MAX_FIELD_DEPTH]
    except RecursionError:
        raise SpecgenError("fields nested too deeply to read", file=source.path, line=1) from None
    if too_deep:
        raise SpecgenError(
            f"fields nested more than {MAX_FIELD_DEPTH} deep",
            file=source.path,
            line=too_deep[0].line,
        )
    return sorted(groups, key=lambda group: group.line)


def _tables(page: MarkdownPage) -> list[Table]:
    return [table for table in page.tables() if parameter_columns(table.header) is not None]


def _links(page: MarkdownPage) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for block in page.blocks:
        if isinstance(block, Paragraph | Heading | ListItem):
            for match in _LINK.finditer(block.text):
                found.append((match.group(1) or match.group(2), block.line))
    return found


def claims(source: SourceText) -> bool:
    """A page that says anything about an API: an endpoint line, fields in any syntax, a
    pseudo-spec, a curl command, or links elsewhere (so its refusal can say so)."""
    page = parse_markdown(source)
    return bool(
        find_endpoints(page)
        or pseudo_spec.find(page, source.path)
        or _tables(page)
        or field_groups(source, page)
        or any(is_curl_fence(fence) for fence in page.fences())
        or (_links(page) and _mentions_api(page))
    )


def _mentions_api(page: MarkdownPage) -> bool:
    words = " ".join(getattr(block, "text", "") for block in page.blocks).lower()
    return bool(re.search(r"\bapi\b|\bendpoints?\b|\breference\b", words))


def _block_line(block: Any) -> int:
    return int(block.opening_line if isinstance(block, Fence) else block.line)


def _sections(page: MarkdownPage, endpoints: list[Endpoint]) -> list[tuple[Endpoint, int, int]]:
    """(endpoint, first line, line after) of each endpoint's part of the page.

    One endpoint owns the whole page. With several, each owns the heading it sits under, down to
    the next heading of the same or a higher level.
    """
    if len(endpoints) == 1:
        return [(endpoints[0], 1, _NO_END)]
    headings = [block for block in page.blocks if isinstance(block, Heading)]
    sections: list[tuple[Endpoint, int, int]] = []
    for endpoint in endpoints:
        above = [h for h in headings if h.line <= endpoint.line]
        if not above:
            sections.append((endpoint, 1, _NO_END))
            continue
        owner = above[-1]
        end = next(
            (h.line for h in headings if h.line > owner.line and h.level <= owner.level), _NO_END
        )
        sections.append((endpoint, owner.line, end))
    return sections


def _part(page: MarkdownPage, start: int, end: int) -> MarkdownPage:
    blocks = tuple(b for b in page.blocks if start <= _block_line(b) < end)
    return MarkdownPage(front_matter=page.front_matter, blocks=blocks)


def _has_parameters(operation: dict[str, Any]) -> bool:
    if operation.get("parameters"):
        return True
    content = operation.get("requestBody", {}).get("content", {})
    return any(
        isinstance(media.get("schema"), dict) and media["schema"].get("properties")
        for media in content.values()
    )


def _title(page: MarkdownPage, fallback: str) -> tuple[str, int]:
    title = page.front_matter.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip(), 1
    for block in page.blocks:
        if isinstance(block, Heading) and block.level == 1 and not block.text.startswith("Source:"):
            return block.text, block.line
    return fallback, 1


class _Assembly:
    """One document from the parts of a page, each part's lines and notes kept."""

    def __init__(self) -> None:
        self.paths: dict[str, Any] = {}
        self.servers: list[str] = []
        self.security: list[Any] = []
        self.schemes: dict[str, Any] = {}
        self.schemas: dict[str, Any] = {}
        self.lines: dict[str, int] = {"": 1}
        self.notes: list[IngestNote] = []

    def add(self, document: dict[str, Any], lines: dict[str, int]) -> None:
        for path, item in document.get("paths", {}).items():
            self.paths.setdefault(path, {}).update(item)
        for pointer, line in lines.items():
            if pointer.startswith(("/paths/", "/components/")):
                self.lines.setdefault(pointer, line)
        for index, server in enumerate(document.get("servers", [])):
            if server["url"] not in self.servers:
                self.lines[join("", "servers", len(self.servers))] = lines.get(
                    join("", "servers", index), 1
                )
                self.servers.append(server["url"])
        for index, requirement in enumerate(document.get("security", [])):
            if requirement not in self.security:
                self.lines[join("", "security", len(self.security))] = lines.get(
                    join("", "security", index), 1
                )
                self.security.append(requirement)
        self.schemes.update(document.get("components", {}).get("securitySchemes", {}))

    def document(self, info: dict[str, Any]) -> dict[str, Any]:
        return openapi_document(
            info, self.servers, self.security, self.paths, self.schemas, self.schemes
        )


def _foreign_paths(page: MarkdownPage, lines: list[int], endpoint: Endpoint | None) -> list[str]:
    """Paths the headings above these blocks name (other than ``endpoint``'s)."""
    found: list[str] = []
    for line in lines:
        headings = headings_at(page, line)
        if endpoint is not None:
            other = foreign_path(headings, endpoint)
        else:
            nowhere = Endpoint("post", "/\0", None, 0)
            other = foreign_path(headings, nowhere)
        if other is not None and other not in found:
            found.append(other)
    return found


def _what_it_holds(
    page: MarkdownPage,
    groups: list[FieldGroup],
    endpoints: list[Endpoint],
    sections_without: list[Endpoint],
) -> tuple[str, int]:
    """The one-line reason a page is refused, and the line it points at."""
    field_lines = [group.line for group in groups] + [table.line for table in _tables(page)]
    described = _foreign_paths(page, field_lines, endpoints[0] if endpoints else None)
    parts: list[str] = []
    if described:
        parts.append("tables describe " + ", ".join(described))
    elif field_lines and not endpoints:
        syntaxes = sorted(
            {group.syntax for group in groups} | ({"table"} if _tables(page) else set())
        )
        parts.append(
            f"fields ({', '.join(syntaxes)}, line {min(field_lines)}) but no endpoint line "
            "(such as 'POST /v1/chat/completions') saying which operation they belong to"
        )
    if sections_without:
        named = ", ".join(f"{e.method.upper()} {e.path} (line {e.line})" for e in sections_without)
        parts.append(f"endpoints without request parameters: {named}")
    links = _links(page)
    if not parts and links:
        parts.append(f"links to an external reference ({links[0][0]})")
    curls = [fence for fence in page.fences() if is_curl_fence(fence)]
    if not parts and curls:
        parts.append(f"only a curl example (line {curls[0].opening_line})")
    line = min(field_lines or [e.line for e in sections_without] or [at for _, at in links] or [1])
    return "; ".join(parts) or "no field list in any syntax", line


def _warning(rule: str, message: str, line: int) -> IngestNote:
    return IngestNote(rule=rule, pointer="", message=message, level="warning", line=line)


def read(source: SourceText) -> ReaderOutput:
    page = parse_markdown(source)
    found = pseudo_spec.find(page, source.path)
    if found:
        path = found[0][1]["paths"]["path"]
        title, _line = _title(page, path)
        try:
            document, lines = pseudo_spec.to_openapi(found, title)
        except RecursionError:
            raise SpecgenError(
                "pseudo-spec nested too deeply to read",
                file=source.path,
                line=found[0][0].opening_line,
            ) from None
        return ReaderOutput(document=document, lines=complete_lines(document, lines))
    groups = field_groups(source, page)
    endpoints = find_endpoints(page)
    assembly = _Assembly()
    if not endpoints:
        endpoints = curl_endpoints(page, source.path)
        assembly.notes.extend(
            _warning(
                "docs-endpoint-from-curl",
                f"no endpoint line; {e.method.upper()} {e.path} is the endpoint the page's curl "
                "command calls",
                e.line,
            )
            for e in endpoints
        )
    without: list[Endpoint] = []
    for endpoint, start, end in _sections(page, endpoints):
        part = _part(page, start, end)
        inside = [group for group in groups if start <= group.line < end]
        document, lines, notes = read_section(
            source, part, endpoint, inside, assembly.schemas, tolerant=True
        )
        assembly.notes.extend(notes)
        operation = document["paths"][endpoint.path][endpoint.method]
        if not _has_parameters(operation):
            without.append(endpoint)
            continue
        assembly.add(document, lines)
    if not assembly.paths:
        what, line = _what_it_holds(page, groups, endpoints, without)
        raise SpecgenError(
            f"no request parameters for any operation; the page holds {what}",
            file=source.path,
            line=line,
        )
    for endpoint in without:
        assembly.notes.append(
            _warning(
                "docs-section-skipped",
                f"{endpoint.method.upper()} {endpoint.path} states no request parameters; it is "
                "left out",
                endpoint.line,
            )
        )
    title, title_line = _title(page, "API")
    info: dict[str, Any] = {"title": title, "version": str(page.front_matter.get("version") or "")}
    description = page.front_matter.get("description")
    if isinstance(description, str) and description.strip():
        info["description"] = description.strip()
    assembly.lines.update({"/info": title_line, "/info/title": title_line})
    document = assembly.document(info)
    return ReaderOutput(
        document=document,
        lines=complete_lines(document, assembly.lines),
        notes=tuple(assembly.notes),
    )
