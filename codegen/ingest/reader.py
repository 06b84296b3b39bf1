"""What every reader returns, and the contract a reader module keeps."""

from __future__ import annotations

from typing import Any, Protocol

import msgspec

from .notes import IngestNote
from .source import SourceText


class ReaderOutput(msgspec.Struct, frozen=True):
    """An OpenAPI document (Swagger 2.0, 3.0 or 3.1) as the vendor's text says it, pointer -> source
    line, and what the reader had to tolerate to read it."""

    document: dict[str, Any]
    lines: dict[str, int] = msgspec.field(default_factory=dict)
    notes: tuple[IngestNote, ...] = ()


class Reader(Protocol):
    """A reader module: ``NAME``, ``claims(source)`` (cheap sniff) and ``read(source)``."""

    NAME: str

    def claims(self, source: SourceText) -> bool: ...

    def read(self, source: SourceText) -> ReaderOutput: ...
