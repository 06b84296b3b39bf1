"""Reader 2: a markdown API reference page (endpoint line, parameter tables, JSON and curl examples,
error-code table) as the OpenAPI 3.1 document it describes, defects and all, with a source map.

It assembles one endpoint's part of a page; the syntaxes themselves are read in ``readers/``
(tables, curl, examples, sections, roles), and ``read_section`` lets the docs-page reader place
the other readers' fields the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..errors import SpecgenError
from ..jsonpointer import join
from .markdown import Fence, Heading, MarkdownPage, Paragraph, Table, parse_markdown
from .notes import IngestNote
from .reader import ReaderOutput
from .readers.curl import Curl, auth_scheme, is_curl_fence, parse_curl
from .readers.examples import (
    infer_schema,
    is_json_fence,
    json_lines,
    kind_of,
    load_json,
    merge_schemas,
    says_nothing,
)
from .readers.fields import TYPE_TEXT, Field, FieldGroup
from .readers.lines import complete_lines
from .readers.prose import prose_default
from .readers.roles import Role, example_role, heading_name, slug, table_role, type_name_key
from .readers.sections import (
    ENDPOINT,
    Endpoint,
    block_lines,
    find_endpoint,
    find_endpoints,
    foreign_path,
    headings_at,
    locate,
    path_pattern,
)
from .readers.tables import STATUS, cell, parameter_columns, read_fields, status_columns
from .readers.text import name_key, plain, singulars
from .source import SourceText

NAME = "markdown"

OPENAPI_VERSION = "3.1.0"


_STREAMING = re.compile(r"server[- ]sent events|\bSSE\b|text/event-stream", re.I)
_HOST = re.compile(r"^[A-Za-z0-9.\-:\[\]]+$")


@dataclass
class _Object:
    """An object schema built from one or more tables, and where it lives in the document."""

    pointer: str
    schema: dict[str, Any]
    line: int
    fields: dict[str, Field] = field(default_factory=dict)


def claims(source: SourceText) -> bool:
    """A one-endpoint page with a parameter table for that endpoint; pages documenting several
    endpoints, or tables for another one, are the docs-page reader's."""
    page = parse_markdown(source)
    endpoints = find_endpoints(page)
    if len(endpoints) != 1:
        return False
    tables = [
        located
        for located in locate(page)
        if isinstance(located.block, Table) and parameter_columns(located.block.header) is not None
    ]
    return bool(tables) and all(foreign_path(t.headings, endpoints[0]) is None for t in tables)


_UNREADABLE: Any = object()


class _PageReader:
    """Builds the document from one page; every node gets the source line it came from."""

    def __init__(
        self,
        source: SourceText,
        page: MarkdownPage,
        endpoint: Endpoint,
        groups: Sequence[FieldGroup] = (),
        *,
        tolerant: bool = False,
    ) -> None:
        self.source = source
        self.tolerant = tolerant
        self.groups = tuple(groups)
        self.notes: list[IngestNote] = []
        self.untyped: list[tuple[_Object, Field]] = []
        self.file = source.path
        self.page = page
        self.endpoint = endpoint
        self.located = locate(page)
        self.lines: dict[str, int] = {"": 1}
        self.operation_pointer = join("", "paths", endpoint.path, endpoint.method)
        self.schemas: dict[str, Any] = {}
        self.objects: list[_Object] = []
        self.nested: dict[int, tuple[_Object, list[str]]] = {}
        self.servers: list[str] = []
        self.security_schemes: dict[str, dict[str, Any]] = {}
        self.security: list[dict[str, list[str]]] = []
        self.request_media = "application/json"

    # -- front matter, title, description -------------------------------------------------
    def _front_matter_line(self, key: str) -> int:
        if not self.page.front_matter:
            return 1
        for index, text in enumerate(self.source.lines[1:], start=2):
            if text.strip() in {"---", "..."}:
                break
            if re.match(rf"^{re.escape(key)}\s*:", text):
                return index
        return 1

    def _title(self) -> tuple[str, int] | None:
        title = self.page.front_matter.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip(), self._front_matter_line("title")
        for block in self.page.blocks:
            if isinstance(block, Heading) and block.level == 1:
                return block.text, block.line
        return None

    def _intro(self) -> Paragraph | None:
        """The first paragraph before any table that is not the endpoint line itself."""
        for block in self.page.blocks:
            if isinstance(block, Table):
                return None
            if isinstance(block, Paragraph) and not any(
                ENDPOINT.match(text) for text, _ in block_lines(block)
            ):
                return block
        return None

    def _info(self) -> dict[str, Any]:
        title = self._title()
        front = self.page.front_matter
        if title is None:
            title = (f"{self.endpoint.method.upper()} {self.endpoint.path}", self.endpoint.line)
        info: dict[str, Any] = {"title": title[0]}
        self.lines["/info"] = title[1]
        self.lines["/info/title"] = title[1]
        description = front.get("description")
        if isinstance(description, str) and description.strip():
            info["description"] = description.strip()
            self.lines["/info/description"] = self._front_matter_line("description")
        version = front.get("version")
        info["version"] = "" if version is None else str(version)
        self.lines["/info/version"] = self._front_matter_line("version")
        return info

    # -- tables --------------------------------------------------------------------------
    def _object(self, pointer: str, line: int) -> _Object:
        for existing in self.objects:
            if existing.pointer == pointer:
                return existing
        made = _Object(pointer, {"type": "object", "properties": {}}, line)
        self.lines.setdefault(pointer, line)
        self.objects.append(made)
        return made

    def _add_fields(self, target: _Object, fields: list[Field]) -> None:
        for item in fields:
            if item.name in target.fields:
                raise SpecgenError(
                    f"field {item.name!r} is described twice (first at line "
                    f"{target.fields[item.name].line})",
                    file=self.file,
                    line=item.line,
                )
            target.fields[item.name] = item
            pointer = join(target.pointer, "properties", item.name)
            target.schema["properties"][item.name] = item.schema
            self.lines[pointer] = item.line
            if item.required:
                required = target.schema.setdefault("required", [])
                self.lines.setdefault(join(target.pointer, "required"), item.line)
                self.lines[join(target.pointer, "required", len(required))] = item.line
                required.append(item.name)

    def _component_name(self, heading: Heading) -> str:
        words = heading_name(heading) or ["Object"]
        base = "".join(word[:1].upper() + word[1:] for word in words)
        name, number = base, 2
        while name in self.schemas:
            name, number = f"{base}{number}", number + 1
        return name

    def _parameter(self, place: str, item: Field) -> dict[str, Any]:
        schema = {k: v for k, v in item.schema.items() if k != "description"}
        parameter: dict[str, Any] = {"name": item.name, "in": place}
        if item.description:
            parameter["description"] = item.description
        if item.required is not None:
            parameter["required"] = item.required
        parameter["schema"] = schema
        return parameter

    def _field_blocks(
        self,
    ) -> list[tuple[int, tuple[Heading, ...], list[Field], FieldGroup | None]]:
        """Parameter tables and the other readers' field groups, in page order, with headings."""
        entries: list[tuple[int, tuple[Heading, ...], list[Field], FieldGroup | None]] = []
        for located in self.located:
            table = located.block
            if not isinstance(table, Table):
                continue
            columns = parameter_columns(table.header)
            if columns is not None:
                fields = read_fields(table, columns, self.file)
                entries.append((table.line, located.headings, fields, None))
        for group in self.groups:
            headings = headings_at(self.page, group.line)
            if group.title:
                headings = (*headings, Heading(len(headings) + 7, group.title, group.line))
            fields = [item.field() for item in group.fields]
            entries.append((group.line, headings, fields, group))
        return sorted(entries, key=lambda entry: entry[0])

    def read_tables(self) -> tuple[_Object | None, _Object | None, list[dict[str, Any]]]:
        """(request body object, response object, parameters) from the page's field blocks."""
        body: _Object | None = None
        response: _Object | None = None
        parameters: list[dict[str, Any]] = []
        field_keys: set[str] = set()
        op = self.operation_pointer
        for line, headings, fields, group in self._field_blocks():
            other = foreign_path(headings, self.endpoint)
            if other is not None:
                self._skipped(
                    line, f"the fields at line {line} describe {other}, not this endpoint"
                )
                continue
            if group is not None and group.place is not None:
                role = Role(group.place, headings[-1] if headings else None)
            else:
                role = table_role(headings, field_keys)
            for item in fields:
                field_keys |= singulars(name_key(item.name))
            if role.kind == "body":
                if body is None:
                    self.lines[join(op, "requestBody")] = line
                body = self._object(
                    join(op, "requestBody", "content", self.request_media, "schema"), line
                )
                self._add_fields(body, fields)
                if group is not None:
                    self.untyped.extend((body, item) for item in fields if says_nothing(item))
            elif role.kind == "response":
                response = self._object(
                    join(op, "responses", "200", "content", "application/json", "schema"), line
                )
                self._add_fields(response, fields)
            elif role.kind == "nested" and role.heading is not None:
                target = self._add_nested(role.heading, fields)
                if group is not None:
                    self.untyped.extend((target, item) for item in fields if says_nothing(item))
            else:
                for item in fields:
                    place = role.kind
                    if "{" + item.name + "}" in self.endpoint.path and place != "path":
                        self._skipped(
                            item.line,
                            f"{item.name!r} is listed as a {place} parameter but the path "
                            f"{self.endpoint.path} holds it; read as a path parameter",
                            rule="docs-path-parameter",
                        )
                        place = "path"
                    pointer = join(op, "parameters", len(parameters))
                    parameter = self._parameter(place, item)
                    if place == "path":
                        parameter["required"] = True
                    parameters.append(parameter)
                    self.lines[pointer] = item.line
                    self.lines[join(pointer, "name")] = item.line
        return body, response, parameters

    def _skipped(self, line: int, message: str, rule: str = "docs-section-skipped") -> None:
        self.notes.append(
            IngestNote(rule=rule, pointer="", message=message, level="warning", line=line)
        )

    def type_from_examples(self, examples: dict[str, Any]) -> None:
        """A body field the page names without a type takes the type its request examples (and
        a default its description states) show."""
        values = [e.get("value") for e in examples.values() if isinstance(e.get("value"), dict)]
        body = join(self.operation_pointer, "requestBody", "content", self.request_media, "schema")
        self._fill_types(body, values)

    def nested_types_from_examples(self, examples: dict[str, Any]) -> None:
        """Fields of a nested object take the types the examples show where a body field that
        holds that object (itself or as array items) appears."""
        values = [e.get("value") for e in examples.values() if isinstance(e.get("value"), dict)]
        pointer = join(
            self.operation_pointer, "requestBody", "content", self.request_media, "schema"
        )
        body = next((o for o in self.objects if o.pointer == pointer), None)
        if body is None:
            return
        for target, _words in self.nested.values():
            reference = "#/components/schemas/" + target.pointer.rsplit("/", 1)[-1]
            shown: list[Any] = []
            for name, schema in body.schema["properties"].items():
                if reference not in {schema.get("$ref"), (schema.get("items") or {}).get("$ref")}:
                    continue
                for value in values:
                    held = value.get(name)
                    shown.extend(held if isinstance(held, list) else [held])
            self._fill_types(target.pointer, [v for v in shown if isinstance(v, dict)])

    def _fill_types(self, pointer: str, values: list[dict[str, Any]]) -> None:
        for owner, item in self.untyped:
            if owner.pointer != pointer:
                continue
            seen = list(values)
            stated, default = prose_default(item.description)
            if stated and default is not None:
                seen.append({item.name: default})
            shown: dict[str, Any] = {}
            for value in seen:
                if item.name in value:
                    shown = merge_schemas(
                        shown, kind_of(infer_schema(value[item.name], "", "", {}, {}, 0))
                    )
            if item.schema.get("type") == "array":  # "a list of ...": only the items are unsaid
                shown = {"items": shown["items"]} if "items" in shown else {}
            if not shown:
                continue
            item.schema.update(shown)
            self.notes.append(
                IngestNote(
                    rule="docs-type-from-example",
                    pointer=join(owner.pointer, "properties", item.name),
                    message=f"the page gives {item.name!r} no type; its request examples show "
                    f"{shown}",
                    level="warning",
                    after=shown,
                    line=item.line,
                )
            )

    def _add_nested(self, heading: Heading, fields: list[Field]) -> _Object:
        known = self.nested.get(heading.line)
        if known is None:
            name = self._component_name(heading)
            target = self._object(join("", "components", "schemas", name), heading.line)
            self.schemas[name] = target.schema
            known = (target, [word.lower() for word in heading_name(heading)])
            self.nested[heading.line] = known
        self._add_fields(known[0], fields)
        return known[0]

    def link_nested(self) -> None:
        """Point each field a nested-object table belongs to at that table's component.

        A field belongs to ``X Object`` when its name or its type cell names X (``messages``,
        ``Message[]``, ``array of Message``), or failing that when its description speaks of
        "X objects"; a field whose type cannot hold an object is left alone.
        """
        for target, words in self.nested.values():
            base = "".join(words)
            if not base:
                continue
            reference = "#/components/schemas/" + target.pointer.rsplit("/", 1)[-1]
            owners = [o for o in self.objects if o is not target]
            by_name = [
                (owner, item)
                for owner in owners
                for item in owner.fields.values()
                if base in singulars(name_key(item.name)) or base == type_name_key(item.type_text)
            ]
            phrase = re.compile(rf"\b{re.escape(' '.join(words))}\s+objects?\b", re.I)
            matches = by_name or [
                (owner, item)
                for owner in owners
                for item in owner.fields.values()
                if phrase.search(item.description)
            ]
            for owner, item in matches:
                self._link(owner, item, reference, target.line)

    def _link(self, owner: _Object, item: Field, reference: str, line: int) -> None:
        schema = item.schema
        pointer = join(owner.pointer, "properties", item.name)
        kind = schema.get("type")
        if kind == "array" and "items" not in schema:
            schema["items"] = {"$ref": reference}
            self.lines[join(pointer, "items")] = line
        elif kind == "array" and schema["items"] == {"type": "object"}:
            schema["items"]["$ref"] = reference
            self.lines[join(pointer, "items", "$ref")] = line
        elif (kind in {None, "object"}) and "oneOf" not in schema and TYPE_TEXT not in schema:
            schema["$ref"] = reference
            self.lines[join(pointer, "$ref")] = line

    # -- examples ------------------------------------------------------------------------
    def read_curls(self) -> list[tuple[Fence, Curl, tuple[Heading, ...]]]:
        """The curl commands for this endpoint, with servers and security taken from them."""
        pattern = path_pattern(self.endpoint.path)
        curls: list[tuple[Fence, Curl, tuple[Heading, ...]]] = []
        if self.endpoint.origin:
            self._add_server(self.endpoint.origin, self.endpoint.line)
        for located in self.located:
            fence = located.block
            if not isinstance(fence, Fence) or not is_curl_fence(fence):
                continue
            curl = parse_curl(fence, self.file)
            if curl.url is not None:
                parts = urlsplit(curl.url)
                match = pattern.fullmatch(parts.path or "/")
                if match is None:
                    continue  # a command for another endpoint
                if parts.scheme and parts.netloc and _HOST.match(parts.netloc):
                    self._add_server(
                        f"{parts.scheme}://{parts.netloc}{match.group(1).rstrip('/')}",
                        curl.url_line,
                    )
            self._add_security(curl)
            for name, value, _line in curl.headers:
                if name.lower() == "content-type" and value.strip():
                    self.request_media = value.split(";", 1)[0].strip()
            if curl.is_json_flag:
                self.request_media = "application/json"
            curls.append((fence, curl, located.headings))
        return curls

    def _add_server(self, url: str, line: int) -> None:
        if url not in self.servers:
            self.lines[join("", "servers", len(self.servers))] = line
            self.servers.append(url)

    def _add_security(self, curl: Curl) -> None:
        requirement: dict[str, list[str]] = {}
        first_line = 0
        for name, value, line in curl.headers:
            scheme_name, scheme = auth_scheme(name, value)
            if scheme_name is None:
                continue
            first_line = first_line or line
            if scheme_name not in self.security_schemes:
                self.security_schemes[scheme_name] = scheme
                self.lines[join("", "components", "securitySchemes", scheme_name)] = line
            requirement[scheme_name] = []
        if requirement and requirement not in self.security:
            self.lines[join("", "security", len(self.security))] = first_line
            self.security.append(requirement)

    def _example(self, text: str, first_line: int, what: str) -> Any:
        """An example's value; on a docs page, one that is not JSON (elided with ``...``, a
        stream of objects) is left out with a warning instead of refusing the page."""
        try:
            return load_json(text, file=self.file, first_line=first_line, what=what)
        except SpecgenError as error:
            if not self.tolerant:
                raise
            self._skipped(
                error.line or first_line,
                f"{error.message}; the example is left out",
                rule="docs-example-skipped",
            )
            return _UNREADABLE

    def request_examples(
        self, curls: list[tuple[Fence, Curl, tuple[Heading, ...]]]
    ) -> dict[str, Any]:
        examples: dict[str, Any] = {}
        media = join(self.operation_pointer, "requestBody", "content", self.request_media)
        found: list[tuple[Any, str, int, int, tuple[Heading, ...]]] = []
        for curl_fence, curl, headings in curls:
            if curl.data is not None and curl.data.lstrip()[:1] in {"{", "["}:
                value = self._example(curl.data, curl.data_line, "curl request body")
                if value is _UNREADABLE:
                    continue
                found.append((value, curl.data, curl_fence.opening_line, curl.data_line, headings))
        for located in self.located:
            fence = located.block
            if (
                isinstance(fence, Fence)
                and is_json_fence(fence)
                and example_role(located.headings) == "request"
            ):
                value = self._example(fence.content, fence.first_line, "request example")
                if value is _UNREADABLE:
                    continue
                found.append(
                    (value, fence.content, fence.opening_line, fence.first_line, located.headings)
                )
        for value, text, opening, first, headings in sorted(found, key=lambda item: item[2]):
            name = slug(headings[-1].text if headings else "example", examples)
            example: dict[str, Any] = {}
            if headings:
                example["summary"] = headings[-1].text
            example["value"] = value
            examples[name] = example
            pointer = join(media, "examples", name)
            self.lines[pointer] = opening
            self.lines[join(pointer, "value")] = first
            for sub, line in json_lines(text, file=self.file, first_line=first).items():
                self.lines[join(pointer, "value") + sub] = line
        return examples

    def response_examples(self) -> list[tuple[Fence, Any, tuple[Heading, ...]]]:
        found: list[tuple[Fence, Any, tuple[Heading, ...]]] = []
        for located in self.located:
            fence = located.block
            if (
                isinstance(fence, Fence)
                and is_json_fence(fence)
                and example_role(located.headings) == "response"
            ):
                value = self._example(fence.content, fence.first_line, "response example")
                if value is _UNREADABLE:
                    continue
                found.append((fence, value, located.headings))
        return found

    def json_response(self, table_object: _Object | None) -> dict[str, Any] | None:
        """The 200 ``application/json`` media type: table schema or inferred one, plus examples."""
        examples = self.response_examples()
        if table_object is None and not examples:
            return None
        media = join(self.operation_pointer, "responses", "200", "content", "application/json")
        content: dict[str, Any] = {}
        if table_object is not None:
            content["schema"] = table_object.schema
            self.lines.setdefault(media, table_object.line)
        else:
            inferred: dict[str, Any] = {}
            for fence, value, _headings in examples:
                value_lines = json_lines(fence.content, file=self.file, first_line=fence.first_line)
                inferred = merge_schemas(
                    inferred,
                    infer_schema(
                        value,
                        "",
                        join(media, "schema"),
                        value_lines,
                        self.lines,
                        fence.opening_line,
                    ),
                )
            content["schema"] = inferred
            self.lines.setdefault(media, examples[0][0].opening_line)
        if len(examples) == 1:
            fence, value, _headings = examples[0]
            content["example"] = value
            self._example_lines(join(media, "example"), fence)
        elif examples:
            named: dict[str, Any] = {}
            for fence, value, headings in examples:
                name = slug(headings[-1].text if headings else "example", named)
                named[name] = {"value": value}
                self.lines[join(media, "examples", name)] = fence.opening_line
                self._example_lines(join(media, "examples", name, "value"), fence)
            content["examples"] = named
        return content

    def _example_lines(self, pointer: str, fence: Fence) -> None:
        self.lines[pointer] = fence.opening_line
        for sub, line in json_lines(
            fence.content, file=self.file, first_line=fence.first_line
        ).items():
            if sub:
                self.lines[pointer + sub] = line

    def streaming_paragraph(self) -> Paragraph | None:
        for block in self.page.blocks:
            if isinstance(block, Paragraph) and _STREAMING.search(block.text):
                return block
        return None

    def error_responses(self) -> list[tuple[str, str, int]]:
        found: list[tuple[str, str, int]] = []
        for table in self.page.tables():
            if parameter_columns(table.header) is not None:
                continue
            columns = status_columns(table)
            if columns is None:
                continue
            code_column, description_column = columns
            for row in table.rows:
                match = STATUS.match(plain(cell(row.cells, code_column)))
                assert match is not None  # status_columns checked every row
                description = cell(row.cells, description_column) or match.group(2).strip()
                found.append((match.group(1), description, row.line))
        return found

    # -- assembly ------------------------------------------------------------------------
    def responses(self, table_object: _Object | None) -> dict[str, Any]:
        op = self.operation_pointer
        responses: dict[str, Any] = {}
        json_content = self.json_response(table_object)
        stream = self.streaming_paragraph()
        if json_content is not None or stream is not None:
            ok: dict[str, Any] = {"description": "", "content": {}}
            if json_content is not None:
                ok["content"]["application/json"] = json_content
            if stream is not None:
                pointer = join(op, "responses", "200", "content", "text/event-stream")
                ok["content"]["text/event-stream"] = {}
                self.lines[pointer] = stream.line
            first = min(
                line
                for pointer, line in self.lines.items()
                if pointer.startswith(join(op, "responses", "200", "content") + "/")
            )
            self.lines.setdefault(join(op, "responses", "200"), first)
            responses["200"] = ok
        for code, description, line in self.error_responses():
            pointer = join(op, "responses", code)
            if code in responses:
                existing = responses[code]["description"]
                responses[code]["description"] = (
                    f"{existing}; {description}" if existing else description
                )
            else:
                responses[code] = {"description": description}
                self.lines[pointer] = line
                self.lines[join(pointer, "description")] = line
        return responses

    def build(self) -> dict[str, Any]:
        endpoint = self.endpoint
        op = self.operation_pointer
        self.lines[join("", "paths", endpoint.path)] = endpoint.line
        self.lines[op] = endpoint.line
        info = self._info()
        curls = self.read_curls()
        body, response_object, parameters = self.read_tables()
        examples = self.request_examples(curls)
        self.type_from_examples(examples)
        self.link_nested()
        self.nested_types_from_examples(examples)
        operation: dict[str, Any] = {}
        title = self._title()
        if title is not None:
            operation["summary"] = title[0]
            self.lines[join(op, "summary")] = title[1]
        intro = self._intro()
        if intro is not None:
            operation["description"] = intro.text
            self.lines[join(op, "description")] = intro.line
        if parameters:
            operation["parameters"] = parameters
        if body is not None or examples:
            media: dict[str, Any] = {}
            if body is not None:
                media["schema"] = body.schema
            if examples:
                media["examples"] = examples
                example_pointer = join(
                    op,
                    "requestBody",
                    "content",
                    self.request_media,
                    "examples",
                    next(iter(examples)),
                )
                self.lines.setdefault(join(op, "requestBody"), self.lines[example_pointer])
            operation["requestBody"] = {"content": {self.request_media: media}}
        responses = self.responses(response_object)
        if responses:
            operation["responses"] = responses
        return openapi_document(
            info,
            self.servers,
            self.security,
            {endpoint.path: {endpoint.method: operation}},
            self.schemas,
            self.security_schemes,
        )


def openapi_document(
    info: dict[str, Any],
    servers: list[str],
    security: list[dict[str, list[str]]],
    paths: dict[str, Any],
    schemas: dict[str, Any],
    security_schemes: dict[str, Any],
) -> dict[str, Any]:
    """The document a page's parts make, with only the sections they fill."""
    document: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": info}
    if servers:
        document["servers"] = [{"url": url} for url in servers]
    if security:
        document["security"] = security
    document["paths"] = paths
    components: dict[str, Any] = {}
    if schemas:
        components["schemas"] = schemas
    if security_schemes:
        components["securitySchemes"] = security_schemes
    if components:
        document["components"] = components
    return document


def read(source: SourceText) -> ReaderOutput:
    page = parse_markdown(source)
    endpoint = find_endpoint(page)
    if endpoint is None:
        raise SpecgenError(
            "no endpoint line (such as 'POST /v1/chat/completions') on this page",
            file=source.path,
            line=1,
        )
    document, lines, notes = read_section(source, page, endpoint)
    return ReaderOutput(document=document, lines=complete_lines(document, lines), notes=notes)


def read_section(
    source: SourceText,
    page: MarkdownPage,
    endpoint: Endpoint,
    groups: Sequence[FieldGroup] = (),
    schemas: dict[str, Any] | None = None,
    *,
    tolerant: bool = False,
) -> tuple[dict[str, Any], dict[str, int], tuple[IngestNote, ...]]:
    """The document one endpoint's part of a page describes, with its lines and notes.

    ``groups`` are fields other readers found in that part; ``schemas`` is shared by the parts of
    one page so their component names never collide; ``tolerant`` leaves out examples that are
    not JSON instead of refusing the page.
    """
    reader = _PageReader(source, page, endpoint, groups, tolerant=tolerant)
    if schemas is not None:
        reader.schemas = schemas
    document = reader.build()
    return document, reader.lines, tuple(reader.notes)
