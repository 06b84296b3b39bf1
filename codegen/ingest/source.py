"""Reading a vendor document from disk into text, refusing what is not a text document."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import msgspec

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


MAX_SOURCE_BYTES = 16 * 1024 * 1024
"""The largest document read. The biggest published API documents are a few MB (OpenAI's is
0.9 MB and builds in about 3 s); a larger text is refused before it is read, so ingest's time and
memory stay bounded (about a minute and a few hundred MB at this size)."""


class SourceText(msgspec.Struct, frozen=True):
    """A vendor document's text and the path to show in messages."""

    path: str
    text: str
    lines: tuple[str, ...] = ()

    @staticmethod
    def of(path: str, text: str) -> SourceText:
        return SourceText(path=path, text=text, lines=tuple(text.splitlines()))


def read_source(path: Path, display: str | None = None) -> SourceText:
    shown = display or str(path)
    for reads in _RECORDERS:
        reads.append(path)
    try:
        status = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SpecgenError("symbolic link loop, not a document", file=shown) from None
        if exc.errno == errno.ENOENT:
            raise SpecgenError("no such file", file=shown) from None
        raise SpecgenError(f"cannot read: {exc.strerror}", file=shown) from None
    if stat.S_ISDIR(status.st_mode):
        raise SpecgenError("is a directory, not a document", file=shown)
    if not stat.S_ISREG(status.st_mode):  # a FIFO or a device would block or never end
        raise SpecgenError("not a regular file (a pipe or a device?), not read", file=shown)
    if status.st_size > MAX_SOURCE_BYTES:
        raise SpecgenError(
            f"{status.st_size:,} bytes, more than the {MAX_SOURCE_BYTES:,} a document may have; refused",
            file=shown,
        )
    try:
        with path.open("rb") as handle:  # a file that grows while read is still cut at the limit
            raw = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise SpecgenError(f"cannot read: {exc.strerror}", file=shown) from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise SpecgenError(
            f"more than the {MAX_SOURCE_BYTES:,} bytes a document may have; refused", file=shown
        )
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
