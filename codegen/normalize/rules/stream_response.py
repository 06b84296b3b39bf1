"""Rule chunk-described-as-response: a 2xx JSON response that is really the streaming chunk becomes
the ``text/event-stream`` response, and the non-streaming body is marked missing for the merge.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import msgspec

from ...jsonpointer import join, resolve
from ...openapi_walk import iter_operations
from ..context import RuleContext
from ..marks import MISSING
from .response_keys import (
    EVENT_STREAM,
    TERMINATOR_IN_PROSE,
    ParsedStream,
    chunk_examples,
    example_values,
    stream_media,
)

RULE_ID = "chunk-described-as-response"

_CHUNK = re.compile(r"\bchunks?\b", re.I)
_STREAMING = re.compile(r"\bstream(?:s|ed|ing)?\b|\bserver[- ]sent\b|\bSSE\b", re.I)
_JSON_MEDIA = re.compile(r"^application/(?:[\w.+-]*\+)?json\b", re.I)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_SINGLES = ("items", "additionalProperties", "not", "contains", "if", "then", "else")
_DATA_STRING_KEYS = ("enum", "const", "default", "examples", "example")


class SchemaText(msgspec.Struct):
    """What a schema tree says about itself: its prose, its data strings and property names."""

    prose: list[str] = msgspec.field(default_factory=list)
    data: list[str] = msgspec.field(default_factory=list)
    properties: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)


def _deref(
    document: dict[str, Any], schema: Any, seen: set[str], followed: set[str] | None = None
) -> Any:
    """The schema a chain of local $refs ends at; None for a remote, dangling or cyclic one.

    A reference in ``seen`` is a cycle; each one followed is added to ``followed`` (to ``seen``
    when not given: a separate set looks ahead without copying ``seen``)."""
    followed = seen if followed is None else followed
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        reference = schema["$ref"]
        if not reference.startswith("#") or reference in seen or reference in followed:
            return None
        followed.add(reference)
        try:
            schema = resolve(document, reference[1:])
        except KeyError:
            return None
    return schema


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def schema_text(
    document: dict[str, Any],
    schema: Any,
    seen: set[str] | None = None,
    into: SchemaText | None = None,
) -> SchemaText:
    """Collect the text of a schema and everything it contains, following local $refs once.

    A property name keeps the schema it has where it is met first."""
    seen = set() if seen is None else seen
    into = SchemaText() if into is None else into
    schema = _deref(document, schema, seen)
    if not isinstance(schema, dict):
        return into
    for key in ("title", "description"):
        if isinstance(schema.get(key), str):
            into.prose.append(schema[key])
    for key in _DATA_STRING_KEYS:
        into.data.extend(_strings(schema.get(key)))
    # Only objects are entered: anything else holds no text (and most keywords are absent).
    for name, child in (schema.get("properties") or {}).items():
        resolved = _deref(document, child, seen, set())
        into.properties.setdefault(name, resolved if isinstance(resolved, dict) else {})
        if isinstance(child, dict):
            schema_text(document, child, seen, into)
    for child in _subschemas(schema):
        schema_text(document, child, seen, into)
    return into


def _subschemas(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The schemas under ``schema`` that ``schema_text`` enters after its properties, in order."""
    for key in _SCHEMA_LISTS:
        for child in schema.get(key) or []:
            if isinstance(child, dict):
                yield child
    for key in _SCHEMA_SINGLES:
        child = schema.get(key)
        if isinstance(child, dict):
            yield child


def _flag_property(
    document: dict[str, Any], schema: Any, seen: set[str], met: set[str]
) -> tuple[str, str] | None:
    """The first property, in ``schema_text``'s order and with the schema it has there, that is
    a stream flag: the walk stops at it (a request's ``stream`` is most often at its top)."""
    schema = _deref(document, schema, seen)
    if not isinstance(schema, dict):
        return None
    for name, child in (schema.get("properties") or {}).items():
        if name not in met:
            met.add(name)
            resolved = _deref(document, child, seen, set())
            if isinstance(resolved, dict) and is_stream_flag(name, resolved):
                return name, str(resolved.get("description", ""))
        if isinstance(child, dict):
            found = _flag_property(document, child, seen, met)
            if found is not None:
                return found
    for child in _subschemas(schema):
        found = _flag_property(document, child, seen, met)
        if found is not None:
            return found
    return None


def _is_boolean(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "boolean" or (isinstance(kind, list) and "boolean" in kind)


def is_stream_flag(name: str, schema: dict[str, Any]) -> bool:
    """A boolean property whose name or description says it streams."""
    description = str(schema.get("description", ""))
    return _is_boolean(schema) and bool(
        _STREAMING.search(name.replace("_", " ")) or _STREAMING.search(description)
    )


def stream_flag(document: dict[str, Any], operation: dict[str, Any]) -> tuple[str, str] | None:
    """(name, description) of a boolean request property whose name or description says stream."""
    body = _deref(document, operation.get("requestBody"), set())
    if not isinstance(body, dict):
        return None
    for media_type, media in (body.get("content") or {}).items():
        if not _JSON_MEDIA.match(media_type) or not isinstance(media, dict):
            continue
        found = _flag_property(document, media.get("schema"), set(), set())
        if found is not None:
            return found
    return None


def _chunk_evidence(response: dict[str, Any], text: SchemaText) -> str | None:
    """Why a response schema describes a stream chunk, or None when the evidence is not there.

    The word "chunk" must appear in the schema's own prose or its object-type strings
    (``chat.completion.chunk``); a response description alone may describe both modes ("or a
    stream of chunks if stream is set") and is not enough. It is then corroborated by streaming
    prose ("null if still streaming") or by a property named ``delta``: a field name alone proves
    nothing, but next to chunk prose a ``delta`` where a message would be is what a chunk is.
    """
    chunk_said = [s for s in [*text.prose, *text.data] if _CHUNK.search(s)]
    if not chunk_said:
        return None
    prose = [*text.prose, str(response.get("description", ""))]
    streaming_said = [s for s in prose if _STREAMING.search(s)]
    if streaming_said:
        return f"described as a chunk ({chunk_said[0]!r}) and as streaming ({streaming_said[0]!r})"
    if "delta" in text.properties:
        return f"described as a chunk ({chunk_said[0]!r}) and carries a delta property"
    return None


def _terminator(texts: list[str]) -> str | None:
    for text in texts:
        match = TERMINATOR_IN_PROSE.search(text)
        if match:
            return match.group(1)
    return None


def _repair_response(
    context: RuleContext,
    pointer: str,
    response: dict[str, Any],
    media_type: str,
    evidence: str,
    flag: tuple[str, str],
    text: SchemaText,
) -> None:
    content = response["content"]
    media = content[media_type]
    content[media_type] = {MISSING: True}
    flag_evidence = f"the request has the boolean stream flag {flag[0]!r}"
    if EVENT_STREAM in content:
        context.repair(
            join(pointer, "content", media_type),
            "non-streaming body described as a chunk; "
            "marked missing (a streaming response exists already)",
            before=media,
            after=content[media_type],
            evidence=f"{evidence}; {flag_evidence}",
        )
        return
    parsed = chunk_examples(example_values(media))
    found = ParsedStream(
        chunks=parsed.chunks, terminator=parsed.terminator or _terminator([flag[1], *text.prose])
    )
    content[EVENT_STREAM] = stream_media(media.get("schema"), found)
    context.moved(
        join(pointer, "content", media_type, "schema"),
        join(pointer, "content", EVENT_STREAM, "schema"),
    )
    context.repair(
        join(pointer, "content", media_type),
        f"the {media_type} body is the streaming chunk: moved to {EVENT_STREAM}, "
        f"{media_type} marked missing for the merge",
        before=media,
        after={media_type: content[media_type], EVENT_STREAM: content[EVENT_STREAM]},
        evidence=f"{evidence}; {flag_evidence}",
    )


def streamable_successes(
    context: RuleContext,
) -> Iterator[tuple[str, tuple[str, str], str, dict[str, Any], dict[str, Any]]]:
    """(operation pointer, stream flag, status, response, content) of each 2xx answer with
    content, of each operation whose request has a stream flag.

    Two rules ask in turn; an operation's flag is looked for again only if the document changed.
    """
    document = context.document
    for op_pointer, _path, _method, operation in iter_operations(document):
        flag = context.derived(
            ("stream-flag", id(operation)), functools.partial(stream_flag, document, operation)
        )
        if flag is None:
            continue
        for status, response in list((operation.get("responses") or {}).items()):
            if not str(status).startswith("2") or not isinstance(response, dict):
                continue
            content = response.get("content")
            if isinstance(content, dict):
                yield op_pointer, flag, str(status), response, content


def apply(context: RuleContext) -> None:
    document = context.document
    for op_pointer, flag, status, response, content in streamable_successes(context):
        for media_type in list(content):
            media = content[media_type]
            if not _JSON_MEDIA.match(media_type) or not isinstance(media, dict):
                continue
            if "schema" not in media:
                continue
            text = schema_text(document, media["schema"])
            evidence = _chunk_evidence(response, text)
            if evidence is not None:
                pointer = join(op_pointer, "responses", status)
                _repair_response(context, pointer, response, media_type, evidence, flag, text)
