"""Imports as data: what a generated module needs, collected while its names are computed.

Templates never write an import; they print `Imports.lines()`, ordered the way ruff's isort rule
wants (future, standard library, third party, relative; straight imports before from-imports).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

import msgspec


def _section(module: str) -> int:
    if module == "__future__":
        return 0
    if module.startswith("."):
        return 3
    if module.split(".")[0] in sys.stdlib_module_names:
        return 1
    return 2


def export_order(names: Iterable[str]) -> list[str]:
    """Names sorted as ruff sorts ``__all__`` (RUF022): CONSTANTS, Classes, others, each in
    natural order, case-sensitive."""
    return sorted(set(names), key=lambda name: (_kind(name), _natural(name)))


def _name_key(
    name: str,
) -> tuple[int, tuple[tuple[int, int | str], ...], tuple[tuple[int, int | str], ...]]:
    """Imported names as ruff's isort sorts them: by kind, then natural order ignoring case."""
    return (_kind(name), _natural(name.lower()), _natural(name))


def _kind(name: str) -> int:
    # isort's order-by-type: CONSTANTS, then Classes, then functions and variables.
    if name.isupper() and len(name) > 1:
        return 0
    if name[:1].isupper():
        return 1
    return 2


_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """``Item2`` before ``Item10``: digit runs compare as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(text) if part
    )


def _module_key(module: str) -> tuple[int, tuple[tuple[int, int | str], ...]]:
    # Relative imports go furthest first (`..x` before `.x`), then by name in natural order
    # ignoring case, as ruff's isort compares them (`._2` before `._10`).
    dots = len(module) - len(module.lstrip("."))
    return (-dots, _natural(module.lstrip(".").lower()))


class Imports(msgspec.Struct):
    """The imports of one module: ``from module import name`` pairs and plain ``import module``."""

    names: dict[str, set[str]] = msgspec.field(default_factory=dict)
    modules: set[str] = msgspec.field(default_factory=set)

    def add(self, module: str, *names: str) -> None:
        """Record ``from module import names`` (or ``import module`` when no names are given)."""
        if not names:
            self.modules.add(module)
            return
        self.names.setdefault(module, set()).update(names)

    def update(self, other: Imports) -> None:
        for module, names in other.names.items():
            self.add(module, *names)
        self.modules.update(other.modules)

    def sections(self) -> list[list[str]]:
        """Import lines grouped by section, each section in isort order; empty sections dropped."""
        grouped: list[list[str]] = [[], [], [], []]
        for module in sorted(self.modules, key=_module_key):
            grouped[_section(module)].append(f"import {module}")
        for module in sorted(self.names, key=_module_key):
            names = ", ".join(sorted(self.names[module], key=_name_key))
            grouped[_section(module)].append(f"from {module} import {names}")
        return [section for section in grouped if section]

    def lines(self) -> str:
        """The import block: sections separated by a blank line."""
        return "\n\n".join("\n".join(section) for section in self.sections())
