"""Placeholder: rule `integer-with-fractional-evidence` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "integer-with-fractional-evidence"


def apply(context: RuleContext) -> None:
    return None
