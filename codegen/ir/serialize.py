"""IR to plain data (for `specgen ir`, the merged document's extensions and goldens), and back."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

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


def to_data(value: Any) -> Any:
    """Dataclasses become dicts (type nodes tagged with ``node``), tuples lists; empty bounds go."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data: dict[str, Any] = {}
        if type(value).__name__ in _NODE_TYPES:
            data["node"] = type(value).__name__
        for item in dataclasses.fields(value):
            child = getattr(value, item.name)
            if isinstance(child, ir.Constraints):
                if child.is_empty():
                    continue
                data[item.name] = {
                    k: v for k, v in dataclasses.asdict(child).items() if v is not None
                }
                continue
            data[item.name] = to_data(child)
        return data
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    return value


def _field_types(cls: type[Any]) -> dict[str, str]:
    return {f.name: str(f.type) for f in dataclasses.fields(cls)}


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
