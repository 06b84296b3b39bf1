"""Reader of parameter fences: a YAML list of ``name``/``type``/``optional``/``description`` items
with nested ``children``, as docs sites that render their own parameter widgets write them.

The fence is recognised by its content (a YAML list of mappings that each have a name and a type
or description), not by its language tag. A child marked ``unstyledName`` or named in words rather
than as an identifier is an alternative of a union, not a property.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..markdown import Fence, MarkdownPage
from ..yaml_construct import safe_load
from .fields import NOT_STATED, Evidence, FieldGroup

SYNTAX = "param-fence"

_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$.\-]*$")
_FLAG_KEYS = {"optional": False, "required": True}


def _is_item(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("name"), str)
        and ("type" in value or "description" in value)
    )


def _item_lines(fence: Fence) -> list[int]:
    """The source line of each ``- name:`` entry, in document order."""
    return [
        fence.first_line + index
        for index, text in enumerate(fence.content.splitlines())
        if re.match(r"^\s*-\s+name\s*:", text)
    ]


def _required(item: dict[str, Any]) -> bool | None:
    for key, when_true in _FLAG_KEYS.items():
        value = item.get(key)
        if isinstance(value, bool):
            return when_true if value else not when_true
    return None


def _evidence(item: dict[str, Any], lines: list[int]) -> Evidence:
    line = lines.pop(0) if lines else 0
    children = item.get("children")
    name = str(item["name"]).strip()
    return Evidence(
        name=name,
        line=line,
        type_text=str(item.get("type") or ""),
        required=_required(item),
        default=item.get("default", NOT_STATED),
        description=str(item.get("description") or "").strip(),
        children=tuple(_evidence(child, lines) for child in (children or []) if _is_item(child)),
        variant=bool(item.get("unstyledName")) or not _IDENTIFIER.match(name),
    )


def read_groups(page: MarkdownPage) -> list[FieldGroup]:
    groups: list[FieldGroup] = []
    for fence in page.fences():
        try:
            data = safe_load(fence.content)
        except yaml.YAMLError:
            continue
        if not (isinstance(data, list) and data and all(_is_item(item) for item in data)):
            continue
        lines = _item_lines(fence)
        fields = tuple(_evidence(item, lines) for item in data)
        groups.append(FieldGroup(SYNTAX, fence.opening_line, fields))
    return groups
