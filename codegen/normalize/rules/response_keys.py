"""Placeholder: rule `non-status-response-key` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "non-status-response-key"


def apply(context: RuleContext) -> None:
    return None
