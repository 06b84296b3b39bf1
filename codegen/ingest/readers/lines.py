"""Completing a reader's source map: every pointer gets its own, its first child's or its parent's line."""

from __future__ import annotations

from typing import Any

from ...jsonpointer import join


def _earliest(node: Any, pointer: str, known: dict[str, int], out: dict[str, int]) -> int | None:
    """Record the lines known in this subtree; return the earliest (a container's own line)."""
    found: list[int] = []
    if isinstance(node, dict):
        children: list[tuple[str | int, Any]] = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    else:
        children = []
    for token, value in children:
        line = _earliest(value, join(pointer, token), known, out)
        if line is not None:
            found.append(line)
    own = known.get(pointer, min(found) if found else None)
    if own is not None:
        out[pointer] = own
    return own


def _inherit(node: Any, pointer: str, line: int, out: dict[str, int]) -> None:
    """A node no line was recorded for under it takes its parent's line."""
    line = out.setdefault(pointer, line)
    if isinstance(node, dict):
        for key, value in node.items():
            _inherit(value, join(pointer, key), line, out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _inherit(value, join(pointer, index), line, out)


def complete_lines(document: dict[str, Any], known: dict[str, int]) -> dict[str, int]:
    """Every pointer in the document gets a line: its own, its first child's, or its parent's."""
    out: dict[str, int] = {}
    _earliest(document, "", known, out)
    _inherit(document, "", known.get("", 1), out)
    return out
