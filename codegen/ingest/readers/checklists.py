"""Reader of checklists: ``- [x] temperature`` items that say which fields are supported, with
sub-fields nested by indentation and no types at all.

A checked item is a field; an unchecked one is a field the page says is not supported, so it is
left out. The fields carry no type: the merge takes each from the API family's reference (the
normalize rule ``unknown-shape`` marks them), and a field the reference does not know stays an
unknown shape with a finding.
"""

from __future__ import annotations

import re

from ..markdown import ListItem, MarkdownPage
from .fields import Evidence, FieldGroup

SYNTAX = "checklist"

_CHECK_ITEM = re.compile(
    r"^\[(?P<mark>[ xX])\]\s+`?(?P<name>[A-Za-z_$][\w$.\-]*)`?(?:\s*[:\-–—]\s*(?P<text>.*))?$", re.S
)


def _tree(items: list[tuple[ListItem, re.Match[str]]], depth: int) -> tuple[Evidence, ...]:
    fields: list[Evidence] = []
    index = 0
    while index < len(items):
        item, match = items[index]
        end = index + 1
        while end < len(items) and items[end][0].depth > depth:
            end += 1
        if match.group("mark") != " ":
            children = _tree(items[index + 1 : end], depth + 1)
            fields.append(
                Evidence(
                    name=match.group("name"),
                    line=item.line,
                    description=(match.group("text") or "").strip(),
                    children=children,
                )
            )
        index = end
    return tuple(fields)


def read_groups(page: MarkdownPage) -> list[FieldGroup]:
    groups: list[FieldGroup] = []
    run: list[tuple[ListItem, re.Match[str]]] = []
    for item in [*page.list_items(), None]:
        match = _CHECK_ITEM.match(item.text) if item is not None else None
        if item is not None and match is not None and (run or item.depth == 1):
            run.append((item, match))
            continue
        if run:
            fields = _tree(run, run[0][0].depth)
            if fields:
                groups.append(FieldGroup(SYNTAX, run[0][0].line, fields))
            run = []
        if item is not None and match is not None:
            run.append((item, match))
    return groups
