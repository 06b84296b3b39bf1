"""Rule unknown-shape: schemas that say nothing about their values are marked for the merge.

A union of empty variants, an object with no properties, an array with no items and a schema with
no type at all would each become ``Any`` without a word; they get ``x-specgen-unknown: shape`` and
a warning, and the merge fills them from documents that know. Deliberate free-form objects
(``additionalProperties`` given) are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...jsonpointer import unescape
from ...openapi_walk import SchemaIndex
from ..context import RuleContext
from ..evidence import schema_types
from ..marks import UNKNOWN

RULE_ID = "unknown-shape"
KEEPS_SHAPE = True  # changes only keywords that hold no schema (see rules.SHAPE_KEEPING)

# Keys that say something about a schema's values (``required`` alone: which keys an object
# carries, as in ``anyOf: [{required: [a]}, {required: [b]}]``); anything else (description,
# title, examples, default, x- extensions) leaves it as unknown as ``{}``.
_INFORMATIVE = frozenset(
    (
        "type", "$ref", "$dynamicRef", "allOf", "oneOf", "anyOf", "not", "if", "enum", "const",
        "properties", "patternProperties", "additionalProperties", "items", "prefixItems",
        "contains", "format", "pattern", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "required",
    )
)  # fmt: skip
# Positions where an empty schema is deliberate: "any value" beside declared structure.
_FREE_POSITIONS = frozenset(
    ("additionalProperties", "patternProperties", "propertyNames", "not", "if", "then", "else",
     "unevaluatedItems", "unevaluatedProperties", "contains", "allOf", "dependentSchemas")
)  # fmt: skip


_SINGLE_KEYWORDS = frozenset(
    ("items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames",
     "unevaluatedItems", "unevaluatedProperties")
)  # fmt: skip


def _positions(index: SchemaIndex) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(pointer, schema, keyword holding it) for every schema; the keyword is '' at a root.

    The keyword is read off the walk, not the pointer alone: a property named ``items`` and a
    schema's ``items`` differ only in whether the pointer's parent is itself a schema.
    """
    for entries in index.by_root():
        root_pointer = entries[0][0]
        pointers: set[str] = set()
        for pointer, schema in entries:
            pointers.add(pointer)
            if pointer == root_pointer:
                yield pointer, schema, ""
                continue
            # The last two tokens, cut off the pointer's end (the keywords hold no ~ or /).
            cut = pointer.rfind("/")
            last = pointer[cut + 1 :]
            if pointer[:cut] in pointers and last in _SINGLE_KEYWORDS:
                yield pointer, schema, last
            else:
                yield pointer, schema, unescape(pointer[pointer.rfind("/", 0, cut) + 1 : cut])


def _empty(schema: dict[str, Any]) -> bool:
    return _INFORMATIVE.isdisjoint(schema)


def _bare_object(schema: dict[str, Any]) -> bool:
    types = schema_types(schema)
    if "object" not in types or not set(types) <= {"object", "null"}:
        return False
    informative = set(schema) & _INFORMATIVE
    return informative <= {"type", "properties"} and not schema.get("properties")


def _bare_array(schema: dict[str, Any]) -> bool:
    types = schema_types(schema)
    return types in (["array"], ["array", "null"], ["null", "array"]) and not (
        "items" in schema or "prefixItems" in schema or "contains" in schema
    )


def _empty_union(schema: dict[str, Any]) -> str | None:
    """The union keyword when every variant is empty or a bare object (null variants aside)."""
    for key in ("oneOf", "anyOf"):
        variants = schema.get(key)
        if not isinstance(variants, list) or not variants:
            continue
        dicts = [v for v in variants if isinstance(v, dict)]
        informative = [
            v for v in dicts if schema_types(v) != ["null"] or len(set(v) & _INFORMATIVE) > 1
        ]
        if (
            len(dicts) == len(variants)
            and informative
            and all(_empty(v) or _bare_object(v) for v in informative)
        ):
            return key
    return None


_SCALAR_TYPES = frozenset(("string", "integer", "number", "boolean", "null"))


def _verdict(schema: dict[str, Any], position: str) -> str | None:
    """Why this schema's shape is unknown, or None when it is known or deliberately open."""
    if UNKNOWN in schema:
        return None
    kind = schema.get("type")
    scalar = isinstance(kind, str) and kind in _SCALAR_TYPES
    if scalar and "oneOf" not in schema and "anyOf" not in schema:
        return None  # a plain string, number...: the common case, settled without the tests
    return _judged(schema, position)


def _judged(schema: dict[str, Any], position: str) -> str | None:
    """The verdict by every test in turn (what ``_verdict`` says of a schema not marked)."""
    union = _empty_union(schema)
    if union is not None and set(schema) & _INFORMATIVE <= {union, "type"}:
        return f"a {union} whose variants are all empty objects"
    if _bare_object(schema):
        return "an object with no properties and no additionalProperties"
    if _bare_array(schema):
        return "an array with no items"
    if _empty(schema) and position not in _FREE_POSITIONS:
        return "a schema with no type"
    return None


def _head(pointer: str) -> str:
    """The pointer's first three tokens (``/components/schemas/Name``, ``/paths/p/get``), or all
    of it when it has fewer."""
    end = 0
    for _ in range(3):
        end = pointer.find("/", end + 1)
        if end < 0:
            return pointer
    return pointer[:end]


class _Marked:
    """The pointers marked so far, asked of every schema whether one is a proper ancestor.

    An ancestor of three tokens or more shares the schema's first three: a schema whose head
    no marked pointer has (most, a document marks a few dozen) is settled by one probe; only
    the others are probed level by level."""

    def __init__(self) -> None:
        self.pointers: set[str] = set()
        self._heads: set[str] = set()
        self._short = False  # a marked pointer of fewer than three tokens: every schema is probed

    def add(self, pointer: str) -> None:
        self.pointers.add(pointer)
        self._heads.add(_head(pointer))
        self._short = self._short or pointer.count("/") < 3

    def covers(self, pointer: str) -> bool:
        """Whether a proper ancestor of ``pointer`` is marked."""
        if not self._short and _head(pointer) not in self._heads:
            return False
        return _under_any(pointer, self.pointers)


def _under_any(pointer: str, marked: set[str]) -> bool:
    """Whether a proper ancestor of ``pointer`` is in ``marked`` (one probe per level).

    The ancestors of ``jsonpointer.prefixes`` cut off in a loop: asked of every schema."""
    cut = pointer.rfind("/") if marked else 0
    while cut > 0:
        if pointer[:cut] in marked:
            return True
        cut = pointer.rfind("/", 0, cut)
    return False


def apply(context: RuleContext) -> None:
    marked = _Marked()
    for pointer, schema, position in list(_positions(context.schema_index())):
        # The variants of a union marked as a whole are part of its unknown shape.
        if marked.covers(pointer):
            continue
        if UNKNOWN in schema:
            marked.add(pointer)
            continue
        reason = _verdict(schema, position)
        if reason is None:
            continue
        schema[UNKNOWN] = "shape"
        marked.add(pointer)
        context.warn(
            pointer,
            f"shape unknown ({reason}): marked {UNKNOWN}: shape for the merge to fill",
            evidence=f"the schema declares only {sorted(set(schema) - {UNKNOWN}) or 'nothing'}",
        )
