"""The evidence every docs-page reader yields for one field, whatever syntax stated it.

A reader states only what its syntax says (name, type as written, required, default, enum,
description, children, line); ``Evidence.field()`` turns that into the schema the page reader
places, so every syntax is read into JSON Schema the same way. Prose bounds, defaults and enums
stay in the description for the normalize rule ``prose-constraints`` to settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .type_text import schema_for_type_text

TYPE_TEXT = "x-specgen-type-text"
"""On a schema: the type as written when no JSON Schema type could be read from it."""

LISTED_FIELDS = "x-specgen-listed-fields"
"""On a schema: the sub-fields a page lists for it without types, nested as listed."""

NOT_STATED: Any = object()
"""A default no syntax stated (``None`` is a stated ``null``)."""


@dataclass(frozen=True)
class Field:
    name: str
    schema: dict[str, Any]
    required: bool | None
    description: str
    type_text: str
    line: int


@dataclass(frozen=True)
class Evidence:
    """One field as a docs page states it.

    ``children`` are the properties of the object the type holds (of its items, for an array of
    objects); ``variant`` children are instead the alternatives of a union, each with its own
    children, as param fences list them with ``unstyledName``.
    """

    name: str
    line: int
    type_text: str = ""
    schema: dict[str, Any] | None = None
    required: bool | None = None
    default: Any = NOT_STATED
    description: str = ""
    children: tuple[Evidence, ...] = ()
    variant: bool = False

    def field(self) -> Field:
        return Field(
            self.name, self.to_schema(), self.required, self.description, self.type_text, self.line
        )

    def to_schema(self) -> dict[str, Any]:
        typed = self.schema if self.schema is not None else schema_for_type_text(self.type_text)
        schema: dict[str, Any] = dict(typed) if typed is not None else {}
        variants = [child for child in self.children if child.variant]
        properties = [child for child in self.children if not child.variant]
        if variants:
            schema = _with_variants(schema, [child.to_schema() for child in variants])
        if properties and typed is None and not self.type_text:
            # Names without any type: which sub-fields are supported, not what holds them (an
            # object or an array of them); the shape stays unknown for the reference to fill.
            schema[LISTED_FIELDS] = listed_fields(tuple(properties))
        elif properties:
            schema = _with_properties(schema, properties)
        if self.description:
            schema["description"] = self.description
        if self.default is not NOT_STATED:
            schema["default"] = self.default
        if typed is None and self.type_text:
            schema[TYPE_TEXT] = self.type_text
        return schema


def object_schema(children: list[Evidence]) -> dict[str, Any]:
    """The object whose properties ``children`` are, required where a child says so."""
    schema: dict[str, Any] = {"type": "object", "properties": {}}
    for child in children:
        schema["properties"][child.name] = child.to_schema()
        if child.required:
            schema.setdefault("required", []).append(child.name)
    return schema


def _with_properties(schema: dict[str, Any], children: list[Evidence]) -> dict[str, Any]:
    """Children fill the object the type names: itself, its items, or its one object member."""
    filled = object_schema(children)
    if schema.get("type") == "array" or (
        isinstance(schema.get("type"), list) and "array" in schema["type"]
    ):
        return {**schema, "items": {**dict(schema.get("items") or {}), **filled}}
    members = schema.get("oneOf")
    if isinstance(members, list):
        for index, member in enumerate(members):
            if member.get("type") == "object":
                return {**schema, "oneOf": [*members[:index], filled, *members[index + 1 :]]}
            if member.get("type") == "array" and member.get("items", {}).get("type") == "object":
                merged = {**member, "items": filled}
                return {**schema, "oneOf": [*members[:index], merged, *members[index + 1 :]]}
    kind = schema.get("type")
    if isinstance(kind, list):
        return {**schema, **{k: v for k, v in filled.items() if k != "type"}}
    return {**schema, **filled}


def listed_fields(children: tuple[Evidence, ...]) -> dict[str, Any]:
    """Sub-fields a page lists without any type (a nested checklist), name -> its own listing."""
    return {child.name: listed_fields(child.children) for child in children}


def _is_objectish(schema: dict[str, Any]) -> bool:
    members = schema.get("oneOf")
    if isinstance(members, list):
        return bool(members) and all(_is_objectish(member) for member in members)
    return schema.get("type") == "object"


def _refine(member: dict[str, Any], variant: dict[str, Any]) -> dict[str, Any] | None:
    """``member`` of a union made precise by ``variant``; None when the variant is another kind."""
    items = member.get("items")
    if member.get("type") == "array" and variant.get("type") != "array":
        items = items if isinstance(items, dict) else {}
        if (
            _is_objectish(variant)
            and items.get("type") in {None, "object"}
            and "oneOf" not in items
        ):
            return {**member, "items": variant}
        return None
    if member.get("type") == variant.get("type") or (
        _is_objectish(member) and _is_objectish(variant)
    ):
        return {**member, **variant}
    return None


def _widen_items(
    members: list[dict[str, Any]], variant: dict[str, Any]
) -> list[dict[str, Any]] | None:
    """A further object variant joins the items of an array member already spelt out."""
    if not _is_objectish(variant):
        return None
    for index, member in enumerate(members):
        items = member.get("items")
        if member.get("type") == "array" and isinstance(items, dict) and _is_objectish(items):
            alternatives = [*items.get("oneOf", [items]), variant]
            widened = {**member, "items": {"oneOf": alternatives}}
            return [*members[:index], widened, *members[index + 1 :]]
    return None


def _with_variants(schema: dict[str, Any], variants: list[dict[str, Any]]) -> dict[str, Any]:
    """Variants spell out the members of the union the type names (of its items, for an array)."""
    if schema.get("type") == "array":
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        return {**schema, "items": _with_variants(dict(items or {}), variants)}
    members = list(schema.get("oneOf") or ([schema] if schema else []))
    refined: list[dict[str, Any]] = list(members)
    used: set[int] = set()
    extra: list[dict[str, Any]] = []
    for variant in variants:
        for index, member in enumerate(members):
            if index in used:
                continue
            better = _refine(member, variant)
            if better is not None:
                refined[index] = better
                used.add(index)
                break
        else:
            widened = _widen_items(refined, variant)
            if widened is None:
                extra.append(variant)
            else:
                refined = widened
    result = refined + extra
    rest = {k: v for k, v in schema.items() if k not in {"oneOf", "type"}}
    if len(result) == 1:
        return {**rest, **result[0]}
    return {**rest, "oneOf": result}


@dataclass(frozen=True)
class FieldGroup:
    """Fields one block states together, where the block starts, and what it says it describes.

    ``place`` is what the syntax itself says (``body``, ``response``, ``query``, ``header``,
    ``path``); None leaves it to the headings above the block, as for a table. ``title`` names
    the object the fields belong to when the block's own lead-in says so ("The `message` object
    has the following fields").
    """

    syntax: str
    line: int
    fields: tuple[Evidence, ...]
    place: str | None = None
    title: str | None = None
    optional: bool = False
