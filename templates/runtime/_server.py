"""FastAPI server runtime: mount operations at vendor prefixes, stream SSE, map errors, serve."""

# Generated `server.py` modules describe each operation once (`Operation`), then call
# `mount_operation(app, operation, handler.method, mounts=[...])`; the user implements the handler.

from __future__ import annotations

import argparse
import inspect
import logging
import re
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeAlias, TypeVar

import pydantic
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from ._server_errors import (
    AuthenticationFailed,
    BadRequest,
    ErrorObject,
    ErrorResponse,
    HTTPError,
    InBodyErrors,
    InternalServerFailure,
    NotFound,
    PermissionDenied,
    RateLimited,
    UnprocessableEntity,
)

__all__ = [
    "DEFAULT_PORT",
    "GENERIC_SERVER_ERROR",
    "AuthenticationFailed",
    "BadRequest",
    "ErrorObject",
    "ErrorResponse",
    "HTTPError",
    "InBodyErrors",
    "InternalServerFailure",
    "Mount",
    "NotFound",
    "Operation",
    "OperationHandler",
    "PermissionDenied",
    "RateLimited",
    "UnprocessableEntity",
    "main",
    "mount_operation",
    "serve",
]

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8000
GENERIC_SERVER_ERROR = "The server had an error while processing your request."
"""Message sent for exceptions that are not HTTPError: their text may hold internals."""

_RequestT = TypeVar("_RequestT", bound=pydantic.BaseModel)

OperationHandler: TypeAlias = Callable[[_RequestT], Awaitable[object] | AsyncIterable[object]]
"""The user's method for one operation: `async def create(self, request) -> Result`, where the
result is a response model, or an async iterator of chunk models for a streamed answer. An async
generator method (one that `yield`s) is accepted too."""

_MAX_DETAILS = 10
"""Validation problems listed in one error message; a huge bad body must not give a huge reply."""
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_SLUG = re.compile(r"[^0-9A-Za-z]+")
_END = object()
"""Marks an exhausted stream when its first chunk is fetched."""


@dataclass(frozen=True)
class Operation(Generic[_RequestT]):
    """The spec-derived description of one operation taking a JSON body: path, models, streaming."""

    method: str
    path: str
    """Path below the vendor prefixes, e.g. "/chat/completions"."""
    request_model: type[_RequestT]
    """Validates the JSON request body."""
    response_model: type[pydantic.BaseModel] | None = None
    """The JSON answer; None for an operation that only streams."""
    chunk_model: type[pydantic.BaseModel] | None = None
    """One server-sent event's data; None for an operation that never streams."""
    stream_field: str | None = None
    """Python name of the request field asking for a stream (e.g. "stream"). When None, the
    handler's return value decides: an async iterator streams, a model answers as JSON."""
    terminator: str | None = "[DONE]"
    """Data of the event that ends a stream; None sends no terminator."""
    operation_id: str | None = None
    summary: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.method.upper() not in _BODY_METHODS:
            # The route reads the request model from the JSON body; GET and DELETE have none.
            raise ValueError(
                f"{self.path}: {self.method} has no JSON body; operations are POST, PUT or PATCH"
            )
        if self.response_model is None and self.chunk_model is None:
            raise ValueError(f"{self.path}: an operation needs a response_model or a chunk_model")
        if self.stream_field is not None:
            if self.chunk_model is None:
                raise ValueError(f"{self.path}: stream_field is set but there is no chunk_model")
            if self.stream_field not in self.request_model.model_fields:
                raise ValueError(
                    f"{self.path}: stream_field {self.stream_field!r} is not a field of "
                    f"{self.request_model.__name__}"
                )


@dataclass(frozen=True)
class Mount:
    """One prefix an operation is served under, with that vendor's way of reporting errors."""

    prefix: str = ""
    """e.g. "/v1"; "" serves the operation at its bare path."""
    in_body_errors: InBodyErrors | None = None
    """Answer errors of this vendor's catalogue with HTTP 200 and `{"code", "message"}`."""
    validation_status: Literal[400, 422] = 400
    """Status of a request body that fails validation (the OpenAI API uses 400)."""


class _HandlerContractError(Exception):
    """The handler returned something its operation cannot send: a bug on the server side."""


def mount_operation(
    app: FastAPI,
    operation: Operation[_RequestT],
    handler: OperationHandler[_RequestT],
    *,
    mounts: Sequence[str | Mount],
) -> list[str]:
    """Serve `operation` at each mount's prefix joined to its path; return the full paths.

    Every route validates the JSON body with the request model, calls `handler`, and answers
    with the response model's JSON or a `text/event-stream` of chunks. The operation's models
    are added to `app.openapi()`. Errors are answered as described in `HTTPError`.
    """
    if not mounts:
        raise ValueError(f"{operation.path}: mount_operation needs at least one mount")
    resolved = [mount if isinstance(mount, Mount) else Mount(mount) for mount in mounts]
    paths = [_join(mount.prefix, operation.path) for mount in resolved]
    duplicates = sorted({path for path in paths if paths.count(path) > 1})
    if duplicates:
        raise ValueError(f"{operation.path}: two mounts give the same path {duplicates}")
    handler_name = getattr(handler, "__qualname__", repr(handler))
    base_id = operation.operation_id or _slug(f"{operation.method} {operation.path}")
    documented = _document(app)
    for index, (mount, path) in enumerate(zip(resolved, paths, strict=True)):
        # operationId must be unique in a document: the first mount keeps the spec's id.
        operation_id = base_id if index == 0 else f"{base_id}_{_slug(mount.prefix) or 'root'}"
        app.add_api_route(
            path,
            _endpoint(operation, handler, handler_name, mount),
            methods=[operation.method.upper()],
            response_model=None,
            name=operation_id,
            operation_id=operation_id,
            summary=operation.summary,
            description=operation.description,
            tags=list(operation.tags) or None,
        )
        documented.add(path, operation, mount)
    return paths


def _join(prefix: str, path: str) -> str:
    return "/" + "/".join(part for part in (prefix.strip("/"), path.strip("/")) if part)


def _slug(text: str) -> str:
    return _SLUG.sub("_", text).strip("_")


def _endpoint(
    operation: Operation[_RequestT],
    handler: OperationHandler[_RequestT],
    handler_name: str,
    mount: Mount,
) -> Callable[[Request], Awaitable[Response]]:
    """The FastAPI endpoint of one mounted path.

    It reads the body itself rather than declaring a typed parameter: FastAPI would answer a
    validation failure with its own 422 `{"detail": ...}` body before any code of ours runs.
    """

    async def endpoint(request: Request) -> Response:
        try:
            parsed = _parse_request(
                operation.request_model, await request.body(), mount.validation_status
            )
            result: object = handler(parsed)
            if inspect.isawaitable(result):
                result = await result
            problem = _result_problem(operation, parsed, result)
            if problem is not None:
                await _aclose(result)
                raise _HandlerContractError(f"{handler_name} {problem}")
            if isinstance(result, AsyncIterable):
                return await _stream_response(operation, result)
            assert operation.response_model is not None  # else _result_problem would tell
            return Response(
                _dump(operation.response_model, result, handler_name),
                media_type="application/json",
            )
        except Exception as exc:
            return _error_response(_as_http_error(exc), mount)

    return endpoint


def _parse_request(model: type[_RequestT], body: bytes, status: int) -> _RequestT:
    try:
        return model.model_validate_json(body)
    except pydantic.ValidationError as exc:
        raise _validation_error(exc, status) from None


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


def _stream_requested(operation: Operation[Any], request: pydantic.BaseModel) -> bool | None:
    if operation.stream_field is None:
        return None
    return bool(getattr(request, operation.stream_field))


def _result_problem(
    operation: Operation[Any], request: pydantic.BaseModel, result: object
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
            f"return an async iterator of {operation.chunk_model.__name__}"
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


async def _stream_response(operation: Operation[Any], result: AsyncIterable[object]) -> Response:
    assert operation.chunk_model is not None
    iterator = aiter(result)
    name = getattr(iterator, "__qualname__", type(iterator).__name__)
    # Fetch and check the first chunk before answering: until then an error can still be
    # answered with its own status and body instead of an error event in a 200 stream.
    try:
        first = await anext(iterator, _END)
        first_event = None if first is _END else _event(_dump(operation.chunk_model, first, name))
    except BaseException:
        await _aclose(iterator)
        raise
    return StreamingResponse(
        _events(operation.chunk_model, name, first_event, iterator, operation.terminator),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache"},
    )


async def _events(
    chunk_model: type[pydantic.BaseModel],
    name: str,
    first_event: bytes | None,
    iterator: AsyncIterator[object],
    terminator: str | None,
) -> AsyncIterator[bytes]:
    """Server-sent events: one `data:` per chunk, the terminator, or a final error event."""
    try:
        if first_event is not None:
            yield first_event
            async for chunk in iterator:
                yield _event(_dump(chunk_model, chunk, name))
        if terminator is not None:
            yield _event(terminator)
    except Exception as exc:
        # The 200 status is already sent: the error can only be the last event. Its
        # {"error": ...} shape is what OpenAI-style clients raise on mid-stream.
        yield _event(_as_http_error(exc).to_response().model_dump_json())
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


def _as_http_error(exc: Exception) -> HTTPError:
    if isinstance(exc, HTTPError):
        return exc
    if isinstance(exc, HTTPException) and 400 <= exc.status_code <= 599:
        return HTTPError(exc.status_code, str(exc.detail), headers=exc.headers)
    if isinstance(exc, _HandlerContractError):
        logger.error("handler contract violated: %s", exc)
        # The message names the handler's mistake and holds no request data: sending it helps
        # whoever is developing the server, through any client.
        return HTTPError(500, str(exc))
    logger.exception("unhandled exception in a request handler")
    return HTTPError(500, GENERIC_SERVER_ERROR)


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
    operation: Operation[Any]
    mount: Mount


@dataclass
class _OperationsDocument:
    """Replaces `app.openapi`: FastAPI's document plus the request, response, chunk and error
    schemas of every mounted operation.

    The endpoints take the raw request (see `_endpoint`), so FastAPI knows none of the models.
    Their schemas are generated here in one pydantic call, which names a model shared by several
    operations once and keeps the input and output forms of a model apart when they differ.
    """

    generate: Callable[[], dict[str, Any]]
    routes: list[_DocumentedRoute] = field(default_factory=list)
    _described: dict[str, Any] | None = None

    def add(self, path: str, operation: Operation[Any], mount: Mount) -> None:
        self.routes.append(_DocumentedRoute(path, operation, mount))
        self._described = None

    def __call__(self) -> dict[str, Any]:
        document = self.generate()
        if document is not self._described:
            self._describe(document)
            self._described = document
        return document

    def _describe(self, document: dict[str, Any]) -> None:
        wanted: list[tuple[type[pydantic.BaseModel], JsonSchemaMode]] = [
            (ErrorResponse, "serialization")
        ]
        for route in self.routes:
            for key in _models(route.operation):
                if key not in wanted:
                    wanted.append(key)
        refs, definitions = models_json_schema(wanted, ref_template="#/components/schemas/{model}")
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in definitions.get("$defs", {}).items():
            # A schema FastAPI generated for another route keeps its place.
            schemas.setdefault(name, schema)
        error = refs[(ErrorResponse, "serialization")]
        for route in self.routes:
            entry = (
                document.get("paths", {}).get(route.path, {}).get(route.operation.method.lower())
            )
            if entry is not None:
                _describe_operation(entry, route, refs, error)


def _models(operation: Operation[Any]) -> list[tuple[type[pydantic.BaseModel], JsonSchemaMode]]:
    models: list[tuple[type[pydantic.BaseModel], JsonSchemaMode]] = [
        (operation.request_model, "validation")
    ]
    for model in (operation.response_model, operation.chunk_model):
        if model is not None:
            models.append((model, "serialization"))
    return models


def _describe_operation(
    entry: dict[str, Any],
    route: _DocumentedRoute,
    refs: Mapping[tuple[Any, JsonSchemaMode], dict[str, Any]],
    error: dict[str, Any],
) -> None:
    operation = route.operation
    entry["requestBody"] = {
        "required": True,
        "content": {"application/json": {"schema": refs[(operation.request_model, "validation")]}},
    }
    content: dict[str, Any] = {}
    if operation.response_model is not None:
        content["application/json"] = {"schema": refs[(operation.response_model, "serialization")]}
    if operation.chunk_model is not None:
        content["text/event-stream"] = {
            "schema": refs[(operation.chunk_model, "serialization")],
            # How the stream ends, in the extension specgen's merged documents use for it.
            "x-specgen-stream": {"terminator": operation.terminator},
        }
    responses = entry.setdefault("responses", {})
    responses["200"] = {"description": _success_description(route), "content": content}
    status = str(route.mount.validation_status)
    responses[status] = {
        "description": "The request body is not valid JSON or does not match the schema.",
        "content": {"application/json": {"schema": error}},
    }
    responses["default"] = {
        "description": "Error.",
        "content": {"application/json": {"schema": error}},
    }


def _success_description(route: _DocumentedRoute) -> str:
    operation = route.operation
    parts = []
    if operation.response_model is not None:
        parts.append(f"A {operation.response_model.__name__} as JSON.")
    if operation.chunk_model is not None:
        end = f", then `data: {operation.terminator}`" if operation.terminator else ""
        stream = f"server-sent events, one `data:` per {operation.chunk_model.__name__}{end}."
        if operation.stream_field is not None:
            info = operation.request_model.model_fields[operation.stream_field]
            parts.append(f"When `{info.alias or operation.stream_field}` is true: {stream}")
        else:
            parts.append(f"Or {stream}" if parts else stream[0].upper() + stream[1:])
    if route.mount.in_body_errors is not None:
        codes = ", ".join(str(code) for code in route.mount.in_body_errors.codes)
        parts.append(f'Errors with code {codes} are answered here as {{"code", "message"}}.')
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
    app: FastAPI, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, log_level: str = "info"
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
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (%(default)s)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port (%(default)s)")
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
