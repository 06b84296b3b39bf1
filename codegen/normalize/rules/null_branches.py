"""Rule overlapping-null-branches: in a ``oneOf``, only one branch may admit null.

A 3.0 document that lists ``{type: null}`` beside a ``nullable: true`` branch says "null" twice;
once upgraded, a null matches two branches of a ``oneOf`` and is therefore invalid, which no
vendor meant (the openai document's ``stop`` default is null and fails its own schema). The null
stays on the branch that is only null, or on the first that admits it, and leaves the others.
"""

from __future__ import annotations

from typing import Any

from ...jsonpointer import join
from ..context import RuleContext

RULE_ID = "overlapping-null-branches"
KEEPS_SHAPE = True  # changes only keywords that hold no schema (see rules.SHAPE_KEEPING)


def _admits_null_by_type(branch: Any) -> bool:
    kind = branch.get("type") if isinstance(branch, dict) else None
    return kind == "null" or (isinstance(kind, list) and "null" in kind)


def _only_null(branch: Any) -> bool:
    kind = branch.get("type") if isinstance(branch, dict) else None
    return kind == "null" or kind == ["null"]


def apply(context: RuleContext) -> None:
    for pointer, schema in context.schemas():
        branches = schema.get("oneOf")
        if not isinstance(branches, list):
            continue
        nullable = [i for i, branch in enumerate(branches) if _admits_null_by_type(branch)]
        if len(nullable) < 2:
            continue
        keeper = next((i for i in nullable if _only_null(branches[i])), nullable[0])
        for index in nullable:
            branch = branches[index]
            if index == keeper or not isinstance(branch.get("type"), list):
                continue
            before = list(branch["type"])
            after = [kind for kind in before if kind != "null"]
            branch["type"] = after[0] if len(after) == 1 else after
            context.repair(
                join(pointer, "oneOf", index, "type"),
                "null is left to one branch of the oneOf",
                before=before,
                after=branch["type"],
                evidence=f"branch {keeper} of this oneOf admits null already; a null matching "
                "two branches of a oneOf would be invalid",
            )
