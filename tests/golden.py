"""Golden files: expected output committed under tests/goldens/, so a change shows as a diff.

Refresh them all with one command: ``SPECGEN_UPDATE_GOLDENS=1 python -m pytest``.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDENS = Path(__file__).parent / "goldens"
UPDATE = os.environ.get("SPECGEN_UPDATE_GOLDENS") == "1"


def assert_golden(name: str, actual: str) -> None:
    """Compare ``actual`` with tests/goldens/<name>; with SPECGEN_UPDATE_GOLDENS=1, rewrite it."""
    path = GOLDENS / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"golden {name} missing: run SPECGEN_UPDATE_GOLDENS=1 python -m pytest"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"output differs from tests/goldens/{name}; if the change is intended, refresh with "
        "SPECGEN_UPDATE_GOLDENS=1 python -m pytest and review the diff"
    )
