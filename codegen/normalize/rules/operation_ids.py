"""Rule generated-operation-id: a stable operation id from method and path where the document's is
absent, an internal qualified name, or a verb that contradicts the HTTP method.
"""

from __future__ import annotations

import re
from typing import Any

from ...jsonpointer import join
from ...openapi_walk import iter_operations
from ..context import RuleContext

RULE_ID = "generated-operation-id"
KEEPS_SHAPE = True  # changes only keywords that hold no schema (see rules.SHAPE_KEEPING)

# The verb an id starts with, and the methods that verb can honestly describe. POST is the
# catch-all of RPC-style APIs, so only verbs that name another method contradict it.
_VERB_METHODS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("get", "list", "fetch", "retrieve", "read"), frozenset({"get", "head"})),
    **dict.fromkeys(("create", "add", "post", "new"), frozenset({"post", "put"})),
    **dict.fromkeys(("update", "modify", "edit", "patch"), frozenset({"put", "patch", "post"})),
    **dict.fromkeys(("replace", "put"), frozenset({"put"})),
    **dict.fromkeys(("delete", "remove", "destroy"), frozenset({"delete", "post"})),
}
_METHOD_VERBS = {
    "post": "create",
    "put": "replace",
    "patch": "update",
    "delete": "delete",
    "head": "head",
    "options": "options",
    "trace": "trace",
}

_QUALIFIED = re.compile(r"[./:\\\s#]")
_VERSION_SEGMENT = re.compile(r"^v\d+([a-z]+\d*)?$", re.IGNORECASE)
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(name: str) -> list[str]:
    """``getModel_response-v2`` -> ["get", "model", "response", "v", "2"], lower case."""
    return [word.lower() for word in _WORDS.findall(name)]


def singular(word: str) -> str:
    """English singular of a path noun, by the regular rules (completions -> completion)."""
    lower = word.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if re.search(r"(ss|sh|ch|x|z)es$", lower):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 3:
        return word[:-1]
    return word


def _static_segments(path: str) -> list[str]:
    return [
        segment
        for segment in path.strip("/").split("/")
        if segment and not segment.startswith("{") and not _VERSION_SEGMENT.match(segment)
    ]


def generated_id(method: str, path: str, *, depth: int = 2) -> str:
    """createChatCompletion for POST /v1/chat/completions: the method's verb and the last
    ``depth`` static path segments, the last one singular (plural for a GET of a collection)."""
    segments = _static_segments(path)[-depth:] if depth else _static_segments(path)
    ends_in_parameter = path.rstrip("/").endswith("}")
    if method == "get":
        verb = "retrieve" if ends_in_parameter else "list"
    else:
        verb = _METHOD_VERBS.get(method, method)
    nouns = [word for segment in segments for word in words(segment)]
    if nouns and not (method == "get" and not ends_in_parameter):
        nouns[-1] = singular(nouns[-1])
    return verb + "".join(noun.capitalize() for noun in nouns)


def _defect(operation_id: Any, method: str) -> str | None:
    """What is wrong with an existing id, or None when it can stay."""
    if not isinstance(operation_id, str) or not operation_id.strip():
        return "the operation has no id"
    if _QUALIFIED.search(operation_id):
        return f"{operation_id!r} is a qualified internal name, not an operation id"
    found = words(operation_id)
    verb = found[0] if found else ""
    if verb in _VERB_METHODS and method not in _VERB_METHODS[verb]:
        return f"{operation_id!r} starts with the verb {verb!r}, which contradicts {method.upper()}"
    return None


def apply(context: RuleContext) -> None:
    operations = list(iter_operations(context.document))
    taken = {
        op["operationId"]
        for _, _, method, op in operations
        if _defect(op.get("operationId"), method) is None
    }
    for pointer, path, method, operation in operations:
        old = operation.get("operationId")
        reason = _defect(old, method)
        if reason is None:
            continue
        new = generated_id(method, path)
        if new in taken:
            # Two operations end in the same two segments: the whole path tells them apart.
            new = generated_id(method, path, depth=0)
        if new in taken:
            context.warn(
                join(pointer, "operationId"),
                f"cannot generate a unique operation id ({new} is taken)",
                evidence=reason,
            )
            continue
        taken.add(new)
        operation["operationId"] = new
        context.repair(
            join(pointer, "operationId"),
            f"operation id {new} generated from method and path",
            before=old,
            after=new,
            evidence=f"{reason}; generated from {method.upper()} {path}",
        )
