"""Placeholder: rule `unknown-shape` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "unknown-shape"


def apply(context: RuleContext) -> None:
    return None
