"""Request and response views of one schema: ``readOnly`` properties are only ever received,
``writeOnly`` ones only ever sent, so each direction's model leaves the other's out."""

from __future__ import annotations

from typing import Any

from .model import Direction
from .shapes import COMPONENT

_LEFT_OUT = {"request": "readOnly", "response": "writeOnly"}


def view(schema: Any, direction: Direction) -> Any:
    """``schema`` as the ``direction`` sees it; the same object when nothing is left out."""
    return Views().view(schema, direction)


class Views:
    """Views of the schemas of one merge: which shared node mentions a keyword is found once
    for all the schemas that contain it (every operation's body holds the same components)."""

    def __init__(self) -> None:
        self._known: dict[str, dict[int, tuple[Any, bool | None]]] = {
            keyword: {} for keyword in _LEFT_OUT.values()
        }
        """Per keyword: node identity -> (the node, kept alive; whether it or a node inside it
        says ``keyword: true``, None while it is being looked at)."""

    def view(self, schema: Any, direction: Direction) -> Any:
        keyword = _LEFT_OUT[direction]
        if not self._mentions(schema, keyword):
            return schema
        return _strip(schema, keyword, {})

    def _mentions(self, node: Any, keyword: str) -> bool:
        if not isinstance(node, dict | list):
            return False
        known = self._known[keyword]
        found = known.get(id(node))
        if found is not None and found[1] is not None:
            return found[1]
        # (node, None) to look at; (node, its containers) to answer once they are answered.
        pending: list[tuple[Any, list[Any] | None]] = [(node, None)]
        while pending:
            current, inside = pending.pop()
            if inside is not None:
                known[id(current)] = (current, any(known[id(c)][1] for c in inside))
                continue
            seen = known.get(id(current))
            if seen is not None:
                continue
            if isinstance(current, dict) and current.get(keyword) is True:
                known[id(current)] = (current, True)
                continue
            known[id(current)] = (current, None)
            inside = _containers(current)
            pending.append((current, inside))
            for child in inside:
                below = known.get(id(child))
                if below is None:
                    pending.append((child, None))
                elif below[1] is None:
                    # A node inside itself: no answer per node, look at this schema alone.
                    self._known[keyword] = {}
                    return _mentions(node, keyword)
        return bool(known[id(node)][1])


def _containers(node: Any) -> list[Any]:
    values = node.values() if isinstance(node, dict) else node
    return [value for value in values if isinstance(value, dict | list)]


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
