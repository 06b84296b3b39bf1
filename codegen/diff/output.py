"""Reports of a list of changes: a summary line, text lines, a markdown table, JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

from .change import Change, sorted_changes

NONE = "—"
"""How a report shows a side where the thing did not exist."""

JSON_KEYS = (
    "breaking",
    "kind",
    "operation",
    "vendor",
    "place",
    "what",
    "before",
    "after",
    "reason",
)
"""The keys of every JSON object, in this order."""


def summary_line(changes: Sequence[Change]) -> str:
    """``3 API changes, 1 breaking`` (or ``no API changes``)."""
    if not changes:
        return "no API changes"
    breaking = sum(change.breaking for change in changes)
    noun = "change" if len(changes) == 1 else "changes"
    return f"{len(changes)} API {noun}, {breaking} breaking"


def _groups(changes: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    ordered = sorted_changes(list(changes))
    return [(group, list(items)) for group, items in groupby(ordered, key=lambda c: c.group)]


def _sides(change: Change) -> str:
    """``before → after``, or nothing when neither side has a value to show."""
    if change.before is None and change.after is None:
        return ""
    return f", {change.before or NONE} → {change.after or NONE}"


def _vendor_note(change: Change) -> str:
    """The vendor, where the group heading does not already say it."""
    return f" [vendor {change.vendor}]" if change.vendor and change.operation else ""


def to_text(changes: Sequence[Change]) -> str:
    """One line per change under a heading per operation or vendor, then the summary line."""
    lines: list[str] = []
    for group, items in _groups(changes):
        lines.append(group)
        for change in items:
            verdict = "BREAKING" if change.breaking else "ok"
            where = f"{change.place}: " if change.place else ""
            lines.append(
                f"  {verdict:<8} {where}{change.what}{_sides(change)}"
                f"{_vendor_note(change)} ({change.reason})"
            )
    lines.append(summary_line(changes))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(changes: Sequence[Change]) -> str:
    """A table per operation or vendor under a heading, then the summary line in bold."""
    lines: list[str] = []
    for group, items in _groups(changes):
        lines += [f"### {_cell(group)}", ""]
        lines += ["| | place | change | before | after | vendor | why |", "| --- " * 7 + "|"]
        for change in items:
            cells = (
                "**breaking**" if change.breaking else "ok",
                f"`{change.place}`" if change.place else "",
                change.what,
                change.before or NONE,
                change.after or NONE,
                change.vendor or "",
                change.reason,
            )
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        lines.append("")
    lines.append(f"**{summary_line(changes)}**")
    return "\n".join(lines) + "\n"


def to_data(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """The changes as plain objects with the keys of ``JSON_KEYS``, in report order."""
    return [
        {key: getattr(change, key) for key in JSON_KEYS} for change in sorted_changes(list(changes))
    ]


def to_json(changes: Sequence[Change]) -> str:
    """The changes as a JSON list, in report order."""
    return json.dumps(to_data(changes), indent=2, ensure_ascii=False) + "\n"
