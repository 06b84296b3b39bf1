"""The ordered repair rules. Order matters: noise goes first, shapes are judged last."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..context import RuleContext
from . import (
    error_responses,
    error_union,
    junk_text,
    null_branches,
    null_only,
    numbers,
    operation_ids,
    prose_constraints,
    quarantined,
    required,
    response_keys,
    security,
    stream_response,
    tool_noise,
    unknown_shape,
    unreferenced_chunk,
)

_ORDER = (
    tool_noise,
    security,
    null_branches,
    quarantined,
    operation_ids,
    response_keys,
    stream_response,
    unreferenced_chunk,
    error_union,
    error_responses,
    junk_text,
    prose_constraints,
    numbers,
    null_only,
    required,
    unknown_shape,
)
RULES: tuple[tuple[str, Callable[[RuleContext], None]], ...] = tuple(
    (module.RULE_ID, module.apply) for module in _ORDER
)
SHAPE_KEEPING: frozenset[str] = frozenset(
    module.RULE_ID for module in _ORDER if getattr(module, "KEEPS_SHAPE", False)
)
"""Rules whose changes only touch keywords that hold no schema (``type``, ``required``, ``enum``,
bounds, prose, marks): after them the document's schema index still holds. A rule that may add,
remove or replace a schema, or anything on the way to one, is left out."""
INGESTED_FACTS: tuple[Callable[[dict[str, Any]], Any], ...] = (tool_noise.design_tools,)
"""What rules read of the document as ingested (``RuleContext.of_ingested``), computed before the
first rule: a build's normalize repairs the ingested document itself, not a copy."""
