"""Models and aliases equal but for the names they refer to become one.

Registering a model finds an equal one already registered (``Registry.add_model``), except for a
recursive one: its fields name it before it exists, so each place that uses a recursive component
builds it afresh under a name of its own (``ApiLogResponsePrice``, ``LogSearchResponsePrice``),
and every model referring to one of those is a copy too. Two such models are equal once their
references are followed instead of named: this finds the coarsest partition of models and
aliases where members agree on everything but names and refer to members of the same blocks
(Moore's refinement, as a minimal automaton is found), and keeps the first member of each block.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterable
from typing import Any

import msgspec

from .model import (
    LEAF_TYPES,
    Alias,
    ArrayType,
    MapType,
    Model,
    ModelRef,
    Operation,
    TypeNode,
    UnionType,
)

_REFERENCE = ("ref",)


def _unnamed(node: TypeNode, refs: list[str]) -> Any:
    """``node`` with every reference written alike (its names appended to ``refs`` in order)."""
    if isinstance(node, ModelRef):
        refs.append(node.name)
        return _REFERENCE
    if isinstance(node, ArrayType):
        return ("array", _unnamed(node.items, refs), node.constraints, node.items_nullable)
    if isinstance(node, MapType):
        return ("map", _unnamed(node.values, refs))
    if isinstance(node, UnionType):
        return ("union", tuple(_unnamed(v, refs) for v in node.variants), node.discriminator)
    return node


def _outline(record: Model | Alias) -> tuple[Any, tuple[str, ...]]:
    """What registration compares (``build._fingerprint``, or an alias's type), references
    unnamed, and the names referred to."""
    refs: list[str] = []
    if isinstance(record, Alias):
        return ("alias", _unnamed(record.type, refs)), tuple(refs)
    fields = tuple((f.name, _unnamed(f.type, refs), f.required, f.nullable) for f in record.fields)
    return (record.direction, record.tag, record.requires_any, fields), tuple(refs)


def equal_names(records: Iterable[Model | Alias], used: Iterable[str] = ()) -> dict[str, str]:
    """For each model or alias equal to another, the name kept for them all; the others are not
    listed. The name kept is the first (in ``records``' order) of those ``used`` from elsewhere
    (by an operation, or by a record of another block), else the first: a recursive group is
    registered from the inside out, and its users name its outermost record."""
    outlines = {record.name: _outline(record) for record in records}
    block = _blocks({name: outline for name, (outline, _refs) in outlines.items()})
    while True:
        refined = _blocks(
            {
                name: (block[name], tuple(block.get(ref, ref) for ref in refs))
                for name, (_outline_, refs) in outlines.items()
            }
        )
        if len(set(refined.values())) == len(set(block.values())):
            break
        block = refined
    outside = set(used) | {
        ref
        for name, (_outline_, refs) in outlines.items()
        for ref in refs
        if block.get(ref) != block[name]
    }
    kept: dict[Any, str] = {}
    for name in outlines:
        if name in outside:
            kept.setdefault(block[name], name)
    for name in outlines:
        kept.setdefault(block[name], name)
    return {name: kept[block[name]] for name in outlines if kept[block[name]] != name}


def _blocks(signatures: dict[str, Any]) -> dict[str, Any]:
    """Each name's block: the first name with the same signature (a refinement never merges)."""
    first: dict[Any, str] = {}
    return {name: first.setdefault(signature, name) for name, signature in signatures.items()}


@functools.cache
def _reference_fields(record: type[msgspec.Struct]) -> tuple[str, ...]:
    """The fields of ``record`` whose declared type can hold a ModelRef: the only ones
    ``referred`` and ``renamed`` enter (most of a record's fields are text, flags, constraints
    and enum values, and renaming walks every record of a large API)."""
    hints = _hints(record)
    return tuple(
        name for name in record.__struct_fields__ if _may_hold_reference(hints[name], set())
    )


@functools.cache
def _hints(record: type[msgspec.Struct]) -> dict[str, Any]:
    """``record``'s annotations, evaluated (each string annotation is compiled: once a type)."""
    return typing.get_type_hints(record)


def _may_hold_reference(hint: Any, seen: set[type]) -> bool:
    """Whether a value of type ``hint`` can be or contain a ModelRef (``Any`` can). A record met
    again on the way is answered by its first meeting, which looks at all of its fields."""
    if hint is Any:
        return True
    if isinstance(hint, type) and issubclass(hint, msgspec.Struct):
        if hint is ModelRef:
            return True
        if hint in seen:
            return False
        seen.add(hint)
        hints = _hints(hint)
        return any(_may_hold_reference(hints[name], seen) for name in hint.__struct_fields__)
    return any(_may_hold_reference(argument, seen) for argument in typing.get_args(hint))


def referred(value: Any, found: set[str]) -> set[str]:
    """The names ``value`` (IR records, tuples of them) refers to, added to ``found``."""
    if isinstance(value, ModelRef):
        found.add(value.name)
    elif isinstance(value, tuple):
        for item in value:
            if type(item) not in LEAF_TYPES:
                referred(item, found)
    elif isinstance(value, msgspec.Struct):
        for field in _reference_fields(type(value)):
            item = getattr(value, field)
            if type(item) not in LEAF_TYPES:
                referred(item, found)
    return found


def renamed(value: Any, names: dict[str, str]) -> Any:
    """``value`` (IR records, tuples of them) with every reference to a listed name pointing at
    its replacement; parts with none to change are the same objects."""
    if isinstance(value, ModelRef):
        return ModelRef(name=names[value.name]) if value.name in names else value
    if isinstance(value, tuple):
        items = tuple(item if type(item) in LEAF_TYPES else renamed(item, names) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, msgspec.Struct):
        changes = {}
        for field in _reference_fields(type(value)):
            old = getattr(value, field)
            if type(old) in LEAF_TYPES:
                continue
            new = renamed(old, names)
            if new is not old:
                changes[field] = new
        return msgspec.structs.replace(value, **changes) if changes else value
    return value


def merge_equal_models(
    models: tuple[Model, ...], aliases: tuple[Alias, ...], operations: tuple[Operation, ...]
) -> tuple[tuple[Model, ...], tuple[Alias, ...], tuple[Operation, ...]]:
    """The API's records with each block of equal models and aliases kept once."""
    names = equal_names([*models, *aliases], used=referred(operations, set()))
    if not names:
        return models, aliases, operations
    return (
        tuple(renamed(model, names) for model in models if model.name not in names),
        tuple(renamed(alias, names) for alias in aliases if alias.name not in names),
        renamed(operations, names),
    )
