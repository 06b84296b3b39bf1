"""Rule non-status-response-key: a response keyed by something other than a status code
(``x-200:Streaming``) is an alternative response of the status it names.

A streaming alternative becomes that status's ``text/event-stream`` media type (the streaming
convention in ``codegen.normalize.marks.STREAM``); any other alternative merges as another media
type. Also provides the SSE example parser and stream wording test the next rule reuses.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import msgspec

from ...jsonpointer import join
from ...openapi_walk import iter_operations
from ..context import RuleContext
from ..marks import STREAM

RULE_ID = "non-status-response-key"

EVENT_STREAM = "text/event-stream"
_STATUS_KEY = re.compile(r"^(?:[1-5](?:\d\d|XX)|default)$")
_STATUS_IN_KEY = re.compile(r"(?<!\d)([1-5]\d\d)(?!\d)")
STREAM_WORDS = re.compile(
    r"\b(?:stream(?:s|ed|ing)?|chunks?|server[- ]sent events?|sse|event[- ]stream)\b", re.I
)
_SSE_DATA_LINE = re.compile(r"^data:", re.M)
# A final ``data:`` payload that is not JSON but a bracketed word is the stream's terminator.
_TERMINATOR = re.compile(r"^\[[A-Za-z_]+\]$")
TERMINATOR_IN_PROSE = re.compile(r"data:\s*(\[[A-Za-z_]+\])")


class ParsedStream(msgspec.Struct):
    """The chunks and terminator of one SSE example string, and what could not be read."""

    chunks: list[Any] = msgspec.field(default_factory=list)
    terminator: str | None = None
    unreadable: list[str] = msgspec.field(default_factory=list)


def is_sse_text(value: Any) -> bool:
    return isinstance(value, str) and bool(_SSE_DATA_LINE.search(value))


def parse_sse(text: str) -> ParsedStream:
    """Split an SSE transcript into events and decode each event's ``data`` as JSON."""
    parsed = ParsedStream()
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in re.split(r"\n\s*\n", normalised):
        data = [
            line[5:].removeprefix(" ") for line in block.split("\n") if line.startswith("data:")
        ]
        if not data:
            continue
        payload = "\n".join(data).strip()
        try:
            parsed.chunks.append(json.loads(payload))
        except ValueError:
            if _TERMINATOR.match(payload):
                parsed.terminator = payload
            else:
                parsed.unreadable.append(payload)
    return parsed


def example_values(media: dict[str, Any]) -> list[Any]:
    """The example values a media type object states, in document order."""
    values: list[Any] = []
    if "example" in media:
        values.append(media["example"])
    for example in (media.get("examples") or {}).values():
        if isinstance(example, dict) and "value" in example:
            values.append(example["value"])
    schema = media.get("schema")
    if isinstance(schema, dict) and isinstance(schema.get("examples"), list):
        values.extend(schema["examples"])
    return values


def chunk_examples(values: list[Any]) -> ParsedStream:
    """All chunks the example values show: SSE strings parsed, objects taken as single chunks."""
    result = ParsedStream()
    for value in values:
        if is_sse_text(value):
            parsed = parse_sse(value)
            result.chunks.extend(parsed.chunks)
            result.unreadable.extend(parsed.unreadable)
            result.terminator = result.terminator or parsed.terminator
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            result.chunks.extend(value)
        elif isinstance(value, dict):
            result.chunks.append(value)
    return result


def stream_media(schema: Any, parsed: ParsedStream) -> dict[str, Any]:
    """A ``text/event-stream`` media type object in the streaming convention."""
    media: dict[str, Any] = {}
    if schema is not None:
        media["schema"] = copy.deepcopy(schema)
    if parsed.chunks:
        media["examples"] = {
            f"chunk-{number}": {"value": chunk}
            for number, chunk in enumerate(parsed.chunks, start=1)
        }
    media[STREAM] = {"terminator": parsed.terminator}
    return media


def _streaming_evidence(key: str, response: dict[str, Any]) -> str | None:
    """Why this alternative response is the streaming one, or None."""
    label = key[2:] if key.startswith("x-") else key
    content = response.get("content") or {}
    if EVENT_STREAM in content:
        return f"it declares {EVENT_STREAM}"
    for media in content.values():
        if isinstance(media, dict) and any(is_sse_text(v) for v in example_values(media)):
            return "its example is a server-sent-events transcript (data: lines)"
    for text in (label, response.get("description")):
        if isinstance(text, str):
            match = STREAM_WORDS.search(text)
            if match:
                return f"its key or description says {match.group(0)!r}"
    return None


def _single_schema(response: dict[str, Any]) -> tuple[Any, list[Any]]:
    """The alternative's schema (of its one media type or its event-stream one) and examples."""
    content = response.get("content") or {}
    media_objects = [m for m in content.values() if isinstance(m, dict)]
    chosen = content.get(EVENT_STREAM) or (media_objects[0] if media_objects else {})
    values = [v for m in media_objects for v in example_values(m)]
    return chosen.get("schema"), values


def _merge_streaming(
    context: RuleContext,
    responses: dict[str, Any],
    key: str,
    status: str,
    pointer: str,
    evidence: str,
) -> None:
    alternative = responses[key]
    target = responses.setdefault(status, {"description": alternative.get("description", "")})
    content = target.setdefault("content", {})
    if EVENT_STREAM in content:
        context.warn(
            join(pointer, key),
            f"{key} is a second streaming response for {status}; kept as it is",
            evidence=evidence,
        )
        return
    schema, values = _single_schema(alternative)
    parsed = chunk_examples(values)
    content[EVENT_STREAM] = stream_media(schema, parsed)
    event_stream = join(pointer, status, "content", EVENT_STREAM)
    source_media = join(
        pointer, key, "content", next(iter(alternative.get("content") or {EVENT_STREAM: 0}))
    )
    context.moved(join(source_media, "schema"), join(event_stream, "schema"))
    for name, header in (alternative.get("headers") or {}).items():
        target.setdefault("headers", {}).setdefault(name, header)
    del responses[key]
    terminator = f"terminator {parsed.terminator}" if parsed.terminator else "no terminator seen"
    context.repair(
        join(pointer, key),
        f"response key {key} became the {EVENT_STREAM} response of {status} "
        f"({len(parsed.chunks)} chunk examples, {terminator})",
        before={key: alternative},
        after={status: {"content": {EVENT_STREAM: content[EVENT_STREAM]}}},
        evidence=f"{key} names status {status}; {evidence}",
    )
    for payload in parsed.unreadable:
        context.warn(
            join(pointer, key),
            "an event of the streaming example is not JSON",
            evidence=payload[:200],
        )


def _merge_other(
    context: RuleContext, responses: dict[str, Any], key: str, status: str, pointer: str
) -> None:
    alternative = responses[key]
    extra = alternative.get("content") or {}
    target = responses.get(status)
    existing = (target or {}).get("content") or {}
    clashes = sorted(set(extra) & set(existing))
    if not extra or clashes:
        what = f"media types {', '.join(clashes)} already exist" if clashes else "it has no content"
        context.warn(
            join(pointer, key),
            f"response key {key} names status {status} but cannot be merged: {what}",
            evidence="not a status code; no streaming evidence",
        )
        return
    target = responses.setdefault(status, {"description": alternative.get("description", "")})
    target.setdefault("content", {}).update(copy.deepcopy(extra))
    del responses[key]
    context.repair(
        join(pointer, key),
        f"response key {key} merged into {status} as {', '.join(extra)}",
        before={key: alternative},
        after={status: target},
        evidence=f"{key} names status {status} and adds media types it lacks",
    )


def apply(context: RuleContext) -> None:
    for op_pointer, _path, _method, operation in iter_operations(context.document):
        responses = operation.get("responses")
        if not isinstance(responses, dict):
            continue
        pointer = join(op_pointer, "responses")
        for key in list(responses):
            response = responses[key]
            if _STATUS_KEY.match(str(key)) or not isinstance(response, dict):
                continue
            if "content" not in response and "description" not in response:
                continue  # a genuine extension, not a response in disguise
            status_match = _STATUS_IN_KEY.search(str(key))
            if status_match is None:
                context.warn(
                    join(pointer, key),
                    f"response key {key} is not a status code and names none",
                    evidence="a response object under a non-status key",
                )
                continue
            status = status_match.group(1)
            evidence = _streaming_evidence(key, response)
            if evidence is not None:
                _merge_streaming(context, responses, key, status, pointer, evidence)
            else:
                _merge_other(context, responses, key, status, pointer)
