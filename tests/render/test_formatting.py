"""ruff formats the rendered files, in the background where the build asks; a file it cannot
format is named, and nothing is left behind."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from codegen.errors import SpecgenError
from codegen.render.formatting import PendingFormat, format_all


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("specgen-format-*")}


def test_a_background_run_formats_while_the_caller_works() -> None:
    before = _leftovers()
    pending = PendingFormat({"a.py": "x  =  1\n", "sub/b.py": "def f( ):\n  return 1\n"})
    other = format_all({"c.py": "y=2\n"})  # the caller's own work meanwhile
    assert other == {"c.py": "y = 2\n"}
    assert pending.result() == {"a.py": "x = 1\n", "sub/b.py": "def f():\n    return 1\n"}
    assert _leftovers() == before


def test_a_file_ruff_cannot_format_is_named() -> None:
    before = _leftovers()
    pending = PendingFormat({"good.py": "x = 1\n", "broken.py": "def f(:\n"})
    with pytest.raises(SpecgenError) as raised:
        pending.result()
    assert raised.value.file == "broken.py"
    assert "ruff could not format" in raised.value.message
    assert _leftovers() == before


def test_formatting_leaves_nothing_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ruff keeps a .ruff_cache in the folder it runs from unless told not to."""
    monkeypatch.chdir(tmp_path)
    assert format_all({"m.py": "x  =  1\n"}) == {"m.py": "x = 1\n"}
    assert list(tmp_path.iterdir()) == []
