"""What a rule works on: one mutable document, its source map, and the findings it records."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..ingest.document import IngestedDocument
from ..ingest.notes import IngestNote
from ..jsonpointer import rebase
from ..report import Finding, Level


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
        before=copy.deepcopy(note.before),
        after=copy.deepcopy(note.after),
        evidence=note.evidence,
    )


@dataclass
class RuleContext:
    """A document under repair. Rules mutate ``document`` and record each change as a Finding."""

    source: IngestedDocument
    document: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    rule: str = ""
    moves: dict[str, str] = field(default_factory=dict)
    """New pointer prefix -> the pointer it had in the ingested document (see ``moved``)."""

    @staticmethod
    def of(source: IngestedDocument) -> RuleContext:
        context = RuleContext(source=source, document=copy.deepcopy(source.openapi))
        context.findings.extend(note_finding(source, note) for note in source.notes)
        return context

    def moved(self, old: str, new: str) -> None:
        """Record that the node now at ``new`` was at ``old``, so later findings on it (or below
        it) still point at the vendor's own line."""
        self.moves[new] = old

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
    ) -> None:
        self.findings.append(
            Finding(
                rule=rule or self.rule,
                level=level,
                document=self.source.name,
                pointer=pointer,
                message=message,
                source=self.source.source_map.file,
                line=self.source.source_map.line_for(self.original_pointer(pointer)),
                before=copy.deepcopy(before),
                after=copy.deepcopy(after),
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
    ) -> None:
        """Record a change this rule made at ``pointer`` (a pointer into the ingested document)."""
        self._record("repair", pointer, message, before=before, after=after, evidence=evidence)

    def warn(self, pointer: str, message: str, *, evidence: str | None = None) -> None:
        self._record("warning", pointer, message, evidence=evidence)

    def error(self, pointer: str, message: str, *, evidence: str | None = None) -> None:
        self._record("error", pointer, message, evidence=evidence)
