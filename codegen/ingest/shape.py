"""The one test a document must pass to be read at all: it describes at least one operation.

Everything else a vendor gets wrong is evidence to repair or quarantine; a document with no
operation is not an API description, and building from it would only produce guesses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import SpecgenError
from ..openapi_walk import iter_operations


def count_operations(document: Mapping[str, Any]) -> int:
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        return 0
    return sum(1 for _ in iter_operations(dict(document)))


def require_operations(
    document: Mapping[str, Any], *, file: str, lines: Mapping[str, int], after: str = ""
) -> None:
    """Refuse, in one line naming the file and line, a document that describes no operation."""
    if count_operations(document):
        return
    paths = document.get("paths")
    if not isinstance(paths, Mapping):
        what = "it has no paths" if paths is None else "its paths are not a mapping"
        line = lines.get("/paths", lines.get("", 1))
    elif not paths:
        what, line = "its paths are empty", lines.get("/paths", 1)
    else:
        what, line = "no path has an HTTP method", lines.get("/paths", 1)
    raise SpecgenError(
        f"not an API description: no operations ({what}{after})", file=file, line=line
    )
