"""Placeholder: rule `null-only-field` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "null-only-field"


def apply(context: RuleContext) -> None:
    return None
