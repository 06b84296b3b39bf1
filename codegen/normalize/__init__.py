"""Stage 2, normalize: an ordered list of small named repair rules over one ingested document.

Each rule repairs what one document can prove about itself (from its types, examples, defaults,
bounds, prose and shapes; never from a vendor's or a field's name) and records every repair and
every finding it cannot repair. What needs other vendors' evidence is marked for the merge.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from ..ingest.document import IngestedDocument, SourceMap
from ..report import Finding
from .context import RuleContext
from .rules import INGESTED_FACTS, RULES

__all__ = ["RULES", "NormalizedDocument", "Rule", "RuleContext", "normalize"]

Rule = Callable[[RuleContext], None]


class NormalizedDocument(msgspec.Struct, frozen=True):
    """A repaired, still valid OpenAPI 3.1 document, with marks for the merge and its findings."""

    name: str
    vendor: str
    openapi: dict[str, Any]
    source_map: SourceMap
    findings: tuple[Finding, ...]


MERGED_MARK = "x-specgen-merged"


def is_specgen_merged(document: dict[str, Any]) -> bool:
    """specgen's own merged output is normalized by construction; repairing it again would not
    round-trip (e.g. prose bounds the merge deliberately left out of the schema)."""
    info = document.get("info")
    return isinstance(info, dict) and bool(info.get(MERGED_MARK))


def normalize(source: IngestedDocument, *, consume: bool = False) -> NormalizedDocument:
    """The repaired document and every finding. With ``consume`` the rules repair the source's
    own document instead of a copy: for a caller that never reads ``source`` again."""
    rules = () if is_specgen_merged(source.openapi) else RULES
    context = RuleContext.of(
        source, consume=consume, ingested_facts=INGESTED_FACTS if rules else ()
    )
    for rule_id, rule in rules:
        context.rule = rule_id
        rule(context)
    return NormalizedDocument(
        name=source.name,
        vendor=source.vendor,
        openapi=context.document,
        source_map=source.source_map,
        findings=tuple(context.findings),
    )
