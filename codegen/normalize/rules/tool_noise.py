"""Placeholder: rule `drop-tool-noise` is being written."""

from __future__ import annotations

from ..context import RuleContext

RULE_ID = "drop-tool-noise"


def apply(context: RuleContext) -> None:
    return None
