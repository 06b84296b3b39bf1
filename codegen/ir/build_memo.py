"""Building a shared shape once: what a build did, kept so that its next place replays it.

The merge shares one component's shapes among all the places that use it, so the same shape is
built again at every place: the same types, findings and bounds, under another path. A build is
a function of the shape and the direction, plus the registry, which it reads in two ways only
(the candidate names a place offers matter only where a new name is chosen, which a replay
never does):

- ``add_model`` finds a structure already registered (by fingerprint) or registers a new one.
  The second time round, a model the first build registered is found wherever its structure is
  registered under that one name alone; then a rebuild returns the same name and adds nothing.
- ``add_alias`` does the same for unions; a union has one alias name only, so a rebuild
  always finds the name the first build found.

A build that reads the names of the models being built (recursion) depends on where it stands,
so it is never kept. Everything else it does is recorded as events on one log (registry checks,
bounds, known values, required paths; findings are the slice of the findings list it appended)
and replayed at a new place with every path rebased onto that place's path.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

from ..report import Finding
from .model import TypeNode

_T = TypeVar("_T")


class BuiltTrace(msgspec.Struct):
    """One recorded build: what it returned and the spans of the log and findings it wrote."""

    path: str
    result: TypeNode
    log: list[tuple[Any, ...]]
    log_span: tuple[int, int]
    findings: list[Finding]
    findings_span: tuple[int, int]
    names_checked: int = -1
    """``names_changed`` when its registry lookups were last found to answer alike."""
    rebasable: bool | None = None
    """Whether every finding's pointer lies under the build's path (checked once, when first
    replayed elsewhere)."""


class BuildMemo(msgspec.Struct):
    """The log every build writes to, the recursion count and the recorded builds."""

    log: list[tuple[Any, ...]] = msgspec.field(default_factory=list)
    unrepeatable: int = 0
    """How many builds so far read the names of models being built (recursion): a build during
    which this grows depends on its place and is not kept."""
    traces: dict[tuple[Any, ...], tuple[Any, BuiltTrace]] = msgspec.field(default_factory=dict)
    """Per (shape identity, direction, first name): (a weak reference to the shape, its build)."""
    names_by_fingerprint: dict[tuple[Any, ...], set[str]] = msgspec.field(default_factory=dict)
    """Every model name registered under each structure (the registry keeps this up to date)."""
    names_changed: int = 0
    """Counts the registrations that could change a replay's answer: a name given a second
    structure, or a structure a second name (a new structure under a new name changes none)."""
    again: dict[int, int] = msgspec.field(default_factory=dict)
    """Per finding (by identity, while the merge's list holds it): how many replays repeated it.
    A model's replay is one more place using the model; its findings are counted, not written
    again."""
    derived: dict[tuple[int, str], tuple[Any, Any]] = msgspec.field(default_factory=dict)
    """Per (shape identity, kind): (a weak reference to the shape, what was derived from it)."""

    def keep(self, table: dict[Any, tuple[Any, Any]], key: Any, shape: Any, value: Any) -> None:
        """``table[key] = value`` while ``shape`` lives: an entry keyed by a shape's identity
        goes with the shape (so its identity is never mistaken for another's), and a place's
        shapes are not kept past their operation."""
        table[key] = (weakref.ref(shape, lambda _gone: table.pop(key, None)), value)

    def used_again(self, findings: list[Finding], span: tuple[int, int]) -> None:
        """The findings ``findings[span]`` hold once more: logged, so a replay of a build this
        one is part of counts them again too."""
        self.log.append(("again", findings, span))
        again = self.again
        for finding in findings[span[0] : span[1]]:
            again[id(finding)] = again.get(id(finding), 0) + 1

    def trace(self, key: Any) -> BuiltTrace | None:
        found = self.traces.get(key)
        return None if found is None else found[1]

    def remembered(self, kind: str, shape: Any, derive: Callable[[Any], _T]) -> _T:
        """``derive(shape)``, computed once per shape and ``kind`` of derivation (shapes are
        only read while building)."""
        key = (id(shape), kind)
        found = self.derived.get(key)
        if found is not None:
            result: _T = found[1]
            return result
        made = derive(shape)
        self.keep(self.derived, key, shape, made)
        return made

    def replayable(self, trace: BuiltTrace, path: str) -> bool:
        """Would building the trace's shape again, at ``path``, do exactly what it did?"""
        if trace.names_checked != self.names_changed:
            start, end = trace.log_span
            for event in trace.log[start:end]:
                if event[0] == "model" and self.names_by_fingerprint.get(event[1]) != {event[2]}:
                    return False
            trace.names_checked = self.names_changed
        if path == trace.path:
            return True
        if trace.rebasable is None:
            start, end = trace.findings_span
            trace.rebasable = all(
                f.pointer.startswith(trace.path) for f in trace.findings[start:end]
            )
        return trace.rebasable


def rebased(path: str, old: str, new: str) -> str:
    return new + path[len(old) :]


def replayed_findings(
    trace: BuiltTrace, path: str, leaving_out: list[tuple[int, int]]
) -> list[Finding]:
    """The trace's findings made again at ``path``, but for the spans ``leaving_out`` (models'
    findings, counted instead): new ones, even at the same path, since findings are counted by
    identity (``BuildMemo.again``)."""
    start, end = trace.findings_span
    old = trace.path
    left_out = {index for low, high in leaving_out for index in range(low, high)}
    return [
        msgspec.structs.replace(f, pointer=rebased(f.pointer, old, path))
        for index, f in enumerate(trace.findings[start:end], start)
        if index not in left_out
    ]


def with_other_places(findings: list[Finding], memo: BuildMemo) -> tuple[Finding, ...]:
    """The findings, each made in a replayed model counting the places it was replayed at."""
    again = memo.again
    return tuple(
        msgspec.structs.replace(f, other_places=again[id(f)]) if id(f) in again else f
        for f in findings
    )
