"""Placeholder: rule `errors-in-success-union` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "errors-in-success-union"


def apply(context: RuleContext) -> None:
    return None
