"""``specgen lint``: ingest and normalize documents without building, report what was found, and
decide the exit code (0 clean or repaired, 1 on errors or on warnings under --strict, 2 unreadable).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpecgenError
from ..ingest import ingest_all
from ..report import Report
from . import NormalizedDocument, normalize

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


@dataclass(frozen=True)
class LintResult:
    """Every readable document normalized, the inputs that could not be read, and all findings."""

    documents: tuple[NormalizedDocument, ...]
    unreadable: tuple[SpecgenError, ...]
    report: Report = field(default_factory=Report)

    def exit_code(self, *, strict: bool = False) -> int:
        if self.unreadable:
            return EXIT_UNREADABLE
        if self.report.has("error") or (strict and self.report.has("warning")):
            return EXIT_FINDINGS
        return EXIT_OK

    def to_text(self) -> str:
        """Findings grouped by document (clean documents say so), then one summary line."""
        lines: list[str] = []
        for document in self.documents:
            findings = document.findings
            lines.append(f"{document.name} ({document.source_map.file}):")
            lines.extend(f"  {finding.one_line()}" for finding in findings)
            if not findings:
                lines.append("  no findings")
        counts = self.report.counts()
        summary = (
            f"{counts['repair']} repaired, {counts['warning']} warnings, {counts['error']} errors "
            f"in {len(self.documents)} documents"
        )
        if self.unreadable:
            summary += f"; {len(self.unreadable)} unreadable"
        lines.append(summary)
        return "\n".join(lines) + "\n"


def lint_paths(paths: Sequence[Path], *, vendor: str | None = None) -> LintResult:
    """Ingest and normalize each path; an unreadable one is kept as its error, the rest go on."""
    ingested, unreadable = ingest_all(paths, vendor=vendor)
    documents = tuple(normalize(document) for document in ingested)
    report = Report()
    for document in documents:
        report.extend(document.findings)
    return LintResult(documents=documents, unreadable=tuple(unreadable), report=report)
