"""Rule assumed-error-envelope: an error response documented without a body schema (only a
description, or a bare ``{type: object}``) gets the standard error envelope, marked as assumed.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ...jsonpointer import join, resolve
from ...openapi_walk import iter_operations
from ..context import RuleContext
from ..marks import ASSUMED

RULE_ID = "assumed-error-envelope"

JSON = "application/json"
ERROR_ENVELOPE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "integer", "null"]},
            },
        },
    },
    "required": ["error"],
}

_ERROR_STATUS = re.compile(r"^[45](?:\d\d|XX)$")
_JSON_MEDIA = re.compile(r"^application/(?:[\w.+-]*\+)?json\b", re.I)
# Keywords that say something about a body beyond "it is an object".
_INFORMATIVE = frozenset(
    {
        "properties",
        "patternProperties",
        "additionalProperties",
        "allOf",
        "anyOf",
        "oneOf",
        "$ref",
        "items",
        "enum",
        "const",
        "required",
        "examples",
        "example",
        "not",
        "if",
        "discriminator",
    }
)


def _is_bare(schema: Any) -> bool:
    """``{}`` or ``{type: object}`` (with prose at most): a body nobody described."""
    if not isinstance(schema, dict):
        return schema is None
    kind = schema.get("type", "object")
    if kind not in ("object", ["object"]):
        return False
    return not any(key in schema for key in _INFORMATIVE)


def _bare_json_media(response: dict[str, Any]) -> tuple[str, str] | None:
    """(media type to fill, why) when the response has no usable body schema, else None."""
    content = response.get("content")
    if content is None or content == {}:
        return JSON, "the error response has a description and no body"
    if not isinstance(content, dict):
        return None
    json_types = [m for m in content if _JSON_MEDIA.match(m)]
    if not json_types or len(json_types) != len(content):
        return None  # a non-JSON body is documented: not ours to replace
    media_type = json_types[0]
    media = content[media_type]
    if not isinstance(media, dict) or "example" in media or media.get("examples"):
        return None  # an example shows the real body; the schema rules judge it
    schema = media.get("schema")
    if _is_bare(schema):
        shown = "no schema" if schema is None else f"only {schema!r}"
        return media_type, f"the error body has {shown}"
    return None


def _repair(context: RuleContext, pointer: str, response: dict[str, Any], status: str) -> None:
    found = _bare_json_media(response)
    if found is None or response.get(ASSUMED):
        return
    media_type, why = found
    before = copy.deepcopy(response.get("content"))
    content = response.get("content") or {}
    existing = content.get(media_type)
    media = dict(existing) if isinstance(existing, dict) else {}
    media["schema"] = copy.deepcopy(ERROR_ENVELOPE)
    content[media_type] = media
    response["content"] = content
    response[ASSUMED] = True
    context.repair(
        pointer,
        f"error response {status}: standard error envelope assumed as its {media_type} body",
        before=before,
        after=response["content"],
        evidence=f"{why}; marked {ASSUMED} so the merge can replace it with a documented one",
    )


def apply(context: RuleContext) -> None:
    document = context.document
    repaired_components: set[str] = set()
    for op_pointer, _path, _method, operation in iter_operations(document):
        responses = operation.get("responses")
        if not isinstance(responses, dict):
            continue
        has_success = any(str(status).startswith("2") for status in responses)
        for status, response in responses.items():
            is_error = bool(_ERROR_STATUS.match(str(status))) or (
                status == "default" and has_success
            )
            if not is_error or not isinstance(response, dict):
                continue
            pointer = join(op_pointer, "responses", status)
            reference = response.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/"):
                if reference in repaired_components:
                    continue
                repaired_components.add(reference)
                try:
                    target = resolve(document, reference[1:])
                except KeyError:
                    continue
                if isinstance(target, dict):
                    _repair(context, reference[1:], target, str(status))
                continue
            _repair(context, pointer, response, str(status))
