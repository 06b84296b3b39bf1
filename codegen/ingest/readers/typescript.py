"""Reader of TypeScript types in code fences: ``interface X { name?: T; // comment }`` and
``type X = { ... }`` declarations, with optional ``?`` marks, string-literal unions, arrays,
index signatures and ranges or defaults stated only in ``//`` or ``/** */`` comments.

Each top-level declaration is one group of fields, named by the declaration; a property whose
type names another declaration of the same page takes that declaration's shape. Comments become
the field's description, where the normalize rule ``prose-constraints`` reads bounds and defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..markdown import Fence, MarkdownPage
from .fields import Evidence, FieldGroup
from .type_text import schema_for_type_text

SYNTAX = "typescript"

_LANGS = frozenset({"ts", "typescript", "tsx"})
_DECLARATION = re.compile(
    r"^\s*(?:export\s+)?(?:interface\s+(?P<iface>[A-Za-z_$][\w$]*)(?:\s+extends\s+[^{]+)?\s*\{"
    r"|type\s+(?P<alias>[A-Za-z_$][\w$]*)\s*=\s*(?P<rest>.*))$"
)
_PROPERTY = re.compile(
    r"^\s*(?:readonly\s+)?(?P<name>[A-Za-z_$][\w$]*|\"[^\"]+\"|'[^']+')(?P<optional>\?)?\s*:\s*(?P<type>.*?)\s*[;,]?\s*(?://\s*(?P<comment>.*))?$"
)
_INDEX = re.compile(
    r"^\s*\[\s*\w+\s*:\s*\w+\s*\]\s*:\s*(?P<type>.*?)\s*[;,]?\s*(?://\s*(?P<comment>.*))?$"
)


@dataclass(frozen=True)
class Declaration:
    name: str
    line: int
    fields: tuple[Evidence, ...]
    extra: str | None  # the index signature's value type, as written
    alias: str | None  # ``type X = A | B`` that is not an object


def _is_typescript(fence: Fence) -> bool:
    if fence.lang in _LANGS:
        return True
    first = next((line for line in fence.content.splitlines() if line.strip()), "")
    return fence.lang == "" and bool(_DECLARATION.match(first))


def _strip_block_comments(lines: list[str]) -> list[tuple[str, str]]:
    """Each line with its ``/** ... */`` doc comment (for the line after it) pulled out."""
    out: list[tuple[str, str]] = []
    pending: list[str] = []
    in_comment = False
    for text in lines:
        stripped = text.strip()
        if in_comment or stripped.startswith("/*"):
            in_comment = not stripped.endswith("*/")
            body = stripped.removeprefix("/**").removeprefix("/*").removesuffix("*/")
            pending.append(body.strip().lstrip("*").strip())
            out.append(("", ""))
            continue
        out.append((text, " ".join(part for part in pending if part)))
        pending = []
    return out


def _declarations(fence: Fence) -> list[Declaration]:
    lines = _strip_block_comments(fence.content.splitlines())
    found: list[Declaration] = []
    index = 0
    while index < len(lines):
        text, _doc = lines[index]
        match = _DECLARATION.match(text)
        index += 1
        if match is None:
            continue
        name = match.group("iface") or match.group("alias")
        line = fence.first_line + index - 1
        rest = (match.group("rest") or "").strip()
        if match.group("alias") and not rest.startswith("{"):
            found.append(Declaration(name, line, (), None, rest.rstrip(";")))
            continue
        fields: list[Evidence] = []
        extra: str | None = None
        depth = 1
        while index < len(lines) and depth > 0:
            text, doc = lines[index]
            index += 1
            if text.strip().startswith("}"):
                depth -= 1
                continue
            if depth > 1:
                depth += text.count("{") - text.count("}")
                continue
            indexed = _INDEX.match(text)
            if indexed:
                extra = indexed.group("type")
                continue
            prop = _PROPERTY.match(text)
            if prop is None:
                continue
            comment = " ".join(part for part in (doc, prop.group("comment") or "") if part)
            fields.append(
                Evidence(
                    name=prop.group("name").strip("\"'"),
                    line=fence.first_line + index - 1,
                    type_text=prop.group("type"),
                    required=prop.group("optional") is None,
                    description=comment.strip(),
                )
            )
        found.append(Declaration(name, line, tuple(fields), extra, None))
    return found


def _resolve(schema: dict[str, Any], known: dict[str, dict[str, Any]], seen: frozenset[str]) -> Any:
    """Replace ``x-ts-name`` placeholders by the shape of the declaration they name."""
    if isinstance(schema, dict):
        if set(schema) == {"x-ts-name"}:
            name = schema["x-ts-name"]
            if name in known and name not in seen:
                return _resolve(known[name], known, seen | {name})
            return {}
        return {key: _resolve(value, known, seen) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_resolve(item, known, seen) for item in schema]
    return schema


def _type_schema(type_text: str, names: set[str]) -> dict[str, Any] | None:
    """The type's schema, with names of other declarations kept as placeholders."""
    marked = type_text
    for name in sorted(names, key=len, reverse=True):
        marked = re.sub(rf"\b{re.escape(name)}\b", f"__ts_{name}", marked)
    if marked == type_text:
        return schema_for_type_text(type_text)
    parsed = schema_for_type_text(re.sub(r"__ts_\w+", "object", marked))
    if parsed is None:
        return None
    placeholders = iter(re.findall(r"__ts_(\w+)", marked))
    filled: dict[str, Any] = _fill(parsed, placeholders)
    return filled


def _fill(schema: Any, names: Any) -> Any:
    if isinstance(schema, dict):
        if schema == {"type": "object"}:
            name = next(names, None)
            return {"x-ts-name": name} if name else schema
        return {key: _fill(value, names) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_fill(item, names) for item in schema]
    return schema


def read_groups(page: MarkdownPage) -> list[FieldGroup]:
    declarations = [
        d for fence in page.fences() if _is_typescript(fence) for d in _declarations(fence)
    ]
    names = {d.name for d in declarations}
    shapes: dict[str, dict[str, Any]] = {}
    typed: dict[str, list[Evidence]] = {}
    for declaration in declarations:
        if declaration.alias is not None:
            shapes[declaration.name] = _type_schema(declaration.alias, names) or {}
            continue
        fields = []
        for item in declaration.fields:
            schema = _type_schema(item.type_text, names)
            fields.append(
                Evidence(
                    item.name,
                    item.line,
                    item.type_text,
                    schema,
                    item.required,
                    description=item.description,
                )
            )
        typed[declaration.name] = fields
        shape: dict[str, Any] = {
            "type": "object",
            "properties": {f.name: f.to_schema() for f in fields},
        }
        required = [f.name for f in fields if f.required]
        if required:
            shape["required"] = required
        if declaration.extra is not None:
            shape["additionalProperties"] = _type_schema(declaration.extra, names) or True
        shapes[declaration.name] = shape
    referenced = {
        name
        for declaration in declarations
        for item in declaration.fields
        for name in names
        if re.search(rf"\b{re.escape(name)}\b", item.type_text)
    }
    groups: list[FieldGroup] = []
    for declaration in declarations:
        if declaration.name not in typed or declaration.name in referenced:
            continue
        resolved = tuple(
            Evidence(
                item.name, item.line, item.type_text,
                _resolve(item.schema, shapes, frozenset({declaration.name})) if item.schema is not None else None,
                item.required, description=item.description,
            )
            for item in typed[declaration.name]
        )  # fmt: skip
        groups.append(
            FieldGroup(SYNTAX, declaration.line, resolved, place=_place(declaration.name))
        )
    return groups


def _place(name: str) -> str | None:
    """What a declaration's name says it types: ``ChatRequest`` a body, ``ChatResponse`` an answer."""
    words = {word.lower() for word in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)}
    if words & {"response", "reply", "result", "chunk"}:
        return "response"
    if words & {"request", "params", "parameters", "body", "input", "options"}:
        return "body"
    return None
