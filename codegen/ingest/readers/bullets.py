"""Reader of parameter bullet lists: ``- `name`: (required) what it is`` items, one field each,
and pages with one heading per parameter whose bullets say ``Optional, **float**, 0.0 to 2.0``.

A list is read when every item at its depth names a field in code first; deeper items are the
field's children. The lead-in paragraph just above the list may say that every field in it is
optional ("Advanced parameters (optional):") or which object the fields belong to ("The
`message` object has the following fields:").
"""

from __future__ import annotations

import re

from ..markdown import Heading, ListItem, MarkdownPage, Paragraph
from .fields import Evidence, FieldGroup
from .text import plain

SYNTAX = "bullets"

# `name` (flags): text   |   `name`: (flags) text
_FIELD_ITEM = re.compile(
    r"^`(?P<name>[A-Za-z_$][\w$.\-\[\]]*)`\s*(?:\((?P<before>[^)]*)\))?\s*[:\-–—]\s*"
    r"(?:\((?P<after>[^)]*)\)\s*)?(?P<text>.*)$",
    re.S,
)
_OBJECT_LEAD = re.compile(r"`(?P<name>[^`]+)`\s+object\b", re.I)
# A description that opens by saying what the value is.
_LEADING_TYPES = (
    (re.compile(r"^(?:an?\s+)?(?:list|array)\s+of\s+strings?\b", re.I), "array<string>"),
    (re.compile(r"^(?:an?\s+)?(?:list|array)\s+of\b", re.I), "array"),
    (re.compile(r"^(?:an?\s+)?(?:dictionary|map|object)\b", re.I), "object"),
    (
        re.compile(r"^(?:an?\s+)?string\s+or\s+(?:a\s+)?list\s+of\s+strings\b", re.I),
        "string | array<string>",
    ),
    (re.compile(r"^(?:an?\s+)?string\b", re.I), "string"),
)
# Heading-per-parameter bullets: "Optional, **float**, 0.0 to 2.0"
_TYPE_WORD = re.compile(
    r"\*\*(?P<type>[A-Za-z][\w\[\]<>| ]*)\*\*|`(?P<code>[A-Za-z][\w\[\]<>| ]*)`"
)
_FLAG = re.compile(r"\b(required|optional)\b", re.I)


def _flags(text: str | None) -> tuple[bool | None, bool]:
    """(required, deprecated) from a parenthesised note such as ``(required)``."""
    if not text:
        return None, False
    words = set(re.findall(r"[a-z]+", text.lower()))
    required = True if "required" in words else False if "optional" in words else None
    return required, "deprecated" in words


def _leading_type(text: str) -> str:
    for pattern, type_text in _LEADING_TYPES:
        if pattern.match(text):
            return type_text
    return ""


def _item_evidence(match: re.Match[str], line: int, optional: bool) -> Evidence:
    required, _deprecated = _flags(match.group("before"))
    after_required, _ = _flags(match.group("after"))
    required = required if required is not None else after_required
    if required is None and optional:
        required = False
    text = match.group("text").strip()
    notes = " ".join(f"({note})" for note in (match.group("before"), match.group("after")) if note)
    description = f"{notes} {text}".strip() if notes and required is None else text
    return Evidence(
        name=match.group("name"),
        line=line,
        type_text=_leading_type(text),
        required=required,
        description=description,
    )


def _lead_in(page: MarkdownPage, first: ListItem) -> Paragraph | None:
    """The paragraph that ends right above the list, if nothing else sits between them."""
    previous = None
    for block in page.blocks:
        if block is first:
            return previous if isinstance(previous, Paragraph) else None
        if isinstance(block, Paragraph | Heading) or (
            isinstance(block, ListItem) and block.depth == first.depth
        ):
            previous = block
        elif not isinstance(block, ListItem):
            previous = None
    return None


def _runs(items: list[ListItem]) -> list[list[ListItem]]:
    """Consecutive items of one list: a run breaks where the list depth returns to zero."""
    runs: list[list[ListItem]] = []
    for item in items:
        if runs and item.depth >= runs[-1][0].depth and _adjacent(runs[-1][-1], item):
            runs[-1].append(item)
            continue
        runs.append([item])
    return runs


def _adjacent(before: ListItem, after: ListItem) -> bool:
    return after.line - before.line <= max(2, before.text.count("\n") + 2)


def _nest(run: list[ListItem], optional: bool) -> tuple[Evidence, ...] | None:
    top = run[0].depth
    result: list[Evidence] = []
    children: dict[int, list[Evidence]] = {}
    for item in run:
        match = _FIELD_ITEM.match(item.text)
        if match is None:
            if item.depth == top:
                return None
            continue
        evidence = _item_evidence(match, item.line, optional)
        if item.depth == top:
            result.append(evidence)
        elif result:
            children.setdefault(len(result) - 1, []).append(evidence)
    for index, kids in children.items():
        parent = result[index]
        result[index] = Evidence(
            name=parent.name, line=parent.line, type_text=parent.type_text or "object",
            required=parent.required, description=parent.description, children=tuple(kids),
        )  # fmt: skip
    return tuple(result)


def read_groups(page: MarkdownPage) -> list[FieldGroup]:
    """Bullet lists of fields, and the heading-per-parameter form."""
    groups: list[FieldGroup] = []
    for run in _runs(page.list_items()):
        lead = _lead_in(page, run[0])
        lead_text = plain(lead.text) if isinstance(lead, Paragraph) else ""
        optional = bool(re.search(r"\(optional\)|\boptional\b", lead_text, re.I))
        fields = _nest(run, optional)
        if not fields:
            continue
        title_match = _OBJECT_LEAD.search(lead.text) if isinstance(lead, Paragraph) else None
        title = f"{title_match.group('name')} object" if title_match else None
        groups.append(FieldGroup(SYNTAX, run[0].line, fields, title=title, optional=optional))
    groups.extend(_heading_fields(page))
    return groups


def _heading_fields(page: MarkdownPage) -> list[FieldGroup]:
    """``### temperature`` headings whose bullets give the type and required-ness."""
    groups: list[FieldGroup] = []
    blocks = list(page.blocks)
    for index, block in enumerate(blocks):
        if not isinstance(block, Heading):
            continue
        name = plain(block.text)
        if not re.fullmatch(r"[A-Za-z_$][\w$.\-]*", name) or not ("_" in name or name.islower()):
            continue
        bullets: list[str] = []
        prose: list[str] = []
        for after in blocks[index + 1 :]:
            if isinstance(after, Heading):
                break
            if isinstance(after, ListItem):
                bullets.append(after.text)
            elif isinstance(after, Paragraph) and after.text not in bullets:
                prose.append(after.text)
        type_text = ""
        required: bool | None = None
        for bullet in bullets:
            found = _TYPE_WORD.search(bullet)
            flag = _FLAG.search(bullet)
            if found and flag and not type_text:
                type_text = found.group("type") or found.group("code") or ""
                required = flag.group(1).lower() == "required"
        if not type_text:
            continue
        description = " ".join([*prose, *bullets]).strip()
        evidence = Evidence(name, block.line, type_text, required=required, description=description)
        groups.append(FieldGroup(SYNTAX, block.line, (evidence,)))
    return groups
