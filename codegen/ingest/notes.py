"""What ingest itself has to say about a document: each upgrade move and each tolerated defect.

Ingest never corrects a vendor, but it does change how things are said (Swagger 2.0 becomes
OpenAPI 3.1, a duplicate YAML key keeps its last value, a validator complaint moves a node into
quarantine). Each such step is an ``IngestNote`` with a pointer into the vendor's own document, so
the report can name the vendor's line; normalize turns the notes into findings.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

NoteLevel = Literal["repair", "warning"]


class IngestNote(msgspec.Struct, frozen=True):
    """One step ingest took: ``pointer`` is in the document as the vendor wrote it."""

    rule: str
    pointer: str
    message: str
    level: NoteLevel = "repair"
    before: Any = None
    after: Any = None
    evidence: str | None = None
    line: int | None = None
    """The source line, when the reader knew it better than the pointer map does."""

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rule": self.rule, "pointer": self.pointer, "message": self.message}
        if self.level != "repair":
            data["level"] = self.level
        for key in ("before", "after", "evidence", "line"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    @staticmethod
    def from_data(data: Any) -> IngestNote | None:
        """Read a note back from an ingested document's ``x-source`` block; None if malformed."""
        if not isinstance(data, dict):
            return None
        rule, pointer, message = data.get("rule"), data.get("pointer"), data.get("message")
        if not (isinstance(rule, str) and isinstance(pointer, str) and isinstance(message, str)):
            return None
        level = data.get("level", "repair")
        line = data.get("line")
        evidence = data.get("evidence")
        return IngestNote(
            rule=rule,
            pointer=pointer,
            message=message,
            level="warning" if level == "warning" else "repair",
            before=data.get("before"),
            after=data.get("after"),
            evidence=evidence if isinstance(evidence, str) else None,
            line=line if isinstance(line, int) and not isinstance(line, bool) else None,
        )
