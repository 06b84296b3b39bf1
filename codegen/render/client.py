"""Views of the client side for the templates: resources from paths, methods, vendors, errors.

Operations become methods of resource classes that mirror their static path segments
(``POST /chat/completions`` -> ``client.chat.completions.create``); every request body field is
a typed keyword argument. Each method exists four times: sync, async, and their raw-response twins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import msgspec

from ..errors import SpecgenError
from ..ir.model import (
    API,
    Alias,
    ArrayType,
    Field,
    InBodyError,
    Model,
    ModelRef,
    Operation,
    Parameter,
    ResponseSpec,
    VendorProfile,
)
from . import analysis
from .analysis import operation_error
from .docs import LINE_LENGTH, clean_text, fill
from .imports import Imports
from .models import field_doc, python_field_names, reserved_in_models
from .names import class_name, field_name, snake_case, unique
from .placement import ROOT_RESOURCE, Placement, place_operations
from .placement import key as placement_key
from .typehints import BUILTIN_HINTS, TypeHints, py_literal, tuple_literal

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


def _f_string_text(text: str) -> str:
    """``text`` as the literal part of a double-quoted f-string: escaped, braces doubled."""
    return py_literal(text)[1:-1].replace("{", "{{").replace("}", "}}")


METHOD_DOC_INDENT = 8

OPTION_PARAMETERS = (
    ("extra_headers", "Headers | None", "None", "Send extra headers (a None value removes one)."),
    ("extra_query", "Query | None", "None", "Add additional query parameters to the request."),
    ("extra_body", "Body | None", "None", "Add additional JSON properties to the request body."),
    ("timeout", "Timeout | NotGiven", "NOT_GIVEN", "Override the client's timeout for this call."),
    (
        "max_retries",
        "int | NotGiven",
        "NOT_GIVEN",
        "Override the client's number of retries for this call.",
    ),
)

# Verbs for the conventional method name of an operation, by HTTP method and path shape.
_VERBS = {"post": "create", "put": "update", "patch": "update", "delete": "delete"}


class ParamView(msgspec.Struct, frozen=True):
    name: str
    annotation: str
    default: str | None
    doc: str | None


class SignatureView(msgspec.Struct, frozen=True):
    """One ``def`` line: keyword arguments and return hint; ``overload`` marks a typing stub."""

    params: tuple[ParamView, ...]
    returns: str
    overload: bool


class KindView(msgspec.Struct, frozen=True):
    """Which of the four twins a method is: sync or async, parsed or raw."""

    key: str
    is_async: bool
    is_raw: bool
    client_type: str
    """The runtime client class the resource holds."""
    call: str
    """The runtime client method a non-streamed call goes through."""
    async_: str
    """``"async "`` in async twins, else empty (prefix of ``def``)."""
    await_: str
    """``"await "`` in async twins, else empty."""


KINDS = {
    "sync": KindView("sync", False, False, "SyncAPIClient", "request", "", ""),
    "async": KindView("async", True, False, "AsyncAPIClient", "request", "async ", "await "),
    "raw": KindView("raw", False, True, "SyncAPIClient", "request_raw", "", ""),
    "async_raw": KindView(
        "async_raw", True, True, "AsyncAPIClient", "request_raw", "async ", "await "
    ),
}


class StreamView(msgspec.Struct, frozen=True):
    flag: str
    """The argument that turns streaming on."""
    chunk_parse: str
    terminator: str


class CallView(msgspec.Struct, frozen=True):
    """The runtime method one twin calls, how it reads the answer, and its own arguments."""

    function: str
    parse: str | None
    """``parse=`` of the call (None: the call takes no parser, e.g. a binary download)."""
    arguments: tuple[tuple[str, str], ...]


class MethodView(msgspec.Struct, frozen=True):
    name: str
    http_method: str
    path: str
    """A Python expression for the path (an f-string when it has parameters)."""
    path_params: tuple[ParamView, ...]
    doc: str
    body_model: str | None
    body_fields: tuple[tuple[str, str], ...]
    """(wire name as a Python string literal, argument name) of each request body field."""
    parse: str
    stream: StreamView | None
    signatures: Mapping[str, tuple[SignatureView, ...]]
    """By kind key: overload stubs (if any) then the implementation's signature."""
    raw_body_fields: tuple[tuple[str, str], ...]
    body_dict: bool
    """The body is sent as the given fields (form, multipart), not validated as a JSON model."""
    arguments: tuple[tuple[str, str], ...]
    """(name, Python expression) of the runtime call's arguments every twin passes."""
    calls: Mapping[str, CallView]
    """By kind key."""
    options: tuple[str, ...] = tuple(option[0] for option in OPTION_PARAMETERS)
    """The per-call options, each passed to RequestOptions under its own name."""


class ResourceView(msgspec.Struct, frozen=True):
    attribute: str
    names: Mapping[str, str]
    """Class name by kind key."""
    doc: str
    methods: tuple[MethodView, ...]
    children: tuple[ResourceView, ...]


class ResourceModuleView(msgspec.Struct, frozen=True):
    module: str
    """Module name under ``resources/``."""
    imports: Imports
    resources: tuple[ResourceView, ...]
    """Every resource class of the module, children before their parents."""
    root: ResourceView
    adapters: tuple[tuple[str, str], ...] = ()
    """(constant, annotation) of the module's lazily built answer validators."""


class ErrorClassView(msgspec.Struct, frozen=True):
    name: str
    code: str
    doc: str
    status_base: str | None = None
    """The status error its meaning maps to (AuthenticationError, ...), a second base class."""

    @property
    def bases(self) -> str:
        """The class's bases as written in its header."""
        return ", ".join(b for b in ("APIInBodyError", self.status_base) if b is not None)


STATUS_BASES = {
    "authentication": "AuthenticationError",
    "permission": "PermissionDeniedError",
    "payment": "PaymentRequiredError",
    "timeout": "ServerTimeoutError",
    "server": "InternalServerError",
}
"""codegen.ir.error_kinds kind -> the runtime's status error an in-body error class subclasses."""


class VendorView(msgspec.Struct, frozen=True):
    name: str
    constant: str
    base_url: str
    """This and the next three: Python literals (``None`` when absent)."""
    api_key_env: str
    auth_header: str
    auth_scheme: str
    auth_query: str | None
    """Python literal of the query parameter carrying the key; None when a header does."""
    required_fields: tuple[tuple[str, str], ...]
    """(wire name, Python literal of the value sent when the caller left it out)."""
    in_body_errors: tuple[tuple[str, str], ...]
    """(code literal, error class name)."""
    doc: str


class _Node(msgspec.Struct):
    segment: str
    operations: list[Operation] = msgspec.field(default_factory=list)
    children: dict[str, _Node] = msgspec.field(default_factory=dict)


_MODULE_IMPORTS = frozenset(
    ("AsyncAPIClient", "SyncAPIClient", "request_body", "APIResponse", "Stream", "AsyncStream",
     "NOT_GIVEN", "NotGiven", "Headers", "Query", "Body", "Timeout", "RequestOptions",
     "cached_property", "Literal", "overload", "quote", "Mapping", "Sequence", "Field",
     "Annotated", "JSONValue")
)  # fmt: skip
"""Names a resource module imports besides its models (here and in TypeHints): a resource class
named after a path segment (``/logs/query``) must not take one of them."""

_METHOD_LOCALS = ("options", "body")
"""Names the generated method body assigns (see templates/operation.jinja)."""

_METHOD_BODY_NAMES = frozenset(
    {"str", "quote", "RequestOptions", "NOT_GIVEN", "Adapter", "APIResponse"}
    | {"request_body", "request_json", "as_bytes", "as_text", "BinaryResponse"}
    | {"AsyncBinaryResponse"}
)
"""Module-level names the generated method body uses: an argument of that name would hide it
(a path parameter called `str` made the body call its own argument)."""

_METHOD_RESERVED = ("with_raw_response",)
"""Attributes of a resource class a method must not take."""


def tuple_text(items: tuple[str, ...]) -> str:
    """A tuple literal of strings."""
    return tuple_literal([py_literal(item) for item in items])


def _same_call_views(
    parse: str, arguments: tuple[tuple[str, str], ...], returns: str
) -> tuple[dict[str, CallView], dict[str, str]]:
    """The four twins of an answer read the same way: request (sync, async) or request_raw."""
    call = CallView("request", parse, arguments)
    raw = CallView("request_raw", parse, arguments)
    wrapped = f"APIResponse[{returns}]"
    return (
        {"sync": call, "async": call, "raw": raw, "async_raw": raw},
        {"sync": returns, "async": returns, "raw": wrapped, "async_raw": wrapped},
    )


def _query_style(parameter: Parameter) -> str | None:
    """The runtime's name for a query parameter's style; None for the default (form, exploded)."""
    style = parameter.style or "form"
    if style == "form":
        return "form_csv" if parameter.explode is False else None
    return {"spaceDelimited": "space", "pipeDelimited": "pipe", "deepObject": "deep_object"}.get(
        style
    )


def _kind_name(base: str, kind: str) -> str:
    prefix = "Async" if kind.startswith("async") else ""
    suffix = "WithRawResponse" if kind.endswith("raw") else ""
    return f"{prefix}{base}{suffix}"


def base_url(vendor: VendorProfile) -> str:
    """Scheme, host and path prefix joined once (a base URL may already end with the prefix)."""
    url = vendor.base_url.rstrip("/")
    prefix = vendor.path_prefix.strip("/")
    if prefix and not url.endswith(f"/{prefix}"):
        url = f"{url}/{prefix}"
    return url


def _auth(vendor: VendorProfile) -> tuple[str | None, str | None, str | None]:
    """(header, scheme, env var) of a vendor's authentication."""
    if vendor.auth == "none":
        return None, None, None
    env = vendor.api_key_env or f"{snake_case(vendor.name).upper()}_API_KEY"
    if vendor.auth == "bearer":
        return vendor.auth_header or "Authorization", "Bearer", env
    if vendor.auth == "basic":
        return vendor.auth_header or "Authorization", "Basic", env
    if vendor.auth_header is None:
        raise SpecgenError(f"vendor {vendor.name!r} uses an API key header but does not name it")
    return vendor.auth_header, None, env


def error_class_names(api: API, reserved: set[str]) -> dict[tuple[str, int | str], str]:
    """Class name for each (vendor, code) of the in-body error catalogues.

    Vendors sharing a name and code share a class; a name used for different codes is prefixed
    with the vendor's name so each code keeps its own class.
    """
    codes_by_name: dict[str, set[int | str]] = {}
    for vendor in api.vendors:
        for error in vendor.in_body_errors:
            codes_by_name.setdefault(_error_base_name(vendor, error), set()).add(error.code)
    names: dict[tuple[str, int | str], str] = {}
    chosen: dict[tuple[str, int | str], str] = {}
    for vendor in api.vendors:
        for error in vendor.in_body_errors:
            base = _error_base_name(vendor, error)
            if len(codes_by_name[base]) > 1 or base in reserved:
                base = class_name(vendor.name) + base
            key = (base, error.code)
            if key not in chosen:
                chosen[key] = unique(base, reserved)
            names[(vendor.name, error.code)] = chosen[key]
    return names


def _error_base_name(vendor: VendorProfile, error: InBodyError) -> str:
    name = class_name(error.name) if any(c.isalpha() for c in error.name) else ""
    if not name or name == "Unnamed":
        name = f"{class_name(vendor.name)}Code{error.code}"
    return name if name.endswith("Error") else f"{name}Error"


class ClientRenderer:
    """Builds resource, vendor and error views of one API."""

    def __init__(
        self,
        api: API,
        model_names: Mapping[str, str],
        error_names: Mapping[tuple[str, int | str], str] | None = None,
    ) -> None:
        self.api = api
        self.model_names = model_names
        self.reserved_in_models = reserved_in_models(model_names.values())
        self.error_names = error_names or {}
        self.placements: dict[tuple[str, str], Placement] = {}
        self.shadowed: frozenset[str] = frozenset()

    # -- vendors and errors ----------------------------------------------------------------

    def error_classes(self, names: Mapping[tuple[str, int | str], str]) -> list[ErrorClassView]:
        views: dict[str, ErrorClassView] = {}
        vendors_of: dict[str, list[str]] = {}
        for vendor in self.api.vendors:
            for error in vendor.in_body_errors:
                name = names[(vendor.name, error.code)]
                vendors_of.setdefault(name, []).append(vendor.name)
                if name not in views:
                    label = clean_text(error.name) or ""
                    meaning = clean_text(error.meaning)
                    text = f"{label}: {meaning}" if label and meaning else label or meaning or ""
                    base = STATUS_BASES.get(error.kind) if error.kind else None
                    views[name] = ErrorClassView(name, py_literal(error.code), text, base)
        result = []
        for name, view in views.items():
            who = ", ".join(vendors_of[name])
            summary = f"Error code {view.code} in a successful response ({who})."
            doc = f"{summary}\n\n{view.doc.rstrip('.')}." if view.doc else summary
            if view.status_base is not None:
                doc += f"\n\nCaught by `except {view.status_base}`, as the HTTP status error is."
            result.append(ErrorClassView(view.name, view.code, doc, view.status_base))
        return result

    def vendors(self, error_names: Mapping[tuple[str, int | str], str]) -> list[VendorView]:
        taken: set[str] = {"VENDORS"}
        views = []
        for vendor in self.api.vendors:
            header, scheme, env = _auth(vendor)
            url = base_url(vendor)
            auth = {
                "none": "no authentication documented (an api_key you pass is still sent, as "
                "`Authorization: Bearer`)",
                "api-key-query": f"{header} query parameter",
                "basic": "HTTP basic credentials",
            }.get(vendor.auth, f"{header} header as its document declares")
            doc = f"{vendor.name}: {url}, {auth}"
            if env:
                doc += f", key from ${env}"
            if vendor.documents:
                doc += f".\n\nDescribed by: {', '.join(vendor.documents)}."
            views.append(
                VendorView(
                    name=py_literal(vendor.name),
                    constant=unique(snake_case(vendor.name).upper(), taken),
                    base_url=py_literal(url),
                    api_key_env=py_literal(env),
                    auth_header=py_literal(None if vendor.auth == "api-key-query" else header),
                    auth_scheme=py_literal(scheme),
                    auth_query=py_literal(header) if vendor.auth == "api-key-query" else None,
                    required_fields=self._required_fields(vendor),
                    in_body_errors=tuple(
                        (py_literal(error.code), error_names[(vendor.name, error.code)])
                        for error in vendor.in_body_errors
                    ),
                    doc=doc,
                )
            )
        return views

    def _required_fields(self, vendor: VendorProfile) -> tuple[tuple[str, str], ...]:
        """The value to send for each field the vendor requires: the documented default.

        A stream flag without a default is sent as false, the meaning of leaving it out; a field
        with no default at all is not filled in (the argument's docstring says it is required).
        """
        found: list[tuple[str, str]] = []
        for name in vendor.required_fields:
            value = self._required_value(name)
            if value is not None:
                found.append((py_literal(name), value))
        return tuple(found)

    def _required_value(self, name: str) -> str | None:
        for operation in self.api.operations:
            if operation.request is None:
                continue
            model = analysis.resolve(self.api, operation.request)
            if not isinstance(model, Model):
                continue
            for item in model.fields:
                if item.name != name:
                    continue
                if item.has_default:
                    return py_literal(item.default)
                if operation.stream is not None and operation.stream.flag == name:
                    return "False"
        return None

    # -- resources -------------------------------------------------------------------------

    def resource_modules(self) -> list[ResourceModuleView]:
        root = _Node("")
        self.placements = place_operations(self.api, frozenset(_METHOD_RESERVED))
        self.shadowed = BUILTIN_HINTS & {p.method for p in self.placements.values()}
        for operation in self.api.operations:
            placement = self.placements[placement_key(operation)]
            node = root
            for segment in placement.resource:
                node = node.children.setdefault(segment, _Node(segment))
            node.operations.append(operation)
        modules = []
        taken_modules: set[str] = {"__init__"}
        # The client module imports every module's top-level classes: they must differ too
        # (``/a-b`` and ``/a_b`` are two resources that spell alike).
        top_classes: set[str] = set()
        for segment, node in root.children.items():
            module = unique(snake_case(segment), taken_modules)
            imports = Imports()
            imports.add("__future__", "annotations")
            taken_classes: set[str] = {*self.model_names.values(), *_MODULE_IMPORTS, *top_classes}
            collected: list[ResourceView] = []
            adapters: dict[str, tuple[str, str]] = {}
            view = self._resource(node, imports, taken_classes, collected, f"/{segment}", adapters)
            top_classes.update(view.names.values())
            modules.append(
                ResourceModuleView(
                    module, imports, tuple(collected), view, tuple(adapters.values())
                )
            )
        return modules

    def _resource(
        self,
        node: _Node,
        imports: Imports,
        taken: set[str],
        collected: list[ResourceView],
        path: str,
        adapters: dict[str, tuple[str, str]],
    ) -> ResourceView:
        children = tuple(
            self._resource(child, imports, taken, collected, f"{path}/{child.segment}", adapters)
            for child in node.children.values()
        )
        siblings: set[str] = set()
        children = tuple(
            msgspec.structs.replace(child, attribute=unique(child.attribute, siblings))
            for child in children
        )
        base = unique(class_name(node.segment), taken)
        names = {kind: _kind_name(base, kind) for kind in KINDS}
        taken.update(names.values())
        methods = tuple(self._method(op, imports, adapters, taken) for op in node.operations)
        imports.add(".._base_client", "AsyncAPIClient", "SyncAPIClient")
        if children:
            imports.add("functools", "cached_property")
        shown = path if node.segment != ROOT_RESOURCE or path != f"/{ROOT_RESOURCE}" else "/"
        view = ResourceView(
            attribute=field_name(node.segment),
            names=names,
            doc=f"Operations under `{shown}`.",
            methods=methods,
            children=children,
        )
        collected.append(view)
        return view

    def method_name(self, operation: Operation) -> str:
        return self.placements[placement_key(operation)].method

    def _adapter(
        self,
        annotation: str,
        adapters: dict[str, tuple[str, str]],
        taken: set[str],
        hint: str,
        role: str = "ANSWER",
    ) -> str:
        """A module-level, lazily built validator for an answer (or a stream's chunk) that is
        not one model class."""
        if annotation not in adapters:
            name = unique(f"_{snake_case(hint).upper()}_{role}", taken)
            adapters[annotation] = (name, annotation)
        return adapters[annotation][0]

    def _method(
        self,
        operation: Operation,
        imports: Imports,
        adapters: dict[str, tuple[str, str]],
        module_names: set[str],
    ) -> MethodView:
        hints = TypeHints(
            self.api, self.model_names, imports, models_module="..types", shadowed=self.shadowed
        )
        imports.add(".._types", "NOT_GIVEN", "NotGiven", "Headers", "Query", "Body", "Timeout")
        imports.add(".._types", "RequestOptions")
        name = self.method_name(operation)
        # The method body's own locals (templates/operation.jinja) are taken too: a field
        # called ``options`` or ``body`` must not become a parameter they would overwrite.
        taken = {"self", *_METHOD_LOCALS, *(option[0] for option in OPTION_PARAMETERS)}
        taken.update(_METHOD_BODY_NAMES, self.model_names.values())
        path_params, path = self._path(operation, hints, imports, taken)
        spec = operation.request_body
        params: list[tuple[Field | None, ParamView]] = []
        arguments: list[tuple[str, str]] = []
        body_model = None
        body_fields: list[tuple[str, str]] = []
        body_dict = False
        if operation.request is not None and spec is not None:
            target = analysis.resolve(self.api, operation.request)
            if isinstance(target, Model) and spec.encoding == "json":
                body_model = hints.reference(operation.request)
                imports.add(".._models", "request_body")
            elif isinstance(target, Model):
                body_dict = True
            if isinstance(target, Model):
                files = set(spec.file_fields)
                for item in target.fields:
                    view = self._param(item, target, hints, taken, file=item.name in files)
                    params.append((item, view))
                    body_fields.append((py_literal(item.name), view.name))
                arguments.append(("body", "body"))
                # A vendor's required fields are filled in only in the bodies that have them.
                required_anywhere = {f for v in self.api.vendors for f in v.required_fields}
                if required_anywhere:
                    scoped = tuple(f.name for f in target.fields if f.name in required_anywhere)
                    arguments.append(("vendor_fields", tuple_text(scoped)))
            else:
                view = self._whole_body(operation, hints, taken)
                params.append((None, view))
                imports.add(".._models", "request_json")
                arguments.append(("body", f"request_json({view.name})"))
        elif spec is not None and spec.encoding in ("binary", "text"):
            view = self._raw_body(operation, spec.encoding, taken, imports)
            params.append((None, view))
            arguments.append(("content", view.name))
        if spec is not None and spec.encoding != "json":
            arguments.append(("body_encoding", py_literal(spec.encoding)))
            if spec.file_fields and body_dict:
                arguments.append(("file_fields", tuple_text(spec.file_fields)))
        located = self._located_params(operation, hints, taken)
        params.extend((None, view) for _parameter, view in located)
        for location, argument in (("query", "query"), ("header", "headers")):
            entries = [(p, v) for p, v in located if p.location == location]
            if spec is not None and location == "header" and spec.encoding in ("binary", "text"):
                # The documented media type goes with raw content.
                entries_text = [f"{py_literal('Content-Type')}: {py_literal(spec.media_type)}"]
            else:
                entries_text = []
            entries_text += [f"{py_literal(p.name)}: {v.name}" for p, v in entries]
            if entries_text:
                arguments.append((argument, "{" + ", ".join(entries_text) + "}"))
        styles = [
            f"{py_literal(p.name)}: {py_literal(style)}"
            for p, _v in located
            if p.location == "query" and (style := _query_style(p)) is not None
        ]
        if styles:
            arguments.append(("query_styles", "{" + ", ".join(styles) + "}"))
        if operation.security and all(scheme.kind == "none" for scheme in operation.security):
            arguments.append(("authenticate", "False"))
        vendors = self._vendors_of(operation)
        if vendors is not None:
            arguments.append(("vendors", tuple_text(vendors)))
            arguments.append(
                ("operation", py_literal(f"{'.'.join(self._chain(operation))}.{name}"))
            )
        success = operation.success
        calls, returns_by_kind = self._answer(
            operation, success, hints, imports, adapters, module_names
        )
        stream = None
        if operation.stream is not None:
            flag_field = next(
                (f for f, _ in params if f is not None and f.name == operation.stream.flag), None
            )
            if flag_field is None:
                raise operation_error(
                    operation,
                    f"operation {operation.id!r}: stream flag {operation.stream.flag!r} is not "
                    "a request field",
                )
            chunk = hints.reference(operation.stream.chunk)
            flag = next(view for f, view in params if f is flag_field)
            if isinstance(analysis.resolve(self.api, operation.stream.chunk), Model):
                chunk_parse = f"{chunk}.model_validate"
            else:  # a union of event models: validated as the union
                imports.add(".._models", "Adapter")
                adapter = self._adapter(chunk, adapters, module_names, chunk, "CHUNK")
                chunk_parse = f"{adapter}.validate"
            stream = StreamView(
                flag=flag.name,
                chunk_parse=chunk_parse,
                terminator=py_literal(operation.stream.terminator),
            )
            signatures = self._stream_signatures(
                params, flag_field, returns_by_kind["sync"], chunk, imports
            )
        else:
            signatures = {
                kind: (SignatureView(self._with_options([v for _, v in params]), ret, False),)
                for kind, ret in returns_by_kind.items()
            }
        raw_body_fields = tuple(body_fields)
        if stream is not None:
            raw_body_fields = tuple(pair for pair in body_fields if pair[1] != stream.flag)
        doc = self._method_doc(operation, [*path_params, *(view for _, view in params)])
        return MethodView(
            name=name,
            http_method=py_literal(operation.method.lower()),
            path=path,
            path_params=path_params,
            doc=doc,
            body_model=body_model,
            body_fields=tuple(body_fields),
            parse=calls["raw"].parse or "",
            stream=stream,
            signatures=signatures,
            raw_body_fields=raw_body_fields,
            body_dict=body_dict,
            arguments=tuple(arguments),
            calls=calls,
        )

    def _chain(self, operation: Operation) -> tuple[str, ...]:
        return tuple(field_name(s) for s in self.placements[placement_key(operation)].resource)

    def _vendors_of(self, operation: Operation) -> tuple[str, ...] | None:
        """The vendors serving an operation, when not all of them do."""
        serving = tuple(
            vendor.name
            for vendor in self.api.vendors
            if set(vendor.documents) & set(operation.documents)
        )
        everyone = tuple(vendor.name for vendor in self.api.vendors)
        if not serving or set(serving) == set(everyone):
            return None
        return serving

    def _answer(
        self,
        operation: Operation,
        success: ResponseSpec,
        hints: TypeHints,
        imports: Imports,
        adapters: dict[str, tuple[str, str]],
        module_names: set[str],
    ) -> tuple[dict[str, CallView], dict[str, str]]:
        """The runtime call of each twin and what it returns, by the kind of the answer."""
        imports.add(".._response", "APIResponse")
        if success.kind == "binary":
            imports.add(".._response", "BinaryResponse", "AsyncBinaryResponse")
            imports.add(".._models", "as_bytes")
            accept = (("accept", py_literal(success.media_type)),) if success.media_type else ()
            raw = CallView("request_raw", "as_bytes", (("decode", '"binary"'), *accept))
            return (
                {
                    "sync": CallView("request_binary", None, accept),
                    "async": CallView("request_binary", None, accept),
                    "raw": raw,
                    "async_raw": raw,
                },
                {
                    "sync": "BinaryResponse",
                    "async": "AsyncBinaryResponse",
                    "raw": "APIResponse[bytes]",
                    "async_raw": "APIResponse[bytes]",
                },
            )
        if success.kind == "text":
            imports.add(".._models", "as_text")
            accept = (("accept", py_literal(success.media_type)),) if success.media_type else ()
            return _same_call_views("as_text", (("decode", '"text"'), *accept), "str")
        node = success.type if success.kind == "json" else None
        if node is None:
            return _same_call_views("lambda _body: None", (), "None")
        target = analysis.resolve(self.api, node) if isinstance(node, ModelRef) else None
        if isinstance(target, Model):
            returns = hints.reference(node)  # type: ignore[arg-type]
            parse = f"{returns}.model_validate"
        else:
            returns = hints.annotation(node)
            imports.add(".._models", "Adapter")
            hint = (
                self.model_names.get(node.name, "answer")
                if isinstance(node, ModelRef)
                else operation.id
            )
            parse = f"{self._adapter(returns, adapters, module_names, hint)}.validate"
        call = CallView("request", parse, ())
        raw = CallView("request_raw", parse, ())
        returns_by_kind = {
            "sync": returns,
            "async": returns,
            "raw": f"APIResponse[{returns}]",
            "async_raw": f"APIResponse[{returns}]",
        }
        calls = {"sync": call, "async": call, "raw": raw, "async_raw": raw}
        page = self._page(operation, target, hints, imports)
        if page is not None:
            spec_text, item = page
            page_call = CallView("request_page", parse, (("page", spec_text), ("item", item)))
            calls["sync"] = calls["async"] = page_call
            returns_by_kind["sync"] = f"SyncPage[{item}]"
            returns_by_kind["async"] = f"AsyncPage[{item}]"
            imports.add(".._pagination", "PageSpec", "SyncPage", "AsyncPage")
        return calls, returns_by_kind

    def _page(
        self,
        operation: Operation,
        response: Model | Alias | None,
        hints: TypeHints,
        imports: Imports,
    ) -> tuple[str, str] | None:
        """``PageSpec(...)`` source and the item class of a paginated list, or None."""
        pagination = operation.pagination
        if pagination is None or not isinstance(response, Model):
            return None
        attributes = python_field_names(response, self.reserved_in_models)
        items_field = next((f for f in response.fields if f.name == pagination.items), None)
        if items_field is None or not isinstance(items_field.type, ArrayType):
            return None
        item_node = items_field.type.items
        item = "object"
        item_model: Model | None = None
        if isinstance(item_node, ModelRef):
            resolved = analysis.resolve(self.api, item_node)
            if isinstance(resolved, Model):
                item = hints.reference(item_node)
                item_model = resolved
        arguments = [f"items={py_literal(attributes[pagination.items])}"]
        arguments.append(f"cursor_param={py_literal(pagination.cursor_param)}")
        if pagination.next_cursor is not None:
            arguments.append(f"next_cursor={py_literal(attributes[pagination.next_cursor])}")
        if pagination.item_cursor is not None:
            if item_model is None:
                return None
            item_attributes = python_field_names(item_model, self.reserved_in_models)
            arguments.append(f"item_cursor={py_literal(item_attributes[pagination.item_cursor])}")
        if pagination.has_more is not None:
            arguments.append(f"has_more={py_literal(attributes[pagination.has_more])}")
        return f"PageSpec({', '.join(arguments)})", item

    def _whole_body(self, operation: Operation, hints: TypeHints, taken: set[str]) -> ParamView:
        """A JSON body that is not one object's fields (a union, an array): one ``body`` argument."""
        assert operation.request is not None
        name = unique("body", taken) if "body" in taken else "body"
        taken.add(name)
        annotation = hints.argument(operation.request)
        default = None
        if not operation.request_required:
            annotation += " | NotGiven"
            default = "NOT_GIVEN"
        return ParamView(name, annotation, default, "The request body.")

    def _raw_body(
        self, operation: Operation, encoding: str, taken: set[str], imports: Imports
    ) -> ParamView:
        name = "content" if "content" not in taken else unique("content", taken)
        taken.add(name)
        if encoding == "binary":
            imports.add(".._types", "FileContent")
            annotation = "FileContent"
            doc = "The bytes to send: bytes, a path, or a binary file object."
        else:
            annotation = "str"
            doc = "The text to send."
        default = None
        if not operation.request_required:
            annotation += " | None"
            default = "None"
        return ParamView(name, annotation, default, doc)

    def _located_params(
        self, operation: Operation, hints: TypeHints, taken: set[str]
    ) -> list[tuple[Parameter, ParamView]]:
        """Query and header parameters as keyword arguments, required ones first (cookies are
        not managed: the build warns of each)."""
        found = []
        ordered = sorted(
            (p for p in operation.parameters if p.location in ("query", "header")),
            key=lambda p: not p.required,
        )
        for parameter in ordered:
            name = field_name(snake_case(parameter.name), reserved=taken)
            if name in taken:
                name = unique(f"{name}_{parameter.location}", taken)
            taken.add(name)
            annotation = hints.argument(parameter.type)
            default = None
            if not parameter.required:
                annotation += " | NotGiven"
                default = "NOT_GIVEN"
            if parameter.nullable:
                annotation += " | None"
            doc = clean_text(parameter.description)
            where = {"query": "Query", "header": "Header"}[parameter.location]
            label = f"{where} parameter `{parameter.name}`."
            doc = f"{doc}\n\n{label}" if doc and parameter.name != name else (doc or label)
            if parameter.deprecated:
                doc = f"{doc}\n\nDeprecated."
            found.append((parameter, ParamView(name, annotation, default, doc)))
        return found

    def _stream_signatures(
        self,
        params: list[tuple[Field | None, ParamView]],
        flag_field: Field,
        returns: str,
        chunk: str,
        imports: Imports,
    ) -> dict[str, tuple[SignatureView, ...]]:
        """``stream: Literal[True]`` overloads: chunks; False or left out: the whole result."""
        imports.add("typing", "Literal", "overload")
        imports.add(".._streaming", "Stream", "AsyncStream")
        none = " | None" if flag_field.nullable else ""

        def with_flag(annotation: str, default: str | None) -> tuple[ParamView, ...]:
            out = []
            for item, view in params:
                if item is flag_field:
                    view = ParamView(view.name, annotation, default, view.doc)
                out.append(view)
            return self._with_options(out)

        without_flag = self._with_options([view for item, view in params if item is not flag_field])
        result: dict[str, tuple[SignatureView, ...]] = {}
        for kind in ("sync", "async"):
            stream_type = f"{'AsyncStream' if kind == 'async' else 'Stream'}[{chunk}]"
            # ruff (RUF036) wants None last.
            either = f"{stream_type} | None" if returns == "None" else f"{returns} | {stream_type}"
            result[kind] = (
                SignatureView(
                    with_flag(f"Literal[False] | NotGiven{none}", "NOT_GIVEN"), returns, True
                ),
                SignatureView(with_flag("Literal[True]", None), stream_type, True),
                SignatureView(with_flag(f"bool{none}", None), either, True),
                SignatureView(
                    with_flag(f"bool | NotGiven{none}", "NOT_GIVEN"),
                    either,
                    False,
                ),
            )
        imports.add(".._response", "APIResponse")
        for kind in ("raw", "async_raw"):
            result[kind] = (SignatureView(without_flag, f"APIResponse[{returns}]", False),)
        return result

    def _with_options(self, params: list[ParamView]) -> tuple[ParamView, ...]:
        options = tuple(
            ParamView(name, hint, default, doc) for name, hint, default, doc in OPTION_PARAMETERS
        )
        return (*params, *options)

    def _param(
        self, item: Field, model: Model, hints: TypeHints, taken: set[str], *, file: bool = False
    ) -> ParamView:
        name = field_name(item.name, reserved=taken)
        taken.add(name)
        annotation = hints.argument(item.type)
        if file:
            hints.imports.add(".._types", "FileTypes")
            many = isinstance(item.type, ArrayType)
            if many:
                hints.imports.add("collections.abc", "Sequence")
            annotation = "Sequence[FileTypes]" if many else "FileTypes"
        required, nullable = item.required, item.nullable
        if model.tag is not None and model.tag[0] == item.name:
            # A variant's tag is always sent, and never null.
            annotation = hints.tag_literal(model.tag[1])
            required, nullable = True, False
        # ruff (RUF036) wants None last: `T | NotGiven | None`.
        annotation += "" if required else " | NotGiven"
        annotation += " | None" if nullable and not file else ""
        doc = field_doc(item, self.api, vendor_notes=True)
        if doc is None and isinstance(item.type, ModelRef):
            doc = f"A `{hints.reference(item.type)}` object, or a dict of its fields."
        if file:
            doc = (doc + "\n\n" if doc else "") + (
                "A file: bytes, a path, a binary file object, or a (filename, content[, "
                "media type]) tuple."
            )
        return ParamView(name, annotation, None if required else "NOT_GIVEN", doc)

    def _path(
        self, operation: Operation, hints: TypeHints, imports: Imports, taken: set[str]
    ) -> tuple[tuple[ParamView, ...], str]:
        """Positional arguments of the path's parameters (Python spelling) and the path's
        f-string, each value quoted as one segment."""
        declared = {p.name: p for p in operation.parameters if p.location == "path"}
        params: list[ParamView] = []
        pieces: list[str] = []
        last = 0
        for match in _PATH_PARAM.finditer(operation.path):
            wire = match.group(1)
            name = field_name(snake_case(wire), reserved=taken)
            taken.add(name)
            parameter = declared.get(wire)
            annotation = hints.argument(parameter.type) if parameter is not None else "str"
            doc = clean_text(parameter.description) if parameter is not None else None
            params.append(ParamView(name, annotation, None, doc or f"The `{wire}` path segment."))
            value = name if annotation == "str" else f"str({name})"
            pieces.append(_f_string_text(operation.path[last : match.start()]))
            pieces.append(f"{{quote({value}, safe='')}}")
            last = match.end()
        if not params:
            return (), py_literal(operation.path)
        imports.add("urllib.parse", "quote")
        pieces.append(_f_string_text(operation.path[last:]))
        return tuple(params), 'f"' + "".join(pieces) + '"'

    def _method_doc(self, operation: Operation, params: list[ParamView]) -> str:
        parts: list[str] = []
        summary = clean_text(operation.summary)
        description = clean_text(operation.description)
        first = summary or description or f"{operation.method.upper()} {operation.path}"
        parts.append(first.rstrip(".") + ".")
        if description and description != first:
            parts.append(description)
        parts.append(f"`{operation.method.upper()} {operation.path}`")
        serving = self._vendors_of(operation)
        if serving is not None:
            parts.append(
                f"Only {', '.join(serving)} serve{'s' if len(serving) == 1 else ''} this "
                "operation; a client for another vendor raises UnsupportedOperationError."
            )
        if operation.deprecated:
            parts.append("Deprecated: the documents mark this operation deprecated.")
        entries = [*params, *self._with_options([])]
        width = LINE_LENGTH - METHOD_DOC_INDENT
        lines = ["Args:"]
        for param in entries:
            if param.doc is None:
                continue
            if len(lines) > 1:
                lines.append("")
            paragraphs = param.doc.split("\n\n")
            head = f"{param.name}: {paragraphs[0]}".rstrip()
            lines.extend(_wrap(head, width, "  ", "    "))
            for paragraph in paragraphs[1:]:
                lines.append("")
                lines.extend(_wrap(paragraph, width, "    ", "    "))
        parts.append("\n".join(lines))
        raises = self._raises(operation)
        if raises:
            parts.append(
                "\n".join(
                    [
                        "Raises:",
                        *(line for text in raises for line in _wrap(text, width, "  ", "    ")),
                    ]
                )
            )
        return "\n\n".join(parts)

    def _raises(self, operation: Operation) -> list[str]:
        """The errors a call may raise: documented statuses, then vendors' in-body codes."""
        entries: list[str] = []
        statuses = []
        for spec in sorted(operation.errors, key=lambda e: e.status):
            meaning = clean_text(spec.description)
            statuses.append(
                f"{spec.status} ({meaning.rstrip('.')})" if meaning else str(spec.status)
            )
        if statuses:
            entries.append(f"APIStatusError: an error status; documented: {', '.join(statuses)}.")
        for vendor in self.api.vendors:
            for error in vendor.in_body_errors:
                name = self.error_names.get((vendor.name, error.code))
                if name is not None:
                    entries.append(f"{name}: {vendor.name} reports code {error.code} in the body.")
        return entries


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    lines: list[str] = []
    for index, line in enumerate(text.split("\n")):
        lines.extend(fill(line, width, first=first if index == 0 else rest, hanging=rest))
    return lines
