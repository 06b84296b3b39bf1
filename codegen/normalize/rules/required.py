"""Placeholder: rule `over-strict-required` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "over-strict-required"


def apply(context: RuleContext) -> None:
    return None
