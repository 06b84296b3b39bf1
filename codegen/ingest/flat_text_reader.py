"""Reader 3: a rendered API docs page (docusaurus-openapi style) flattened to plain text.

The page becomes one OpenAPI 3.1 operation that says what the page says, defects included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import SpecgenError
from ..jsonpointer import join
from .reader import ReaderOutput
from .source import SourceText

NAME = "flat-text"

OPENAPI_VERSION = "3.1.0"
DEFAULT_MEDIA_TYPE = "application/json"
DEFAULT_STATUS = "200"

# Page chrome a text dump of a rendered docs site carries around the reference itself.
_NOISE = frozenset({"Skip to main content", "Loading...", "Loading…"})
_BULLET = "•"
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
_COMPOSITIONS = ("oneOf", "anyOf", "allOf")
_FLAG_WORDS = ("required", "nullable", "deprecated")
_POSSIBLE = "Possible values:"
_DEFAULT = "Default value:"

_NAME = r"[A-Za-z_$][\w$-]*(?:\.[\w$-]+)*"
_TYPE = (
    r"(?P<base>string|number|integer|boolean|object|array|null)"
    r"(?:<(?P<format>[^<>\s]+)>)?(?P<arrays>(?:\[\])*)"
)
_FLAGS = r"(?P<flags>(?:required|nullable|deprecated)*)"
_GLUED_FIELD = re.compile(rf"^(?P<name>{_NAME})\s+(?:{_TYPE})?{_FLAGS}$")
_TYPE_LINE = re.compile(rf"^{_TYPE}{_FLAGS}$")
_NAME_LINE = re.compile(rf"^{_NAME}$")
_FLAG_LINE = re.compile(r"^(?:required|nullable|deprecated)+$")
_METHOD_LINE = re.compile(rf"^(?P<method>{'|'.join(_METHODS)})(?:\s+(?P<path>/\S*))?$")
_PATH_LINE = re.compile(r"^/\S*$")
_BODY_LINE = re.compile(r"^Body(?:\s*(?P<required>required))?$")
_MEDIA_LINE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[\w.+*-]+$")
_PARAMETERS_LINE = re.compile(r"^(?P<location>Path|Query|Header|Cookie) Parameters$")
_STATUS_LINE = re.compile(r"^(?:[1-5]\d\d|[1-5]XX|default)$")
_BOUND = re.compile(r"^(?P<op>>=|<=|>|<)\s*(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$")
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")

_BOUND_KEYWORDS = {
    ">=": "minimum",
    ">": "exclusiveMinimum",
    "<=": "maximum",
    "<": "exclusiveMaximum",
}
_NUMERIC = ("integer", "number")
_KEY_ORDER = (
    "type",
    "format",
    "description",
    "enum",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "default",
    "deprecated",
    "oneOf",
    "anyOf",
    "allOf",
    "items",
    "properties",
    "required",
)


@dataclass(frozen=True)
class _Line:
    """One non-blank, non-noise line: its text without indentation or list bullet."""

    number: int
    indent: int
    text: str


@dataclass
class _Paragraph:
    text: str
    first: int
    last: int


@dataclass(frozen=True)
class _Type:
    base: str | None
    format: str | None
    depth: int
    line: int

    @property
    def is_array(self) -> bool:
        return self.depth > 0 or self.base == "array"

    @property
    def item_base(self) -> str | None:
        return self.base if self.depth > 0 else None


@dataclass
class _Items:
    """An ``Array [`` ... ``]`` block: the fields of an array's items."""

    line: int
    children: list[_Field] = field(default_factory=list)
    composition: tuple[str, int] | None = None


@dataclass
class _Composition:
    keyword: str
    line: int
    variants: list[tuple[_Type, int | None]] = field(default_factory=list)


@dataclass
class _Field:
    name: str
    line: int
    indent: int
    type: _Type | None = None
    flags: dict[str, int] = field(default_factory=dict)
    paragraphs: list[_Paragraph] = field(default_factory=list)
    enum: tuple[list[str], int] | None = None
    bounds: tuple[list[tuple[str, str]], int] | None = None
    default: tuple[str, int] | None = None
    children: list[_Field] = field(default_factory=list)
    items: _Items | None = None
    composition: _Composition | None = None
    # Set when the lines after the header show a ``oneOf`` rather than properties.
    holds_composition: bool = False

    @property
    def opens_object(self) -> bool:
        return (
            self.type is not None
            and self.type.base == "object"
            and self.type.depth == 0
            and not self.holds_composition
        )

    @property
    def is_numeric(self) -> bool:
        return (
            self.type is not None
            and self.type.depth == 0
            and self.type.base in _NUMERIC
            and self.composition is None
        )

    @property
    def takes_enum(self) -> bool:
        scalar = self.type is None or (
            self.type.depth == 0 and self.type.base in ("string", "integer", "number", "boolean")
        )
        return scalar and self.composition is None


@dataclass
class _Scope:
    kind: Literal["root", "items", "object"]
    fields: list[_Field]
    owner: _Field | None
    indent: int
    line: int
    # Where this object's first field sat: deeper than the opener means the page indents.
    child_indent: int | None = None


@dataclass
class _Region:
    """The fields under ``Body``, a parameter list, or a response's ``Schema``."""

    line: int
    fields: list[_Field] = field(default_factory=list)
    paragraphs: list[_Paragraph] = field(default_factory=list)


@dataclass(frozen=True)
class _Body:
    region: _Region
    required_line: int | None
    media: str


@dataclass(frozen=True)
class _Parameters:
    """A ``Path Parameters`` (Query, Header, Cookie) list: each field is one parameter."""

    location: str
    region: _Region


@dataclass(frozen=True)
class _Response:
    status: str
    line: int
    paragraphs: list[_Paragraph]
    region: _Region | None
    media: str


def _content_lines(source: SourceText) -> list[_Line]:
    lines: list[_Line] = []
    for number, raw in enumerate(source.lines, start=1):
        expanded = raw.expandtabs(4).rstrip()
        text = expanded.lstrip()
        if text.startswith(_BULLET):
            text = text[len(_BULLET) :].lstrip()
        if not text or text in _NOISE:
            continue
        lines.append(_Line(number=number, indent=len(expanded) - len(text), text=text))
    return lines


def _find_operation(lines: list[_Line]) -> tuple[int, str, str, int] | None:
    """(index of the method line, method, path, index of the path line) of the first operation."""
    for index, line in enumerate(lines):
        match = _METHOD_LINE.match(line.text)
        if not match:
            continue
        if match.group("path"):
            return index, match.group("method"), match.group("path"), index
        if index + 1 < len(lines) and _PATH_LINE.match(lines[index + 1].text):
            return index, match.group("method"), lines[index + 1].text, index + 1
    return None


def _parse_type(match: re.Match[str], line: int) -> _Type | None:
    if not match.group("base"):
        return None
    return _Type(
        base=match.group("base"),
        format=match.group("format"),
        depth=len(match.group("arrays") or "") // 2,
        line=line,
    )


def _flag_words(text: str) -> list[str]:
    return re.findall("|".join(_FLAG_WORDS), text)


def claims(source: SourceText) -> bool:
    """A method line, a path line, then Request/Responses sections holding field lines."""
    lines = _content_lines(source)
    found = _find_operation(lines)
    if found is None:
        return False
    rest = lines[found[3] + 1 :]
    has_section = any(line.text in ("Request", "Responses") for line in rest)
    has_fields = any(_GLUED_FIELD.match(line.text) or _TYPE_LINE.match(line.text) for line in rest)
    return has_section and has_fields


def read(source: SourceText) -> ReaderOutput:
    return _PageReader(source).read()


class _PageReader:
    def __init__(self, source: SourceText) -> None:
        self.path = source.path
        self.lines = _content_lines(source)
        self.pos = 0
        self.out_lines: dict[str, int] = {}

    def _error(self, message: str, line: int) -> SpecgenError:
        return SpecgenError(message, file=self.path, line=line)

    def _peek(self) -> _Line | None:
        return self.lines[self.pos] if self.pos < len(self.lines) else None

    # -- reading the page ------------------------------------------------------------------

    def read(self) -> ReaderOutput:
        found = _find_operation(self.lines)
        if found is None:
            raise self._error("no HTTP method line followed by a path line", 1)
        method_index, method, path, path_index = found
        if method_index == 0:
            raise self._error("no page title before the HTTP method line", self.lines[0].number)
        title = self.lines[method_index - 1]
        method_line = self.lines[method_index].number
        path_line = self.lines[path_index].number
        self.pos = path_index + 1
        description = self._paragraphs_until({"Request", "Responses"})
        parameters: list[_Parameters] = []
        request: _Body | None = None
        response: _Response | None = None
        line = self._peek()
        if line is None:
            raise self._error("no Request or Responses section after the path", path_line)
        if line.text == "Request":
            parameters, request = self._read_request()
            line = self._peek()
        if line is not None and line.text == "Responses":
            response = self._read_response()

        operation_pointer = join("/paths", path, method.lower())
        operation: dict[str, Any] = {"summary": title.text}
        self._record(join(operation_pointer, "summary"), title.number)
        if description:
            operation["description"] = self._prose(description)
            self._record(join(operation_pointer, "description"), description[0].first)
        if parameters:
            operation["parameters"] = self._parameters(
                parameters, join(operation_pointer, "parameters")
            )
        if request is not None:
            operation["requestBody"] = self._request_body(
                request, join(operation_pointer, "requestBody")
            )
        if response is not None:
            operation["responses"] = self._responses(response, join(operation_pointer, "responses"))
        document: dict[str, Any] = {
            "openapi": OPENAPI_VERSION,
            # The page names no API and no version; its title is the only title it has.
            "info": {"title": title.text, "version": ""},
            "paths": {path: {method.lower(): operation}},
        }
        for pointer in ("", "/openapi", "/info", "/info/title", "/info/version"):
            self._record(pointer, title.number)
        self._record("/paths", path_line)
        self._record(join("/paths", path), path_line)
        self._record(operation_pointer, method_line)
        return ReaderOutput(document=document, lines=self.out_lines)

    def _paragraphs_until(self, stops: set[str]) -> list[_Paragraph]:
        paragraphs: list[_Paragraph] = []
        while (line := self._peek()) is not None and line.text not in stops:
            _add_prose(paragraphs, line)
            self.pos += 1
        return paragraphs

    def _read_request(self) -> tuple[list[_Parameters], _Body | None]:
        request_line = self.lines[self.pos].number
        self.pos += 1
        parameters: list[_Parameters] = []
        section_stops = {"Body", "Responses"} | {
            f"{where} Parameters" for where in ("Path", "Query", "Header", "Cookie")
        }
        while (line := self._peek()) is not None and (match := _PARAMETERS_LINE.match(line.text)):
            self.pos += 1
            region = self._read_fields(line.number, stops=section_stops)
            parameters.append(_Parameters(match.group("location").lower(), region))
        body = self._peek()
        match = _BODY_LINE.match(body.text) if body is not None else None
        if body is None or match is None:
            if parameters and (body is None or body.text == "Responses"):
                return parameters, None
            raise self._error(
                "expected 'Body' or a parameter list after 'Request'",
                body.number if body is not None else request_line,
            )
        self.pos += 1
        required_line = body.number if match.group("required") else None
        media = DEFAULT_MEDIA_TYPE
        while (line := self._peek()) is not None:
            if line.text == "required" and required_line is None:
                required_line = line.number
            elif _MEDIA_LINE.match(line.text):
                media = line.text
            else:
                break
            self.pos += 1
        region = self._read_fields(body.number, stops={"Responses"})
        return parameters, _Body(region, required_line, media)

    def _read_response(self) -> _Response:
        responses_line = self.lines[self.pos].number
        self.pos += 1
        status = DEFAULT_STATUS
        line = self._peek()
        if line is not None and _STATUS_LINE.match(line.text):
            status = line.text
            self.pos += 1
        paragraphs: list[_Paragraph] = []
        media = DEFAULT_MEDIA_TYPE
        while (line := self._peek()) is not None and line.text != "Schema":
            if _MEDIA_LINE.match(line.text):
                media = line.text
            else:
                _add_prose(paragraphs, line)
            self.pos += 1
        region: _Region | None = None
        if line is not None:
            self.pos += 1
            region = self._read_fields(line.number, stops=set())
        return _Response(status, responses_line, paragraphs, region, media)

    def _read_fields(self, region_line: int, stops: set[str]) -> _Region:
        """Read field lines into a tree; ``Array [``, ``]``, indentation and order nest them."""
        region = _Region(line=region_line)
        scopes = [_Scope("root", region.fields, None, -1, region_line)]
        last: _Field | None = None
        variants_for: _Field | None = None
        while (line := self._peek()) is not None and line.text not in stops:
            text = line.text
            self.pos += 1
            if variants_for is not None:
                variant = _TYPE_LINE.match(text)
                composition = variants_for.composition
                if variant is not None and composition is not None:
                    variant_type = _parse_type(variant, line.number)
                    if variant_type is not None:
                        nullable = (
                            line.number
                            if "nullable" in _flag_words(variant.group("flags"))
                            else None
                        )
                        composition.variants.append((variant_type, nullable))
                        continue
                variants_for = None
            if text == "Array [":
                owner = last
                if owner is None or owner.type is None or not owner.type.is_array:
                    shown = f"field {owner.name!r}" if owner is not None else "nothing"
                    raise self._error(f"'Array [' follows {shown}, not an array field", line.number)
                if owner.items is not None:
                    raise self._error(f"second 'Array [' for field {owner.name!r}", line.number)
                owner.items = _Items(line=line.number)
                scopes.append(
                    _Scope("items", owner.items.children, owner, line.indent, line.number)
                )
                last = None
            elif text == "]":
                while scopes[-1].kind == "object":
                    scopes.pop()
                if scopes[-1].kind != "items":
                    raise self._error("']' closes no open 'Array ['", line.number)
                last = scopes.pop().owner
            elif text in _COMPOSITIONS:
                top = scopes[-1]
                if (
                    top.kind == "items"
                    and last is None
                    and not top.fields
                    and top.owner is not None
                    and top.owner.items is not None
                    and top.owner.items.composition is None
                ):
                    top.owner.items.composition = (text, line.number)
                elif last is not None and last.holds_composition and last.composition is None:
                    last.composition = _Composition(text, line.number)
                    variants_for = last
                else:
                    raise self._error(
                        f"'{text}' here is neither the start of an array's items "
                        "nor the alternatives of an object field",
                        line.number,
                    )
            elif text.startswith(_POSSIBLE) and last is not None:
                _possible_values(last, text, line)
            elif text.startswith(_DEFAULT) and last is not None and last.default is None:
                last.default = (text[len(_DEFAULT) :].strip(), line.number)
            elif _GLUED_FIELD.match(text) or (
                _NAME_LINE.match(text) and not _FLAG_LINE.match(text)
            ):
                last = self._read_field_header(line)
                self._place(last, scopes)
            else:
                target = last or scopes[-1].owner
                _add_prose(target.paragraphs if target is not None else region.paragraphs, line)
        for scope in reversed(scopes):
            if scope.kind == "items":
                raise self._error("'Array [' is never closed with ']'", scope.line)
        return region

    def _read_field_header(self, line: _Line) -> _Field:
        """The field line, and the type and flag lines under it when they are split out."""
        glued = _GLUED_FIELD.match(line.text)
        current = _Field(name=line.text, line=line.number, indent=line.indent)
        if glued is not None:
            current.name = glued.group("name")
            current.type = _parse_type(glued, line.number)
            _set_flags(current, glued.group("flags"), line.number)
        else:
            following = self._peek()
            typed = _TYPE_LINE.match(following.text) if following is not None else None
            if following is not None and typed is not None and typed.group("base"):
                current.type = _parse_type(typed, following.number)
                _set_flags(current, typed.group("flags"), following.number)
                self.pos += 1
        while (following := self._peek()) is not None and _FLAG_LINE.match(following.text):
            _set_flags(current, following.text, following.number)
            self.pos += 1
        kind = current.type
        current.holds_composition = self._composition_follows() and (
            kind is None or (kind.base == "object" and kind.depth == 0)
        )
        return current

    def _composition_follows(self) -> bool:
        """Whether the next structural line (field, marker) after a header is ``oneOf`` & co."""
        for line in self.lines[self.pos :]:
            text = line.text
            if text in _COMPOSITIONS:
                return True
            if text.startswith((_POSSIBLE, _DEFAULT)):
                continue
            if text in ("Array [", "]") or _GLUED_FIELD.match(text) or _NAME_LINE.match(text):
                return False
        return False

    def _place(self, current: _Field, scopes: list[_Scope]) -> None:
        """Put a field into the object it belongs to, and open its own object when it has one.

        A flattened page has no marker where an object's fields end. Where the page indents an
        object's fields, indentation decides. Where it does not (the usual flat dump), an
        ``object`` field nests only as the first field of the open object; after that object's
        other fields it closes the open objects and becomes their sibling, since a docs renderer
        lists a nested object's fields and then goes on with its parent's. Only ``]`` and the
        end of the section close an array's items.
        """
        while scopes[-1].kind == "object":
            top = scopes[-1]
            if current.indent < top.indent:
                scopes.pop()
                continue
            if top.child_indent is None or current.indent > top.indent:
                break
            if top.child_indent > top.indent or current.opens_object:
                scopes.pop()
                continue
            break
        top = scopes[-1]
        if any(sibling.name == current.name for sibling in top.fields):
            raise self._error(
                f"field {current.name!r} listed twice in the same object", current.line
            )
        if top.child_indent is None:
            top.child_indent = current.indent
        top.fields.append(current)
        if current.opens_object:
            scopes.append(_Scope("object", current.children, current, current.indent, current.line))

    # -- writing OpenAPI ----------------------------------------------------------------------

    def _record(self, pointer: str, line: int) -> None:
        self.out_lines[pointer] = line

    def _record_value(self, pointer: str, value: Any, line: int) -> None:
        self._record(pointer, line)
        if isinstance(value, list):
            for index, item in enumerate(value):
                self._record_value(join(pointer, index), item, line)
        elif isinstance(value, dict):
            for key, item in value.items():
                self._record_value(join(pointer, key), item, line)

    def _prose(self, paragraphs: list[_Paragraph]) -> str:
        return "\n\n".join(paragraph.text for paragraph in paragraphs)

    def _parameters(self, lists: list[_Parameters], pointer: str) -> list[dict[str, Any]]:
        self._record(pointer, lists[0].region.line)
        parameters: list[dict[str, Any]] = []
        for listed in lists:
            for current in listed.region.fields:
                parameter_pointer = join(pointer, len(parameters))
                self._record(parameter_pointer, current.line)
                parameter: dict[str, Any] = {"name": current.name, "in": listed.location}
                self._record(join(parameter_pointer, "name"), current.line)
                self._record(join(parameter_pointer, "in"), listed.region.line)
                if "required" in current.flags:
                    parameter["required"] = True
                    self._record(join(parameter_pointer, "required"), current.flags["required"])
                schema_pointer = join(parameter_pointer, "schema")
                schema = self._field_schema(current, schema_pointer)
                if "description" in schema:
                    # A parameter's prose belongs to the parameter, not to its schema.
                    parameter["description"] = schema.pop("description")
                    line = self.out_lines.pop(join(schema_pointer, "description"))
                    self._record(join(parameter_pointer, "description"), line)
                parameter["schema"] = schema
                parameters.append(parameter)
        return parameters

    def _request_body(self, request: _Body, pointer: str) -> dict[str, Any]:
        body: dict[str, Any] = {}
        self._record(pointer, request.region.line)
        if request.required_line is not None:
            body["required"] = True
            self._record(join(pointer, "required"), request.required_line)
        body["content"] = self._content(request.region, request.media, join(pointer, "content"))
        return body

    def _responses(self, response: _Response, pointer: str) -> dict[str, Any]:
        self._record(pointer, response.line)
        status_pointer = join(pointer, response.status)
        self._record(status_pointer, response.line)
        paragraphs = response.paragraphs
        entry: dict[str, Any] = {"description": self._prose(paragraphs)}
        self._record(
            join(status_pointer, "description"),
            paragraphs[0].first if paragraphs else response.line,
        )
        if response.region is not None:
            entry["content"] = self._content(
                response.region, response.media, join(status_pointer, "content")
            )
        return {response.status: entry}

    def _content(self, region: _Region, media: str, pointer: str) -> dict[str, Any]:
        self._record(pointer, region.line)
        media_pointer = join(pointer, media)
        self._record(media_pointer, region.line)
        schema_pointer = join(media_pointer, "schema")
        schema: dict[str, Any] = {"type": "object"}
        self._record(schema_pointer, region.line)
        self._record(join(schema_pointer, "type"), region.line)
        if region.paragraphs:
            schema["description"] = self._prose(region.paragraphs)
            self._record(join(schema_pointer, "description"), region.paragraphs[0].first)
        self._members(schema, schema_pointer, region.fields)
        return {media: {"schema": schema}}

    def _members(self, node: dict[str, Any], pointer: str, children: list[_Field]) -> None:
        if not children:
            return
        properties: dict[str, Any] = {}
        node["properties"] = properties
        self._record(join(pointer, "properties"), children[0].line)
        required: list[str] = []
        for child in children:
            properties[child.name] = self._field_schema(
                child, join(pointer, "properties", child.name)
            )
            if "required" in child.flags:
                if not required:
                    self._record(join(pointer, "required"), child.flags["required"])
                self._record(join(pointer, "required", len(required)), child.flags["required"])
                required.append(child.name)
        if required:
            node["required"] = required
        _order_keys(node)

    def _field_schema(self, current: _Field, pointer: str) -> dict[str, Any]:
        schema: dict[str, Any] = {}
        self._record(pointer, current.line)
        nullable = "nullable" in current.flags
        inner, inner_pointer = schema, pointer
        if current.composition is not None:
            self._composition(
                schema, pointer, current.composition, nullable, current.flags.get("nullable")
            )
        elif current.type is not None:
            inner, inner_pointer = self._typed(schema, pointer, current.type, nullable)
        if current.paragraphs:
            schema["description"] = self._prose(current.paragraphs)
            self._record(join(pointer, "description"), current.paragraphs[0].first)
        if current.enum is not None:
            values, line = current.enum
            enum = _typed_enum(values, current.type, nullable)
            schema["enum"] = enum
            self._record_value(join(pointer, "enum"), enum, line)
        if current.bounds is not None:
            bounds, line = current.bounds
            for operator, number in bounds:
                keyword = _BOUND_KEYWORDS[operator]
                schema[keyword] = _number(number)
                self._record(join(pointer, keyword), line)
        if current.default is not None:
            text, line = current.default
            schema["default"] = _typed_default(text, current.type, nullable)
            self._record_value(join(pointer, "default"), schema["default"], line)
        if "deprecated" in current.flags:
            schema["deprecated"] = True
            self._record(join(pointer, "deprecated"), current.flags["deprecated"])
        if current.items is not None:
            self._items(current, inner, inner_pointer)
        elif current.children:
            self._members(inner, inner_pointer, current.children)
        _order_keys(schema)
        return schema

    def _typed(
        self, schema: dict[str, Any], pointer: str, kind: _Type, nullable: bool
    ) -> tuple[dict[str, Any], str]:
        """Write the type (arrays as nested ``items``); return the innermost schema."""
        node, node_pointer = schema, pointer
        for level in range(kind.depth):
            node["type"] = ["array", "null"] if nullable and level == 0 else "array"
            self._record_value(join(node_pointer, "type"), node["type"], kind.line)
            child: dict[str, Any] = {}
            node["items"] = child
            node_pointer = join(node_pointer, "items")
            self._record(node_pointer, kind.line)
            node = child
        if kind.base is not None:
            node["type"] = [kind.base, "null"] if nullable and kind.depth == 0 else kind.base
            self._record_value(join(node_pointer, "type"), node["type"], kind.line)
        if kind.format is not None:
            node["format"] = kind.format
            self._record(join(node_pointer, "format"), kind.line)
        return node, node_pointer

    def _composition(
        self,
        schema: dict[str, Any],
        pointer: str,
        composition: _Composition,
        nullable: bool,
        nullable_line: int | None,
    ) -> None:
        if not composition.variants:
            raise self._error(f"'{composition.keyword}' lists no alternatives", composition.line)
        variants: list[dict[str, Any]] = []
        list_pointer = join(pointer, composition.keyword)
        self._record(list_pointer, composition.line)
        for index, (kind, variant_nullable) in enumerate(composition.variants):
            variant: dict[str, Any] = {}
            variant_pointer = join(list_pointer, index)
            self._record(variant_pointer, kind.line)
            self._typed(variant, variant_pointer, kind, variant_nullable is not None)
            variants.append(variant)
        if nullable and nullable_line is not None:
            variants.append({"type": "null"})
            self._record_value(join(list_pointer, len(variants) - 1), variants[-1], nullable_line)
        schema[composition.keyword] = variants

    def _items(self, owner: _Field, inner: dict[str, Any], inner_pointer: str) -> None:
        """Fill an array's items from its ``Array [`` block (``inner`` is the items schema)."""
        block = owner.items
        assert block is not None
        if owner.type is not None and owner.type.depth == 0:
            # A bare ``array`` type: the block is the only word on what the items are.
            items: dict[str, Any] = {}
            inner["items"] = items
            inner, inner_pointer = items, join(inner_pointer, "items")
            self._record(inner_pointer, block.line)
        item_base = owner.type.item_base if owner.type is not None else None
        if block.children and item_base not in (None, "object"):
            raise self._error(
                f"'Array [' lists fields, but the items of {owner.name!r} are {item_base}",
                block.line,
            )
        if block.composition is not None:
            keyword, line = block.composition
            variant: dict[str, Any] = {
                key: inner.pop(key) for key in ("type", "format") if key in inner
            }
            moved = {
                pointer: number
                for pointer, number in self.out_lines.items()
                if pointer.startswith(inner_pointer + "/")
            }
            for pointer in moved:
                del self.out_lines[pointer]
            variant_pointer = join(inner_pointer, keyword, 0)
            for pointer, number in moved.items():
                self._record(variant_pointer + pointer[len(inner_pointer) :], number)
            inner[keyword] = [variant]
            self._record(join(inner_pointer, keyword), line)
            self._record(variant_pointer, line)
            self._members(variant, variant_pointer, block.children)
        else:
            self._members(inner, inner_pointer, block.children)


def _add_prose(paragraphs: list[_Paragraph], line: _Line) -> None:
    """Consecutive lines form one paragraph; a blank line (or anything between) starts another."""
    if paragraphs and paragraphs[-1].last == line.number - 1:
        paragraphs[-1].text += "\n" + line.text
        paragraphs[-1].last = line.number
    else:
        paragraphs.append(_Paragraph(text=line.text, first=line.number, last=line.number))


def _set_flags(current: _Field, text: str, line: int) -> None:
    for word in _flag_words(text):
        current.flags.setdefault(word, line)


def _possible_values(current: _Field, text: str, line: _Line) -> None:
    """``Possible values:`` as enum or numeric bounds where the field's type allows, else prose."""
    body = text[len(_POSSIBLE) :].strip()
    if body.startswith("[") and body.endswith("]") and current.takes_enum and not current.enum:
        inside = body[1:-1].strip()
        values = [value.strip() for value in inside.split(",")] if inside else []
        current.enum = (values, line.number)
        return
    if current.is_numeric and current.bounds is None:
        bounds: list[tuple[str, str]] = []
        for clause in body.split(" and "):
            match = _BOUND.match(clause.strip())
            if match is None:
                break
            bounds.append((match.group("op"), match.group("number")))
        else:
            keywords = [_BOUND_KEYWORDS[operator] for operator, _ in bounds]
            if bounds and len(set(keywords)) == len(keywords):
                current.bounds = (bounds, line.number)
                return
    # Kept as the page wrote it; normalize decides whether it becomes a constraint.
    _add_prose(current.paragraphs, line)


def _number(text: str) -> int | float:
    return int(text) if _INTEGER.match(text) else float(text)


def _scalar(text: str, base: str | None) -> Any:
    """A value typed as the field's type says; text that does not fit stays text."""
    if base == "integer" and _INTEGER.match(text):
        return int(text)
    if base == "number" and _NUMBER.match(text):
        return _number(text)
    if base == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def _typed_enum(values: list[str], kind: _Type | None, nullable: bool) -> list[Any]:
    base = kind.base if kind is not None else None
    typed = [_scalar(value, base) for value in values]
    if any(isinstance(value, str) for value in typed) and base != "string":
        typed = list(values)  # one value that does not fit: keep them all as the page wrote them
    if nullable and kind is not None and None not in typed:
        typed.append(None)
    return typed


def _typed_default(text: str, kind: _Type | None, nullable: bool) -> Any:
    if nullable and text == "null":
        return None
    if kind is None or kind.depth > 0:
        return text
    return _scalar(text, kind.base)


def _order_keys(schema: dict[str, Any]) -> None:
    """Stable, readable key order in the written YAML."""
    rank = {key: index for index, key in enumerate(_KEY_ORDER)}
    ordered = sorted(schema.items(), key=lambda item: rank.get(item[0], len(rank)))
    schema.clear()
    schema.update(ordered)
