"""Media types: what kind of body each one is, and which one of a body's several the client sends.

A media type is read by its structure (``type/subtype+suffix``), never by a list of vendors':
``application/vnd.x+json`` is JSON, ``audio/mpeg`` and ``*/*`` are bytes, ``text/csv`` is text.
"""

from __future__ import annotations

from typing import Any, Literal

from .model import BodyEncoding, ResponseKind
from .shapes import fold_all_of

JSON = "application/json"
SSE = "text/event-stream"
MULTIPART = "multipart/form-data"
FORM = "application/x-www-form-urlencoded"

_BODY_PREFERENCE: tuple[BodyEncoding, ...] = ("json", "multipart", "form", "binary", "text")
"""When a body may be sent several ways, the client sends the first: JSON keeps types best,
multipart carries files, and raw bytes or text have no fields to type."""


def essence(media_type: str) -> str:
    """``Application/JSON; charset=utf-8`` -> ``application/json``."""
    return media_type.split(";", 1)[0].strip().lower()


def body_kind(media_type: str) -> Literal["json", "sse", "form", "multipart", "binary", "text"]:
    """The kind of content a media type names."""
    base = essence(media_type)
    if base == SSE:
        return "sse"
    if base == MULTIPART or base.startswith("multipart/"):
        return "multipart"
    if base == FORM:
        return "form"
    kind, _, subtype = base.partition("/")
    if subtype == "json" or subtype.endswith("+json"):
        return "json"
    if kind == "text" or subtype in ("xml", "yaml", "x-yaml") or subtype.endswith("+xml"):
        return "text"
    return "binary"


def request_encoding(content: dict[str, Any]) -> tuple[BodyEncoding, str, tuple[str, ...]] | None:
    """(encoding, media type, the other media types) of a ``requestBody.content`` map."""
    kinds: dict[BodyEncoding, str] = {}
    for media_type in content:
        kind = body_kind(str(media_type))
        encoding: BodyEncoding = "binary" if kind == "sse" else kind
        kinds.setdefault(encoding, str(media_type))
    for encoding in _BODY_PREFERENCE:
        if encoding in kinds:
            chosen = kinds[encoding]
            others = tuple(sorted(str(m) for m in content if str(m) != chosen))
            return encoding, chosen, others
    return None


def response_kind(media_type: str) -> ResponseKind:
    kind = body_kind(media_type)
    if kind in ("form", "multipart"):
        return "binary"
    return kind  # type: ignore[return-value]


def is_file_schema(schema: Any) -> bool:
    """A part that carries bytes: ``format: binary`` or a media type without a text encoding."""
    if not isinstance(schema, dict):
        return False
    if schema.get("format") == "binary":
        return True
    return "contentMediaType" in schema and schema.get("contentEncoding") is None


def file_fields(schema: Any) -> tuple[str, ...]:
    """Wire names of a multipart schema's properties that are files (or arrays of files), read
    from the schema with every ``allOf`` folded (its own, its parts' at any depth, a property's
    and a variant's): a part may come first or last, inline or by ``$ref``."""
    if not isinstance(schema, dict):
        return ()
    found = []
    for name, prop in (fold_all_of(schema).get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        prop = fold_all_of(prop)
        variants = [prop, *(v for v in prop.get("anyOf") or prop.get("oneOf") or [])]
        for variant in variants:
            if _carries_files(fold_all_of(variant) if isinstance(variant, dict) else variant):
                found.append(str(name))
                break
    return tuple(found)


def _carries_files(schema: Any) -> bool:
    if is_file_schema(schema):
        return True
    if not isinstance(schema, dict) or schema.get("type") != "array":
        return False
    items = schema.get("items")
    return is_file_schema(fold_all_of(items) if isinstance(items, dict) else items)
