"""FastAPI server runtime: mount operations at vendor prefixes, stream SSE, map errors, serve."""

# Generated `server.py` modules describe each operation once (`Operation`), then call
# `mount_operation(app, operation, handler.method, mounts=[...])` (or `mount_operations` once for
# all of them); the user implements the handler.

from __future__ import annotations

import argparse
import importlib.util
import inspect
import keyword
import logging
import re
import types
import typing
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeAlias, get_args, get_origin

import pydantic
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic.json_schema import JsonSchemaMode, JsonSchemaValue

from ._server_errors import (
    AuthenticationFailed,
    BadRequest,
    ErrorObject,
    ErrorResponse,
    HTTPError,
    InBodyErrors,
    InternalServerFailure,
    NotFound,
    NotImplementedFailure,
    PermissionDenied,
    RateLimited,
    UnprocessableEntity,
)
from ._server_limits import BodySizeLimit, require_json_media_type
from ._server_rules import VendorRules

__all__ = [
    "DEFAULT_PORT",
    "GENERIC_SERVER_ERROR",
    "AuthenticationFailed",
    "BadRequest",
    "BodyEncoding",
    "ErrorObject",
    "ErrorResponse",
    "HTTPError",
    "InBodyErrors",
    "InternalServerFailure",
    "Mount",
    "NotFound",
    "NotImplementedFailure",
    "Operation",
    "OperationHandler",
    "Parameter",
    "ParameterLocation",
    "ParameterStyle",
    "PermissionDenied",
    "RateLimited",
    "ResponseKind",
    "UnprocessableEntity",
    "VendorRules",
    "main",
    "mount_operation",
    "mount_operations",
    "serve",
]

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8000
GENERIC_SERVER_ERROR = "The server had an error while processing your request."
"""Message sent for exceptions that are not HTTPError: their text may hold internals."""


OperationHandler: TypeAlias = Callable[..., Awaitable[object] | AsyncIterable[object]]
"""The user's method for one operation, called as `handler(body, **parameters)`: the validated
body first and positionally when the operation has one (a request model instance, or `bytes` /
`str` for a binary / text body), then each parameter present in the request by its `attribute`
(an absent optional parameter is not passed, so the handler's default applies). Without a body
it is `handler(**parameters)`. The result is what `Operation.response_kind` says: a response
model (or a dict it validates), an async iterator of chunk models for a streamed answer, bytes,
str, or None. An async generator method (one that `yield`s) is accepted too."""

ParameterLocation: TypeAlias = Literal["path", "query", "header", "cookie"]
ParameterStyle: TypeAlias = Literal["form", "form_csv", "space", "pipe", "deep_object"]
"""How a query parameter carries a list or an object: "form" repeats the key (`?id=1&id=2`),
"form_csv", "space" and "pipe" join the items with `,`, ` ` or `|`, and "deep_object" spreads
an object over `name[key]=value` keys."""
BodyEncoding: TypeAlias = Literal["json", "form", "multipart", "binary", "text"]
ResponseKind: TypeAlias = Literal["json", "binary", "text", "empty"]

_MAX_DETAILS = 10
"""Validation problems listed in one error message; a huge bad body must not give a huge reply."""
_NO_BODY_METHODS = frozenset({"GET", "HEAD", "TRACE"})
"""Methods whose request body has no defined meaning: many clients and proxies drop it."""
_SLUG = re.compile(r"[^0-9A-Za-z]+")
_PLACEHOLDER = re.compile(r"{([^{}/]+)}")
_ROUTE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""A path placeholder name Starlette accepts; other wire names are routed under a safe key."""
_END = object()
"""Marks an exhausted stream when its first chunk is fetched."""
_MISSING = object()
"""A parameter absent from the request."""
_STYLES: frozenset[str] = frozenset(get_args(ParameterStyle))
_LOCATIONS: frozenset[str] = frozenset(get_args(ParameterLocation))
_ENCODINGS: frozenset[str] = frozenset(get_args(BodyEncoding))
_KINDS: frozenset[str] = frozenset(get_args(ResponseKind))
_SEPARATORS: dict[str, str | None] = {
    "form": None,
    "form_csv": ",",
    "space": " ",
    "pipe": "|",
    "deep_object": None,
}
_OPENAPI_STYLES: dict[str, dict[str, object]] = {
    "form": {},
    "form_csv": {"style": "form", "explode": False},
    "space": {"style": "spaceDelimited", "explode": False},
    "pipe": {"style": "pipeDelimited", "explode": False},
    "deep_object": {"style": "deepObject", "explode": True},
}
_REQUEST_MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "multipart": "multipart/form-data",
    "binary": "application/octet-stream",
    "text": "text/plain",
}
_BODY_LABELS: dict[str, str] = {
    "json": "JSON",
    "form": "form",
    "multipart": "multipart",
    "binary": "binary",
    "text": "text",
}
_SEQUENCE_ORIGINS: tuple[object, ...] = (
    list,
    tuple,
    set,
    frozenset,
    Sequence,
    Iterable,
)
_BINARY_SCHEMA: dict[str, Any] = {"type": "string", "format": "binary"}


@dataclass(frozen=True)
class Parameter:
    """One path, query, header or cookie parameter, validated into `annotation` for the handler."""

    name: str
    """Wire name, e.g. "file_id", "OpenAI-Beta", "limit"."""
    attribute: str
    """The handler's keyword argument, a Python identifier, e.g. "openai_beta"."""
    location: ParameterLocation
    annotation: Any
    """A type `pydantic.TypeAdapter` validates (lax: "10" -> 10, "true" -> True), e.g. int,
    list[str], Literal["asc", "desc"] | None."""
    required: bool = False
    """A missing required parameter is a validation error; path parameters are always required."""
    style: ParameterStyle = "form"
    """Query parameters only: how a list or object is spread over the query (see
    ParameterStyle)."""
    description: str | None = None
    deprecated: bool = False

    def __post_init__(self) -> None:
        if self.location not in _LOCATIONS:
            raise ValueError(
                f"parameter {self.name!r}: unknown location {self.location!r}"
            )
        if not self.attribute.isidentifier() or keyword.iskeyword(self.attribute):
            raise ValueError(
                f"parameter {self.name!r}: attribute {self.attribute!r} is not a Python name"
            )
        if self.style not in _STYLES:
            raise ValueError(f"parameter {self.name!r}: unknown style {self.style!r}")
        if self.style != "form" and self.location != "query":
            raise ValueError(
                f"parameter {self.name!r}: style {self.style!r} is for query parameters only"
            )


@dataclass(frozen=True)
class Operation:
    """The spec-derived description of one operation: path, parameters, body, answer, stream.

    Not generic over its request model: an operation without a body would have no type for
    mypy to infer, and the handler's signature depends on the parameters too (see
    OperationHandler).
    """

    method: str
    path: str
    """Path below the vendor prefixes, e.g. "/chat/completions" or "/files/{file_id}"."""
    request_model: Any = None
    """Validates a JSON, form or multipart request body; None for no body or a binary/text one."""
    response_model: Any = None
    """The JSON answer: a model class or any type `pydantic.TypeAdapter` takes (a union,
    list[...]; `typing.Any` sends the handler's value as is). None for an operation that only
    streams, or one answering binary, text or nothing."""
    chunk_model: Any = None
    """One server-sent event's data: a model class or any type `pydantic.TypeAdapter` takes (a
    union of event models); None for an operation that never streams."""
    stream_field: str | None = None
    """Python name of the request field asking for a stream (e.g. "stream"). When None, the
    handler's return value decides: an async iterator streams, a model answers as JSON."""
    terminator: str | None = "[DONE]"
    """Data of the event that ends a stream; None sends no terminator."""
    operation_id: str | None = None
    summary: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    body_encoding: BodyEncoding | None = "json"
    """How the body is sent. json/form/multipart are validated with `request_model` (file parts
    as bytes); binary passes the raw bytes, text a str. None, or "json" with no request_model,
    is an operation without a body."""
    body_required: bool = False
    """Answer a missing or empty body with a validation error. When False, a missing JSON or
    form body is validated as `{}`, so a model whose fields are all optional still works."""
    parameters: tuple[Parameter, ...] = ()
    response_kind: ResponseKind = "json"
    response_media_type: str | None = None
    """Content-Type of a binary or text answer, e.g. "audio/mpeg"; by default
    application/octet-stream or text/plain."""
    success_status: int | None = None
    """Status of a successful answer: by default 204 for an empty answer, else 200."""

    def __post_init__(self) -> None:
        if self.request_model is None and self.body_encoding == "json":
            # "json" is the default: without a model to validate it, there is no body.
            object.__setattr__(self, "body_encoding", None)
        self._check_body()
        self._check_response()
        self._check_parameters()

    @property
    def status(self) -> int:
        """The status a successful answer is sent with."""
        if self.success_status is not None:
            return self.success_status
        return 204 if self.response_kind == "empty" else 200

    def _check_body(self) -> None:
        encoding = self.body_encoding
        if encoding is not None and encoding not in _ENCODINGS:
            raise ValueError(f"{self.path}: unknown body_encoding {encoding!r}")
        if encoding is not None and self.method.upper() in _NO_BODY_METHODS:
            raise ValueError(
                f"{self.path}: {self.method} has no {_BODY_LABELS[encoding]} body; operations "
                "are POST, PUT or PATCH (or DELETE) when they take one"
            )
        if encoding in ("form", "multipart") and self.request_model is None:
            raise ValueError(f"{self.path}: a {encoding} body needs a request_model")
        if encoding in ("binary", "text") and self.request_model is not None:
            raise ValueError(
                f"{self.path}: a {encoding} body reaches the handler as "
                f"{'bytes' if encoding == 'binary' else 'str'}; request_model must be None"
            )
        if encoding is None and self.request_model is not None:
            raise ValueError(
                f"{self.path}: request_model is set but body_encoding is None"
            )
        if encoding is None and self.body_required:
            raise ValueError(f"{self.path}: body_required is set but there is no body")

    def _check_response(self) -> None:
        kind = self.response_kind
        if kind not in _KINDS:
            raise ValueError(f"{self.path}: unknown response_kind {kind!r}")
        if not 200 <= self.status <= 299:
            raise ValueError(f"{self.path}: success_status {self.status} is not 2xx")
        if kind != "json":
            extra = [
                name
                for name in ("response_model", "chunk_model", "stream_field")
                if getattr(self, name) is not None
            ]
            if extra:
                raise ValueError(
                    f"{self.path}: a {kind} answer has no {', '.join(extra)}; they describe JSON"
                )
            if kind == "empty" and self.response_media_type is not None:
                raise ValueError(
                    f"{self.path}: an empty answer has no response_media_type"
                )
            return
        if self.response_media_type is not None:
            raise ValueError(
                f"{self.path}: response_media_type is for binary or text answers"
            )
        if self.response_model is None and self.chunk_model is None:
            raise ValueError(
                f"{self.path}: an operation needs a response_model or a chunk_model "
                "(typing.Any answers the handler's JSON value as is)"
            )
        if self.stream_field is not None:
            if self.chunk_model is None:
                raise ValueError(
                    f"{self.path}: stream_field is set but there is no chunk_model"
                )
            if self.request_model is None or self.stream_field not in (
                getattr(self.request_model, "model_fields", {})
            ):
                owner = (
                    "the request" if self.request_model is None else self.request_model
                )
                raise ValueError(
                    f"{self.path}: stream_field {self.stream_field!r} is not a field of "
                    f"{getattr(owner, '__name__', owner)}"
                )

    def _check_parameters(self) -> None:
        attributes = [parameter.attribute for parameter in self.parameters]
        repeated = sorted({name for name in attributes if attributes.count(name) > 1})
        if repeated:
            raise ValueError(
                f"{self.path}: two parameters have the attribute {repeated}"
            )
        wire = [_wire_key(parameter) for parameter in self.parameters]
        repeated_wire = sorted(
            {f"{loc} {name}" for loc, name in wire if wire.count((loc, name)) > 1}
        )
        if repeated_wire:
            raise ValueError(f"{self.path}: parameters declared twice: {repeated_wire}")
        placeholders = _PLACEHOLDER.findall(self.path)
        declared = [p.name for p in self.parameters if p.location == "path"]
        undeclared = [name for name in placeholders if name not in declared]
        if undeclared:
            raise ValueError(
                f"{self.path}: path placeholders without a Parameter: {undeclared}"
            )
        unplaced = [name for name in declared if name not in placeholders]
        if unplaced:
            raise ValueError(
                f"{self.path}: path parameters not in the path: {unplaced}"
            )


def _wire_key(parameter: Parameter) -> tuple[str, str]:
    # Header names are case-insensitive on the wire.
    name = parameter.name.lower() if parameter.location == "header" else parameter.name
    return parameter.location, name


@dataclass(frozen=True)
class Mount:
    """One prefix an operation is served under, with that vendor's way of reporting errors."""

    prefix: str = ""
    """e.g. "/v1"; "" serves the operation at its bare path."""
    in_body_errors: InBodyErrors | None = None
    """Answer errors of this vendor's catalogue with HTTP 200 and `{"code", "message"}`."""
    validation_status: Literal[400, 422] = 400
    """Status of a request body that fails validation (the OpenAI API uses 400)."""
    rules: VendorRules | None = None
    """The vendor's own required fields and bounds, checked after the merged model's."""


class _HandlerContractError(Exception):
    """The handler returned something its operation cannot send: a bug on the server side."""


def mount_operation(
    app: FastAPI,
    operation: Operation,
    handler: OperationHandler | None,
    *,
    mounts: Sequence[str | Mount],
) -> list[str]:
    """Serve `operation` at each mount's prefix joined to its path; return the full paths.

    Every route validates the parameters and the body, calls `handler` (see OperationHandler)
    and answers what `operation.response_kind` says: JSON, a `text/event-stream` of chunks,
    bytes, text or nothing. A `handler` of None answers 501 (so a partial server can still
    serve the whole API). The operation is added to `app.openapi()`, errors are answered as
    described in `HTTPError`, and the runtime's routes are kept ordered so a static path
    segment wins over a parameter at the same place (`/files/search` before `/files/{id}`).
    """
    if not mounts:
        raise ValueError(f"{operation.path}: mount_operation needs at least one mount")
    if operation.body_encoding in ("form", "multipart") and not _can_parse_forms():
        raise RuntimeError(
            f"{operation.path}: a {operation.body_encoding} body needs the python-multipart "
            "package (pip install python-multipart)"
        )
    resolved = [mount if isinstance(mount, Mount) else Mount(mount) for mount in mounts]
    paths = [_join(mount.prefix, operation.path) for mount in resolved]
    duplicates = sorted({path for path in paths if paths.count(path) > 1})
    if duplicates:
        raise ValueError(
            f"{operation.path}: two mounts give the same path {duplicates}"
        )
    keys = _route_keys(operation)
    route_template = _PLACEHOLDER.sub(
        lambda match: "{" + keys[match[1]] + "}", operation.path
    )
    handler_name = getattr(handler, "__qualname__", repr(handler))
    base_id = operation.operation_id or _slug(f"{operation.method} {operation.path}")
    method = operation.method.upper()
    documented = _document(app)
    for index, (mount, path) in enumerate(zip(resolved, paths, strict=True)):
        # operationId must be unique in a document: the first mount keeps the spec's id.
        operation_id = (
            base_id if index == 0 else f"{base_id}_{_slug(mount.prefix) or 'root'}"
        )
        route_path = _join(mount.prefix, route_template)
        label = f"{method} {path}"
        if handler is None:
            endpoint = _not_implemented_endpoint(label, mount)
        else:
            endpoint = _endpoint(operation, handler, handler_name, mount, keys, label)
        app.add_api_route(
            route_path,
            endpoint,
            methods=[method],
            status_code=operation.status,
            response_model=None,
            name=operation_id,
            operation_id=operation_id,
            summary=operation.summary,
            description=operation.description,
            tags=list(operation.tags) or None,
        )
        route = app.router.routes[-1]
        assert isinstance(route, APIRoute)
        documented.add(
            _DocumentedRoute(
                path, route_path, operation, mount, route, handler is not None
            )
        )
    _order_routes(app, documented)
    return paths


def mount_operations(
    app: FastAPI,
    operations: Iterable[tuple[Operation, OperationHandler | None]],
    *,
    mounts: Sequence[str | Mount],
) -> list[str]:
    """Serve each `(operation, handler)` at every mount (see mount_operation); return the paths.

    One call for a generated module's whole table of operations, in any order: static path
    segments still win over parameters.
    """
    paths: list[str] = []
    for operation, handler in operations:
        paths.extend(mount_operation(app, operation, handler, mounts=mounts))
    app.add_middleware(BodySizeLimit)
    return paths


def _can_parse_forms() -> bool:
    # Starlette parses forms with python-multipart, whose import name changed in 0.0.13.
    return any(
        importlib.util.find_spec(name) for name in ("python_multipart", "multipart")
    )


def _join(prefix: str, path: str) -> str:
    return "/" + "/".join(part for part in (prefix.strip("/"), path.strip("/")) if part)


def _slug(text: str) -> str:
    return _SLUG.sub("_", text).strip("_")


def _route_keys(operation: Operation) -> dict[str, str]:
    """The Starlette placeholder of each path parameter: its wire name when Starlette takes it
    (`{file_id}`), else a safe key (`{model-id}` would otherwise match only itself)."""
    keys: dict[str, str] = {}
    for index, parameter in enumerate(operation.parameters):
        if parameter.location == "path":
            plain = _ROUTE_KEY.fullmatch(parameter.name) is not None
            keys[parameter.name] = parameter.name if plain else f"_path_{index}"
    return keys


def _order_routes(app: FastAPI, documented: _OperationsDocument) -> None:
    """Reorder the runtime's routes in their own slots so that, segment by segment, a static
    segment comes before a parameter: Starlette takes the first route that matches."""
    ours = {id(route.route) for route in documented.routes}
    routes = app.router.routes
    slots = [index for index, route in enumerate(routes) if id(route) in ours]
    ordered = sorted((routes[index] for index in slots), key=_specificity)
    for index, route in zip(slots, ordered, strict=True):
        routes[index] = route


def _specificity(route: object) -> tuple[bool, ...]:
    path: str = getattr(route, "path", "")
    return tuple("{" in segment for segment in path.strip("/").split("/"))


# --- Requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ParameterReader:
    """Reads one parameter from a request and validates it (the adapter is built once)."""

    parameter: Parameter
    route_key: str
    adapter: pydantic.TypeAdapter[Any]
    takes_list: bool

    def read(self, request: Request) -> object:
        """The raw value(s) of the parameter, or _MISSING."""
        parameter = self.parameter
        values: list[str]
        separator: str | None = ","
        if parameter.location == "path":
            value = request.path_params.get(self.route_key)
            values = [] if value is None else [str(value)]
        elif parameter.location == "header":
            values = request.headers.getlist(parameter.name)
        elif parameter.location == "cookie":
            cookie = request.cookies.get(parameter.name)
            values = [] if cookie is None else [cookie]
        elif parameter.style == "deep_object":
            return self._deep_object(request)
        else:
            values = request.query_params.getlist(parameter.name)
            separator = _SEPARATORS[parameter.style]
        if not values:
            return _MISSING
        if not self.takes_list:
            return values[-1]
        if separator is None:
            return values
        strip = parameter.location == "header"
        return [
            item.strip() if strip else item
            for value in values
            if value
            for item in value.split(separator)
        ]

    def _deep_object(self, request: Request) -> object:
        prefix = f"{self.parameter.name}["
        found = {
            key[len(prefix) : -1]: value
            for key, value in request.query_params.multi_items()
            if key.startswith(prefix) and key.endswith("]")
        }
        return found or _MISSING

    def validate(self, raw: object, status: int) -> object:
        try:
            return self.adapter.validate_python(raw)
        except pydantic.ValidationError as exc:
            raise _parameter_error(self.parameter, exc, status) from None


def _readers(operation: Operation, keys: Mapping[str, str]) -> list[_ParameterReader]:
    return [
        _ParameterReader(
            parameter,
            keys.get(parameter.name, parameter.name),
            pydantic.TypeAdapter(parameter.annotation),
            _takes_list(parameter.annotation),
        )
        for parameter in operation.parameters
    ]


def _takes_list(annotation: object) -> bool:
    """Whether `annotation` (or a member of its union) is a list-like type."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _takes_list(get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return any(
            _takes_list(arg) for arg in get_args(annotation) if arg is not type(None)
        )
    return origin in _SEQUENCE_ORIGINS or annotation in (list, tuple, set, frozenset)


def _takes_none(annotation: object) -> bool:
    """Whether `annotation` (or a member of its union) admits None."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _takes_none(get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return any(_takes_none(arg) for arg in get_args(annotation))
    return annotation is None or annotation is type(None)


def _read_parameters(
    readers: Sequence[_ParameterReader], request: Request, status: int
) -> dict[str, object]:
    arguments: dict[str, object] = {}
    for reader in readers:
        parameter = reader.parameter
        raw = reader.read(request)
        if raw is _MISSING:
            if parameter.required or parameter.location == "path":
                raise HTTPError(
                    status,
                    f"missing required {parameter.location} parameter '{parameter.name}'",
                    param=parameter.name,
                )
            # Not passed at all: the handler's own default applies.
            continue
        arguments[parameter.attribute] = reader.validate(raw, status)
    return arguments


def _parameter_error(
    parameter: Parameter, exc: pydantic.ValidationError, status: int
) -> HTTPError:
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    details = [
        f"'{_param((parameter.name, *error['loc']))}': {error['msg']}"
        if error["loc"]
        else error["msg"]
        for error in errors[:_MAX_DETAILS]
    ]
    if len(errors) > _MAX_DETAILS:
        details.append(f"and {len(errors) - _MAX_DETAILS} more")
    return HTTPError(
        status,
        f"invalid {parameter.location} parameter '{parameter.name}': "
        + "; ".join(details),
        param=parameter.name,
    )


async def _read_body(operation: Operation, request: Request, status: int) -> object:
    """The handler's body argument: a model instance, bytes or str per body_encoding."""
    encoding = operation.body_encoding
    if encoding in ("form", "multipart"):
        return await _read_form(operation, request, status)
    body = await request.body()
    if not body and operation.body_required:
        raise _missing_body(operation, status)
    if encoding == "json":
        assert operation.request_model is not None
        require_json_media_type(request.headers.get("content-type"), body)
        return _parse_request(operation.request_model, body, status)
    if encoding == "binary":
        return body
    charset = _charset(request.headers.get("content-type"))
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise HTTPError(
            status, f"The request body is not valid {charset} text."
        ) from None


def _charset(content_type: str | None) -> str:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return "utf-8"


def _missing_body(operation: Operation, status: int) -> HTTPError:
    media_type = _REQUEST_MEDIA_TYPES[operation.body_encoding or "json"]
    return HTTPError(
        status, f"The request body is missing: this operation takes {media_type}."
    )


def _parse_request(model: Any, body: bytes, status: int) -> object:
    """The JSON body validated by its model class, or by any type pydantic validates (a body
    that is a union of objects, say)."""
    validator = model if _is_model_class(model) else _adapter(model)
    if not body:
        # An optional body that is absent means the model's defaults, when it has them all;
        # otherwise the answer is the one a malformed body gets.
        try:
            return _validate(validator, {})
        except pydantic.ValidationError:
            pass
    try:
        if isinstance(validator, pydantic.TypeAdapter):
            return validator.validate_json(body)
        return validator.model_validate_json(body)
    except pydantic.ValidationError as exc:
        raise _validation_error(exc, status) from None


def _validate(validator: Any, value: object) -> object:
    if isinstance(validator, pydantic.TypeAdapter):
        return validator.validate_python(value)
    return validator.model_validate(value)


def _is_model_class(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, pydantic.BaseModel)


_ADAPTERS: dict[int, pydantic.TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> pydantic.TypeAdapter[Any]:
    """One TypeAdapter per body type (building one is costly)."""
    found = _ADAPTERS.get(id(kind))
    if found is None:
        found = _ADAPTERS[id(kind)] = pydantic.TypeAdapter(kind)
    return found


async def _read_form(operation: Operation, request: Request, status: int) -> object:
    """Parse a form or multipart body (files read into bytes) and validate it with the model."""
    encoding = operation.body_encoding
    model = operation.request_model
    assert encoding is not None and model is not None
    expected = _REQUEST_MEDIA_TYPES[encoding]
    content_type = request.headers.get("content-type")
    data: dict[str, object] = {}
    if content_type is None:
        if await request.body():
            raise _unsupported_media_type(expected, None)
    else:
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type != expected:
            raise _unsupported_media_type(expected, media_type)
        try:
            form = await request.form()
        except Exception as exc:
            # Starlette reports a malformed form as a 400 HTTPException.
            if getattr(exc, "status_code", None) != 400:
                raise
            detail = getattr(exc, "detail", None) or exc
            raise HTTPError(
                status,
                f"We could not parse the {encoding} body of your request: {detail}",
            ) from None
        try:
            data = await _form_data(model, form.multi_items())
        finally:
            await form.close()
    if not data and operation.body_required:
        raise _missing_body(operation, status)
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise _validation_error(exc, status) from None


def _unsupported_media_type(expected: str, media_type: str | None) -> HTTPError:
    sent = "none" if media_type is None else repr(media_type)
    return HTTPError(415, f"The request's Content-Type must be {expected}, not {sent}.")


def _wire_names(
    model: type[pydantic.BaseModel], takes: Callable[[object], bool]
) -> set[str]:
    """Every name a form may send a field under (attribute, alias), for the fields whose
    annotation ``takes`` accepts."""
    return {
        wire
        for name, info in model.model_fields.items()
        if takes(info.annotation)
        for wire in (name, info.alias, info.validation_alias)
        if isinstance(wire, str)
    }


async def _form_data(
    model: type[pydantic.BaseModel], items: Sequence[tuple[str, object]]
) -> dict[str, object]:
    """The form as the model's input: file parts as bytes, list fields as lists of every value
    sent under their name (`tags=a&tags=b`, or `tags[]=a&tags[]=b` as some clients send them)."""
    lists = _wire_names(model, _takes_list)
    # A form has no null: clients write a nullable field's null as the text "null".
    nullable = _wire_names(model, _takes_none)
    collected: dict[str, list[object]] = {}
    for key, value in items:
        name = key[:-2] if key.endswith("[]") and key[:-2] in lists else key
        # Starlette gives str for a field and an UploadFile for a file part.
        read = getattr(value, "read", None)
        if value == "null" and name in nullable:
            collected.setdefault(name, []).append(None)
            continue
        collected.setdefault(name, []).append(
            value if isinstance(value, str) or read is None else await read()
        )
    return {
        name: values if name in lists or len(values) > 1 else values[0]
        for name, values in collected.items()
    }


def _validation_error(exc: pydantic.ValidationError, status: int) -> HTTPError:
    # include_input=False: the rejected value may be long or secret, the caller has it anyway.
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    first = errors[0]
    if first["type"] == "json_invalid":
        return HTTPError(
            status, f"We could not parse the JSON body of your request: {first['msg']}"
        )
    details = [
        f"'{_param(error['loc'])}': {error['msg']}" if error["loc"] else error["msg"]
        for error in errors[:_MAX_DETAILS]
    ]
    if len(errors) > _MAX_DETAILS:
        details.append(f"and {len(errors) - _MAX_DETAILS} more")
    return HTTPError(
        status,
        "Invalid request body: " + "; ".join(details),
        param=_param(first["loc"]) or None,
    )


def _param(loc: tuple[int | str, ...]) -> str:
    """An error location as OpenAI `param`: ("messages", 0, "role") -> "messages[0].role"."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


# --- Answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Encoder:
    """Dumps a handler's JSON result: a model class as before, any other type via TypeAdapter."""

    target: Any
    adapter: pydantic.TypeAdapter[Any] | None

    @classmethod
    def of(cls, target: Any) -> _Encoder:
        if isinstance(target, type) and issubclass(target, pydantic.BaseModel):
            return cls(target, None)
        return cls(target, pydantic.TypeAdapter(target))

    def dump(self, value: object, handler_name: str) -> str:
        if self.adapter is None:
            return _dump(self.target, value, handler_name)
        try:
            valid = self.adapter.validate_python(value)
        except pydantic.ValidationError as exc:
            raise _HandlerContractError(
                f"{handler_name} returned {type(value).__name__}, not a valid "
                f"{_type_name(self.target)}: {exc.error_count()} validation errors"
            ) from exc
        try:
            return self.adapter.dump_json(
                valid, by_alias=True, exclude_unset=True
            ).decode()
        except ValueError as exc:  # pydantic's serialization error
            raise _HandlerContractError(
                f"{handler_name} returned {type(value).__name__}, which is not JSON: {exc}"
            ) from exc


def _type_name(target: object) -> str:
    if isinstance(target, type):
        return target.__name__
    # "list[pkg.types.File]" -> "list[File]"
    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", str(target))


def _not_implemented(label: str) -> NotImplementedFailure:
    return NotImplementedFailure(f"{label} is not implemented by this server")


def _not_implemented_endpoint(
    label: str, mount: Mount
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return _error_response(_not_implemented(label), mount)

    return endpoint


def _endpoint(
    operation: Operation,
    handler: OperationHandler,
    handler_name: str,
    mount: Mount,
    keys: Mapping[str, str],
    label: str,
) -> Callable[[Request], Awaitable[Response]]:
    """The FastAPI endpoint of one mounted path.

    It reads the parameters and the body itself rather than declaring typed ones: FastAPI
    would answer a validation failure with its own 422 `{"detail": ...}` body before any code
    of ours runs.
    """
    readers = _readers(operation, keys)
    encoder = (
        None
        if operation.response_model is None
        else _Encoder.of(operation.response_model)
    )
    chunks = (
        None if operation.chunk_model is None else _Encoder.of(operation.chunk_model)
    )

    async def endpoint(request: Request) -> Response:
        try:
            arguments = _read_parameters(readers, request, mount.validation_status)
            parsed: object = None
            if operation.body_encoding is None:
                result: object = handler(**arguments)
            else:
                parsed = await _read_body(operation, request, mount.validation_status)
                if mount.rules is not None:
                    mount.rules.check(parsed, mount.validation_status)
                result = handler(parsed, **arguments)
            if inspect.isawaitable(result):
                result = await result
            if operation.response_kind != "json":
                return await _plain_response(operation, result, handler_name)
            problem = _result_problem(operation, parsed, result)
            if problem is not None:
                await _aclose(result)
                raise _HandlerContractError(f"{handler_name} {problem}")
            if isinstance(result, AsyncIterable):
                assert chunks is not None
                return await _stream_response(operation, chunks, result, label)
            assert encoder is not None  # else _result_problem would tell
            return Response(
                encoder.dump(result, handler_name),
                status_code=operation.status,
                media_type="application/json",
            )
        except Exception as exc:
            error = _known_http_error(exc, label)
            if error is None:
                logger.exception("unhandled exception in a request handler")
                error = HTTPError(500, GENERIC_SERVER_ERROR)
            return _error_response(error, mount)

    return endpoint


def _stream_requested(operation: Operation, request: object) -> bool | None:
    if operation.stream_field is None:
        return None
    return bool(getattr(request, operation.stream_field))


def _result_problem(
    operation: Operation, request: object, result: object
) -> str | None:
    """What is wrong with the handler's return value: a stream where JSON was asked for, or the
    reverse. None when the operation can send it."""
    streams = isinstance(result, AsyncIterable)
    requested = _stream_requested(operation, request)
    flag = f"`{operation.stream_field}`"
    if streams and operation.chunk_model is None:
        return f"returned an async iterator, but {operation.path} does not stream"
    if streams and requested is False:
        return f"returned an async iterator for a request whose {flag} is not true"
    if not streams and (requested or operation.response_model is None):
        assert operation.chunk_model is not None
        asked = f" for a request whose {flag} is true" if requested else ""
        return (
            f"returned {type(result).__name__}{asked}; "
            f"return an async iterator of {_type_name(operation.chunk_model)}"
        )
    return None


def _dump(model: type[pydantic.BaseModel], value: object, handler_name: str) -> str:
    """JSON of a handler's result; a dict (or another object) is validated into `model` first."""
    if not isinstance(value, model):
        try:
            value = model.model_validate(value)
        except pydantic.ValidationError as exc:
            raise _HandlerContractError(
                f"{handler_name} returned {type(value).__name__}, not a valid "
                f"{model.__name__}: {exc.error_count()} validation errors"
            ) from exc
    return value.model_dump_json(exclude_unset=True, by_alias=True)


async def _plain_response(
    operation: Operation, result: object, handler_name: str
) -> Response:
    """The answer of a binary, text or empty operation, or a _HandlerContractError."""
    kind = operation.response_kind
    if kind == "empty":
        if result is not None:
            await _aclose(result)
            raise _HandlerContractError(
                f"{handler_name} returned {type(result).__name__}; "
                f"{operation.path} answers no body, return None"
            )
        return Response(status_code=operation.status)
    media_type = operation.response_media_type or (
        "application/octet-stream" if kind == "binary" else "text/plain"
    )
    if isinstance(result, AsyncIterable):
        return await _byte_stream_response(result, kind, media_type, operation.status)
    if kind == "binary" and isinstance(result, bytes | bytearray | memoryview):
        return Response(
            bytes(result), status_code=operation.status, media_type=media_type
        )
    if kind == "text" and isinstance(result, str):
        return Response(result, status_code=operation.status, media_type=media_type)
    expected = "bytes" if kind == "binary" else "str"
    raise _HandlerContractError(
        f"{handler_name} returned {type(result).__name__}; {operation.path} answers {kind}, "
        f"return {expected} or an async iterator of {expected}"
    )


def _piece(kind: str, chunk: object, name: str) -> bytes:
    if kind == "binary" and isinstance(chunk, bytes | bytearray | memoryview):
        return bytes(chunk)
    if kind == "text" and isinstance(chunk, str):
        return chunk.encode()
    expected = "bytes" if kind == "binary" else "str"
    raise _HandlerContractError(
        f"{name} yielded {type(chunk).__name__}, not {expected}"
    )


async def _byte_stream_response(
    result: AsyncIterable[object], kind: str, media_type: str, status: int
) -> Response:
    iterator = aiter(result)
    name = getattr(iterator, "__qualname__", type(iterator).__name__)
    # As for events: the first piece is checked before the status is sent.
    try:
        first = await anext(iterator, _END)
        first_piece = None if first is _END else _piece(kind, first, name)
    except BaseException:
        await _aclose(iterator)
        raise
    return StreamingResponse(
        _pieces(kind, name, first_piece, iterator),
        status_code=status,
        media_type=media_type,
    )


async def _pieces(
    kind: str, name: str, first_piece: bytes | None, iterator: AsyncIterator[object]
) -> AsyncIterator[bytes]:
    """The rest of a binary or text stream. A failure here propagates, so the server aborts the
    connection: the client must not take a truncated file for a whole one."""
    try:
        if first_piece is not None:
            yield first_piece
            async for chunk in iterator:
                yield _piece(kind, chunk, name)
    finally:
        await _aclose(iterator)


async def _stream_response(
    operation: Operation, encoder: _Encoder, result: AsyncIterable[object], label: str
) -> Response:
    iterator = aiter(result)
    name = getattr(iterator, "__qualname__", type(iterator).__name__)
    # Fetch and check the first chunk before answering: until then an error can still be
    # answered with its own status and body instead of an error event in a 200 stream.
    try:
        first = await anext(iterator, _END)
        first_event = None if first is _END else _event(encoder.dump(first, name))
    except BaseException:
        await _aclose(iterator)
        raise
    return StreamingResponse(
        _events(encoder, name, first_event, iterator, operation.terminator, label),
        status_code=operation.status,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache"},
    )


async def _events(
    encoder: _Encoder,
    name: str,
    first_event: bytes | None,
    iterator: AsyncIterator[object],
    terminator: str | None,
    label: str,
) -> AsyncIterator[bytes]:
    """Server-sent events: one `data:` per chunk, the terminator, or a final error event."""
    try:
        if first_event is not None:
            yield first_event
            async for chunk in iterator:
                yield _event(encoder.dump(chunk, name))
        if terminator is not None:
            yield _event(terminator)
    except Exception as exc:
        # The 200 status is already sent: the error can only be the last event. Its
        # {"error": ...} shape is what OpenAI-style clients raise on mid-stream.
        error = _known_http_error(exc, label)
        if error is None:
            logger.exception("unhandled exception in a streaming handler")
            error = HTTPError(500, GENERIC_SERVER_ERROR)
        yield _event(error.to_response().model_dump_json())
    finally:
        await _aclose(iterator)


def _event(data: str) -> bytes:
    # The JSON is compact, so it holds no newline that would split the event.
    return f"data: {data}\n\n".encode()


async def _aclose(iterator: object) -> None:
    """Close an async generator (running its `finally` blocks); other iterables have no close."""
    close = getattr(iterator, "aclose", None)
    if close is not None:
        await close()


def _known_http_error(exc: Exception, label: str) -> HTTPError | None:
    """The error response an exception stands for; None for a bug the caller must log."""
    if isinstance(exc, HTTPError):
        return exc
    if isinstance(exc, HTTPException) and 400 <= exc.status_code <= 599:
        return HTTPError(exc.status_code, str(exc.detail), headers=exc.headers)
    if isinstance(exc, NotImplementedError):
        # The usual body of a method not written yet: a 501 says so to the caller.
        logger.info("%s: the handler raised NotImplementedError", label)
        return _not_implemented(label)
    if isinstance(exc, _HandlerContractError):
        logger.error("handler contract violated: %s", exc)
        # The message names the handler's mistake and holds no request data: sending it helps
        # whoever is developing the server, through any client.
        return HTTPError(500, str(exc))
    return None


def _error_response(error: HTTPError, mount: Mount) -> Response:
    if mount.in_body_errors is not None:
        in_body = mount.in_body_errors.body_for(error)
        if in_body is not None:
            return JSONResponse(in_body, status_code=200, headers=error.headers)
    return JSONResponse(
        error.to_response().model_dump(mode="json"),
        status_code=error.status_code,
        headers=error.headers,
    )


# --- OpenAPI -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _DocumentedRoute:
    path: str
    """The path as the spec writes it, the document's key."""
    route_path: str
    """The path as Starlette routes it (differs for a wire name Starlette does not take)."""
    operation: Operation
    mount: Mount
    route: APIRoute
    implemented: bool


class _Schemas:
    """The JSON schemas of many types in one pydantic call, so a model shared by several
    operations is named once and its input and output forms are kept apart when they differ."""

    def __init__(self) -> None:
        self._inputs: dict[
            tuple[int, JsonSchemaMode], tuple[Any, pydantic.TypeAdapter[Any]]
        ] = {}
        self._schemas: dict[tuple[int, JsonSchemaMode], JsonSchemaValue] = {}

    def want(self, target: Any, mode: JsonSchemaMode) -> None:
        key = (id(target), mode)
        if key not in self._inputs:
            self._inputs[key] = (target, pydantic.TypeAdapter(target))

    def generate(self) -> dict[str, JsonSchemaValue]:
        """Compute every schema; return the named definitions for components/schemas."""
        inputs = [
            (key[0], key[1], adapter) for key, (_, adapter) in self._inputs.items()
        ]
        schemas, definitions = pydantic.TypeAdapter.json_schemas(
            inputs, ref_template="#/components/schemas/{model}"
        )
        self._schemas = dict(schemas)
        named: dict[str, JsonSchemaValue] = definitions.get("$defs", {})
        return named

    def __getitem__(self, key: tuple[Any, JsonSchemaMode]) -> JsonSchemaValue:
        return self._schemas[(id(key[0]), key[1])]


@dataclass
class _OperationsDocument:
    """Replaces `app.openapi`: FastAPI's document plus the parameters, request, response, chunk
    and error schemas of every mounted operation.

    The endpoints take the raw request (see `_endpoint`), so FastAPI knows none of the models.
    """

    generate: Callable[[], dict[str, Any]]
    routes: list[_DocumentedRoute] = field(default_factory=list)
    _described: dict[str, Any] | None = None

    def add(self, route: _DocumentedRoute) -> None:
        self.routes.append(route)
        self._described = None

    def __call__(self) -> dict[str, Any]:
        document = self.generate()
        if document is not self._described:
            self._describe(document)
            self._described = document
        return document

    def _describe(self, document: dict[str, Any]) -> None:
        schemas = _Schemas()
        schemas.want(ErrorResponse, "serialization")
        for route in self.routes:
            for target, mode in _types(route.operation):
                schemas.want(target, mode)
        components = document.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in schemas.generate().items():
            # A schema FastAPI generated for another route keeps its place.
            components.setdefault(name, schema)
        error = schemas[(ErrorResponse, "serialization")]
        paths = document.get("paths", {})
        for route in self.routes:
            method = route.operation.method.lower()
            entry = paths.get(route.route_path, {}).get(method)
            if entry is None:
                continue
            if route.route_path != route.path:
                # The document shows the spec's placeholder, not the routing key.
                del paths[route.route_path][method]
                if not paths[route.route_path]:
                    del paths[route.route_path]
                paths.setdefault(route.path, {})[method] = entry
            _describe_operation(entry, route, schemas, error)


def _types(operation: Operation) -> list[tuple[Any, JsonSchemaMode]]:
    wanted: list[tuple[Any, JsonSchemaMode]] = [
        (parameter.annotation, "validation") for parameter in operation.parameters
    ]
    if operation.request_model is not None:
        wanted.append((operation.request_model, "validation"))
    for target in (operation.response_model, operation.chunk_model):
        if target is not None:
            wanted.append((target, "serialization"))
    return wanted


def _describe_operation(
    entry: dict[str, Any],
    route: _DocumentedRoute,
    schemas: _Schemas,
    error: JsonSchemaValue,
) -> None:
    operation = route.operation
    if operation.parameters:
        entry["parameters"] = [
            _describe_parameter(p, schemas) for p in operation.parameters
        ]
    body = _request_body(operation, schemas)
    if body is not None:
        entry["requestBody"] = body
    responses = entry.setdefault("responses", {})
    responses[str(operation.status)] = _success_response(route, schemas)
    errors = {"application/json": {"schema": error}}
    if body is not None or operation.parameters:
        responses[str(route.mount.validation_status)] = {
            "description": _invalid_description(operation),
            "content": errors,
        }
    if operation.body_encoding in ("form", "multipart"):
        media_type = _REQUEST_MEDIA_TYPES[operation.body_encoding]
        responses["415"] = {
            "description": f"The request's Content-Type is not {media_type}.",
            "content": errors,
        }
    if not route.implemented:
        responses["501"] = {
            "description": "This server does not implement the operation.",
            "content": errors,
        }
    responses["default"] = {"description": "Error.", "content": errors}


def _describe_parameter(parameter: Parameter, schemas: _Schemas) -> dict[str, Any]:
    required = parameter.required or parameter.location == "path"
    schema = schemas[(parameter.annotation, "validation")]
    described: dict[str, Any] = {
        "name": parameter.name,
        "in": parameter.location,
        "required": required,
        "schema": schema if required else _without_null(schema),
    }
    if parameter.location == "query":
        described.update(_OPENAPI_STYLES[parameter.style])
    if parameter.description is not None:
        described["description"] = parameter.description
    if parameter.deprecated:
        described["deprecated"] = True
    return described


def _without_null(schema: JsonSchemaValue) -> JsonSchemaValue:
    """`T | None` as T: an absent optional parameter is how a query says None."""
    options = schema.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        if len(rest) == 1:
            return {**{k: v for k, v in schema.items() if k != "anyOf"}, **rest[0]}
    return schema


def _request_body(operation: Operation, schemas: _Schemas) -> dict[str, Any] | None:
    encoding = operation.body_encoding
    if encoding is None:
        return None
    model = operation.request_model
    if model is not None:
        schema = schemas[(model, "validation")]
        # The runtime validates an absent body as {}: only a required field makes it required.
        required = operation.body_required or (
            any(info.is_required() for info in model.model_fields.values())
            if _is_model_class(model)
            else True
        )
    else:
        schema = _BINARY_SCHEMA if encoding == "binary" else {"type": "string"}
        required = operation.body_required
    return {
        "required": required,
        "content": {_REQUEST_MEDIA_TYPES[encoding]: {"schema": schema}},
    }


def _success_response(route: _DocumentedRoute, schemas: _Schemas) -> dict[str, Any]:
    operation = route.operation
    content: dict[str, Any] = {}
    if operation.response_kind == "json":
        if operation.response_model is not None:
            schema = schemas[(operation.response_model, "serialization")]
            content["application/json"] = {"schema": schema}
        if operation.chunk_model is not None:
            content["text/event-stream"] = {
                "schema": schemas[(operation.chunk_model, "serialization")],
                # How the stream ends, in the extension specgen's merged documents use for it.
                "x-specgen-stream": {"terminator": operation.terminator},
            }
    elif operation.response_kind == "binary":
        media_type = operation.response_media_type or "application/octet-stream"
        content[media_type] = {"schema": _BINARY_SCHEMA}
    elif operation.response_kind == "text":
        content[operation.response_media_type or "text/plain"] = {
            "schema": {"type": "string"}
        }
    response: dict[str, Any] = {"description": _success_description(route)}
    if content:
        response["content"] = content
    return response


def _invalid_description(operation: Operation) -> str:
    body = {
        None: "",
        "json": "the request body is not valid JSON or does not match the schema.",
        "form": "the request body is not a valid form or does not match the schema.",
        "multipart": "the multipart request body is malformed or does not match the schema.",
        "binary": "the request body is missing.",
        "text": "the request body is missing or is not valid text.",
    }[operation.body_encoding]
    if not body:
        return "A parameter is missing or invalid."
    if not operation.parameters:
        return body[0].upper() + body[1:]
    return f"A parameter is missing or invalid, or {body}"


def _success_description(route: _DocumentedRoute) -> str:
    operation = route.operation
    parts = []
    if operation.response_kind == "empty":
        parts.append("No content.")
    elif operation.response_kind == "binary":
        parts.append(
            f"The bytes, as {operation.response_media_type or 'application/octet-stream'}."
        )
    elif operation.response_kind == "text":
        parts.append(f"Text, as {operation.response_media_type or 'text/plain'}.")
    elif operation.response_model is Any:
        parts.append("A JSON value.")
    elif operation.response_model is not None:
        parts.append(f"A {_type_name(operation.response_model)} as JSON.")
    if operation.chunk_model is not None:
        end = f", then `data: {operation.terminator}`" if operation.terminator else ""
        stream = f"server-sent events, one `data:` per {_type_name(operation.chunk_model)}{end}."
        if operation.stream_field is not None:
            assert operation.request_model is not None
            info = operation.request_model.model_fields[operation.stream_field]
            parts.append(
                f"When `{info.alias or operation.stream_field}` is true: {stream}"
            )
        else:
            parts.append(f"Or {stream}" if parts else stream[0].upper() + stream[1:])
    if route.mount.in_body_errors is not None:
        codes = ", ".join(str(code) for code in route.mount.in_body_errors.codes)
        parts.append(
            f'Errors with code {codes} are answered here as {{"code", "message"}}.'
        )
    return " ".join(parts)


def _document(app: FastAPI) -> _OperationsDocument:
    current = app.openapi
    if isinstance(current, _OperationsDocument):
        document = current
    else:
        document = _OperationsDocument(current)
        # FastAPI's documented way to extend its schema is to replace this method.
        app.openapi = document  # type: ignore[method-assign]
    # A document generated before this mount would not show it.
    app.openapi_schema = None
    return document


# --- Serving -------------------------------------------------------------------------------


def serve(
    app: FastAPI,
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    log_level: str = "info",
) -> None:
    """Run `app` with uvicorn until interrupted (Ctrl+C or SIGTERM)."""
    # Imported here: only running a server needs uvicorn, mounting routes does not.
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level=log_level)


def main(
    argv: Sequence[str] | None,
    *,
    app_factory: Callable[[], FastAPI],
    prog: str | None = None,
    description: str | None = None,
) -> int:
    """Command line of a generated `python -m <package>.server [--host H] [--port N]`."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (%(default)s)"
    )
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help="port (%(default)s)"
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug", "trace"],
        help="uvicorn log level (%(default)s)",
    )
    args = parser.parse_args(argv)
    serve(app_factory(), host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range 0-65535: {port}")
    return port
