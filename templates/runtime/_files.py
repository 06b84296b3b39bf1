"""Upload values (bytes, paths, file objects, named tuples) turned into bytes and a filename."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["file_part", "read_file_content"]

DEFAULT_FILENAME = "upload"
"""The filename of a part whose content has no name of its own (httpx's choice as well)."""


def read_file_content(value: object) -> tuple[bytes, str | None]:
    """The bytes of one FileContent and the filename it implies (None for bare bytes).

    Read up front, not streamed: a retried request must send the same bytes again, which a
    half-read file object could not, and the async client cannot stream a blocking file.
    """
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value), None
    if isinstance(value, os.PathLike):
        path = Path(os.fsdecode(value))
        return path.read_bytes(), path.name
    read = getattr(value, "read", None)
    if callable(read):
        data = read()
        if not isinstance(data, bytes):
            raise TypeError("a file to upload must be opened in binary mode ('rb')")
        name = getattr(value, "name", None)
        return data, Path(name).name if isinstance(name, str) and name else None
    raise TypeError(
        f"cannot upload a {type(value).__name__}: pass bytes, a path or a binary file object"
    )


def file_part(value: object) -> tuple[str, bytes, str | None]:
    """(filename, bytes, mime type or None) of one multipart file value, for httpx `files=`.

    The value is a FileContent, or a (filename, content) or (filename, content, mime) tuple.
    A None mime type lets httpx guess it from the filename.
    """
    if isinstance(value, tuple):
        if len(value) not in (2, 3) or not isinstance(value[0], str):
            raise TypeError(
                "a file tuple is (filename, content) or (filename, content, mime)"
            )
        mime = value[2] if len(value) == 3 else None
        if mime is not None and not isinstance(mime, str):
            raise TypeError("the mime type of a file tuple must be a str or None")
        data, _ = read_file_content(value[1])
        return value[0], data, mime
    data, name = read_file_content(value)
    return name or DEFAULT_FILENAME, data, None
