"""What a rule works on: one mutable document, its source map, and the findings it records.

Also what several rules read off the same document (its schema index, its example evidence),
computed once and kept while no rule has changed the document since.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import msgspec

from ..ingest.document import IngestedDocument
from ..ingest.notes import IngestNote
from ..jsonpointer import rebase
from ..openapi_walk import SchemaEntry, SchemaIndex
from ..report import Finding, Level
from .evidence import Evidence, collect_evidence

T = TypeVar("T")

_ATOMS = frozenset((str, int, float, bool, type(None)))


def copy_tree(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A deep copy of decoded JSON/YAML data, as ``copy.deepcopy`` makes it (a node shared by two
    places, as a YAML alias makes, stays shared; a cycle stays a cycle) in about half its time:
    it knows that only dicts and lists need copying, and leaves any other type to deepcopy."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is not dict and kind is not list:
        return copy.deepcopy(value, memo)  # the same memo: what it shares stays shared
    memo = {} if memo is None else memo
    done = memo.get(id(value))
    if done is not None:
        return done
    if kind is dict:
        mapping: dict[Any, Any] = {}
        memo[id(value)] = mapping
        for key, item in value.items():
            mapping[key] = item if type(item) in _ATOMS else copy_tree(item, memo)
        return mapping
    sequence: list[Any] = []
    memo[id(value)] = sequence
    sequence.extend(item if type(item) in _ATOMS else copy_tree(item, memo) for item in value)
    return sequence


def note_finding(source: IngestedDocument, note: IngestNote) -> Finding:
    """What ingest noted, as a finding: the pointer is in the vendor's document as written."""
    return Finding(
        rule=note.rule,
        level=note.level,
        document=source.name,
        pointer=note.pointer,
        message=note.message,
        source=source.source_map.file,
        line=note.line if note.line is not None else source.source_map.line_for(note.pointer),
        before=copy_tree(note.before),
        after=copy_tree(note.after),
        evidence=note.evidence,
    )


class RuleContext(msgspec.Struct):
    """A document under repair. Rules mutate ``document`` and record each change as a Finding."""

    source: IngestedDocument
    document: dict[str, Any]
    findings: list[Finding] = msgspec.field(default_factory=list)
    rule: str = ""
    moves: dict[str, str] = msgspec.field(default_factory=dict)
    """New pointer prefix -> the pointer it had in the ingested document (see ``moved``)."""
    _revision: int = 0
    """Counts the changes rules made (each is recorded as a finding, or told with ``changed``)."""
    _shape_revision: int = 0
    """Counts the changes that may have added, removed or replaced a schema."""
    _memo: dict[Any, tuple[int, Any]] = msgspec.field(default_factory=dict)
    _consumed: bool = False
    """The rules repair the source's own document: ``of_ingested`` has only what ``of`` kept."""

    @staticmethod
    def of(
        source: IngestedDocument,
        *,
        consume: bool = False,
        ingested_facts: Sequence[Callable[[dict[str, Any]], Any]] = (),
    ) -> RuleContext:
        """A context over a copy of the source's document, or with ``consume`` over the
        document itself (a caller that never reads ``source`` again saves the copy: a tenth of
        normalizing). ``ingested_facts`` are computed at once, while the document is still as
        ingested: with ``consume``, they are all ``of_ingested`` can answer."""
        document = source.openapi if consume else copy_tree(source.openapi)
        context = RuleContext(source=source, document=document, _consumed=consume)
        for compute in ingested_facts:
            context._memo[compute] = (0, compute(source.openapi))
        context.findings.extend(note_finding(source, note) for note in source.notes)
        return context

    def moved(self, old: str, new: str) -> None:
        """Record that the node now at ``new`` was at ``old``, so later findings on it (or below
        it) still point at the vendor's own line."""
        self.moves[new] = old
        self.changed()

    def changed(self, *, keeps_shape: bool = False) -> None:
        """Say the document changed. Recording a finding says so already: a rule calls this only
        for a change it records no finding for.

        A change that only touched keywords holding no schema (``keeps_shape``), or any change
        of a rule that makes no other kind (``rules.SHAPE_KEEPING``), leaves the schema index
        valid; any other change, or one of a rule run without its id set, makes it stale.
        """
        self._revision += 1
        if not keeps_shape and self.rule not in _shape_keeping_rules():
            self._shape_revision += 1

    def _remembered(self, key: Any, revision: int, compute: Callable[[], T]) -> T:
        found = self._memo.get(key)
        if found is not None and found[0] == revision:
            return found[1]  # type: ignore[no-any-return]
        value = compute()
        self._memo[key] = (revision, value)
        return value

    def schema_index(self) -> SchemaIndex:
        """Every schema of the document with its pointer, walked once while the shape holds."""
        return self._remembered(
            "schemas", self._shape_revision, lambda: SchemaIndex.of(self.document)
        )

    def schemas(self) -> Sequence[SchemaEntry]:
        """(pointer, schema) for every schema, as ``openapi_walk.iter_schemas`` yields them."""
        return self.schema_index().entries

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` of the document as it stands: computed again after any change."""
        return self._remembered(key, self._revision, compute)

    def evidence(self) -> Evidence:
        """The document's example evidence (a widened type changes which union variants an
        example reaches, so any change means collecting it again)."""
        return self.derived("evidence", lambda: collect_evidence(self.document, self.schemas()))

    def of_ingested(self, compute: Callable[[dict[str, Any]], T]) -> T:
        """``compute`` of the document as ingested, which no rule changes: computed once."""
        if self._consumed and compute not in self._memo:
            # The document is no longer as ingested: the fact must be listed for ``of``.
            raise RuntimeError(
                f"{getattr(compute, '__qualname__', compute)} of the ingested document is not "
                "among the facts computed before the rules (normalize.rules.INGESTED_FACTS)"
            )
        return self._remembered(compute, 0, lambda: compute(self.source.openapi))

    def original_pointer(self, pointer: str) -> str:
        """The pointer ``pointer`` had in the ingested document, following recorded moves."""
        return rebase(pointer, self.moves)

    def _record(
        self,
        level: Level,
        pointer: str,
        message: str,
        *,
        before: Any = None,
        after: Any = None,
        evidence: str | None = None,
        rule: str | None = None,
        keeps_shape: bool = False,
    ) -> None:
        self.changed(keeps_shape=keeps_shape)
        self.findings.append(
            Finding(
                rule=rule or self.rule,
                level=level,
                document=self.source.name,
                pointer=pointer,
                message=message,
                source=self.source.source_map.file,
                line=self.source.source_map.line_for(self.original_pointer(pointer)),
                before=copy_tree(before),
                after=copy_tree(after),
                evidence=evidence,
            )
        )

    def repair(
        self,
        pointer: str,
        message: str,
        *,
        before: Any,
        after: Any,
        evidence: str,
        keeps_shape: bool = False,
    ) -> None:
        """Record a change this rule made at ``pointer`` (a pointer into the ingested document);
        ``keeps_shape`` as for ``changed``."""
        self._record(
            "repair",
            pointer,
            message,
            before=before,
            after=after,
            evidence=evidence,
            keeps_shape=keeps_shape,
        )

    def warn(
        self,
        pointer: str,
        message: str,
        *,
        evidence: str | None = None,
        keeps_shape: bool = False,
    ) -> None:
        """Record a finding this rule could not repair (and any change made with it)."""
        self._record("warning", pointer, message, evidence=evidence, keeps_shape=keeps_shape)

    def error(self, pointer: str, message: str, *, evidence: str | None = None) -> None:
        self._record("error", pointer, message, evidence=evidence)


@functools.cache
def _shape_keeping_rules() -> frozenset[str]:
    from .rules import SHAPE_KEEPING  # the rules import this module: read at first use

    return SHAPE_KEEPING
