"""Type hints for IR type nodes, with the imports they need recorded as data.

Two flavours: model hints (what pydantic validates: Literal enums, Annotated bounds, discriminated
unions) and argument hints (what a caller may pass: sequences, mappings, plain dicts for models).
"""

from __future__ import annotations

from collections.abc import Mapping
from json.encoder import encode_basestring

from ..errors import SpecgenError
from ..ir.model import (
    API,
    ArrayType,
    Constraints,
    MapType,
    ModelRef,
    ScalarType,
    TypeNode,
    UnionType,
    UnknownType,
)
from . import analysis
from .imports import Imports

BASE_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
MODELS_HELPERS = "._models"
BUILTIN_HINTS = frozenset({"bool", "bytes", "dict", "float", "int", "list", "object", "str"})
"""Builtins that hints name, which a method of the same class may shadow."""


def py_literal(value: object) -> str:
    """Python source for a JSON value (strings double-quoted, as ruff format prefers)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, str):
        # What json.dumps(value, ensure_ascii=False) writes, without building an encoder a call.
        return _printable(encode_basestring(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise SpecgenError(f"cannot write {value!r} as a Python literal")


def _printable(source: str) -> str:
    """A string literal's source with every character ``str.isprintable`` refuses spelt as an
    escape: bidi controls and line separators stay in the value but cannot reorder or break the
    line an editor shows, and a lone surrogate (from a JSON ``\\ud800``) can be written as UTF-8.
    """
    if source.isprintable():
        return source
    return "".join(
        char
        if char.isprintable()
        else (f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        for char in source
    )


def tuple_literal(items: list[str]) -> str:
    """A tuple of Python expressions; no trailing comma (ruff would split it one per line)."""
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def python_pattern(pattern: str) -> str:
    """An ECMA-262 (JSON Schema) pattern for Python's ``re``: ``$`` means end of text.

    Python's ``$`` also matches before a final newline, so ``"abc\\n"`` would pass
    ``^[a-z]+$``; ``\\Z`` is the end-of-text anchor ECMA's ``$`` is. The models use Python's
    engine because Rust's refuses look-arounds at import time.
    """
    out: list[str] = []
    escaped = False
    in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "$" and not in_class:
            out.append("\\Z")
            continue
        out.append(char)
    return "".join(out)


def constraint_kwargs(constraints: Constraints, *, sequence: bool) -> list[tuple[str, str]]:
    """pydantic ``Field`` keyword arguments for JSON Schema bounds, in a fixed order."""
    pairs: list[tuple[str, object]] = [
        ("ge", constraints.minimum),
        ("gt", constraints.exclusive_minimum),
        ("le", constraints.maximum),
        ("lt", constraints.exclusive_maximum),
    ]
    if sequence:
        pairs += [("min_length", constraints.min_items), ("max_length", constraints.max_items)]
    else:
        pairs += [
            ("min_length", constraints.min_length),
            ("max_length", constraints.max_length),
            (
                "pattern",
                None if constraints.pattern is None else python_pattern(constraints.pattern),
            ),
        ]
    return [(key, py_literal(value)) for key, value in pairs if value is not None]


def call(function: str, kwargs: list[tuple[str, str]]) -> str:
    return f"{function}({', '.join(f'{key}={value}' for key, value in kwargs)})"


def _literal_values(node: ScalarType) -> list[str] | None:
    """Literal members for an enum, or None when Literal cannot hold them (non-integral floats)."""
    values: list[str] = []
    for item in node.enum:
        value = item.value
        if isinstance(value, float):
            if not value.is_integer():
                return None
            value = int(value)
        values.append(py_literal(value))
    return list(dict.fromkeys(values))


def union_text(members: list[str]) -> str:
    """Join union members with ``|``, dropping repeats (order kept)."""
    return " | ".join(dict.fromkeys(members))


class TypeHints:
    """Renders type nodes of one API for one module, adding what they use to ``imports``.

    Hints are built as lists of union members and joined only when written, so nesting never
    needs the text taken apart again. ``class_names`` maps IR names to Python class names;
    ``models_module`` is where those classes live relative to the module being rendered (None
    when it is that module).
    """

    def __init__(
        self,
        api: API,
        class_names: Mapping[str, str],
        imports: Imports,
        *,
        models_module: str | None = None,
        shadowed: frozenset[str] = frozenset(),
    ) -> None:
        self.api = api
        self.class_names = class_names
        self.imports = imports
        self.models_module = models_module
        # The runtime's model helpers sit beside the models module.
        depth = len(models_module) - len(models_module.lstrip(".")) if models_module else 1
        self.helpers_module = "." * depth + MODELS_HELPERS.lstrip(".")
        self.shadowed = shadowed
        """Builtin names a method of the class being rendered takes (``def list``): hints in
        that class must say ``builtins.list``."""

    def builtin(self, name: str) -> str:
        if name not in self.shadowed:
            return name
        self.imports.add("builtins")
        return f"builtins.{name}"

    # -- model hints -----------------------------------------------------------------------

    def annotation(self, node: TypeNode, *, nullable: bool = False) -> str:
        """The hint for ``node`` in any position, its own bounds carried inline by Annotated."""
        members = self._members(node)
        return union_text([*members, "None"] if nullable else members)

    def field_annotation(
        self, node: TypeNode, *, nullable: bool = False
    ) -> tuple[str, list[tuple[str, str]]]:
        """A field's hint without its own bounds, and those bounds as ``Field(...)`` arguments."""
        members, bounds = self._unbounded(node)
        return union_text([*members, "None"] if nullable else members), bounds

    def _members(self, node: TypeNode) -> list[str]:
        members, bounds = self._unbounded(node)
        if not bounds:
            return members
        self.imports.add("typing", "Annotated")
        self.imports.add("pydantic", "Field")
        return [f"Annotated[{union_text(members)}, {call('Field', bounds)}]"]

    def _unbounded(self, node: TypeNode) -> tuple[list[str], list[tuple[str, str]]]:
        if isinstance(node, ScalarType):
            return self._scalar(node)
        if isinstance(node, ArrayType):
            item = self.annotation(node.items, nullable=node.items_nullable)
            return [f"{self.builtin('list')}[{item}]"], constraint_kwargs(
                node.constraints, sequence=True
            )
        if isinstance(node, ModelRef):
            return [self.reference(node)], []
        if isinstance(node, UnionType):
            return self._union(node), []
        if isinstance(node, MapType):
            values = self.annotation(node.values)
            return [f"{self.builtin('dict')}[{self.builtin('str')}, {values}]"], []
        if isinstance(node, UnknownType):
            return [self.json_value()], []
        raise SpecgenError(f"unsupported type node {node!r}")

    def tag_literal(self, value: object) -> str:
        self.imports.add("typing", "Literal")
        return f"Literal[{py_literal(value)}]"

    def json_value(self) -> str:
        self.imports.add(self.helpers_module, "JSONValue")
        return "JSONValue"

    def reference(self, node: ModelRef) -> str:
        analysis.resolve(self.api, node)
        name = self.class_names[node.name]
        if self.models_module is not None:
            self.imports.add(self.models_module, name)
        return name

    def _scalar(self, node: ScalarType) -> tuple[list[str], list[tuple[str, str]]]:
        # A string of bytes (a multipart file part) is bytes in Python.
        binary = node.kind == "string" and node.format == "binary" and not node.enum
        base = self.builtin("bytes" if binary else BASE_TYPES[node.kind])
        bounds = constraint_kwargs(node.constraints, sequence=False)
        literals = _literal_values(node) if node.enum else None
        if literals is None:
            return [base], bounds
        self.imports.add("typing", "Literal")
        literal = f"Literal[{', '.join(literals)}]"
        if node.enum_open:
            # Known values typed for completion, others of the same kind still accepted.
            return [literal, base], []
        return [literal], []

    def _union(self, node: UnionType) -> list[str]:
        if analysis.accepts_any(node):
            # Any JSON value already covers the other variants.
            return [self.json_value()]
        members = [member for variant in node.variants for member in self._members(variant)]
        if analysis.discriminator_mapping(self.api, node) is None:
            return members
        self.imports.add("typing", "Annotated")
        self.imports.add("pydantic", "Field")
        discriminator = py_literal(node.discriminator)
        return [f"Annotated[{union_text(members)}, Field(discriminator={discriminator})]"]

    # -- argument hints --------------------------------------------------------------------

    def argument(self, node: TypeNode, *, nullable: bool = False) -> str:
        """What a caller may pass for ``node``: models also as plain mappings, any sequence."""
        members = self._argument(node)
        return union_text([*members, "None"] if nullable else members)

    def _argument(self, node: TypeNode) -> list[str]:
        if isinstance(node, ScalarType):
            return self._scalar(node)[0]
        if isinstance(node, ArrayType):
            self.imports.add("collections.abc", "Sequence")
            return [f"Sequence[{self.argument(node.items, nullable=node.items_nullable)}]"]
        if isinstance(node, ModelRef):
            name = self.reference(node)
            if not analysis.refers_to_models(node, self.api):
                return [name]
            # Plain dicts are what most callers write; the request model validates them.
            self.imports.add("collections.abc", "Mapping")
            return [name, "Mapping[str, object]"]
        if isinstance(node, UnionType):
            if analysis.accepts_any(node):
                return [self.builtin("object")]
            return [member for variant in node.variants for member in self._argument(variant)]
        if isinstance(node, MapType):
            self.imports.add("collections.abc", "Mapping")
            return [f"Mapping[str, {self.argument(node.values)}]"]
        if isinstance(node, UnknownType):
            return [self.builtin("object")]
        raise SpecgenError(f"unsupported type node {node!r}")
