"""Parsing a build's documents on the second core while the first imports the pipeline.

A build's first 0.1-0.2 s goes to importing specgen's stages, before any document is read; the
documents' YAML is then parsed on one core while the other idles. ``start`` forks a child at
once that reads each document, runs the reader it would get, and records every text the reader
parsed (``record``, called by ``ingest.yaml_lines.parse_with_lines``); the parent imports meanwhile,
and its own ``parse_with_lines`` takes each recorded result (``take``) instead of parsing the
same text again. The child sends the results as marshal data: plain dicts, lists and scalars, in
their order, with shared nodes still shared.

Only what the child parsed without error is sent: a document that fails is parsed again by the
parent, which reports the failure as it always does. Where there is no ``fork``, or the child
sends nothing readable, the parent parses everything itself; the result is the same either way.
Only the ``specgen`` program starts a child (``cli.run``), never a library call: a process
with threads (a test runner's) must not fork.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Result = tuple[Any, dict[str, int], tuple[tuple[str, int, int], ...], tuple[int, ...]]
"""A parse as data: (data, pointer -> line, duplicate keys as (pointer, first, line), tab lines)."""

_allowed = False
"""Set by ``allow``: only the program forks."""
_child: tuple[int, int] | None = None
"""(pid, read end of its pipe) while a child's results are not collected."""
_taken: dict[tuple[str, int], Result] = {}
_recorded: list[tuple[str, int, Result]] | None = None
"""In the child: every text parsed so far, with its first line and result."""


def allow() -> None:
    """Let ``start`` fork: called by the ``specgen`` program, single-threaded at its start."""
    global _allowed
    _allowed = True


def start(paths: Sequence[Path]) -> None:
    """Fork a child parsing ``paths`` as ingest will, where allowed and none is running."""
    global _child
    if not _allowed or _child is not None or _recorded is not None or not hasattr(os, "fork"):
        return
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return
    if pid == 0:  # pragma: no cover - the child process, measured through the program's tests
        os.close(read_end)
        try:
            payload = marshal.dumps(_parse_all(paths))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)  # the parent's exit handlers and buffered output are not the child's
    os.close(write_end)
    _child = (pid, read_end)


def _parse_all(paths: Sequence[Path]) -> list[tuple[str, int, Result]]:
    global _recorded
    _recorded = []
    from .ingest import choose_reader
    from .ingest.source import read_source

    for path in paths:
        try:
            source = read_source(path)
            choose_reader(source).read(source)
        except Exception:  # the parent meets the same failure and reports it
            continue
    return _recorded


def recording() -> bool:
    """Whether this process is a parse-ahead child (whose parses are ``record``-ed)."""
    return _recorded is not None


def record(text: str, first_line: int, result: Result) -> None:
    """In the child, keep ``result`` as the parse of ``text``."""
    if _recorded is not None:
        _recorded.append((text, first_line, result))


def take(text: str, first_line: int) -> Result | None:
    """The child's parse of ``text`` (at ``first_line``), once; None where it made none."""
    if _child is not None:
        _collect()
    if not _taken:
        return None
    return _taken.pop((text, first_line), None)


def _collect() -> None:
    """Wait for the child's results; any that cannot be read are left to the parent to parse."""
    global _child
    assert _child is not None
    pid, read_end = _child
    _child = None
    chunks = []
    with os.fdopen(read_end, "rb") as pipe:
        while chunk := pipe.read(1 << 20):
            chunks.append(chunk)
    os.waitpid(pid, 0)
    try:
        results = marshal.loads(b"".join(chunks))
    except (EOFError, ValueError, TypeError):  # the child died mid-write: parse here
        return
    for text, first_line, result in results:
        _taken.setdefault((text, first_line), result)
