"""Placeholder: rule `prose-constraints` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "prose-constraints"


def apply(context: RuleContext) -> None:
    return None
