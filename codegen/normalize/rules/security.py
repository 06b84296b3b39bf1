"""Placeholder: rule `security-schemes` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "security-schemes"


def apply(context: RuleContext) -> None:
    return None
