"""Rule security-schemes: repair quarantined security schemes, and undo blanket opt-outs.

Ingest moves nodes the validator rejects into the root ``x-specgen-quarantine`` list; this rule
settles the entries about security (schemes repaired and put back, requirement entries dropped as
tool noise, or reported) and leaves the others for ``quarantined-node``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ...ingest.document import QUARANTINE_EXTENSION
from ...jsonpointer import exists, join, parent, put, split
from ...openapi_walk import iter_operations
from ..context import RuleContext
from ..validity import is_valid_as
from .tool_noise import design_tools, is_tool_key

RULE_ID = "security-schemes"
KEEPS_SHAPE = True  # changes only keywords that hold no schema (see rules.SHAPE_KEEPING)

# IANA HTTP Authentication Scheme Registry: a scheme ``type`` with one of these names is an
# ``http`` scheme written the way people say it ("bearer auth").
_HTTP_AUTH_SCHEMES = frozenset(
    {
        "basic",
        "bearer",
        "digest",
        "hoba",
        "mutual",
        "negotiate",
        "oauth",
        "scram-sha-1",
        "scram-sha-256",
        "vapid",
    }
)
_SCHEME_TYPES = {
    kind.lower(): kind for kind in ("apiKey", "http", "mutualTLS", "oauth2", "openIdConnect")
}
_SCHEME_FIELDS = {
    "apiKey": {"type", "description", "name", "in"},
    "http": {"type", "description", "scheme", "bearerFormat"},
    "mutualTLS": {"type", "description"},
    "oauth2": {"type", "description", "flows"},
    "openIdConnect": {"type", "description", "openIdConnectUrl"},
}


def _repaired_scheme(value: Any) -> tuple[dict[str, Any], str] | None:
    """A valid security scheme for a rejected one, and why; None when nothing proves one."""
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return None
    kind = value["type"]
    if kind.lower() in _HTTP_AUTH_SCHEMES:
        scheme = value.get("scheme", kind.lower())
        if not isinstance(scheme, str) or scheme.lower() != kind.lower():
            return None
        repaired = {"type": "http", "scheme": kind.lower()}
        why = f"type {kind!r} is an HTTP authentication scheme name, so the type is 'http'"
    elif kind.lower() in _SCHEME_TYPES and kind != _SCHEME_TYPES[kind.lower()]:
        repaired = {"type": _SCHEME_TYPES[kind.lower()]}
        why = f"type {kind!r} is {_SCHEME_TYPES[kind.lower()]!r} spelt in another case"
    else:
        return None
    allowed = _SCHEME_FIELDS[repaired["type"]]
    for field, field_value in value.items():
        if (field in allowed and field not in repaired) or field.startswith("x-"):
            repaired[field] = field_value
    return repaired, why


def _is_scheme_pointer(pointer: str) -> bool:
    tokens = split(pointer)
    return len(tokens) == 3 and tokens[:2] == ["components", "securitySchemes"]


def _is_requirement_entry(pointer: str) -> bool:
    """``.../security/<n>/<name>``: one entry of a security requirement object."""
    tokens = split(pointer)
    return len(tokens) >= 3 and tokens[-3] == "security" and tokens[-2].isdigit()


def is_security_entry(entry: Any) -> bool:
    """A quarantine entry this rule settles: a security scheme or a requirement entry."""
    pointer = entry.get("pointer") if isinstance(entry, dict) else None
    if not isinstance(pointer, str):
        return True  # malformed: reported here, once
    return _is_scheme_pointer(pointer) or _is_requirement_entry(pointer)


def _settle(context: RuleContext, entry: Any, tools: frozenset[str]) -> None:
    document = context.document
    if not isinstance(entry, dict) or not isinstance(entry.get("pointer"), str):
        context.warn(
            "/" + QUARANTINE_EXTENSION,
            "malformed quarantine entry dropped",
            evidence=json.dumps(entry, default=str)[:300],
        )
        return
    pointer, value, reason = entry["pointer"], entry.get("value"), str(entry.get("reason", ""))
    if _is_scheme_pointer(pointer):
        repair = _repaired_scheme(value)
        if repair is not None and exists(document, parent(parent(pointer))):
            repaired, why = repair
            if is_valid_as("security-scheme", repaired):
                put(document, pointer, repaired)
                context.repair(
                    pointer,
                    "repaired the security scheme and restored it",
                    before=value,
                    after=repaired,
                    evidence=f"{why}; the validator had rejected it: {reason}",
                )
                return
    elif _is_requirement_entry(pointer):
        name = split(pointer)[-1]
        noise = is_tool_key(name, value, tools)
        if noise:
            context.repair(
                pointer,
                f"dropped design-tool entry {name} from a security requirement",
                before=value,
                after=None,
                evidence=noise,
            )
            return
    context.warn(
        pointer,
        "ingest quarantined this node and no evidence repairs it; it is left out",
        evidence=f"validator: {reason}; value: {json.dumps(value, default=str)[:300]}",
    )


def _declared_and_required(document: dict[str, Any]) -> bool:
    """The root requires a scheme and every scheme it names is declared."""
    requirements = document.get("security")
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    if not isinstance(requirements, list) or not requirements:
        return False
    names = [name for req in requirements if isinstance(req, dict) for name in req]
    return bool(names) and all(name in schemes for name in names)


def _undo_blanket_opt_out(context: RuleContext) -> None:
    """Remove ``security: []`` when every operation carries it against a declared, required scheme.

    An operation may legitimately opt out (a health check); when every operation opts out, the
    document would declare and require a scheme nothing uses, which is the design tool's default
    for "inherit", not an API that needs no key.
    """
    document = context.document
    if not _declared_and_required(document):
        return
    operations = list(iter_operations(document))
    if not operations or any(op.get("security") != [] for _, _, _, op in operations):
        return
    required = [name for req in document["security"] if isinstance(req, dict) for name in req]
    for pointer, _path, _method, operation in operations:
        del operation["security"]
        context.repair(
            join(pointer, "security"),
            "removed an empty security override",
            before=[],
            after=None,
            evidence=f"the document declares and requires {', '.join(required)} at the top, and "
            "every operation wiped it out with security: []",
        )


def apply(context: RuleContext) -> None:
    document = context.document
    entries = document.pop(QUARANTINE_EXTENSION, None)
    if entries is not None:
        context.changed()  # the entries left for quarantined-node go back last
        # Tools are learnt from the document as ingested: drop-tool-noise ran already.
        tools = context.of_ingested(design_tools)
        listed = entries if isinstance(entries, list) else [entries]
        others = [entry for entry in listed if not is_security_entry(entry)]
        for entry in listed:
            if is_security_entry(entry):
                _settle(context, copy.deepcopy(entry), tools)
        if others:
            document[QUARANTINE_EXTENSION] = others
    _undo_blanket_opt_out(context)
