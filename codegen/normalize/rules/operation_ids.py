"""Placeholder: rule `generated-operation-id` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "generated-operation-id"


def apply(context: RuleContext) -> None:
    return None
