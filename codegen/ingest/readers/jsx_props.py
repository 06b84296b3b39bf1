"""Reader of MDX pages whose JSX components carry each field in props:
``<ParamField body="temperature" type="number" default={1} required>`` with nested
``<Expandable>`` properties, ``<ResponseField name=...>``, and ``typeInfo={{...}}`` objects.

A component is a field when its props give a type and a name (in ``name``, or in the prop that
says where the field goes: ``body``, ``query``, ``path``, ``header``, ``cookie``). Fields nested
inside it are its properties; where two or more sibling components (tabs) each hold fields, each
is one alternative of the field's union. The text inside a field, without markup, is its
description. Fenced code is never read as markup.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..markdown import MarkdownPage
from ..source import SourceText
from .fields import NOT_STATED, Evidence, FieldGroup

SYNTAX = "jsx-props"

_PLACES = ("body", "query", "path", "header", "cookie")
_TAG = re.compile(
    r"<(?P<close>/)?(?P<name>[A-Za-z][\w.]*)(?P<rest>(?:[^<>{}]|\{(?:[^{}]|\{[^{}]*\})*\})*?)(?P<self>/)?>"
)
_PROP = re.compile(
    r"(?P<key>[A-Za-z_][\w-]*)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|\{(?P<js>(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}))?"
)
_SCHEMA_KEYS = frozenset(
    {"type", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
     "minLength", "maxLength", "minItems", "maxItems", "pattern", "format"}
)  # fmt: skip


@dataclass
class _Node:
    tag: str
    props: dict[str, Any]
    line: int
    children: list[_Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def _js_value(text: str) -> Any:
    """A JSX prop expression: JSON-like literals as values; anything else stays text."""
    value = text.strip()
    try:
        return json.loads(value)
    except ValueError:
        pass
    # An object literal with bare keys and single quotes: { type: 'number', minimum: 0 }
    quoted = re.sub(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:", r'\1"\2":', value)
    quoted = re.sub(r"'([^'\\]*)'", r'"\1"', quoted)
    try:
        return json.loads(quoted)
    except ValueError:
        return value


def _props(text: str) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for match in _PROP.finditer(text):
        key = match.group("key")
        if match.group("dq") is not None:
            props[key] = match.group("dq")
        elif match.group("sq") is not None:
            props[key] = match.group("sq")
        elif match.group("js") is not None:
            props[key] = _js_value(match.group("js"))
        else:
            props[key] = True  # a bare prop: <ParamField required>
    return props


def _outside_fences(source: SourceText, page: MarkdownPage) -> str:
    """The page text with fenced code blanked, so a code sample's tags are never read."""
    lines = list(source.lines)
    for fence in page.fences():
        last = fence.first_line + len(fence.content.splitlines())
        for number in range(fence.opening_line, min(last + 1, len(lines) + 1)):
            lines[number - 1] = ""
    return "\n".join(lines)


def _tree(text: str) -> list[_Node]:
    root = _Node("", {}, 0)
    stack = [root]
    position = 0
    for match in _TAG.finditer(text):
        stack[-1].text.append(text[position : match.start()])
        position = match.end()
        name = match.group("name")
        if not name[0].isupper():
            continue  # HTML (<p>, <div>, <br />) is layout; its text stays
        line = text.count("\n", 0, match.start()) + 1
        if match.group("close"):
            while len(stack) > 1:
                if stack.pop().tag == name:
                    break
            continue
        node = _Node(name, _props(match.group("rest")), line)
        stack[-1].children.append(node)
        if not match.group("self"):
            stack.append(node)
    stack[-1].text.append(text[position:])
    return root.children


def _field_name(node: _Node) -> tuple[str, str | None] | None:
    """(name, place) of a field component; None for layout components."""
    if "type" not in node.props and "typeInfo" not in node.props:
        return None
    for place in _PLACES:
        if isinstance(node.props.get(place), str):
            return node.props[place], place
    if isinstance(node.props.get("name"), str):
        return node.props["name"], None
    return None


def _description(node: _Node) -> str:
    text = " ".join(part.strip() for part in node.text if part.strip())
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _fields_below(node: _Node) -> list[_Node]:
    """The field components under ``node``, looking through layout components."""
    found: list[_Node] = []
    for child in node.children:
        if _field_name(child) is not None:
            found.append(child)
        else:
            found.extend(_fields_below(child))
    return found


def _alternatives(node: _Node) -> list[_Node] | None:
    """Sibling layout components that each hold fields: the alternatives of a union."""
    for child in node.children:
        if _field_name(child) is not None:
            continue
        holders = [c for c in child.children if _field_name(c) is None and _fields_below(c)]
        tags = {c.tag for c in holders}
        if len(holders) >= 2 and len(tags) == 1:
            return holders
        deeper = _alternatives(child)
        if deeper is not None:
            return deeper
    return None


def _required(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return None


def _evidence(node: _Node) -> Evidence:
    named = _field_name(node)
    assert named is not None
    props = node.props
    given = props.get("typeInfo")
    info: dict[str, Any] = given if isinstance(given, dict) else {}
    schema_bits = {k: v for k, v in info.items() if k in _SCHEMA_KEYS}
    written = props.get("type")
    type_text = written if isinstance(written, str) else ""
    if not type_text and isinstance(schema_bits.get("type"), str):
        type_text = str(schema_bits.pop("type"))
    required = _required(props.get("required", info.get("required")))
    default = props.get("default", info.get("default", NOT_STATED))
    alternatives = _alternatives(node)
    if alternatives is not None:
        children = tuple(
            Evidence(
                name=str(alt.props.get("title") or alt.tag),
                line=alt.line,
                type_text="object",
                description=_description(alt),
                children=tuple(_evidence(c) for c in _fields_below(alt)),
                variant=True,
            )
            for alt in alternatives
        )
    else:
        children = tuple(_evidence(child) for child in _fields_below(node))
    description = _description(node)
    evidence = Evidence(
        name=named[0], line=node.line, type_text=type_text, required=required,
        default=default, description=description, children=children,
    )  # fmt: skip
    if schema_bits:
        schema = evidence.to_schema()
        schema.update({k: v for k, v in schema_bits.items() if k not in schema or k != "type"})
        return Evidence(
            name=evidence.name, line=evidence.line, type_text=type_text, schema=schema,
            required=required, description=description,
        )  # fmt: skip
    return evidence


def _place(node: _Node) -> str:
    named = _field_name(node)
    if named is not None and named[1] is not None:
        return named[1]
    return "response" if "response" in node.tag.lower() else "body"


def read_groups(source: SourceText, page: MarkdownPage) -> list[FieldGroup]:
    """One group for each run of top-level field components that go to the same place."""
    groups: list[FieldGroup] = []
    for node in _tree(_outside_fences(source, page)):
        nodes = [node] if _field_name(node) is not None else _fields_below(node)
        for field_node in nodes:
            place = _place(field_node)
            evidence = _evidence(field_node)
            if groups and groups[-1].place == place:
                last = groups[-1]
                groups[-1] = FieldGroup(SYNTAX, last.line, (*last.fields, evidence), place)
            else:
                groups.append(FieldGroup(SYNTAX, field_node.line, (evidence,), place))
    return groups
