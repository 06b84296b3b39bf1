"""Inlining a document's local ``$ref``s, each referenced schema resolved once and shared.

A component referenced from N places is walked once: every use gets a small dict of its own
(the component's keys plus the siblings written beside that ``$ref``) over the one shared
resolved body. The result is therefore a DAG, not a tree, and nothing downstream may change it
in place (the merge only reads it).

Where references form a cycle, what a walk yields depends on which references enclose it (the
one that would come round again is cut and marked). Only enclosing references of the same cycle
(strongly connected component of the reference graph) can come round again, so the resolved
body is kept per reference and per set of such enclosing references.
"""

from __future__ import annotations

from typing import Any

from ..jsonpointer import resolve, unescape
from ..normalize import is_specgen_merged
from .naming import looks_generated, pascal
from .shapes import COMPONENT, NAME_HINT, OWN_DESCRIPTION, RECURSIVE, REFERS_BACK

_SCHEMAS = "#/components/schemas/"
_UNRESOLVED = object()


def _local_reference(node: Any) -> str | None:
    reference = node.get("$ref") if isinstance(node, dict) else None
    return reference if isinstance(reference, str) and reference.startswith("#") else None


def _direct_references(node: Any) -> list[str]:
    """The local references the walk meets inside ``node`` before following any of them (it
    does not look inside the siblings of a ``$ref``)."""
    found: list[str] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, list):
            pending.extend(current)
        elif isinstance(current, dict):
            reference = _local_reference(current)
            if reference is not None:
                found.append(reference)
            else:
                pending.extend(current.values())
    return found


class _CycleFamilies:
    """The strongly connected component of each reference in the document's reference graph
    (Tarjan's algorithm, iterative, over the part of the graph reached so far)."""

    def __init__(self, root: Any) -> None:
        self._root = root
        self._family: dict[str, int] = {}

    def _edges(self, reference: str) -> list[str]:
        try:
            target = resolve(self._root, reference[1:])
        except (KeyError, ValueError):
            return []  # the walk marks it unresolved (or raises there, as it always has)
        return _direct_references(target)

    def of(self, reference: str) -> int:
        if reference not in self._family:
            self._explore(reference)
        return self._family[reference]

    def _explore(self, start: str) -> None:
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        work: list[tuple[str, list[str], int]] = [(start, self._edges(start), 0)]
        index[start] = low[start] = 0
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges, position = work.pop()
            if position < len(edges):
                work.append((node, edges, position + 1))
                successor = edges[position]
                if successor in self._family:
                    continue  # finished in an earlier exploration: another component
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, self._edges(successor), 0))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                family = len(self._family)
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    self._family[member] = family
                    if member == node:
                        break


def dereference(document: dict[str, Any]) -> dict[str, Any]:
    """The parts of the document the merge reads (all but ``components``, of which the security
    schemes) with every local ``$ref`` inlined; a reference cycle is cut and marked, so the
    builder can make it a model that refers to itself.

    Component names travel with the schemas: specgen's own merged document's are the model
    names (a hint, so that a round trip holds); a vendor's are candidates, unless a tool made
    them up.
    """
    # No copy first: the walk builds new containers for the document's own structure and shares
    # only scalars with it, so the document is never changed through the result.
    root = document
    keep_names = is_specgen_merged(document)
    families = _CycleFamilies(root)
    cuts: list[str] = []
    """Every reference cut so far, in order (a cached body replays the cuts inside it)."""
    resolved_bodies: dict[tuple[str, frozenset[str]], tuple[Any, frozenset[str]]] = {}
    bare_uses: dict[tuple[str, frozenset[str]], tuple[Any, frozenset[str]]] = {}
    """The inlined form of a ``$ref`` written with no siblings, per reference and enclosing set."""
    names: dict[str, dict[str, Any]] = {}
    targets: dict[str, Any] = {}

    def name_siblings(reference: str) -> dict[str, Any]:
        if reference not in names:
            found: dict[str, Any] = {}
            if reference.startswith(_SCHEMAS):
                name = unescape(reference.rsplit("/", 1)[1])
                if keep_names:
                    found[NAME_HINT] = name
                elif not looks_generated(name):
                    found[COMPONENT] = name
            names[reference] = found
        return names[reference]

    def target_of(reference: str) -> Any:
        if reference not in targets:
            try:
                targets[reference] = resolve(root, reference[1:])
            except KeyError:
                targets[reference] = _UNRESOLVED
        return targets[reference]

    def enclosing(reference: str, seen: tuple[str, ...]) -> frozenset[str]:
        """The references being inlined around this use that the walk of ``reference`` may
        come round to again: those of its own cycle."""
        family = families.of(reference)
        return frozenset(s for s in seen if families.of(s) == family)

    def body(
        key: tuple[str, frozenset[str]], target: Any, seen: tuple[str, ...]
    ) -> tuple[Any, frozenset[str]]:
        """``target`` walked inside the reference, and the references cut on the way."""
        cached = resolved_bodies.get(key)
        if cached is None:
            before = len(cuts)
            walked = walk(target, (*seen, key[0]))
            cached = resolved_bodies[key] = (walked, frozenset(cuts[before:]))
        else:
            cuts.extend(cached[1])
        return cached

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        reference = _local_reference(node)
        if reference is None:
            return {key: walk(value, seen) for key, value in node.items()}
        if reference in seen:
            cuts.append(reference)
            marker = {"x-specgen-unknown": "shape", "description": f"recursive {reference}"}
            if reference.startswith(_SCHEMAS):
                marker[RECURSIVE] = pascal(unescape(reference.rsplit("/", 1)[1]))
            return marker
        target = target_of(reference)
        if target is _UNRESOLVED:
            return {"x-specgen-unknown": "shape", "description": f"unresolved {reference}"}
        key = (reference, enclosing(reference, seen))
        bare = len(node) == 1
        if bare and key in bare_uses:
            cuts.extend(bare_uses[key][1])
            return bare_uses[key][0]
        resolved, cut_inside = body(key, target, seen)
        if isinstance(resolved, dict):
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            siblings.update(name_siblings(reference))
            if reference in cut_inside:
                siblings[REFERS_BACK] = True
            # A description beside the $ref is the field's; the referenced schema keeps its own.
            # In a chain (X: {$ref: Y, description}) the schema a use names is the last one.
            if "description" in node:
                siblings[OWN_DESCRIPTION] = resolved.get("description")
            elif OWN_DESCRIPTION in resolved:
                resolved = {k: v for k, v in resolved.items() if k != OWN_DESCRIPTION}
            resolved = {**resolved, **siblings}
        if bare:
            # Every plain use of the reference is one object, so work keyed on a schema's
            # identity (the shapes the merge records) is shared by all of them too.
            bare_uses[key] = (resolved, cut_inside)
        return resolved

    # Only what the merge reads is walked: everything but the components, of which only the
    # security schemes; a component schema is walked where something uses it. Walking every
    # component's body once more cost 90% of the time (OpenAI's 3 MB document: 70 -> 7 ms).
    resolved: dict[str, Any] = {
        key: walk(value, ()) for key, value in root.items() if key != "components"
    }
    components = root.get("components")
    if isinstance(components, dict) and "securitySchemes" in components:
        resolved["components"] = {"securitySchemes": walk(components["securitySchemes"], ())}
    return resolved
