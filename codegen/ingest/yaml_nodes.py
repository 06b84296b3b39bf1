"""The YAML node tree of JSON-shaped data, built by one tight walk instead of PyYAML's
representer, which finds each value's representer through its type's MRO and keeps alias
bookkeeping per value: two thirds of the time of dumping a large document. libyaml still emits.

The nodes are exactly those ``SafeDumper`` builds with block style and the ``|`` rule for
multi-line strings, the same node for a dict or list met twice (the emitter then writes an anchor
and an alias, as PyYAML does); a value of any other type answers None, and the representer runs.
"""

from __future__ import annotations

from typing import Any

from yaml import MappingNode, ScalarNode, SequenceNode

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _NotJSONData(Exception):
    """A value the walk does not build: the representer decides how it is written."""


def block_literal_wanted(value: str) -> bool:
    """Multi-line text is written as a ``|`` block, which keeps it readable and exact."""
    return "\n" in value and "\r" not in value and not value.startswith((" ", "\t"))


def _float_text(value: float) -> str:
    """SafeRepresenter's spelling of a float."""
    if value != value:
        return ".nan"
    if value == float("inf"):
        return ".inf"
    if value == float("-inf"):
        return "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:  # 1e17 is not a YAML float; 1.0e17 is
        text = text.replace("e", ".0e", 1)
    return text


def _node(value: Any, built: dict[int, Any]) -> Any:
    kind = type(value)
    if kind is str:
        return ScalarNode(_STR, value, style="|" if block_literal_wanted(value) else None)
    if kind is dict or kind is list:
        known = built.get(id(value))
        if known is not None:
            return known
        if kind is dict:
            mapping = built[id(value)] = MappingNode(_MAP, [], flow_style=False)
            mapping.value.extend((_node(k, built), _node(v, built)) for k, v in value.items())
            return mapping
        sequence = built[id(value)] = SequenceNode(_SEQ, [], flow_style=False)
        sequence.value.extend(_node(item, built) for item in value)
        return sequence
    # Every scalar is a node of its own: the emitter would write a shared one as an alias.
    if value is None:
        return ScalarNode(_NULL, "null")
    if kind is bool:
        return ScalarNode(_BOOL, "true" if value else "false")
    if kind is int:
        return ScalarNode(_INT, str(value))
    if kind is float:
        return ScalarNode(_FLOAT, _float_text(value))
    raise _NotJSONData


def yaml_nodes(data: Any) -> Any | None:
    """The node tree of ``data``, or None when the representer must build it."""
    try:
        return _node(data, {})
    except (_NotJSONData, RecursionError):
        return None
