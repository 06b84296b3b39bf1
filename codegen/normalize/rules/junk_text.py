"""Placeholder: rule `junk-text` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "junk-text"


def apply(context: RuleContext) -> None:
    return None
