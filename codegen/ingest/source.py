"""Reading a vendor document from disk into text, refusing what is not a text document."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpecgenError

_RECORDERS: list[list[Path]] = []


@contextlib.contextmanager
def recording_reads() -> Iterator[list[Path]]:
    """Collects every file ``read_source`` reads meanwhile (a build cache must know them all,
    bundled ``$ref`` targets included)."""
    reads: list[Path] = []
    _RECORDERS.append(reads)
    try:
        yield reads
    finally:
        _RECORDERS.remove(reads)


@dataclass(frozen=True)
class SourceText:
    """A vendor document's text and the path to show in messages."""

    path: str
    text: str
    lines: tuple[str, ...] = field(default=())

    @staticmethod
    def of(path: str, text: str) -> SourceText:
        return SourceText(path=path, text=text, lines=tuple(text.splitlines()))


def read_source(path: Path, display: str | None = None) -> SourceText:
    shown = display or str(path)
    for reads in _RECORDERS:
        reads.append(path)
    if not path.exists():
        raise SpecgenError("no such file", file=shown)
    if path.is_dir():
        raise SpecgenError("is a directory, not a document", file=shown)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecgenError(f"cannot read: {exc.strerror}", file=shown) from None
    if not raw.strip():
        raise SpecgenError("empty file", file=shown, line=1)
    if b"\x00" in raw[:8192]:
        raise SpecgenError("binary file, not a text document", file=shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecgenError("not UTF-8 text (binary file?)", file=shown, line=line) from None
    return SourceText.of(shown, text.replace("\r\n", "\n").replace("\r", "\n"))
