"""The library API behind the CLI: each stage callable on its own, errors returned as values."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import msgspec

from .errors import SpecgenError
from .ingest import ingest_all
from .ir import MergeResult, merge
from .normalize import NormalizedDocument, normalize
from .report import Report


class Loaded(msgspec.Struct):
    """Normalized documents, the report so far, and the sources that could not be read."""

    documents: list[NormalizedDocument] = msgspec.field(default_factory=list)
    reference: list[NormalizedDocument] = msgspec.field(default_factory=list)
    report: Report = msgspec.field(default_factory=Report)
    unreadable: list[SpecgenError] = msgspec.field(default_factory=list)


def load(
    sources: Sequence[Path], *, vendor: str | None = None, reference: Sequence[Path] = ()
) -> Loaded:
    """Ingest and normalize every source (and reference document); bad ones are collected."""
    loaded = Loaded()
    ingested, loaded.unreadable = ingest_all(sources, vendor=vendor)
    # The ingested documents are read by nothing else: normalize repairs them in place.
    for document in ingested:
        normalized = normalize(document, consume=True)
        loaded.documents.append(normalized)
        loaded.report.extend(normalized.findings)
    references, errors = ingest_all(reference)
    loaded.unreadable.extend(errors)
    for document in references:
        normalized = normalize(document, consume=True)
        loaded.reference.append(normalized)
        loaded.report.extend(normalized.findings)
    return loaded


def merge_loaded(loaded: Loaded) -> MergeResult:
    result = merge(loaded.documents, reference=loaded.reference)
    loaded.report.extend(result.findings)
    return result
