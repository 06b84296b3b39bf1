"""Rule stream-chunk-unreferenced: an operation whose request says it streams, documented with
only a JSON answer, while the document defines the stream's chunk schema that no path uses.

The chunk is recognised by evidence, never by a name: a component schema no operation refers to,
whose own prose says it is a streamed chunk, and whose constant type tag extends the JSON
answer's (``chat.completion`` -> ``chat.completion.chunk``). It becomes the operation's
``text/event-stream`` answer; the terminator comes from the stream flag's prose
(``data: [DONE]``) when it says one.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from ...jsonpointer import join, resolve
from ..context import RuleContext
from .response_keys import EVENT_STREAM, TERMINATOR_IN_PROSE, ParsedStream, stream_media
from .stream_response import _CHUNK, _JSON_MEDIA, _STREAMING, streamable_successes

RULE_ID = "stream-chunk-unreferenced"

_COMPONENT = "#/components/schemas/"


def _referenced(document: dict[str, Any], start: Any, seen: set[str]) -> set[str]:
    """``seen`` with the component schema names reachable from ``start`` added (through other
    components too). A name already in ``seen`` is not entered again: what it reaches is in
    ``seen`` already, so a node added to the paths extends the set the paths reach."""
    pending: list[Any] = [start]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith(_COMPONENT):
                name = reference[len(_COMPONENT) :]
                if name not in seen:
                    seen.add(name)
                    with contextlib.suppress(KeyError):
                        pending.append(resolve(document, reference[1:]))
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return seen


def _tag(document: dict[str, Any], schema: Any) -> str | None:
    """The one constant string of a required property (``object: chat.completion``)."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        try:
            schema = resolve(document, schema["$ref"][1:])
        except KeyError:
            return None
    if not isinstance(schema, dict):
        return None
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        prop = properties.get(name) if isinstance(properties, dict) else None
        if not isinstance(prop, dict):
            continue
        values = prop.get("enum") if isinstance(prop.get("enum"), list) else None
        if values is None and "const" in prop:
            values = [prop["const"]]
        if values and len(values) == 1 and isinstance(values[0], str):
            return values[0]
    return None


def _chunk_candidates(document: dict[str, Any], answer_tag: str, used: set[str]) -> list[str]:
    schemas = (document.get("components") or {}).get("schemas") or {}
    found = []
    for name, schema in schemas.items() if isinstance(schemas, dict) else []:
        if name in used or not isinstance(schema, dict):
            continue
        prose = " ".join(str(schema.get(k, "")) for k in ("title", "description"))
        tag = _tag(document, schema)
        if (
            tag is not None
            and tag.startswith(answer_tag + ".")
            and _CHUNK.search(prose + " " + tag)
            and _STREAMING.search(prose)
        ):
            found.append(str(name))
    return found


def apply(context: RuleContext) -> None:
    document = context.document
    answered: set[str] = set()
    used: set[str] | None = None  # the component names the paths reach, found when first asked
    for op_pointer, flag, status, _response, content in streamable_successes(context):
        if op_pointer in answered or EVENT_STREAM in content:
            continue
        json_media = next(
            (m for t, m in content.items() if _JSON_MEDIA.match(t) and isinstance(m, dict)), None
        )
        answer_tag = _tag(document, (json_media or {}).get("schema"))
        if not answer_tag:
            continue
        if used is None:
            used = _referenced(document, document.get("paths"), set())
        candidates = _chunk_candidates(document, answer_tag, used)
        if len(candidates) != 1:
            continue
        (name,) = candidates
        said = TERMINATOR_IN_PROSE.search(flag[1])
        media = stream_media(
            {"$ref": _COMPONENT + name}, ParsedStream(terminator=said.group(1) if said else None)
        )
        content[EVENT_STREAM] = media
        _referenced(document, media, used)  # the chunk is used now
        answered.add(op_pointer)  # one streamed answer per operation
        context.repair(
            join(op_pointer, "responses", status, "content", EVENT_STREAM),
            f"the request's {flag[0]!r} asks for a stream and {name!r}, which no path uses, "
            f"is its chunk: added as the {EVENT_STREAM} answer",
            before=None,
            after=json.loads(json.dumps(media)),
            evidence=f"{name} is tagged as a chunk of {answer_tag!r} and says it is streamed",
        )
