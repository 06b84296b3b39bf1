"""Numbering decoded JSON by content: equal trees get one number, whatever their identity.

Each container is numbered once per identity (the dereferenced document shares a component's
body among its uses) from its members' numbers, so numbering a tree costs one visit of each
distinct container and a tuple of its members, never a deep comparison.
"""

from __future__ import annotations

from typing import Any


class ContentNumbers:
    def __init__(self) -> None:
        self._numbers: dict[tuple[Any, ...], int] = {}
        self._by_identity: dict[int, tuple[Any, int]] = {}
        """Container identity -> (the container, kept alive so its identity is not reused, and
        its number)."""
        self._open: set[int] = set()

    def number(self, node: Any) -> int:
        """The number of a dict or list; equal content (types kept apart: 1, 1.0 and True
        differ) gets an equal number. A container met again inside itself gets a number of
        its own, equal to nothing else."""
        found = self._by_identity.get(id(node))
        if found is not None:
            return found[1]
        if id(node) in self._open:
            return self._unique(node)
        self._open.add(id(node))
        try:
            # One list filled in a loop: a tree has tens of thousands of members, and strings
            # (most keys and many values) are their own atoms.
            atom = self._atom
            members: list[Any]
            if isinstance(node, dict):
                members = ["{"]
                append = members.append
                for key, value in node.items():
                    append(key if type(key) is str else atom(key))
                    append(value if type(value) is str else atom(value))
            else:
                members = ["["]
                append = members.append
                for value in node:
                    append(value if type(value) is str else atom(value))
        finally:
            self._open.discard(id(node))
        number = self._numbers.setdefault(tuple(members), len(self._numbers))
        self._by_identity[id(node)] = (node, number)
        return number

    def _atom(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return value
        if kind is dict or kind is list or isinstance(value, dict | list):
            found = self._by_identity.get(id(value))
            return (found[1] if found is not None else self.number(value),)
        if kind is float:
            return ("float", repr(value))
        return (kind.__name__, value)

    def _unique(self, node: Any) -> int:
        number = len(self._numbers)
        self._numbers[("cycle", number)] = number
        self._by_identity[id(node)] = (node, number)
        return number
