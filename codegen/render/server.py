"""Views of the server side for the templates: handler protocols, operations, mounts, demo answers.

The generated ``server.py`` serves each operation that takes a JSON body under every vendor's path
prefix; the user's handler (a ``Protocol`` per resource) lives in a starter module the build writes
once, outside the package.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import msgspec

from ..errors import SpecgenError
from ..ir.model import (
    API,
    Alias,
    ArrayType,
    Field,
    JSONValue,
    MapType,
    Model,
    ModelRef,
    Operation,
    Parameter,
    ScalarType,
    TypeNode,
    UnionType,
    UnknownType,
    VendorProfile,
)
from ..ir.parameters import path_parameter_names
from . import analysis
from .analysis import operation_error
from .client import ResourceModuleView, base_url
from .docs import clean_text, inline
from .imports import Imports, export_order
from .models import python_field_names
from .names import class_name, field_name, snake_case, unique
from .placement import key as placement_key
from .typehints import TypeHints, py_literal, tuple_literal

if TYPE_CHECKING:
    from .package import PackageRenderer

SERVER_ERRORS = (
    "AuthenticationFailed",
    "BadRequest",
    "HTTPError",
    "InternalServerFailure",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "UnprocessableEntity",
)
"""Error classes of the server runtime re-exported by ``server.py``, for handlers to raise."""

DEMO_CHUNKS = 3
"""Chunks the demo handler streams for a streamed operation."""
DEMO_TEXT = "demo"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ParameterView(msgspec.Struct, frozen=True):
    """One ``_server.Parameter(...)``: every field a Python literal except ``annotation``."""

    name: str
    attribute: str
    location: str
    annotation: str
    required: str
    style: str


class ServedOperationView(msgspec.Struct, frozen=True):
    """One operation the server mounts; strings are Python source unless said otherwise."""

    constant: str
    """Name of the module-level ``Operation`` constant."""
    method: str
    path: str
    route: str
    """``POST /chat/completions``: method and path as text, for docstrings."""
    request: str | None
    """Class name of the request model (and the next two: None when absent)."""
    response: str | None
    chunk: str | None
    stream_field: str
    """Python literal of the request attribute asking for a stream, or ``None``."""
    stream_attribute: str | None
    """The same attribute as a name (``request.<it>``), None when the operation has no flag."""
    terminator: str
    operation_id: str
    summary: str
    description: str
    handler_method: str
    returns: str
    """The handler method's return annotation."""
    doc: str
    """Docstring text of the protocol method."""
    demo_response: str | None
    """The constant holding the demo answer's fields (``ServerView.demos``), None when nothing
    answers JSON."""
    demo_chunk: str | None
    demo_chunk_validator: str | None
    """For a chunk that is not one model (a union of events): the callable that validates a demo
    chunk (``TypeAdapter(X).validate_python``); None for a model's chunk."""
    demo_response_echo: str
    """A dict expression of request values the demo copies into its answer."""
    demo_chunk_echo: str
    request_model: str
    """The ``request_model=`` expression: the body's model class, or ``None``."""
    signature: str
    """The handler method's parameters after ``self`` (the body first, then keyword-only
    parameters)."""
    parameters: tuple[ParameterView, ...]
    body_encoding: str
    """Python literal: ``"json"``, ``"multipart"``, ... or ``None`` without a body."""
    body_required: str
    response_model: str
    """The ``response_model=`` expression: a class, an annotation, or ``None``."""
    response_kind: str
    response_media_type: str
    success_status: str
    tags: str
    demo_return: str | None
    """The demo's answer expression when it is not a JSON model (bytes, text, None)."""


class HandlerView(msgspec.Struct, frozen=True):
    """A ``Protocol`` the user implements: one async method per served operation."""

    name: str
    doc: str
    operations: tuple[ServedOperationView, ...]
    bases: tuple[str, ...]
    """Other protocols this one combines (the whole API's handler when it has several)."""
    starter_class: str
    """The class the starter module declares for it."""


class VendorMountView(msgspec.Struct, frozen=True):
    name: str
    prefix: str
    in_body_codes: str | None
    """A tuple literal of the vendor's in-body error codes, None when it has no catalogue."""
    rules: str | None = None
    """A ``_server.VendorRules(...)`` expression of the vendor's own required fields and bounds
    on top-level body fields, None when it has none."""

    @property
    def arguments(self) -> str:
        """The Mount's arguments, as written in the call."""
        parts = [self.prefix]
        if self.in_body_codes is not None:
            parts.append(f"in_body_errors=_server.InBodyErrors(codes={self.in_body_codes})")
        if self.rules is not None:
            parts.append(f"rules={self.rules}")
        return ", ".join(parts)


_RULE_KEYWORDS = (
    ("minimum", "ge"),
    ("exclusive_minimum", "gt"),
    ("maximum", "le"),
    ("exclusive_maximum", "lt"),
    ("min_items", "min_length"),
    ("min_length", "min_length"),
    ("max_items", "max_length"),
    ("max_length", "max_length"),
)


def vendor_rules(vendor: VendorProfile) -> str | None:
    """The vendor's own demands on top-level body fields as a VendorRules expression."""
    bounds: dict[str, dict[str, object]] = {}
    for bound in vendor.bounds:
        if "." in bound.field or not bound.field:
            continue  # nested fields are the merged model's to check
        limits = {
            keyword: getattr(bound.constraints, attribute)
            for attribute, keyword in _RULE_KEYWORDS
            if getattr(bound.constraints, attribute) is not None
        }
        if limits:
            bounds[bound.field] = limits
    required = [name for name in vendor.required_fields if "." not in name]
    if not bounds and not required:
        return None
    arguments = []
    if required:
        arguments.append(f"required={tuple_literal([py_literal(n) for n in required])}")
    if bounds:
        arguments.append(f"bounds={py_literal(bounds)}")
    return f"_server.VendorRules({', '.join(arguments)})"


class DemoValueView(msgspec.Struct, frozen=True):
    """One demo answer: a model's example, written once however many operations answer it."""

    constant: str
    value: str
    """Python literal of its fields (wire names)."""


class ServerView(msgspec.Struct, frozen=True):
    """Everything ``server.py.jinja`` and ``server_impl.py.jinja`` receive, computed."""

    package: str
    title: str
    version: str
    operations: tuple[ServedOperationView, ...]
    handlers: tuple[HandlerView, ...]
    """Resource protocols first, then the combining protocol when there are several."""
    handler: HandlerView
    """The protocol ``create_app`` takes."""
    prefixes: str
    """A tuple literal of the distinct prefixes, in the vendors' order."""
    vendors: tuple[VendorMountView, ...]
    not_served: tuple[str, ...]
    """One sentence per operation the server does not mount, saying why."""
    doc: str
    demos: tuple[DemoValueView, ...]
    """The demo answers the operations use, each once, in the order first used."""
    demo_chunks: int
    adapted_streams: bool
    """Some operation's chunk is not one model (the demo validates it with a TypeAdapter)."""


def normalized_prefix(vendor_url: str) -> str:
    """The path of a vendor's base URL as a mount prefix: ``"/v1"``, or ``""`` for the root."""
    path = urlsplit(vendor_url).path.strip("/")
    return f"/{path}" if path else ""


DEMO_DEPTH = 3
"""How many models deep a demo answer fills optional fields: below, a model holds only what it
must (a full answer of a large API's deepest responses runs to thousands of lines)."""


class ExampleBuilder:
    """A JSON value that validates against a type, for the demo handler's canned answers.

    Fields are filled when required, and optional ones too, ``DEMO_DEPTH`` models deep: a
    response model reads every field but a tag as optional and nullable (servers send less than
    documented), so a demo answer shows what a full one holds. Left out: any-JSON shapes,
    patterns, a model met again, and optional fields that would go deeper or hold only an empty
    model.
    """

    def __init__(self, api: API) -> None:
        self.api = api

    def value(self, node: TypeNode, seen: frozenset[str] = frozenset()) -> JSONValue:
        if isinstance(node, ScalarType):
            return self._scalar(node)
        if isinstance(node, ArrayType):
            item = self.value(node.items, seen)
            count = max(1, node.constraints.min_items or 0)
            if node.constraints.max_items == 0:
                count = 0
            return [item] * count
        if isinstance(node, ModelRef):
            target = analysis.resolve(self.api, node)
            if node.name in seen:
                return None
            if isinstance(target, Alias):
                return self.value(target.type, seen | {node.name})
            return self.model(target, seen | {node.name})
        if isinstance(node, UnionType):
            for variant in node.variants:
                if not isinstance(variant, UnknownType):
                    return self.value(variant, seen)
            return None
        if isinstance(node, MapType):
            return {}
        return None

    def model(self, model: Model, seen: frozenset[str] = frozenset()) -> dict[str, JSONValue]:
        out: dict[str, JSONValue] = {}
        if model.tag is not None:
            out[model.tag[0]] = model.tag[1]
        for item in model.fields:
            if item.name in out:
                continue
            if item.required:
                if item.nullable and analysis.refers_to_models(item.type, self.api):
                    out[item.name] = None
                else:
                    out[item.name] = self._field_value(item, seen)
            elif self._fill_optional(item, seen):
                value = self._field_value(item, seen)
                if value in ({}, [{}]) and analysis.refers_to_models(item.type, self.api):
                    continue  # a model cut at the depth bound: an empty one says nothing
                out[item.name] = value
        return out

    def _fill_optional(self, item: Field, seen: frozenset[str]) -> bool:
        if len(seen) > DEMO_DEPTH or (
            len(seen) == DEMO_DEPTH and analysis.refers_to_models(item.type, self.api)
        ):
            return False
        if analysis.accepts_any(item.type):
            return False
        if isinstance(item.type, ScalarType) and item.type.constraints.pattern is not None:
            # A pattern cannot be satisfied in general; leaving the field out always validates.
            return False
        return not (isinstance(item.type, ModelRef) and item.type.name in seen)

    def _field_value(self, item: Field, seen: frozenset[str]) -> JSONValue:
        if item.has_default and item.default is not None:
            return item.default
        return self.value(item.type, seen)

    def _scalar(self, node: ScalarType) -> JSONValue:
        if node.enum:
            return node.enum[0].value
        bounds = node.constraints
        if node.kind == "boolean":
            return False
        if node.kind == "string":
            text = DEMO_TEXT
            if bounds.min_length is not None and len(text) < bounds.min_length:
                text = text.ljust(bounds.min_length, "o")
            if bounds.max_length is not None:
                text = text[: bounds.max_length]
            return text
        low = bounds.minimum
        if low is None and bounds.exclusive_minimum is not None:
            low = bounds.exclusive_minimum + 1
        high = bounds.maximum
        if high is None and bounds.exclusive_maximum is not None:
            high = bounds.exclusive_maximum - 1
        number = 0.0 if low is None else low
        if high is not None:
            number = min(number, high)
        return int(number) if node.kind == "integer" else float(number)


class ServerRenderer:
    """Builds the server view of one API from the package renderer's names."""

    def __init__(self, renderer: PackageRenderer, modules: list[ResourceModuleView]) -> None:
        self.renderer = renderer
        self.api = renderer.api
        self.modules = modules
        self.examples = ExampleBuilder(self.api)
        self.demos: dict[str, DemoValueView] = {}
        """Per model name: its demo answer (one example however many operations answer it)."""
        self._demo_constants: set[str] = set()

    def view(self) -> tuple[ServerView, Imports] | None:
        """The view and the imports of ``server.py``; None when no operation can be served."""
        served = list(self.api.operations)
        not_served: list[str] = []
        if not served:
            return None
        imports = Imports()
        imports.add("__future__", "annotations")
        imports.add("collections.abc", "Mapping", "Sequence")
        imports.add("typing", "Protocol", "TypeVar")
        imports.add("fastapi", "FastAPI")
        imports.add("pydantic", "BaseModel")
        imports.add(".", "_server")
        imports.add("._server", *SERVER_ERRORS)
        imports.add("._vendors", "VendorName")
        method_names = self._client_method_names(served)
        taken_classes = set(self.renderer.class_names.values()) | set(SERVER_ERRORS)
        taken_classes |= {"DemoHandler", "FastAPI", "BaseModel", "Protocol", "VendorName"}
        # An operation's constant (`A` for operation id `a`) shares the module with the classes.
        constants = {"PREFIXES", "ROUTES", "VENDOR_MOUNTS", "TITLE", "VERSION", *taken_classes}
        groups: dict[tuple[str, ...], list[ServedOperationView]] = {}
        used_methods: set[str] = set()
        for operation in served:
            name = method_names[operation.id]
            if name in used_methods:
                # Two resources share a verb; one handler implements both, so one is qualified.
                name = snake_case("_".join((*self._resource_of(operation), name)))
            name = unique(name, used_methods)
            served_view = self._operation(operation, name, constants, imports)
            groups.setdefault(self._resource_of(operation), []).append(served_view)
        handlers = [
            self._handler(resource, tuple(views), taken_classes)
            for resource, views in groups.items()
        ]
        if len(handlers) == 1:
            handler = handlers[0]
        else:
            name = unique("Handler", taken_classes)
            handler = HandlerView(
                name=name,
                doc="Every operation of the API: implement all the protocols it combines.",
                operations=tuple(op for view in handlers for op in view.operations),
                bases=tuple(view.name for view in handlers),
                starter_class=unique("Implementation", taken_classes),
            )
            handlers.append(handler)
        operations = tuple(op for group in groups.values() for op in group)
        if any(op.chunk is not None for op in operations):
            imports.add("collections.abc", "AsyncIterator")
        adapted_streams = any(op.demo_chunk_validator is not None for op in operations)
        if adapted_streams:
            imports.add("collections.abc", "Callable")
        prefixes = tuple(
            dict.fromkeys(normalized_prefix(base_url(vendor)) for vendor in self.api.vendors)
        )
        vendors = tuple(
            VendorMountView(
                name=py_literal(vendor.name),
                prefix=py_literal(normalized_prefix(base_url(vendor))),
                in_body_codes=(
                    tuple_literal([py_literal(error.code) for error in vendor.in_body_errors])
                    if vendor.in_body_errors
                    else None
                ),
                rules=vendor_rules(vendor),
            )
            for vendor in self.api.vendors
        )
        self._check_names(imports)
        title = clean_text(self.api.title) or "API"
        title = title if title.endswith(" API") else f"{title} API"
        server = ServerView(
            package=self.renderer.package,
            title=py_literal(clean_text(self.api.title) or ""),
            version=py_literal(clean_text(self.api.version) or ""),
            operations=operations,
            handlers=tuple(handlers),
            handler=handler,
            prefixes=tuple_literal([py_literal(prefix) for prefix in prefixes]),
            vendors=vendors,
            not_served=tuple(not_served),
            doc=self._module_doc(title, handler, prefixes, not_served),
            demos=tuple(self.demos.values()),
            demo_chunks=DEMO_CHUNKS,
            adapted_streams=adapted_streams,
        )
        return server, imports

    def _module_doc(
        self, title: str, handler: HandlerView, prefixes: tuple[str, ...], not_served: list[str]
    ) -> str:
        shown = ", ".join(f"`{prefix}`" if prefix else '`""` (the root)' for prefix in prefixes)
        package = self.renderer.package
        parts = [
            f"FastAPI server of the {title}: `create_app(handler)` serves your `{handler.name}`.",
            f"Every operation is served under each vendor's path prefix ({shown}), its request "
            "body validated by the generated models; `create_app(handler, vendor=...)` answers "
            "errors the way that vendor does. Implement the handler in your own module: "
            "`specgen build` writes a starter once and never overwrites it, while this module "
            "is regenerated.",
            f"`python -m {package}.server --port N` serves the demo handler on 127.0.0.1.",
        ]
        if not_served:
            parts.append("Not served:\n\n" + "\n".join(f"- {line}" for line in not_served))
        return "\n\n".join(parts)

    def _check_names(self, imports: Imports) -> None:
        """One module-level name, one meaning: a model called like a server class is an error."""
        seen: dict[str, str] = {}
        for module, names in imports.names.items():
            for name in names:
                if name in seen and seen[name] != module:
                    raise SpecgenError(
                        f"server.py would import {name!r} from both {seen[name]} and {module}; "
                        "rename the model"
                    )
                seen[name] = module

    def _client_method_names(self, operations: list[Operation]) -> dict[str, str]:
        """The client's method name of each operation, so handler and client read alike."""
        return {
            operation.id: self.renderer.client.method_name(operation) for operation in operations
        }

    def _resource_of(self, operation: Operation) -> tuple[str, ...]:
        return self.renderer.client.placements[placement_key(operation)].resource

    def _handler(
        self,
        resource: tuple[str, ...],
        operations: tuple[ServedOperationView, ...],
        taken: set[str],
    ) -> HandlerView:
        base = class_name("_".join(resource))
        name = unique(f"{base}Handler", taken)
        path = "/" + "/".join(resource)
        return HandlerView(
            name=name,
            doc=f"Operations under `{path}`: implement each method; see `create_app`.",
            operations=operations,
            bases=(),
            starter_class=unique(base, taken),
        )

    def _operation(
        self, operation: Operation, method: str, constants: set[str], imports: Imports
    ) -> ServedOperationView:
        names = self.renderer.class_names
        hints = TypeHints(
            self.api, names, imports, models_module=".types", shadowed=self.renderer.client.shadowed
        )
        spec = operation.request_body
        request_model: Model | None = None
        request: str | None = None
        if operation.request is not None:
            target = analysis.resolve(self.api, operation.request)
            request = hints.annotation(operation.request)
            if isinstance(target, Model):
                request_model = target
        elif spec is not None:
            request = "bytes" if spec.encoding == "binary" else "str"
        attributes = (
            python_field_names(request_model, self.renderer.client.reserved_in_models)
            if request_model is not None
            else {}
        )
        success = operation.success
        response_model = "None"
        response: str | None = None
        if success.kind == "json" and success.type is not None:
            response = hints.annotation(success.type)
            response_model = response
        elif success.kind in ("json", "sse") and operation.stream is None:
            # A JSON answer no document describes: the handler's value goes out as it is.
            imports.add("typing", "Any")
            response_model = "Any"
        chunk = None
        stream_attribute = None
        terminator: str | None = None
        if operation.stream is not None:
            chunk = hints.reference(operation.stream.chunk)
            terminator = operation.stream.terminator
            stream_attribute = attributes.get(operation.stream.flag)
            if stream_attribute is None:
                raise operation_error(
                    operation,
                    f"operation {operation.id!r}: stream flag {operation.stream.flag!r} is not a "
                    "request field",
                )
        answer = {"binary": "bytes", "text": "str", "empty": "None"}.get(success.kind, response)
        if success.kind == "json" and response is None:
            answer = hints.json_value() if operation.stream is None else None
        stream_type = f"AsyncIterator[{chunk}]" if chunk else None
        returns = " | ".join(item for item in (answer, stream_type) if item) or "None"
        summary = clean_text(operation.summary)
        description = clean_text(operation.description)
        demo_response = demo_chunk = None
        response_echo: list[str] = []
        chunk_echo: list[str] = []
        demo_return: str | None = None
        if isinstance(success.type, ModelRef) and isinstance(
            analysis.resolve(self.api, success.type), Model
        ):
            demo_response = self._demo(success.type)
            if request_model is not None:
                response_echo = self._echo(request_model, attributes, success.type)
        elif success.kind == "json" and success.type is not None:
            demo_return = f"{self._adapter_call(success.type, hints, imports)}"
        elif success.kind == "binary":
            demo_return = f"b{py_literal(DEMO_TEXT)}"
        elif success.kind == "text":
            demo_return = py_literal(DEMO_TEXT)
        elif operation.stream is None:
            demo_return = "None" if success.kind == "empty" else "{}"
        demo_chunk_validator = None
        if operation.stream is not None:
            if not isinstance(analysis.resolve(self.api, operation.stream.chunk), Model):
                imports.add("pydantic", "TypeAdapter")
                demo_chunk_validator = f"TypeAdapter({chunk}).validate_python"
            demo_chunk = self._demo(operation.stream.chunk)
            if request_model is not None:
                chunk_echo = self._echo(request_model, attributes, operation.stream.chunk)
        parameters, signature = self._parameters(operation, hints, request)
        return ServedOperationView(
            constant=unique(snake_case(operation.id).upper(), constants),
            method=py_literal(operation.method.upper()),
            path=py_literal(operation.path),
            route=inline(f"{operation.method.upper()} {operation.path}"),
            request=request,
            response=response,
            chunk=chunk,
            stream_field=py_literal(stream_attribute),
            stream_attribute=stream_attribute,
            terminator=py_literal(terminator),
            operation_id=py_literal(operation.id),
            summary=py_literal(summary),
            description=py_literal(description),
            handler_method=method,
            returns=returns,
            doc=self._method_doc(operation, summary, answer, chunk, stream_attribute),
            demo_response=demo_response,
            demo_chunk=demo_chunk,
            demo_chunk_validator=demo_chunk_validator,
            demo_response_echo="{" + ", ".join(response_echo) + "}",
            demo_chunk_echo="{" + ", ".join(chunk_echo) + "}",
            request_model=request if operation.request is not None and request else "None",
            signature=signature,
            parameters=parameters,
            body_encoding=py_literal(spec.encoding if spec is not None else None),
            body_required=py_literal(operation.request_required),
            response_model=response_model,
            response_kind=py_literal("json" if success.kind == "sse" else success.kind),
            response_media_type=py_literal(
                success.media_type if success.kind in ("binary", "text") else None
            ),
            success_status=py_literal(success.status),
            tags=tuple_literal([py_literal(tag) for tag in operation.tags])
            if operation.tags
            else "()",
            demo_return=demo_return,
        )

    def _adapter_call(self, node: TypeNode, hints: TypeHints, imports: Imports) -> str:
        """A demo answer of a type that is not one model: the example validated by pydantic."""
        imports.add("pydantic", "TypeAdapter")
        return f"TypeAdapter({hints.annotation(node)}).validate_python({py_literal(self.examples.value(node))})"

    def _parameters(
        self, operation: Operation, hints: TypeHints, request: str | None
    ) -> tuple[tuple[ParameterView, ...], str]:
        """The runtime's Parameter of each parameter, and the handler method's signature."""
        taken = {"self", "request"}
        views: list[ParameterView] = []
        required_args: list[str] = []
        optional_args: list[str] = []
        for parameter in _with_path_placeholders(operation):
            if parameter.location == "cookie":
                continue
            attribute = field_name(snake_case(parameter.name), reserved=taken)
            taken.add(attribute)
            annotation = hints.annotation(parameter.type, nullable=parameter.nullable)
            views.append(
                ParameterView(
                    name=py_literal(parameter.name),
                    attribute=py_literal(attribute),
                    location=py_literal(parameter.location),
                    annotation=annotation,
                    required=py_literal(parameter.required),
                    style=py_literal(_runtime_style(parameter)),
                )
            )
            if parameter.required:
                required_args.append(f"{attribute}: {annotation}")
            else:
                loose = annotation if parameter.nullable else f"{annotation} | None"
                optional_args.append(f"{attribute}: {loose} = None")
        pieces = [f"request: {request}"] if request is not None else []
        keywords = [*required_args, *optional_args]
        if keywords:
            pieces.append("*")
            pieces.extend(keywords)
        return tuple(views), ", ".join(["self", *pieces])

    def _demo(self, ref: ModelRef) -> str:
        """The constant of the model's demo answer, built the first time it is asked for."""
        found = self.demos.get(ref.name)
        if found is None:
            constant = unique(f"_DEMO_{snake_case(ref.name).upper()}", self._demo_constants)
            found = self.demos[ref.name] = DemoValueView(
                constant=constant, value=py_literal(self._example(ref))
            )
        return found.constant

    def _example(self, ref: ModelRef) -> JSONValue:
        target = analysis.resolve(self.api, ref)
        if isinstance(target, Model):
            return self.examples.model(target, frozenset({ref.name}))
        return self.examples.value(ref)

    def _echo(self, request: Model, attributes: Mapping[str, str], answer: ModelRef) -> list[str]:
        """``"name": request.name`` for each plain string both the request and the answer carry.

        A demo that answers with the caller's own values (the model name, say) shows the request
        went through; only strings the request always holds are copied, so the answer stays
        valid.
        """
        target = analysis.resolve(self.api, answer)
        if not isinstance(target, Model):
            return []
        wanted = {item.name: item for item in target.fields if _plain_string(item)}
        return [
            f"{py_literal(item.name)}: request.{attributes[item.name]}"
            for item in request.fields
            if item.name in wanted and item.required and not item.nullable and _plain_string(item)
        ]

    def _method_doc(
        self,
        operation: Operation,
        summary: str | None,
        response: str | None,
        chunk: str | None,
        stream_attribute: str | None,
    ) -> str:
        route = f"`{operation.method.upper()} {operation.path}`"
        first = summary.rstrip(".") + "." if summary else f"{route}."
        answers: list[str] = []
        if response is not None:
            answers.append(f"Return a `{response}`")
        if chunk is not None:
            end = ""
            if operation.stream is not None and operation.stream.terminator is not None:
                end = f", then `data: {operation.stream.terminator}`"
            stream = f"an async iterator of `{chunk}` (sent as server-sent events{end})"
            if response is None:
                answers.append(f"Return {stream}")
            elif stream_attribute is not None:
                answers.append(f"or, when `request.{stream_attribute}` is true, {stream}")
        body = (
            (f"{route}. " if summary else "")
            + f"{' '.join(answers)}. Raise `HTTPError` or one of its subclasses (`BadRequest`, "
            "`RateLimited`, ...) to answer an error."
        )
        return f"{first}\n\n{body}"


def _with_path_placeholders(operation: Operation) -> list[Parameter]:
    """The operation's parameters, with a required string for each URL placeholder the IR does
    not declare (the URL cannot be matched without it)."""
    declared = {p.name for p in operation.parameters if p.location == "path"}
    missing = [
        Parameter(name, "path", True, ScalarType("string"))
        for name in path_parameter_names(operation.path)
        if name not in declared
    ]
    return [*missing, *operation.parameters]


def _runtime_style(parameter: Parameter) -> str:
    style = parameter.style or "form"
    if style == "form":
        return "form_csv" if parameter.explode is False else "form"
    return {"spaceDelimited": "space", "pipeDelimited": "pipe", "deepObject": "deep_object"}.get(
        style, "form"
    )


def _plain_string(item: Field) -> bool:
    """Any string is valid here (an open enum's known values do not restrict it)."""
    node = item.type
    return (
        isinstance(node, ScalarType)
        and node.kind == "string"
        and (not node.enum or node.enum_open)
        and node.constraints.is_empty()
    )


def server_view(
    renderer: PackageRenderer, modules: list[ResourceModuleView]
) -> tuple[ServerView, Imports] | None:
    """The server module's view, None when the API has no operation a server can mount; both
    server.py and the starter handler module are rendered from it."""
    return ServerRenderer(renderer, modules).view()


def server_files(
    renderer: PackageRenderer, built: tuple[ServerView, Imports] | None
) -> dict[str, str]:
    """``{"server.py": text}``, or nothing when the API has no operation a server can mount."""
    if built is None:
        return {}
    view, imports = built
    exports = [
        "DemoHandler",
        "PREFIXES",
        "ROUTES",
        "VENDOR_MOUNTS",
        "create_app",
        "main",
        *SERVER_ERRORS,
        *(handler.name for handler in view.handlers),
        *(operation.constant for operation in view.operations),
    ]
    text = renderer.render(
        "server.py.jinja", server=view, imports=imports.lines(), exports=export_order(exports)
    )
    return {"server.py": text}


def starter_text(
    renderer: PackageRenderer, built: tuple[ServerView, Imports] | None, module: str
) -> str | None:
    """The starter handler module's text (unformatted), None when the API has no server."""
    if built is None:
        return None
    view, server_imports = built
    package = renderer.package
    imports = Imports()
    imports.add("__future__", "annotations")
    imports.add("sys")
    imports.add(f"{package}.server", view.handler.name, "HTTPError", "create_app", "main")
    # The starter's signatures are the protocol's: import what their text names, from where
    # server.py imports it (the package's relative modules by the package's name).
    used = set(
        _IDENTIFIER.findall(" ".join(f"{op.signature} {op.returns}" for op in view.operations))
    )
    for source, names in server_imports.names.items():
        wanted = sorted(name for name in names if name in used)
        if wanted and source not in (".", "._server", "._vendors", "fastapi"):
            target = f"{package}{source}" if source.startswith(".") else source
            imports.add(target, *wanted)
    return renderer.environment.get_template("server_impl.py.jinja").render(
        server=view, imports=imports.lines(), module=module
    )


def render_starter(
    api: API, *, package: str, module: str, template_dir: Path | None = None
) -> str | None:
    """The user's starter handler module for ``api``: written once by the build, never again.

    It imports the package by name, so it works beside the package folder (the default place)
    or anywhere the package is importable. None when the API has nothing a server can serve.
    A build gets it from ``render_package(starter_module=...)``, which renders the server once.
    """
    # Imported here: package.py imports this module to add server.py to the package.
    from .environment import make_environment
    from .formatting import format_python
    from .package import PackageRenderer

    renderer = PackageRenderer(api, package, make_environment(template_dir))
    text = starter_text(renderer, server_view(renderer, renderer.client.resource_modules()), module)
    if text is None:
        return None
    return format_python(text, module)
