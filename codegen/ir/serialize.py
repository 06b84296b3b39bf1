"""IR to plain data (for `specgen ir`, the merged document's extensions and goldens), and back."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from . import model as ir

_NODE_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (ir.ScalarType, ir.ArrayType, ir.ModelRef, ir.UnionType, ir.MapType, ir.UnknownType)
}
_RECORD_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        ir.Constraints,
        ir.EnumValue,
        ir.Field,
        ir.Model,
        ir.Alias,
        ir.StreamSpec,
        ir.ErrorSpec,
        ir.InBodyError,
        ir.Parameter,
        ir.BodySpec,
        ir.ResponseSpec,
        ir.Pagination,
        ir.SecurityScheme,
        ir.Operation,
        ir.FieldBounds,
        ir.KnownValues,
        ir.VendorProfile,
        ir.API,
    )
}


_LAYOUTS: dict[type[Any], tuple[str | None, tuple[str, ...]] | None] = {}
_BOUND_NAMES = ir.Constraints.__struct_fields__


def _layout(kind: type[Any]) -> tuple[str | None, tuple[str, ...]] | None:
    """An IR record type's node tag (for type nodes) and field names; None for other types."""
    if kind not in _LAYOUTS:
        _LAYOUTS[kind] = (
            (kind.__name__ if kind.__name__ in _NODE_TYPES else None, kind.__struct_fields__)
            if issubclass(kind, msgspec.Struct)
            else None
        )
    return _LAYOUTS[kind]


def to_data(value: Any) -> Any:
    """IR records become dicts (type nodes tagged with ``node``), tuples lists; empty bounds go."""
    layout = _layout(type(value))
    if layout is not None:
        tag, names = layout
        data: dict[str, Any] = {} if tag is None else {"node": tag}
        for name in names:
            child = getattr(value, name)
            if type(child) in ir.LEAF_TYPES:
                data[name] = child
            elif isinstance(child, ir.Constraints):
                if not child.is_empty():
                    data[name] = {
                        key: bound
                        for key in _BOUND_NAMES
                        if (bound := getattr(child, key)) is not None
                    }
            else:
                data[name] = to_data(child)
        return data
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    return value


def _field_types(cls: type[Any]) -> dict[str, str]:
    """Each field's annotation as written (the model module postpones them, so they are text)."""
    return {name: str(cls.__annotations__[name]) for name in cls.__struct_fields__}


def from_data(data: Any, cls: type[Any]) -> Any:
    """Rebuild a record type from ``to_data`` output (used for vendor profiles in documents)."""
    if isinstance(data, dict) and "node" in data:
        cls = _NODE_TYPES[data["node"]]
    if cls is ir.Constraints:
        return ir.Constraints(**data)
    values: dict[str, Any] = {}
    hints = _field_types(cls)
    for name, raw in data.items():
        if name == "node" or name not in hints:
            continue
        values[name] = _convert(raw, hints[name])
    return cls(**values)


def _convert(raw: Any, hint: str) -> Any:
    if raw is None:
        return None
    if hint.startswith("tuple["):
        inner = hint[len("tuple[") :].split(",")[0].strip()
        return tuple(_convert(item, inner) for item in raw)
    for name, cls in _RECORD_TYPES.items():
        if hint.split(" ")[0] == name:
            return from_data(raw, cls)
    if hint in ("TypeNode", "ModelRef | None", "ModelRef", "StreamSpec | None"):
        if isinstance(raw, dict) and "node" in raw:
            return from_data(raw, _NODE_TYPES[raw["node"]])
        if hint.startswith("StreamSpec"):
            return from_data(raw, ir.StreamSpec)
        return from_data(raw, ir.ModelRef)
    if hint == "Constraints":
        return ir.Constraints(**raw)
    if isinstance(raw, list):
        return tuple(raw)
    return raw


def dump_json(api: ir.API) -> str:
    return json.dumps(to_data(api), indent=2, ensure_ascii=False) + "\n"
