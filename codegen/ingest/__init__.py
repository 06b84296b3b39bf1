"""Stage 1, ingest: any vendor document in, one unrepaired OpenAPI 3.1 document with a source map out.

Readers are chosen by content, never by file extension; each is a module of its own.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec

from ..errors import SpecgenError
from .document import SOURCE_EXTENSION, IngestedDocument, SourceMap, content_hash, sha256_text
from .notes import IngestNote
from .quarantine import quarantine_invalid
from .references import bundle_references
from .shape import require_operations
from .source import SourceText, read_source
from .swagger2 import upgrade_swagger2
from .upgrade import remap_lines, upgrade_to_31, upgrade_with_notes

__all__ = ["IngestedDocument", "SourceMap", "document_name", "ingest_path", "ingest_text"]

READERS: tuple[str, ...] = (
    "openapi_reader",
    "markdown_reader",
    "flat_text_reader",
    "docs_page_reader",
)
"""Reader modules in the order they are asked; each is imported only when the ones before it
decline, so reading an OpenAPI file never loads the markdown readers (a sixth of a small build)."""


def reader_module(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")


def document_name(path: str) -> str:
    """``specs/sources/deepseek.openapi.md`` -> ``deepseek.openapi`` (the last suffix goes)."""
    base = os.path.basename(path)
    stem, dot, _suffix = base.rpartition(".")
    return stem if dot and stem else base


def vendor_of(name: str) -> str:
    return name.split(".", 1)[0]


def choose_reader(source: SourceText) -> ModuleType:
    for name in READERS:
        reader = reader_module(name)
        if reader.claims(source):
            return reader
    raise SpecgenError(
        "not a document any reader recognises (OpenAPI, markdown reference page, flattened docs page)",
        file=source.path,
        line=1,
    )


def _from_ingested(
    document: dict[str, Any], source: SourceText
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split an already-ingested document into its OpenAPI part and its ``x-source`` block."""
    block = document.pop(SOURCE_EXTENSION)
    if not isinstance(block, dict) or not isinstance(block.get("lines"), dict):
        raise SpecgenError(f"malformed {SOURCE_EXTENSION} block", file=source.path)
    return document, block


def _with_lines(notes: Sequence[IngestNote], lines: Mapping[str, int]) -> list[IngestNote]:
    """Notes with the vendor's line filled in from the line map of the document they name."""
    source_map = SourceMap(file="", lines=lines)
    return [
        note
        if note.line is not None
        else msgspec.structs.replace(note, line=source_map.line_for(note.pointer))
        for note in notes
    ]


def _as_openapi_31(
    document: dict[str, Any], lines: dict[str, int], source: SourceText
) -> tuple[dict[str, Any], dict[str, int], list[IngestNote]]:
    """Any supported version in, OpenAPI 3.1 out, with a note for each move that was a repair."""
    notes: list[IngestNote] = []
    if str(document.get("swagger", "")) == "2.0":
        document, upgraded_lines, moves = upgrade_swagger2(document, lines)
        notes.extend(_with_lines(moves, lines))
        lines = upgraded_lines
    document, upgraded_lines, leftovers = upgrade_with_notes(document, lines, in_place=True)
    notes.extend(_with_lines(leftovers, upgraded_lines))
    document, references, renamed = bundle_references(document, source.path)
    notes.extend(_with_lines(references, upgraded_lines))
    return document, remap_lines(upgraded_lines, renamed), notes


def ingest_text(
    source: SourceText, *, vendor: str | None = None, name: str | None = None
) -> IngestedDocument:
    """Ingest one document's text; raise SpecgenError with file and line when it cannot be read."""
    reader = choose_reader(source)
    output = reader.read(source)
    document = dict(output.document)
    doc_name = name or document_name(source.path)
    notes = _with_lines(output.notes, output.lines)
    if SOURCE_EXTENSION in document:
        document, block = _from_ingested(document, source)
        folder = os.path.dirname(source.path)
        file = str(block.get("file", source.path))
        if not os.path.isabs(file):
            file = os.path.normpath(os.path.join(folder, file))
        recorded = {str(k): int(v) for k, v in block["lines"].items()}
        reader_name = str(block.get("reader", reader.NAME))
        digest = str(block.get("sha256", sha256_text(source.text)))
        doc_vendor = vendor or str(block.get("vendor") or vendor_of(doc_name))
        notes = [n for n in map(IngestNote.from_data, block.get("notes") or []) if n is not None]
        validated = block.get("validated")
        document, lines = upgrade_to_31(document, recorded, in_place=True)
    else:
        file = source.path
        reader_name = reader.NAME
        digest = sha256_text(source.text)
        doc_vendor = vendor or vendor_of(doc_name)
        validated = None
        document, lines, moves = _as_openapi_31(document, output.lines, source)
        notes.extend(moves)
    require_operations(document, file=source.path, lines=lines)
    # A vendor's own document has no record of a validation: no hash to compare it with.
    if validated is None or validated != content_hash(document):
        try:
            document = quarantine_invalid(document, file=source.path)
        except RecursionError:
            raise SpecgenError(
                "nested too deeply to validate", file=source.path, line=lines.get("", 1)
            ) from None
        # Quarantine may have set aside every operation (a path it cannot read, say).
        require_operations(
            document, file=source.path, lines=lines, after=" once quarantined nodes are left out"
        )
    return IngestedDocument(
        name=doc_name,
        vendor=doc_vendor,
        reader=reader_name,
        openapi=document,
        source_map=SourceMap(file=file, lines=lines),
        sha256=digest,
        notes=tuple(notes),
    )


def ingest_path(
    path: Path, *, vendor: str | None = None, display: str | None = None
) -> IngestedDocument:
    source = read_source(path, display)
    return ingest_text(source, vendor=vendor)


def ingest_all(
    paths: Sequence[Path], *, vendor: str | None = None
) -> tuple[list[IngestedDocument], list[SpecgenError]]:
    """Ingest every path; a bad one is reported and the others still go through."""
    documents: list[IngestedDocument] = []
    errors: list[SpecgenError] = []
    for path in paths:
        try:
            documents.append(ingest_path(path, vendor=vendor))
        except SpecgenError as error:
            errors.append(error)
    return documents, errors
