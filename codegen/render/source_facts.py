"""Facts read from specgen's own runtime files (their ``__all__``, their attribute names), kept
between builds beside the compiled templates and keyed by each file's content hash.

Parsing the runtime's ten modules with ``ast`` is a tenth of a small build, for an answer that
changes only when specgen's files do. Any failure to read or write the store only means parsing
again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from .environment import cache_folder

_STORE_NAME = "specgen-source-facts.json"
_used: set[str] = set()
"""Keys this process asked for: the store keeps only those, so it never outgrows one release."""


@functools.cache
def _store() -> dict[str, list[str]]:
    folder = cache_folder()
    if folder is None:
        return {}
    try:
        loaded = json.loads((folder / _STORE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {
        key: value
        for key, value in loaded.items()
        if isinstance(value, list) and all(isinstance(item, str) for item in value)
    }


def _save(store: dict[str, list[str]]) -> None:
    folder = cache_folder()
    if folder is None:
        return
    target = folder / _STORE_NAME
    partial = folder / f"{_STORE_NAME}.{os.getpid()}"
    try:
        kept = {key: value for key, value in store.items() if key in _used}
        partial.write_text(json.dumps(kept, sort_keys=True), encoding="utf-8")
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)


def remembered_fact(kind: str, path: Path, compute: Callable[[str], list[str]]) -> list[str]:
    """``compute(path's text)``, from the store when this text was seen before."""
    source = path.read_text(encoding="utf-8")
    key = f"{kind}:{hashlib.sha256(source.encode('utf-8')).hexdigest()}"
    store = _store()
    _used.add(key)
    found = store.get(key)
    if found is None:
        found = compute(source)
        store[key] = found
        _save(store)
    return list(found)
