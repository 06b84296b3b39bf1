"""The five vendor documents as ingested, and every example and default they carry, with its place.

The acceptance tests read the vendors' own examples from here, never from copies typed by hand.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codegen.ingest import IngestedDocument, ingest_path
from codegen.jsonpointer import join, resolve
from codegen.openapi_walk import iter_operations

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "specs" / "sources"
GENERATED = REPO / "generated"
PACKAGE = "chat_api"

EXAMPLE_KEYS = ("example", "examples", "default")
"""Keys under which an OpenAPI document states a value the API accepts or returns."""

# "x-200:Streaming" is a success response too: the status is the 2xx number inside the key.
_SUCCESS_STATUS = re.compile(r"(?<!\d)2\d\d(?!\d)")


@dataclass(frozen=True)
class Example:
    """One value a vendor document gives, and what it is an example of.

    kind: ``request`` (a whole request body), ``response`` (a whole non-streamed response body),
    ``stream`` (a server-sent event stream, as text), ``request-field`` (the value of one
    request-body field, named by ``field``), ``in-body-error`` (the ``code`` of an error object a
    vendor puts in a 2xx body; ``title`` names it).
    """

    document: IngestedDocument
    pointer: str
    """JSON pointer of the value in the ingested document."""
    kind: str
    value: Any
    field: str | None = None
    title: str | None = None
    label: str | None = None
    """A short name for test ids: the example's name, or the response status."""

    @property
    def vendor(self) -> str:
        return self.document.vendor

    @property
    def line(self) -> int | None:
        return self.document.source_map.line_for(self.pointer)

    @property
    def id(self) -> str:
        """``deepseek.openapi:121 request`` or ``oxen:99 request-field model``: for test ids."""
        what = self.field or self.title or self.label
        return f"{self.document.name}:{self.line} {self.kind} {what}"


@functools.cache
def documents() -> tuple[IngestedDocument, ...]:
    """Every vendor document of specs/sources/, ingested (once per session)."""
    return tuple(ingest_path(path) for path in sorted(SOURCES.iterdir()))


def _deref(document: dict[str, Any], schema: Any) -> Any:
    seen: set[str] = set()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref = schema["$ref"]
        if not ref.startswith("#") or ref in seen:
            break
        seen.add(ref)
        schema = resolve(document, ref[1:])
    return schema


def _properties(
    document: dict[str, Any], schema: Any, pointer: str
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(name, pointer, schema) of each property of an object schema, looking through allOf."""
    schema = _deref(document, schema)
    if not isinstance(schema, dict):
        return
    if "$ref" not in schema:
        for name, child in (schema.get("properties") or {}).items():
            if isinstance(child, dict):
                yield name, join(pointer, "properties", name), child
    for position, part in enumerate(schema.get("allOf") or []):
        yield from _properties(
            document, part, _pointer_of_ref(part, join(pointer, "allOf", position))
        )


def _pointer_of_ref(schema: Any, pointer: str) -> str:
    """Where a schema really lives: a $ref's target, else where it stands."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"])[1:]
    return pointer


def _json_media(content: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    for media, media_object in (content or {}).items():
        if media.split(";")[0].strip().endswith("json") and isinstance(media_object, dict):
            yield media, media_object


def _media_examples(media_object: dict[str, Any], pointer: str) -> Iterator[tuple[str, str, Any]]:
    """(pointer, name, value) of each example of a media type object (``example``/``examples``)."""
    if "example" in media_object:
        yield join(pointer, "example"), "example", media_object["example"]
    for name, item in (media_object.get("examples") or {}).items():
        if isinstance(item, dict) and "value" in item:
            yield join(pointer, "examples", name, "value"), str(name), item["value"]


def _field_examples(document: IngestedDocument, schema: Any, pointer: str) -> Iterator[Example]:
    """Each default and example of a property of a request body schema."""
    openapi = document.openapi
    target = _pointer_of_ref(schema, pointer)
    for name, child_pointer, child in _properties(openapi, schema, target):
        for key in ("default", "example"):
            if key in child:
                yield Example(document, join(child_pointer, key), "request-field", child[key], name)
        for position, value in enumerate(child.get("examples") or []):
            yield Example(
                document, join(child_pointer, "examples", position), "request-field", value, name
            )


def _in_body_error_codes(
    document: IngestedDocument, schema: Any, pointer: str
) -> Iterator[Example]:
    """The ``code`` default of each error object listed as an alternative of a 2xx body."""
    openapi = document.openapi
    pointer = _pointer_of_ref(schema, pointer)
    schema = _deref(openapi, schema)
    if not isinstance(schema, dict):
        return
    alternatives = [
        (join(pointer, key, position), alternative)
        for key in ("oneOf", "anyOf")
        for position, alternative in enumerate(schema.get(key) or [])
    ]
    for alternative_pointer, alternative in alternatives:
        target = _pointer_of_ref(alternative, alternative_pointer)
        resolved = _deref(openapi, alternative)
        for name, child_pointer, child in _properties(openapi, resolved, target):
            if name == "code" and "default" in child:
                yield Example(
                    document,
                    join(child_pointer, "default"),
                    "in-body-error",
                    child["default"],
                    title=resolved.get("title"),
                )


def document_examples(document: IngestedDocument) -> list[Example]:
    """Every example and default of one document's operations, classified by what it shows."""
    found: list[Example] = []
    for op_pointer, _path, _method, operation in iter_operations(document.openapi):
        body = operation.get("requestBody") or {}
        body_pointer = join(op_pointer, "requestBody", "content")
        for media, media_object in _json_media(body.get("content")):
            media_pointer = join(body_pointer, media)
            for pointer, name, value in _media_examples(media_object, media_pointer):
                found.append(Example(document, pointer, "request", value, label=name))
            found.extend(
                _field_examples(document, media_object.get("schema"), join(media_pointer, "schema"))
            )
        for status, response in (operation.get("responses") or {}).items():
            if not _SUCCESS_STATUS.search(str(status)) or not isinstance(response, dict):
                continue
            content_pointer = join(op_pointer, "responses", status, "content")
            for media, media_object in _json_media(response.get("content")):
                media_pointer = join(content_pointer, media)
                for pointer, _name, value in _media_examples(media_object, media_pointer):
                    # A document that shows a stream as one string of `data:` lines.
                    kind = "stream" if isinstance(value, str) else "response"
                    found.append(Example(document, pointer, kind, value, label=str(status)))
                found.extend(
                    _in_body_error_codes(
                        document, media_object.get("schema"), join(media_pointer, "schema")
                    )
                )
    return found


def all_examples() -> list[Example]:
    """The examples of all five documents, in document order."""
    return [example for document in documents() for example in document_examples(document)]


def example_keys(node: Any, pointer: str = "") -> Iterator[str]:
    """Pointer of every example/examples/default key anywhere in a document (values not entered:
    an example body may well have a field called ``default``)."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = join(pointer, key)
            if key in EXAMPLE_KEYS:
                yield child
            else:
                yield from example_keys(value, child)
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield from example_keys(value, join(pointer, position))


def sse_data(text: str) -> list[str]:
    """The ``data`` of each event of an SSE text, up to (without) ``[DONE]``.

    Deliberately simpler than the package's decoder: an independent reading of the vendor's
    example (blank-line separated events, ``data:`` lines), good enough for a document's text.
    """
    events = re.split(r"(?:\r\n|\r|\n){2,}", text.strip())
    payloads: list[str] = []
    for event in events:
        lines = [line for line in re.split(r"\r\n|\r|\n", event) if line.startswith("data:")]
        data = "\n".join(line[len("data:") :].removeprefix(" ") for line in lines)
        if data.strip() == "[DONE]":
            break
        if data:
            payloads.append(data)
    return payloads


def sse_chunks(text: str) -> list[Any]:
    """Each event of an SSE text decoded as JSON, up to ``[DONE]``."""
    return [json.loads(data) for data in sse_data(text)]


def examples_of(kind: str, vendor: str | None = None) -> list[Example]:
    return [
        example
        for example in all_examples()
        if example.kind == kind and (vendor is None or example.vendor == vendor)
    ]


def stream_example_text() -> str:
    """The one SSE stream the documents show (DeepSeek's), as the document writes it."""
    streams = examples_of("stream")
    assert len(streams) == 1, [example.id for example in streams]
    text = streams[0].value
    assert isinstance(text, str)
    return text
