"""Hypothesis strategies written from the IR: instances a model must accept, and mutations of them.

Written from the IR rather than from the JSON Schema (hypothesis-jsonschema is not a dependency),
so they are a third reading of the types, independent of both model generators.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from codegen.ir.model import (
    API,
    ArrayType,
    Constraints,
    Field,
    MapType,
    Model,
    ModelRef,
    ScalarType,
    TypeNode,
    UnionType,
    UnknownType,
)

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
JSON_VALUES = st.recursive(
    JSON_SCALARS | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)

# Replacement values for mutations: every JSON kind, edge numbers, empty containers.
POISON: tuple[object, ...] = (
    None,
    True,
    False,
    0,
    -1,
    42,
    10**6,
    -(10**6),
    1.5,
    "",
    "abc",
    [],
    [1],
    {},
    {"k": "v"},
)


class InstanceStrategies:
    """Valid JSON instances of an API's models and aliases, by IR name."""

    def __init__(self, api: API, *, extra_keys: bool = True) -> None:
        self.api = api
        self.extra_keys = extra_keys
        self._models = {model.name: model for model in api.models}
        self._aliases = {alias.name: alias for alias in api.aliases}
        self._cache: dict[str, st.SearchStrategy[Any]] = {}

    def named(self, name: str) -> st.SearchStrategy[Any]:
        if name not in self._cache:
            # Deferred, so that recursive types do not recurse while strategies are built.
            self._cache[name] = st.deferred(lambda: self._build(name))
        return self._cache[name]

    def _build(self, name: str) -> st.SearchStrategy[Any]:
        if name in self._models:
            return self.model(self._models[name])
        return self.node(self._aliases[name].type)

    def model(self, model: Model) -> st.SearchStrategy[dict[str, Any]]:
        tag = model.tag[0] if model.tag is not None else None
        required = {
            f.name: self.field(f, model) for f in model.fields if f.required or f.name == tag
        }
        optional = {
            f.name: self.field(f, model) for f in model.fields if not f.required and f.name != tag
        }
        instances = st.fixed_dictionaries(required, optional=optional)
        if model.direction == "response" and self.extra_keys:
            extra = st.dictionaries(
                st.sampled_from(["x_vendor_extension", "service_tier", "extra_info"]),
                JSON_VALUES,
                max_size=2,
            )
            instances = st.builds(lambda known, more: {**more, **known}, instances, extra)
        return instances

    def field(self, item: Field, model: Model) -> st.SearchStrategy[Any]:
        if model.tag is not None and model.tag[0] == item.name:
            return st.just(model.tag[1])
        values = self.node(item.type)
        return st.none() | values if item.nullable else values

    def node(self, node: TypeNode) -> st.SearchStrategy[Any]:
        if isinstance(node, ScalarType):
            return self.scalar(node)
        if isinstance(node, ArrayType):
            items = self.node(node.items)
            if node.items_nullable:
                items = st.none() | items
            low = node.constraints.min_items or 0
            high = node.constraints.max_items
            return st.lists(items, min_size=low, max_size=min(high if high is not None else 3, 3))
        if isinstance(node, ModelRef):
            return self.named(node.name)
        if isinstance(node, UnionType):
            return st.one_of([self.node(variant) for variant in node.variants])
        if isinstance(node, MapType):
            return st.dictionaries(st.text(max_size=6), self.node(node.values), max_size=3)
        if isinstance(node, UnknownType):
            return JSON_VALUES
        raise TypeError(node)

    def scalar(self, node: ScalarType) -> st.SearchStrategy[Any]:
        if node.enum:
            known = st.sampled_from([value.value for value in node.enum])
            if not node.enum_open:
                return known
            return known | self.scalar(ScalarType(node.kind, node.constraints))
        c = node.constraints
        if node.kind == "string":
            if c.pattern:
                return st.from_regex(c.pattern, fullmatch=True).filter(lambda s: _length_ok(s, c))
            return st.text(min_size=c.min_length or 0, max_size=min(c.max_length or 12, 12))
        if node.kind == "boolean":
            return st.booleans()
        low, high = _range(c)
        if node.kind == "integer":
            return st.integers(min_value=_int_low(c), max_value=_int_high(c))
        floats = st.floats(
            min_value=low,
            max_value=high,
            exclude_min=c.exclusive_minimum is not None,
            exclude_max=c.exclusive_maximum is not None,
            allow_nan=False,
            allow_infinity=False,
        )
        # JSON numbers are often written as integers ("temperature": 1); beyond 2**53 a float
        # cannot hold them exactly, and neither can most JSON parsers.
        int_low, int_high = _int_low(c), _int_high(c)
        int_low = -(2**53) if int_low is None else int_low
        int_high = 2**53 if int_high is None else int_high
        if int_low > int_high:
            return floats
        return floats | st.integers(min_value=int_low, max_value=int_high)


def _int_low(c: Constraints) -> int | None:
    if c.minimum is not None:
        return math.ceil(c.minimum)
    if c.exclusive_minimum is not None:
        return math.floor(c.exclusive_minimum) + 1
    return None


def _int_high(c: Constraints) -> int | None:
    if c.maximum is not None:
        return math.floor(c.maximum)
    if c.exclusive_maximum is not None:
        return math.ceil(c.exclusive_maximum) - 1
    return None


def _range(c: Constraints) -> tuple[float | None, float | None]:
    low = c.minimum if c.minimum is not None else c.exclusive_minimum
    high = c.maximum if c.maximum is not None else c.exclusive_maximum
    return low, high


def _length_ok(text: str, c: Constraints) -> bool:
    return (c.min_length is None or len(text) >= c.min_length) and (
        c.max_length is None or len(text) <= c.max_length
    )


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every position inside a JSON value (keys of objects, indices of arrays), outermost first."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((*prefix, key))
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((*prefix, index))
            found.extend(_paths(item, (*prefix, index)))
    return found


def _containers(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Positions of every JSON object inside a value, the value itself included."""
    found: list[tuple[Any, ...]] = [prefix] if isinstance(value, dict) else []
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            found.extend(_containers(item, (*prefix, key)))
    return found


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@st.composite
def mutated(draw: st.DrawFn, instance: dict[str, Any]) -> dict[str, Any]:
    """One edit of a valid instance: a value replaced, a key removed, or an unknown key added.

    The result may still be valid (e.g. a replaced optional string that is still a string); the
    oracle only asks that both model sets agree on it.
    """
    result = _copy(instance)
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "add":
        target = _get(result, draw(st.sampled_from(_containers(result))))
        target[draw(st.sampled_from(["unexpected", "role", "type", "x"]))] = draw(
            st.sampled_from(POISON)
        )
        return result
    paths = _paths(result)
    if not paths:
        return result
    path = draw(st.sampled_from(paths))
    parent = _get(result, path[:-1])
    if action == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = _copy(draw(st.sampled_from(POISON)))
    return result
