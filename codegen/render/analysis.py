"""Questions the renderer asks of the IR: tags of union variants, unknown shapes, vendor scope."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import TypeVar

from ..errors import OperationError, SpecgenError
from ..ir.model import (
    API,
    Alias,
    ArrayType,
    Field,
    MapType,
    Model,
    ModelRef,
    Operation,
    ScalarType,
    TypeNode,
    UnionType,
    UnknownType,
)


def operation_error(operation: Operation, message: str) -> OperationError:
    """An error about ``operation``, which the build locates in the documents describing it."""
    return OperationError(
        message, method=operation.method, path=operation.path, documents=operation.documents
    )


_T = TypeVar("_T")


def per_api(function: Callable[[API], _T]) -> Callable[[API], _T]:
    """``function`` remembered for the last few APIs, by identity (the IR is frozen, and hashing
    a whole API would cost what remembering saves). Callers must not change what it returns."""
    known: dict[int, tuple[API, _T]] = {}

    @functools.wraps(function)
    def remembered(api: API) -> _T:
        hit = known.get(id(api))
        if hit is not None and hit[0] is api:
            return hit[1]
        if len(known) > 8:
            known.clear()
        value = function(api)
        known[id(api)] = (api, value)
        return value

    return remembered


@per_api
def definitions(api: API) -> dict[str, Model | Alias]:
    """Every named type of the API by IR name; a name used twice is an error in the IR (asked
    for at every reference the renderer follows, hence remembered)."""
    named: dict[str, Model | Alias] = {}
    items: list[Model | Alias] = [*api.models, *api.aliases]
    for item in items:
        if item.name in named:
            raise SpecgenError(f"the API defines {item.name!r} twice")
        named[item.name] = item
    return named


def resolve(api: API, ref: ModelRef) -> Model | Alias:
    """The model or alias a reference names."""
    try:
        return definitions(api)[ref.name]
    except KeyError:
        raise SpecgenError(f"reference to undefined type {ref.name!r}") from None


def tag_value(model: Model, prop: str) -> str | int | float | bool | None:
    """The constant value of ``prop`` that marks ``model`` as one union variant, if it has one."""
    if model.tag is not None and model.tag[0] == prop:
        return model.tag[1]
    for item in model.fields:
        if item.name == prop and isinstance(item.type, ScalarType):
            enum = item.type.enum
            if len(enum) == 1 and not item.type.enum_open:
                return enum[0].value
    return None


def discriminator_mapping(api: API, union: UnionType) -> dict[str, str] | None:
    """Tag value -> variant model name, when every variant is a model tagged on the discriminator.

    None when the union has no discriminator or it cannot be honoured (a variant that is not a
    model, lacks the tag, or shares its value): such a union is rendered as a plain union.
    """
    if union.discriminator is None:
        return None
    mapping: dict[str, str] = {}
    for variant in union.variants:
        if not isinstance(variant, ModelRef):
            return None
        target = resolve(api, variant)
        if not isinstance(target, Model):
            return None
        value = tag_value(target, union.discriminator)
        if not isinstance(value, str) or value in mapping:
            return None
        required = any(f.name == union.discriminator and f.required for f in target.fields)
        if not required and target.tag is None:
            return None
        mapping[value] = target.name
    return mapping


def tag_field(model: Model) -> Field | None:
    """The model's tag property as a field (an IR model may name a tag it does not list)."""
    if model.tag is None:
        return None
    for item in model.fields:
        if item.name == model.tag[0]:
            return item
    return None


def unknown_reasons(node: TypeNode) -> Iterator[str]:
    """Reasons of the UnknownType nodes inside ``node``, not following references."""
    if isinstance(node, UnknownType):
        yield node.reason
    elif isinstance(node, ArrayType):
        yield from unknown_reasons(node.items)
    elif isinstance(node, MapType):
        yield from unknown_reasons(node.values)
    elif isinstance(node, UnionType):
        for variant in node.variants:
            yield from unknown_reasons(variant)


def accepts_any(node: TypeNode) -> bool:
    """Whether ``node`` admits every JSON value: an unknown shape, or a union holding one."""
    if isinstance(node, UnknownType):
        return True
    return isinstance(node, UnionType) and any(accepts_any(v) for v in node.variants)


def refers_to_models(node: TypeNode, api: API, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``node`` contains a model, directly or through aliases (cycles are cut)."""
    if isinstance(node, ModelRef):
        if node.name in seen:
            return False
        target = resolve(api, node)
        if isinstance(target, Model):
            return True
        return refers_to_models(target.type, api, seen | {node.name})
    if isinstance(node, ArrayType):
        return refers_to_models(node.items, api, seen)
    if isinstance(node, MapType):
        return refers_to_models(node.values, api, seen)
    if isinstance(node, UnionType):
        return any(refers_to_models(v, api, seen) for v in node.variants)
    return False


def alias_dependencies(node: TypeNode, api: API) -> set[str]:
    """Names of aliases ``node`` refers to directly (they must be defined before it is)."""
    found: set[str] = set()
    if isinstance(node, ModelRef):
        if isinstance(resolve(api, node), Alias):
            found.add(node.name)
    elif isinstance(node, ArrayType):
        found |= alias_dependencies(node.items, api)
    elif isinstance(node, MapType):
        found |= alias_dependencies(node.values, api)
    elif isinstance(node, UnionType):
        for variant in node.variants:
            found |= alias_dependencies(variant, api)
    return found


def ordered_aliases(api: API) -> list[Alias]:
    """Aliases in an order where each comes after the aliases it uses (IR order otherwise).

    Alias values are evaluated when the module runs, unlike class annotations, so order matters.
    """
    pending = {alias.name: alias for alias in api.aliases}
    done: list[Alias] = []
    placed: set[str] = set()
    while pending:
        ready = [
            alias
            for alias in pending.values()
            if alias_dependencies(alias.type, api) - {alias.name} <= placed
            and alias.name not in alias_dependencies(alias.type, api)
        ]
        if not ready:
            names = ", ".join(sorted(pending))
            raise SpecgenError(f"aliases refer to each other in a cycle: {names}")
        for alias in ready:
            done.append(alias)
            placed.add(alias.name)
            del pending[alias.name]
    return done


def vendor_scope(item: Field, api: API) -> tuple[str, ...]:
    """The vendors a field is limited to, or () when every vendor (or no record) supports it."""
    every = tuple(vendor.name for vendor in api.vendors)
    if not item.vendors or set(every) <= set(item.vendors):
        return ()
    return tuple(name for name in every if name in item.vendors)


def request_models_of_operations(api: API) -> set[str]:
    """Names of the models that are an operation's request body (their fields become arguments)."""
    return {op.request.name for op in api.operations if op.request is not None}
