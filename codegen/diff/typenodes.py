"""Type nodes seen by the diff: aliases resolved, a short summary of each, and which accepts which."""

from __future__ import annotations

from ..ir.model import (
    API,
    Alias,
    ArrayType,
    MapType,
    Model,
    ModelRef,
    ScalarType,
    TypeNode,
    UnionType,
    UnknownType,
)

_MAX_DEPTH = 8
"""Aliases may refer to aliases; a summary or check stops this deep rather than loop."""


def named(api: API, name: str) -> Model | Alias | None:
    """The model or alias a ModelRef names, None when the API has neither."""
    for model in api.models:
        if model.name == name:
            return model
    for alias in api.aliases:
        if alias.name == name:
            return alias
    return None


def resolve(api: API, node: TypeNode) -> TypeNode:
    """The node with references to aliases replaced by the alias's type (a model ref is kept)."""
    for _ in range(_MAX_DEPTH):
        if not isinstance(node, ModelRef):
            return node
        target = named(api, node.name)
        if isinstance(target, Model):
            return node
        if target is None:
            return UnknownType(reason=f"unknown type {node.name}")
        node = target.type
    return node


def model_of(api: API, node: TypeNode) -> Model | None:
    """The model a resolved node refers to, if it refers to one."""
    if isinstance(node, ModelRef):
        target = named(api, node.name)
        if isinstance(target, Model):
            return target
    return None


def summary(api: API, node: TypeNode, depth: int = 0) -> str:
    """A short, name-free description of a type: ``string``, ``array<object>``, ``string | any``."""
    node = resolve(api, node)
    if depth > _MAX_DEPTH:
        return "…"
    if isinstance(node, ScalarType):
        return f"{node.kind} ({node.format})" if node.format else node.kind
    if isinstance(node, ArrayType):
        return f"array<{summary(api, node.items, depth + 1)}>"
    if isinstance(node, MapType):
        return f"map<{summary(api, node.values, depth + 1)}>"
    if isinstance(node, UnionType):
        return " | ".join(summary(api, variant, depth + 1) for variant in node.variants)
    if isinstance(node, ModelRef):
        model = model_of(api, node)
        if model is not None and model.tag is not None:
            return f"object({model.tag[0]}={model.tag[1]})"
        return "object"
    return "any"


def variant_key(api: API, node: TypeNode) -> str:
    """What matches a union variant to its counterpart: a model's tag, else the kind of type."""
    node = resolve(api, node)
    if isinstance(node, ScalarType):
        return node.kind
    if isinstance(node, ArrayType):
        return "array"
    if isinstance(node, MapType):
        return "map"
    if isinstance(node, UnionType):
        return "union"
    if isinstance(node, ModelRef):
        model = model_of(api, node)
        if model is not None and model.tag is not None:
            return f"{model.tag[0]}={model.tag[1]}"
        return "object"
    return "any"


def variants_by_key(api: API, node: UnionType) -> dict[str, TypeNode]:
    """A union's variants by key; repeated keys get ``#2``, ``#3`` in order of appearance."""
    found: dict[str, TypeNode] = {}
    for variant in node.variants:
        base = variant_key(api, variant)
        key, count = base, 1
        while key in found:
            count += 1
            key = f"{base}#{count}"
        found[key] = variant
    return found


def accepts(new_api: API, new: TypeNode, old_api: API, old: TypeNode, depth: int = 0) -> bool:
    """Whether every value of type ``old`` is a value of type ``new`` (enums and bounds aside).

    Objects accept objects: their fields are compared one by one, not here.
    """
    new, old = resolve(new_api, new), resolve(old_api, old)
    if depth > _MAX_DEPTH or isinstance(new, UnknownType):
        return True
    if isinstance(old, UnionType):
        return all(accepts(new_api, new, old_api, v, depth + 1) for v in old.variants)
    if isinstance(new, UnionType):
        return any(accepts(new_api, v, old_api, old, depth + 1) for v in new.variants)
    if isinstance(new, ScalarType) and isinstance(old, ScalarType):
        same_kind = new.kind == old.kind or (new.kind == "number" and old.kind == "integer")
        return same_kind and new.format in (None, old.format)
    if isinstance(new, ArrayType) and isinstance(old, ArrayType):
        return accepts(new_api, new.items, old_api, old.items, depth + 1)
    if isinstance(new, MapType) and isinstance(old, MapType):
        return accepts(new_api, new.values, old_api, old.values, depth + 1)
    return isinstance(new, ModelRef) and isinstance(old, ModelRef)
