"""What every reader returns, and the contract a reader module keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from .source import SourceText


@dataclass(frozen=True)
class ReaderOutput:
    """An OpenAPI 3.0 or 3.1 document as the vendor's text says it, and pointer -> source line."""

    document: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)


class Reader(Protocol):
    """A reader module: ``NAME``, ``claims(source)`` (cheap sniff) and ``read(source)``."""

    NAME: str

    def claims(self, source: SourceText) -> bool: ...

    def read(self, source: SourceText) -> ReaderOutput: ...
