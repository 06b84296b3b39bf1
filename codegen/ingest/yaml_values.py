"""The values of a composed YAML document and the line of every pointer, from one walk.

PyYAML's constructor finds each node's constructor by tag, keeps a generator per mapping and
sequence and a cache per node; recording the lines took a second walk. For the JSON-shaped nodes
of an API document (plain tags, no merge keys, scalar keys) one walk does both jobs, with the
same result as ``_record_lines`` followed by ``construct_document``. On anything else (another
tag, a ``<<`` merge key, a key that is a mapping or a sequence, a failing scalar, a tree past the
limits) it answers None and the general path runs from the start, errors and all.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..jsonpointer import escape
from .yaml_limits import MAX_DEPTH

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_SEQ = "tag:yaml.org,2002:seq"
_OTHER_SCALARS = frozenset(
    ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
     "tag:yaml.org,2002:null")
)  # fmt: skip
"""Scalars the loader's own constructors convert (``0x1f``, ``1_000``, ``yes``, ``~``...)."""


class _Unusual(Exception):
    """A node the walk leaves to PyYAML's constructor."""


def values_with_lines(
    loader: yaml.SafeLoader, root: yaml.Node, offset: int, budget: int
) -> tuple[Any, dict[str, int], list[tuple[str, int, int]]] | None:
    """The document's data, its pointer -> line map and its duplicate keys (pointer, first line,
    line), in ``_record_lines``' order; None where the general path must decide."""
    try:
        return _walk(loader, root, offset, budget)
    except _Unusual:
        return None


_FLOAT = "tag:yaml.org,2002:float"
_INT = "tag:yaml.org,2002:int"
_DECIMAL_FLOAT = re.compile(r"[-+]?[0-9]*\.[0-9]*(?:[eE][-+][0-9]+)?")
"""A float the resolver tagged, without the ``_``, ``:`` or ``.inf``/``.nan`` forms PyYAML's
constructor rewrites first: its value is then ``float`` of the text (the constructor strips
the sign and multiplies it back, which gives the same number, ``-0.0`` included)."""
_DECIMAL_INT = re.compile(r"[-+]?[1-9][0-9]*")
"""An int without ``_``, base prefixes, a leading zero (octal in YAML 1.1) or ``:``."""


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    # Numbers are most of an API document's other scalars (examples of embeddings): the
    # constructor's rewriting is skipped where it changes nothing.
    try:
        if tag == _FLOAT and _DECIMAL_FLOAT.fullmatch(node.value):
            return float(node.value)
        if tag == _INT and _DECIMAL_INT.fullmatch(node.value):
            return int(node.value)
    except ValueError:  # ``!!float .``, or past Python's digit limit: the general path says so
        raise _Unusual from None
    if tag not in _OTHER_SCALARS:
        raise _Unusual
    try:  # the constructor itself, not construct_object: that keeps state a failure would leave
        return loader.yaml_constructors[tag](loader, node)
    except Exception:  # whatever it is, the general path meets it again and reports it
        raise _Unusual from None


def _container(node: yaml.Node) -> dict[Any, Any] | list[Any]:
    if node.__class__ is yaml.MappingNode and node.tag == _MAP:
        return {}
    if node.__class__ is yaml.SequenceNode and node.tag == _SEQ:
        return []
    raise _Unusual


def _once(node: yaml.Node, made: dict[int, Any]) -> tuple[Any, Any]:
    """The value of a mapping or sequence node, and that value again when this visit is the
    one to fill it (None when an alias met it before)."""
    value = made.get(id(node))
    if value is not None:
        return value, None
    value = made[id(node)] = _container(node)
    return value, value


def _walk(
    loader: yaml.SafeLoader, root: yaml.Node, offset: int, budget: int
) -> tuple[Any, dict[str, int], list[tuple[str, int, int]]]:
    scalar_node, mapping_node = yaml.ScalarNode, yaml.MappingNode
    lines: dict[str, int] = {"": root.start_mark.line + 1 + offset}
    duplicates: list[tuple[str, int, int]] = []
    if root.__class__ is scalar_node:
        return _scalar(loader, root), lines, duplicates
    data = _container(root)
    # A node met again through an alias is the same value, filled once (``target`` None on the
    # other visits); every visit records its own pointers, as ``_record_lines`` does.
    made: dict[int, Any] = {id(root): data}
    stack: list[tuple[yaml.Node, str, int, Any]] = [(root, "", 1, data)]
    nodes = 1
    while stack:
        node, pointer, depth, target = stack.pop()
        if depth > MAX_DEPTH:
            raise _Unusual
        if node.__class__ is mapping_node:
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not scalar_node or key_node.tag == _MERGE:
                    raise _Unusual
                key = key_node.value
                child = pointer + "/" + (escape(key) if "~" in key or "/" in key else key)
                line = key_node.start_mark.line + 1 + offset
                if child in seen:
                    duplicates.append((child, seen[child], line))
                seen[child] = line
                lines[child] = line
                if value_node.__class__ is scalar_node:
                    if target is not None:
                        target[key] = _scalar(loader, value_node)
                    continue
                fill = None
                if target is not None:
                    target[key], fill = _once(value_node, made)
                stack.append((value_node, child, depth + 1, fill))
            nodes += 2 * len(node.value)
        else:
            for index, item in enumerate(node.value):
                child = pointer + "/" + str(index)
                lines[child] = item.start_mark.line + 1 + offset
                if item.__class__ is scalar_node:
                    if target is not None:
                        target.append(_scalar(loader, item))
                    continue
                fill = None
                if target is not None:
                    value, fill = _once(item, made)
                    target.append(value)
                stack.append((item, child, depth + 1, fill))
            nodes += len(node.value)
        if nodes > budget:
            raise _Unusual
    return data, lines, duplicates
