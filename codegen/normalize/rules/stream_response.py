"""Placeholder: rule `chunk-described-as-response` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "chunk-described-as-response"


def apply(context: RuleContext) -> None:
    return None
