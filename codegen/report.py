"""Findings as values: every repair, warning and error any stage records, with where it came from.

A finding is data, never a print: stages return them, the CLI prints them once, `build` writes them
into the generated package. Modelled on openapi-python-client's ParseError records.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal

Level = Literal["repair", "warning", "error"]
LEVELS: tuple[Level, ...] = ("repair", "warning", "error")


@dataclass(frozen=True)
class Finding:
    """One thing a rule did or could not do to one place of one document.

    ``pointer`` is a JSON pointer into the ingested document (before the rule ran); ``source`` and
    ``line`` point at the vendor's own text, from the ingest source map.
    """

    rule: str
    level: Level
    document: str
    pointer: str
    message: str
    source: str | None = None
    line: int | None = None
    before: Any = None
    after: Any = None
    evidence: str | None = None

    def location(self) -> str:
        where = f"{self.source}:{self.line}" if self.source and self.line else (self.source or "")
        return f"{where} {self.pointer}".strip()

    def one_line(self) -> str:
        text = f"{self.level:<7} {self.rule:<34} {self.pointer or '/'}"
        if self.source and self.line:
            text += f" ({self.source}:{self.line})"
        return f"{text}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        # Not asdict: it deep-copies every before/after value, most of a large report's cost.
        # A dataclass inside one is still written as asdict would (see _as_data).
        return {
            name: value for name in _FINDING_FIELDS if (value := getattr(self, name)) is not None
        }


_FINDING_FIELDS = tuple(item.name for item in fields(Finding))


def _as_data(value: Any) -> Any:
    """json's fallback for a value it cannot write: a dataclass as its fields."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"not JSON data: {type(value).__name__}")


@dataclass
class Report:
    """An ordered collection of findings with the counts the CLI and exit codes need."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def counts(self) -> dict[str, int]:
        counter = Counter(f.level for f in self.findings)
        return {level: counter.get(level, 0) for level in LEVELS}

    def has(self, level: Level) -> bool:
        return any(f.level == level for f in self.findings)

    def by_document(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.document, []).append(finding)
        return grouped

    def summary(self) -> str:
        counts = self.counts()
        docs = len(self.by_document())
        return (
            f"{counts['repair']} repaired, {counts['warning']} warnings, {counts['error']} errors"
            f" in {docs} documents"
        )

    def to_text(self) -> str:
        lines: list[str] = []
        for document, findings in self.by_document().items():
            lines.append(f"{document}:")
            lines.extend(f"  {finding.one_line()}" for finding in findings)
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        payload = {
            "summary": self.counts(),
            "findings": [finding.to_json() for finding in self.findings],
        }
        text = json.dumps(payload, indent=2, sort_keys=False, ensure_ascii=False, default=_as_data)
        return text + "\n"
