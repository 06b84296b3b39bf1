"""The ruff gate every generated package goes through reports what ruff's defaults refuse, not
only what the project's own configuration does."""

from __future__ import annotations

from pathlib import Path

from tests._packages import ruff_problems

CLEAN = '''"""A module."""


def double(value: int) -> int:
    return value * 2
'''

# Formatted at 100 columns, as the project's own code is: ruff's default (88) rewraps it.
WIDE = '''"""A module."""


def describe(first: str, second: str, third: str) -> str:
    return ", ".join(part.strip() for part in (first, second, third) if part) or "nothing at all"
'''

# Clean under the project's selection, refused by ruff's default rules (BLE001).
BLIND = '''"""A module."""


def parse(text: str) -> int | None:
    try:
        return int(text)
    except Exception:
        return None
'''


def _write(folder: Path, source: str) -> Path:
    folder.mkdir()
    (folder / "module.py").write_text(source, encoding="utf-8")
    return folder


def test_a_clean_module_passes(tmp_path: Path) -> None:
    assert ruff_problems([_write(tmp_path / "clean", CLEAN)]) == []


def test_a_module_wider_than_ruffs_default_fails_the_format_check(tmp_path: Path) -> None:
    problems = ruff_problems([_write(tmp_path / "wide", WIDE)])
    assert [problem.split(":")[0] for problem in problems] == ["ruff format --check"]


def test_a_blind_except_fails_the_default_rules(tmp_path: Path) -> None:
    problems = ruff_problems([_write(tmp_path / "blind", BLIND)])
    assert len(problems) == 1 and "BLE001" in problems[0], problems
