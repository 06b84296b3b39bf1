"""A type written in TypeScript-like notation (``string | object[] | null``, ``array<string>``,
``'"message"'``, ``map[string, integer]``, ``Record<string, number>``) read into JSON Schema.

JSX props, param fences and TypeScript fences all write types this way; a small recursive-descent
parser reads them so that unions, arrays, maps and string literals nest as written. A type it
cannot read gives None, and the caller keeps the text as written.
"""

from __future__ import annotations

import re
from typing import Any

from .text import distinct

_TOKEN = re.compile(
    r"\s*(?:(?P<string>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')"
    r"|(?P<number>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_$][\w$.]*)|(?P<punct>\[\]|[|<>\[\],{}:;?()]))"
)

_SCALARS = {
    "string": "string", "str": "string", "text": "string",
    "integer": "integer", "int": "integer", "int32": "integer", "int64": "integer",
    "number": "number", "float": "number", "double": "number",
    "boolean": "boolean", "bool": "boolean",
    "object": "object", "dict": "object",
    "null": "null",
}  # fmt: skip
_ARRAYS = frozenset({"array", "list", "Array", "ReadonlyArray"})
_MAPS = frozenset({"map", "Record", "Map", "dict"})
_ANY = frozenset({"any", "unknown"})


class _Unreadable(Exception):
    """The text is not a type this notation can express."""


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        position = 0
        text = text.strip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise _Unreadable(text[position:])
            self.tokens.append(match.group(0).strip())
            position = match.end()
        self.index = 0

    def peek(self) -> str | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise _Unreadable(expected or "end")
        self.index += 1
        return token

    def union(self) -> dict[str, Any]:
        if self.peek() == "|":  # a leading bar, as multi-line unions write it
            self.take()
        members = [self.postfix()]
        while self.peek() == "|":
            self.take()
            members.append(self.postfix())
        return union_of(members)

    def postfix(self) -> dict[str, Any]:
        schema = self.primary()
        while self.peek() == "[]":
            self.take()
            schema = {"type": "array", "items": schema} if schema else {"type": "array"}
        return schema

    def primary(self) -> dict[str, Any]:
        token = self.take()
        if token == "(":
            inner = self.union()
            self.take(")")
            return inner
        if token == "{":
            return self.object_literal()
        if token[:1] in "\"'":
            literal = token[1:-1]
            if len(literal) >= 2 and literal[0] == literal[-1] and literal[0] in "\"'":
                literal = literal[1:-1]  # '"message"': a string literal quoted for YAML
            return {"type": "string", "enum": [literal]}
        if re.fullmatch(r"-?\d+(?:\.\d+)?", token):
            number = float(token) if "." in token else int(token)
            return {"type": "integer" if isinstance(number, int) else "number", "enum": [number]}
        if token in {"true", "false"}:
            return {"type": "boolean", "enum": [token == "true"]}
        if token in _ARRAYS and self.peek() in {"<", "["}:
            closing = ">" if self.take() == "<" else "]"
            items = self.union()
            self.take(closing)
            return {"type": "array", "items": items} if items else {"type": "array"}
        if token in _MAPS and self.peek() in {"<", "["}:
            closing = ">" if self.take() == "<" else "]"
            self.union()  # the key type: JSON object keys are strings whatever it says
            self.take(",")
            values = self.union()
            self.take(closing)
            return {"type": "object", "additionalProperties": values or True}
        if token in _ARRAYS:
            return {"type": "array"}
        if token in _SCALARS:
            return {"type": _SCALARS[token]}
        if token in _ANY:
            return {}
        raise _Unreadable(token)

    def object_literal(self) -> dict[str, Any]:
        """``{ [key: string]: number }`` (an index signature) or ``{ a: string; b?: number }``."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        extra: Any = None
        while self.peek() != "}":
            if self.peek() == "[":
                self.take("[")
                self.take()
                self.take(":")
                self.union()
                self.take("]")
                self.take(":")
                extra = self.union() or True
            else:
                name = self.take()
                optional = self.peek() == "?"
                if optional:
                    self.take()
                self.take(":")
                properties[name.strip("\"'")] = self.union()
                if not optional:
                    required.append(name.strip("\"'"))
            if self.peek() in {";", ","}:
                self.take()
        self.take("}")
        schema: dict[str, Any] = {"type": "object"}
        if properties:
            schema["properties"] = properties
        if required:
            schema["required"] = required
        if extra is not None:
            schema["additionalProperties"] = extra
        return schema


def union_of(members: list[dict[str, Any]]) -> dict[str, Any]:
    """One schema for ``A | B | ...``: literals gather into one enum, ``X | null`` is a type list."""
    kept: list[dict[str, Any]] = distinct(members)
    if any(member == {} for member in kept):
        return {}
    literals = [m for m in kept if set(m) == {"type", "enum"}]
    kinds = {m["type"] for m in literals}
    if len(literals) > 1 and len(kinds) == 1:
        merged = {"type": kinds.pop(), "enum": [v for m in literals for v in m["enum"]]}
        kept = [merged] + [m for m in kept if m not in literals]
    if len(kept) == 1:
        return kept[0]
    others = [m for m in kept if m != {"type": "null"}]
    if len(others) == 1 and len(kept) == 2:
        only = dict(others[0])
        if isinstance(only.get("type"), str):
            only["type"] = [only["type"], "null"]
            if "enum" in only:
                only["enum"] = [*only["enum"], None]
            return only
    return {"oneOf": kept}


def schema_for_type_text(text: str) -> dict[str, Any] | None:
    """The JSON Schema ``text`` says; None when the notation cannot read it."""
    cleaned = text.replace("\\[", "[").replace("\\]", "]").replace("`", "").strip()
    if not cleaned:
        return None
    try:
        parser = _Parser(cleaned)
        schema = parser.union()
        if parser.peek() is not None:
            return None
    except _Unreadable:
        return None
    return schema
