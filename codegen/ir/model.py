"""The intermediate representation: small frozen, structural types; data only, no code strings.

``required`` (must the key be present) and ``nullable`` (may its value be null) are separate axes
on a Field. Streaming is a property of an Operation (stream flag, chunk type, terminator). Every
field, enum value and operation remembers which documents describe it.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

JSONValue = Any
Direction = Literal["request", "response"]


class Constraints(msgspec.Struct, frozen=True):
    """Validation bounds, as JSON Schema states them (exclusive bounds are numbers, 3.1 style)."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None

    def is_empty(self) -> bool:
        return self == Constraints()

    def json_schema(self) -> dict[str, Any]:
        """These bounds as JSON Schema keywords (only the ones set)."""
        return {
            keyword: getattr(self, attribute)
            for attribute, keyword in CONSTRAINT_KEYWORDS.items()
            if getattr(self, attribute) is not None
        }


CONSTRAINT_KEYWORDS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusive_minimum": "exclusiveMinimum",
    "exclusive_maximum": "exclusiveMaximum",
    "min_items": "minItems",
    "max_items": "maxItems",
    "min_length": "minLength",
    "max_length": "maxLength",
    "pattern": "pattern",
}
"""Constraints attribute -> the JSON Schema keyword that states it: the one table readers of
schemas (codegen.ir.shapes) and writers (codegen.ir.emit, codegen.render.jsonschema) share."""


class EnumValue(msgspec.Struct, frozen=True):
    value: str | int | float | bool
    documents: tuple[str, ...] = ()


class ScalarType(msgspec.Struct, frozen=True):
    """A JSON scalar. ``enum_open``: the values are the known ones, others of the kind still pass."""

    kind: Literal["string", "integer", "number", "boolean"]
    constraints: Constraints = Constraints()
    enum: tuple[EnumValue, ...] = ()
    enum_open: bool = False
    format: str | None = None


class ArrayType(msgspec.Struct, frozen=True):
    items: TypeNode
    constraints: Constraints = Constraints()
    items_nullable: bool = False


LEAF_TYPES = frozenset((str, int, float, bool, type(None)))
"""Types of the values in the IR that hold no other value: the tree walks pass them over without a
call (most of an API's fields are such values)."""


class ModelRef(msgspec.Struct, frozen=True):
    """A reference to a named Model or Alias of the API, by name."""

    name: str


class UnionType(msgspec.Struct, frozen=True):
    """One of several types; ``discriminator`` names the property that tells variants apart."""

    variants: tuple[TypeNode, ...]
    discriminator: str | None = None


class MapType(msgspec.Struct, frozen=True):
    """A JSON object with arbitrary keys and values of one type (``additionalProperties``)."""

    values: TypeNode


class UnknownType(msgspec.Struct, frozen=True):
    """A shape no document knows: any JSON value, carried with the reason and reported."""

    reason: str


TypeNode = ScalarType | ArrayType | ModelRef | UnionType | MapType | UnknownType


class Field(msgspec.Struct, frozen=True):
    """One property of a model. ``default`` is documentation only, never sent on the wire."""

    name: str
    type: TypeNode
    required: bool
    nullable: bool
    description: str | None = None
    default: JSONValue = None
    has_default: bool = False
    documents: tuple[str, ...] = ()
    vendors: tuple[str, ...] = ()


class Model(msgspec.Struct, frozen=True):
    """A named object type. ``direction`` decides extra keys: responses keep them, requests refuse."""

    name: str
    fields: tuple[Field, ...]
    direction: Direction
    description: str | None = None
    documents: tuple[str, ...] = ()
    tag: tuple[str, str] | None = None
    """(property, value) when this model is a union variant told apart by a constant property."""
    requires_any: tuple[str, ...] = ()
    """Fields at least one of which the object carries (null counts), e.g. an assistant
    message's content or tool_calls: JSON Schema's ``anyOf`` of ``required`` lists."""


class Alias(msgspec.Struct, frozen=True):
    """A named non-object type, e.g. the union of message variants."""

    name: str
    type: TypeNode
    description: str | None = None


class StreamSpec(msgspec.Struct, frozen=True):
    """How an operation streams: the request flag that turns it on, the chunk type, the end marker."""

    flag: str
    chunk: ModelRef
    terminator: str | None
    media_type: str = "text/event-stream"


class ErrorSpec(msgspec.Struct, frozen=True):
    status: int
    model: ModelRef | None
    description: str | None
    assumed: bool
    documents: tuple[str, ...] = ()


class InBodyError(msgspec.Struct, frozen=True):
    """An error a vendor reports inside a 2xx body, e.g. ``{"code": 701, "message": ...}``."""

    code: int | str
    name: str
    meaning: str | None = None
    kind: Literal["authentication", "permission", "payment", "timeout", "server"] | None = None
    """What the error means (codegen.ir.error_kinds): the status error its class subclasses."""


ParameterLocation = Literal["path", "query", "header", "cookie"]
BodyEncoding = Literal["json", "form", "multipart", "binary", "text"]
ResponseKind = Literal["json", "sse", "binary", "text", "empty"]


class Parameter(msgspec.Struct, frozen=True):
    """A path, query, header or cookie parameter; ``name`` is the wire name, exactly."""

    name: str
    location: ParameterLocation
    required: bool
    type: TypeNode
    nullable: bool = False
    style: str | None = None
    """OpenAPI's serialization style (form, spaceDelimited, pipeDelimited, deepObject, simple)."""
    explode: bool | None = None
    description: str | None = None
    deprecated: bool = False
    documents: tuple[str, ...] = ()


class BodySpec(msgspec.Struct, frozen=True):
    """How the request body travels; its fields, when it has any, are the model ``request``."""

    encoding: BodyEncoding
    media_type: str
    file_fields: tuple[str, ...] = ()
    """Multipart parts that carry files (wire names)."""
    alternatives: tuple[str, ...] = ()
    """Other media types the documents accept for the same body."""


class ResponseSpec(msgspec.Struct, frozen=True):
    """One success answer: its status, what kind of body, and the JSON type when it is JSON."""

    status: int
    kind: ResponseKind
    media_type: str | None = None
    type: TypeNode | None = None
    description: str | None = None


class Pagination(msgspec.Struct, frozen=True):
    """How a list answer leads to the next page; every name is a wire name.

    The next cursor is ``next_cursor`` of the answer, or ``item_cursor`` of its last item; it is
    sent as the query parameter ``cursor_param``. ``has_more`` (when known) says whether to ask.
    """

    items: str
    cursor_param: str | None
    """None: the list comes in one page."""
    next_cursor: str | None = None
    item_cursor: str | None = None
    has_more: str | None = None


class SecurityScheme(msgspec.Struct, frozen=True):
    """One way an operation accepts credentials."""

    kind: Literal["bearer", "api-key-header", "api-key-query", "api-key-cookie", "basic", "none"]
    name: str | None = None
    """Header, query or cookie name of an API key."""


class Operation(msgspec.Struct, frozen=True):
    id: str
    method: str
    path: str
    summary: str | None
    description: str | None
    request: ModelRef | None
    request_required: bool
    response: ModelRef | None
    stream: StreamSpec | None
    errors: tuple[ErrorSpec, ...] = ()
    documents: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    body: BodySpec | None = None
    """None with a ``request`` model means a JSON body (the form of specgen's first documents)."""
    responses: tuple[ResponseSpec, ...] = ()
    """Success answers by status; empty means one JSON answer (``response``) at 200."""
    pagination: Pagination | None = None
    security: tuple[SecurityScheme, ...] = ()
    """Schemes any one of which the operation accepts; empty: the vendor's default."""
    tags: tuple[str, ...] = ()
    deprecated: bool = False

    @property
    def request_body(self) -> BodySpec | None:
        """The body's encoding, also for operations built before bodies had one."""
        if self.body is not None:
            return self.body
        return BodySpec("json", "application/json") if self.request is not None else None

    @property
    def success(self) -> ResponseSpec:
        """The answer a call returns: the first success that is not a stream."""
        for response in self.responses:
            if response.kind != "sse":
                return response
        if self.response is not None:
            return ResponseSpec(200, "json", "application/json", self.response)
        if self.responses:
            return ResponseSpec(self.responses[0].status, "empty")
        return ResponseSpec(200, "empty")

    @property
    def resource(self) -> tuple[str, ...]:
        """Static path segments, the client's attribute chain: ``/chat/completions`` -> (chat, completions)."""
        return tuple(s for s in self.path.strip("/").split("/") if s and not s.startswith("{"))


class FieldBounds(msgspec.Struct, frozen=True):
    """A vendor's own constraints on one field, tighter than the merged API's."""

    field: str
    constraints: Constraints


class KnownValues(msgspec.Struct, frozen=True):
    """Values a vendor documents for a field that is not an enum (e.g. the model names it serves)."""

    field: str
    values: tuple[str, ...]


class VendorProfile(msgspec.Struct, frozen=True):
    name: str
    base_url: str
    path_prefix: str
    auth: Literal["bearer", "api-key", "api-key-query", "basic", "none"]
    """``api-key-query``: the key is a query parameter named ``auth_header``; ``basic``: the key
    is ``user:password``, sent as HTTP basic credentials."""
    auth_header: str | None
    api_key_env: str | None
    documents: tuple[str, ...]
    known_values: tuple[KnownValues, ...] = ()
    required_fields: tuple[str, ...] = ()
    bounds: tuple[FieldBounds, ...] = ()
    in_body_errors: tuple[InBodyError, ...] = ()
    features: tuple[str, ...] = ()


class API(msgspec.Struct, frozen=True):
    title: str
    version: str
    models: tuple[Model, ...]
    aliases: tuple[Alias, ...]
    operations: tuple[Operation, ...]
    vendors: tuple[VendorProfile, ...]
    documents: tuple[str, ...] = ()
    reference_documents: tuple[str, ...] = ()
    """Documents used as evidence of less weight (an API family's reference), not vendors."""

    def model(self, name: str) -> Model:
        for model in self.models:
            if model.name == name:
                return model
        raise KeyError(name)
