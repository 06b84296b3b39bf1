"""Small text helpers every docs-page reader shares: words, name keys, values as written."""

from __future__ import annotations

import re
from typing import Any

NUMBER = r"-?\d+(?:\.\d+)?"


def word_list(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def name_key(text: str) -> str:
    """A name reduced to lowercase letters and digits, so ``tool_calls`` meets ``Tool Calls``."""
    return "".join(word_list(text))


def singulars(key: str) -> set[str]:
    forms = {key}
    if key.endswith("ies"):
        forms.add(key[:-3] + "y")
    if key.endswith("es"):
        forms.add(key[:-2])
    if key.endswith("s"):
        forms.add(key[:-1])
    return forms


def plain(cell: str) -> str:
    """A cell without the markdown emphasis and code marks around it."""
    return cell.replace("`", "").strip().strip("*_").strip()


def scalar(text: str) -> Any:
    """A value as the page writes it: numbers, booleans and null as JSON, anything else a string."""
    value = text.strip()
    if len(value) >= 2 and value[0] == value[-1] == "`":
        return scalar(value[1:-1])
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(NUMBER, value):
        return float(value)
    lowered = value.lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    if lowered in {"null", "none"}:
        return None
    return value


def number(text: str) -> int | float:
    return int(text) if re.fullmatch(r"-?\d+", text) else float(text)


def distinct(items: list[Any]) -> list[Any]:
    """``items`` without repeats, in first-seen order (schemas are dicts, so no set will do)."""
    kept: list[Any] = []
    for item in items:
        if item not in kept:
            kept.append(item)
    return kept
