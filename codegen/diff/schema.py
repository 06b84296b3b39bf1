"""Bodies compared by place: fields, types, nullability, enums, bounds and defaults, recursively."""

from __future__ import annotations

import json

import msgspec

from ..ir.model import (
    API,
    ArrayType,
    Direction,
    Field,
    MapType,
    Model,
    ModelRef,
    ScalarType,
    TypeNode,
    UnionType,
)
from .bounds import bound_changes
from .change import Change, make_change
from .enums import enum_changes
from .typenodes import accepts, model_of, resolve, summary, variant_key, variants_by_key


class BodyWalk(msgspec.Struct):
    """One body of one operation on both sides, and the changes found in it so far.

    A place is the path a caller sees: ``request.messages[].content`` (``[]`` an array's items,
    ``{}`` a map's values, ``<key>`` a union variant by its tag, e.g. ``<role=user>``, or kind).
    """

    old: API
    new: API
    direction: Direction
    operation: str
    changes: list[Change] = msgspec.field(default_factory=list)
    seen: set[tuple[str, str]] = msgspec.field(default_factory=set)
    """Model pairs on the path being walked: a recursive model is compared once per path."""

    def add(self, kind: str, place: str, before: str | None, after: str | None) -> None:
        self.changes.append(
            make_change(kind, place, operation=self.operation, before=before, after=after)
        )

    def add_own(self, suffix: str, place: str, before: str | None, after: str | None) -> None:
        """A change whose kind depends on the side of the call: ``request-`` or ``response-``."""
        self.add(f"{self.direction}-{suffix}", place, before, after)


def compare_body(walk: BodyWalk, place: str, old: ModelRef, new: ModelRef) -> list[Change]:
    """Every change between two bodies at the same place of the same operation."""
    compare_node(walk, place, old, new)
    return walk.changes


def compare_node(walk: BodyWalk, place: str, old: TypeNode, new: TypeNode) -> None:
    """Changes between the types found at one place on the old and the new side."""
    old, new = resolve(walk.old, old), resolve(walk.new, new)
    if isinstance(old, UnionType) and isinstance(new, UnionType):
        _compare_unions(walk, place, old, new)
        return
    if isinstance(old, UnionType) or isinstance(new, UnionType):
        _retyped(walk, place, old, new)
        _compare_matching_variant(walk, place, old, new)
        return
    if isinstance(old, ScalarType) and isinstance(new, ScalarType):
        if old.kind != new.kind or old.format != new.format:
            _retyped(walk, place, old, new)
        for kind, before, after in enum_changes(walk.direction, old, new):
            walk.add(kind, place, before, after)
        _compare_bounds(walk, place, old, new)
    elif isinstance(old, ArrayType) and isinstance(new, ArrayType):
        _compare_bounds(walk, place, old, new)
        _compare_nullable(walk, f"{place}[]", old.items_nullable, new.items_nullable)
        compare_node(walk, f"{place}[]", old.items, new.items)
    elif isinstance(old, MapType) and isinstance(new, MapType):
        compare_node(walk, f"{place}{{}}", old.values, new.values)
    elif isinstance(old, ModelRef) and isinstance(new, ModelRef):
        old_model, new_model = model_of(walk.old, old), model_of(walk.new, new)
        if old_model is not None and new_model is not None:
            _compare_models(walk, place, old_model, new_model)
    else:
        _retyped(walk, place, old, new)  # unlike kinds; two unknown shapes accept each other


def _retyped(walk: BodyWalk, place: str, old: TypeNode, new: TypeNode) -> None:
    widens = accepts(walk.new, new, walk.old, old)
    narrows = accepts(walk.old, old, walk.new, new)
    if widens and narrows:
        return
    verdict = "widened" if widens else "narrowed" if narrows else "changed"
    walk.add_own(f"type-{verdict}", place, summary(walk.old, old), summary(walk.new, new))


def _compare_unions(walk: BodyWalk, place: str, old: UnionType, new: UnionType) -> None:
    old_variants, new_variants = variants_by_key(walk.old, old), variants_by_key(walk.new, new)
    for key in sorted(old_variants.keys() | new_variants.keys()):
        where = f"{place}<{key}>"
        if key not in new_variants:
            walk.add_own("variant-removed", where, summary(walk.old, old_variants[key]), None)
        elif key not in old_variants:
            walk.add_own("variant-added", where, None, summary(walk.new, new_variants[key]))
        else:
            compare_node(walk, where, old_variants[key], new_variants[key])


def _compare_matching_variant(walk: BodyWalk, place: str, old: TypeNode, new: TypeNode) -> None:
    """A type that became (or stopped being) a union: compare it with its counterpart variant."""
    old_variants = variants_by_key(walk.old, old) if isinstance(old, UnionType) else None
    new_variants = variants_by_key(walk.new, new) if isinstance(new, UnionType) else None
    if old_variants is not None:
        key = variant_key(walk.new, new)
        if key in old_variants:
            compare_node(walk, place, old_variants[key], new)
    elif new_variants is not None:
        key = variant_key(walk.old, old)
        if key in new_variants:
            compare_node(walk, place, old, new_variants[key])


def _compare_bounds(
    walk: BodyWalk, place: str, old: ScalarType | ArrayType, new: ScalarType | ArrayType
) -> None:
    for change in bound_changes(old.constraints, new.constraints):
        walk.add_own(f"bound-{change.direction}", place, change.before, change.after)


def _compare_nullable(walk: BodyWalk, place: str, old: bool, new: bool) -> None:
    if old != new:
        before, after = ("nullable", "not nullable") if old else ("not nullable", "nullable")
        walk.add_own("nullable-added" if new else "nullable-removed", place, before, after)


def _compare_models(walk: BodyWalk, place: str, old: Model, new: Model) -> None:
    pair = (old.name, new.name)
    if pair in walk.seen:
        return
    walk.seen.add(pair)
    old_fields = {item.name: item for item in old.fields}
    new_fields = {item.name: item for item in new.fields}
    for name in sorted(old_fields.keys() | new_fields.keys()):
        where = f"{place}.{name}"
        if name not in new_fields:
            _field_removed(walk, where, old_fields[name])
        elif name not in old_fields:
            _field_added(walk, where, new_fields[name])
        else:
            _compare_fields(walk, where, old_fields[name], new_fields[name])
    walk.seen.discard(pair)


def describe(api: API, item: Field) -> str:
    """A field in a few words: its type, whether it is required, whether it may be null."""
    words = [summary(api, item.type), "required" if item.required else "optional"]
    if item.nullable:
        words.append("nullable")
    return ", ".join(words)


def _field_removed(walk: BodyWalk, place: str, item: Field) -> None:
    if walk.direction == "request":
        kind = "request-field-removed"
    else:
        kind = f"response-field-removed-{'required' if item.required else 'optional'}"
    walk.add(kind, place, describe(walk.old, item), None)


def _field_added(walk: BodyWalk, place: str, item: Field) -> None:
    if walk.direction == "request":
        kind = f"request-field-added-{'required' if item.required else 'optional'}"
    else:
        kind = "response-field-added"
    walk.add(kind, place, None, describe(walk.new, item))


def _default(item: Field) -> str | None:
    return json.dumps(item.default, sort_keys=True) if item.has_default else None


def _compare_fields(walk: BodyWalk, place: str, old: Field, new: Field) -> None:
    if old.required != new.required:
        suffix = "field-now-required" if new.required else "field-now-optional"
        sides = ("required", "optional") if old.required else ("optional", "required")
        walk.add_own(suffix, place, *sides)
    _compare_nullable(walk, place, old.nullable, new.nullable)
    before, after = _default(old), _default(new)
    if before != after:
        verdict = "added" if before is None else "removed" if after is None else "changed"
        walk.add_own(f"default-{verdict}", place, before, after)
    compare_node(walk, place, old.type, new.type)
