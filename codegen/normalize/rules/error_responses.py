"""Placeholder: rule `assumed-error-envelope` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "assumed-error-envelope"


def apply(context: RuleContext) -> None:
    return None
