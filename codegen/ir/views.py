"""Request and response views of one schema: ``readOnly`` properties are only ever received,
``writeOnly`` ones only ever sent, so each direction's model leaves the other's out."""

from __future__ import annotations

from typing import Any

from .model import Direction
from .shapes import COMPONENT

_LEFT_OUT = {"request": "readOnly", "response": "writeOnly"}


def view(schema: Any, direction: Direction) -> Any:
    """``schema`` as the ``direction`` sees it; the same object when nothing is left out."""
    keyword = _LEFT_OUT[direction]
    if not _mentions(schema, keyword):
        return schema
    return _strip(schema, keyword, {})


def _mentions(node: Any, keyword: str) -> bool:
    # A dereferenced schema shares each component's body among its uses: look at each once.
    pending = [node]
    looked: set[int] = set()
    while pending:
        current = pending.pop()
        if isinstance(current, dict | list):
            if id(current) in looked:
                continue
            looked.add(id(current))
        if isinstance(current, dict):
            if current.get(keyword) is True:
                return True
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)
    return False


def _strip(node: Any, keyword: str, stripped: dict[int, Any]) -> Any:
    """``stripped``: the result for each shared node already seen (by identity), so that a
    component used in many places is stripped once and the result stays as small as the input."""
    if not isinstance(node, dict | list):
        return node
    done = stripped.get(id(node))
    if done is not None:
        return done
    if isinstance(node, list):
        result_list = [_strip(item, keyword, stripped) for item in node]
        stripped[id(node)] = result_list
        return result_list
    result = {key: _strip(value, keyword, stripped) for key, value in node.items()}
    properties = node.get("properties")
    if isinstance(properties, dict):
        gone = {
            name
            for name, prop in properties.items()
            if isinstance(prop, dict) and prop.get(keyword) is True
        }
        if gone:
            result["properties"] = {
                name: value for name, value in result["properties"].items() if name not in gone
            }
            if isinstance(node.get("required"), list):
                result["required"] = [name for name in node["required"] if name not in gone]
            if keyword == "readOnly" and isinstance(node.get(COMPONENT), str):
                # The document's name stays with what it describes in full: the answer.
                result[COMPONENT] = f"{node[COMPONENT]}Param"
    stripped[id(node)] = result
    return result
