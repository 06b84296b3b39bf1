"""Rule quarantined-node: repair what ingest quarantined when the document proves the fix.

Ingest moves each node the validator rejects into ``x-specgen-quarantine``. The security rule
settles schemes first; this rule takes the rest. A misspelt type name (``String``) or a default
written as a string (``"false"``, ``"1024"``, ``"null"``) is put back repaired when the repaired
value is provably valid where it stands; everything else is reported and stays out: a schema the
validator rejected stays ``{}`` (an unknown shape for the merge), a placeholder for a member the
vendor left out stays empty.
"""

from __future__ import annotations

import json
from typing import Any

from ...ingest.document import QUARANTINE_EXTENSION
from ...jsonpointer import get, parent, split
from ..context import RuleContext
from ..validity import SchemaFit

RULE_ID = "quarantined-node"
KEEPS_SHAPE = True  # changes only keywords that hold no schema (see rules.SHAPE_KEEPING)

_JSON_TYPES = ("string", "integer", "number", "boolean", "object", "array", "null")
# How people write JSON types in other languages' words; read only where the validator rejected
# the type as written.
_TYPE_SPELLINGS = {
    **{name: name for name in _JSON_TYPES},
    "str": "string", "text": "string", "int": "integer", "int32": "integer", "int64": "integer",
    "long": "integer", "float": "number", "double": "number", "decimal": "number",
    "bool": "boolean", "dict": "object", "map": "object", "list": "array", "none": "null",
}  # fmt: skip


def _spelt_type(value: Any) -> str | list[str] | None:
    if isinstance(value, str):
        return _TYPE_SPELLINGS.get(value.strip().lower())
    if isinstance(value, list) and value:
        names = [_spelt_type(item) for item in value]
        if all(isinstance(name, str) for name in names):
            return list(dict.fromkeys(name for name in names if isinstance(name, str)))
    return None


def _decoded(value: Any) -> tuple[bool, Any]:
    """A default written as the text of a JSON value (``"false"``, ``"1024"``, ``"null"``)."""
    if not isinstance(value, str):
        return False, None
    text = value.strip()
    try:
        return True, json.loads(text)
    except ValueError:
        pass
    spelt = {"true": True, "false": False, "none": None, "null": None}
    if text.lower() in spelt:
        return True, spelt[text.lower()]
    return False, None


def _settle_type(context: RuleContext, pointer: str, value: Any, reason: str) -> bool:
    spelt = _spelt_type(value)
    schema = get(context.document, parent(pointer))
    if spelt is None or spelt == value or not isinstance(schema, dict) or "type" in schema:
        return False
    schema["type"] = spelt
    context.repair(
        pointer,
        f"type {value!r} read as {spelt!r}",
        before=value,
        after=spelt,
        evidence=f"the validator rejected the type name ({reason}); {value!r} names the JSON "
        f"type {spelt!r} in another spelling",
    )
    return True


def _settle_default(
    context: RuleContext, fit: SchemaFit, pointer: str, value: Any, reason: str
) -> bool:
    schema_pointer = parent(pointer)
    schema = get(context.document, schema_pointer)
    if not isinstance(schema, dict) or "default" in schema:
        return False
    if fit.fits(schema_pointer, value):
        schema["default"] = value
        context.repair(
            pointer,
            "restored the default: the schema now admits it",
            before=value,
            after=value,
            evidence=f"the validator had rejected it ({reason}) before an earlier repair",
        )
        return True
    decoded, parsed = _decoded(value)
    if decoded and fit.fits(schema_pointer, parsed):
        schema["default"] = parsed
        context.repair(
            pointer,
            f"default {value!r} read as the JSON value {json.dumps(parsed)}",
            before=value,
            after=parsed,
            evidence=f"the validator rejected the text ({reason}); decoded, it fits the schema",
        )
        return True
    return False


def _settle_duplicate_required(context: RuleContext, pointer: str, value: Any) -> bool:
    schema_pointer = parent(pointer)
    schema = get(context.document, schema_pointer)
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        return False
    if not isinstance(schema, dict) or "required" in schema:
        return False
    unique = list(dict.fromkeys(value))
    if unique == value:
        return False
    schema["required"] = unique
    repeated = sorted({name for name in value if value.count(name) > 1})
    context.repair(
        pointer,
        f"required lists {', '.join(repeated)} more than once; each is kept once",
        before=value,
        after=unique,
        evidence="the validator rejected the list: required entries must be unique",
    )
    return True


def _describe(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)[:300]


def _settle(context: RuleContext, fit: SchemaFit, entry: Any) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("pointer"), str):
        context.warn("/" + QUARANTINE_EXTENSION, "malformed quarantine entry dropped",
                     evidence=_describe(entry))  # fmt: skip
        return
    pointer, value, reason = entry["pointer"], entry.get("value"), str(entry.get("reason", ""))
    tokens = split(pointer) if pointer.startswith("/") else []
    last = tokens[-1] if tokens else ""
    if "placeholder" in entry:
        context.warn(
            pointer,
            f"the document leaves out {last!r}, which OpenAPI requires; a placeholder stands in",
            evidence=f"validator: {reason}; placeholder: {_describe(entry['placeholder'])}",
        )
        return
    if last == "type" and _settle_type(context, pointer, value, reason):
        fit.changed()
        return
    if last == "default" and _settle_default(context, fit, pointer, value, reason):
        return  # a default is no constraint: what the fit read still holds
    if last == "required" and _settle_duplicate_required(context, pointer, value):
        fit.changed()
        return
    if len(tokens) >= 2 and tokens[-2] == "required":
        context.repair(
            pointer,
            f"dropped {value!r} from required: the schema defines no such property",
            before=value,
            after=None,
            evidence=f"validator: {reason}",
        )
        return
    if entry.get("emptied"):
        context.warn(
            pointer,
            "the validator rejected this schema; it stands as {} (an unknown shape)",
            evidence=f"validator: {reason}; value: {_describe(value)}",
        )
        return
    context.warn(
        pointer,
        "ingest quarantined this node and no evidence repairs it; it is left out",
        evidence=f"validator: {reason}; value: {_describe(value)}",
    )


def apply(context: RuleContext) -> None:
    entries = context.document.pop(QUARANTINE_EXTENSION, None)
    if entries is None:
        return
    context.changed()
    fit = SchemaFit(context.document)
    for entry in entries if isinstance(entries, list) else [entries]:
        _settle(context, fit, entry)
