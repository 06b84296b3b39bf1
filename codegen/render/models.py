"""Views of the API's models and aliases for the templates: names, hints, defaults, docs computed.

A field's four required/nullable combinations map to four shapes:

==========  =========  ===============================  ====================================
required    nullable   annotation                       on the wire
==========  =========  ===============================  ====================================
yes         no         ``T``                            always present, never null
yes         yes        ``T | None`` (no default)        always present, may be null
no          yes        ``T | None = None``              may be left out, may be null
no          no         ``Omittable[T] = None``          may be left out, never null
==========  =========  ===============================  ====================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set

import msgspec

from ..ir.model import (
    API,
    Alias,
    Field,
    Model,
    ModelRef,
    ScalarType,
    UnionType,
    UnknownType,
)
from . import analysis
from .docs import clean_text
from .imports import Imports
from .names import NameScope, class_name, field_name, unique
from .typehints import (
    BUILTIN_HINTS,
    MODELS_HELPERS,
    TypeHints,
    call,
    constraint_kwargs,
    py_literal,
    tuple_literal,
)

# Names the models module imports or defines itself; a model may not take them.
MODULE_NAMES = frozenset(
    {"Annotated", "Field", "Literal", "TypeAlias", "JSONValue", "Omittable"}
    | {"RequestModel", "ResponseModel", "Self", "model_validator", "require_any"}
)
# Names that a generated module (client, resources, server) imports from the standard library or
# a dependency next to the models it imports: a model called so would clash there.
LIBRARY_NAMES = frozenset(
    {"Any", "Protocol", "TypeVar", "Mapping", "Sequence", "AsyncIterator", "Iterator"}
    | {"BaseModel", "TypeAdapter", "FastAPI", "cached_property", "annotations"}
    | {"httpx", "sys", "builtins", "typing", "pydantic", "fastapi"}
)


class FieldView(msgspec.Struct, frozen=True):
    """One model attribute: ``name: annotation = default`` with its docstring."""

    name: str
    wire_name: str
    annotation: str
    default: str | None
    """Right-hand side (``None`` or ``Field(...)``), or None for a required field without one."""
    doc: str | None


class ModelView(msgspec.Struct, frozen=True):
    name: str
    base: str
    doc: str
    fields: tuple[FieldView, ...]
    requires_any: str | None = None
    """A tuple literal of the attributes at least one of which the object carries, or None."""


class AliasView(msgspec.Struct, frozen=True):
    name: str
    annotation: str
    doc: str


def class_names(api: API, reserved: frozenset[str] = frozenset()) -> dict[str, str]:
    """Python class name for each model and alias, unique and clear of ``reserved`` names."""
    taken = set(MODULE_NAMES | LIBRARY_NAMES | reserved)
    names: dict[str, str] = {}
    for item in analysis.definitions(api).values():
        name = class_name(item.name)
        if name in taken:
            # e.g. a vendor object called "Field" or "Stream": keep it, under a longer name.
            name = f"{name}Model"
        names[item.name] = unique(name, taken)
    return names


def _join_names(names: tuple[str, ...]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def _format_bound(constraints_text: list[tuple[str, str]]) -> str:
    symbols = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
    parts = [f"{symbols.get(key, key + ' =')} {value}" for key, value in constraints_text]
    return ", ".join(parts)


def field_doc(item: Field, api: API, *, vendor_notes: bool) -> str | None:
    """The docstring of a field: the vendor's words, then what the type alone does not say.

    ``vendor_notes`` adds each vendor's own bounds and known values (for request bodies, whose
    fields are also the client's arguments).
    """
    paragraphs: list[str] = []
    text = clean_text(item.description)
    if text:
        paragraphs.append(text)
    scope = analysis.vendor_scope(item, api)
    if scope:
        verb = "supports" if len(scope) == 1 else "support"
        paragraphs.append(f"Only {_join_names(scope)} {verb} this field.")
    if isinstance(item.type, ScalarType) and item.type.enum and item.type.enum_open:
        known = ", ".join(f"`{value.value}`" for value in item.type.enum)
        paragraphs.append(f"Known values: {known}; other values may appear.")
    reasons = list(dict.fromkeys(analysis.unknown_reasons(item.type)))
    if reasons:
        where = "Its shape" if isinstance(item.type, UnknownType) else "Part of its shape"
        paragraphs.append(
            f"{where} is not documented ({'; '.join(reasons)}): any JSON value is accepted there."
        )
    if item.has_default:
        paragraphs.append(f"Default when left out: `{py_literal(item.default)}`.")
    if vendor_notes:
        by_field = _vendor_notes(api)
        for index in range(len(api.vendors)):
            paragraphs.extend(by_field.get((index, item.name), ()))
    return "\n\n".join(paragraphs) or None


@analysis.per_api
def _vendor_notes(api: API) -> dict[tuple[int, str], list[str]]:
    """What each vendor (by its index) documents about a request field beyond the merged API,
    by field name: its bounds, its known values, whether it requires the field. Collected once
    per API; asked for at every field of every request body."""
    notes: dict[tuple[int, str], list[str]] = {}
    for index, vendor in enumerate(api.vendors):
        bounds: dict[str, list[str]] = {}
        for bound in vendor.bounds:
            text = _format_bound(constraint_kwargs(bound.constraints, sequence=False))
            if text:
                bounds.setdefault(bound.field, []).append(f"{vendor.name} limits it to {text}.")
        known: dict[str, list[str]] = {}
        for values in vendor.known_values:
            if values.values:
                listed = ", ".join(f"`{value}`" for value in values.values)
                known.setdefault(values.field, []).append(
                    f"Values documented by {vendor.name}: {listed}."
                )
        required = set(vendor.required_fields)
        for name in dict.fromkeys([*bounds, *known, *required]):
            found = [*bounds.get(name, ()), *known.get(name, ())]
            if name in required:
                found.append(
                    f"{vendor.name} requires this field; the client sends it when left out."
                )
            notes[(index, name)] = found
    return notes


def _alias_fallback_doc(alias: Alias, names: Mapping[str, str]) -> str:
    """Words for an alias no document describes: its variants, and what tells them apart."""
    node = alias.type
    if not isinstance(node, UnionType):
        return f"The `{alias.name}` type."
    variants = [
        f"`{names[variant.name]}`" if isinstance(variant, ModelRef) else "a JSON value"
        for variant in node.variants
    ]
    text = f"One of {', '.join(variants)}"
    if node.discriminator:
        text += f", told apart by `{node.discriminator}`"
    return text + "."


class ModelRenderer:
    """Builds the views of one API's models and aliases, collecting the models module's imports."""

    def __init__(self, api: API, names: Mapping[str, str]) -> None:
        self.api = api
        self.names = names
        self.imports = Imports()
        self.imports.add("__future__", "annotations")
        self.hints = TypeHints(api, names, self.imports)
        self._bodies = analysis.request_models_of_operations(api)
        self.reserved = reserved_in_models(names.values())

    def model(self, model: Model) -> ModelView:
        base = "RequestModel" if model.direction == "request" else "ResponseModel"
        self.imports.add(MODELS_HELPERS, base)
        attributes = python_field_names(model, self.reserved)
        taken = NameScope(self.reserved, attributes.values())
        # A field called `str` takes the builtin's name in its class body: hints there say
        # `builtins.str`.
        self.hints.shadowed = BUILTIN_HINTS & frozenset(attributes.values())
        fields = [self.field(model, item, attributes[item.name]) for item in model.fields]
        self.hints.shadowed = frozenset()
        tag = analysis.tag_field(model)
        if model.tag is not None and tag is None:
            # The IR names a tag the model does not list: the variant still needs it to be told
            # apart, so it is added as a required constant.
            prop, value = model.tag
            fields.insert(
                0,
                FieldView(
                    name=field_name(prop, reserved=taken),
                    wire_name=prop,
                    annotation=self.hints.tag_literal(value),
                    default=None,
                    doc=None,
                ),
            )
        doc = clean_text(model.description) or f"The `{model.name}` object."
        requires_any = None
        if model.requires_any:
            attributes = {view.wire_name: view.name for view in fields}
            requires_any = tuple_literal(
                [py_literal(attributes[name]) for name in model.requires_any]
            )
            self.imports.add("typing", "Self")
            self.imports.add("pydantic", "model_validator")
            self.imports.add(MODELS_HELPERS, "require_any")
        return ModelView(self.names[model.name], base, doc, tuple(fields), requires_any)

    def field(self, model: Model, item: Field, name: str) -> FieldView:
        kwargs: list[tuple[str, str]] = []
        is_tag = model.tag is not None and model.tag[0] == item.name
        # A variant's tag is always sent: it is what tells the variants apart.
        required = item.required or is_tag
        if model.tag is not None and is_tag:
            annotation = self.hints.tag_literal(model.tag[1])
            bounds: list[tuple[str, str]] = []
        elif analysis.accepts_any(item.type):
            # JSONValue already includes null; an unknown shape cannot be held to "not null".
            annotation, bounds = self.hints.json_value(), []
        elif item.required or item.nullable:
            annotation, bounds = self.hints.field_annotation(item.type, nullable=item.nullable)
        else:
            inner, bounds = self.hints.field_annotation(item.type)
            self.imports.add(MODELS_HELPERS, "Omittable")
            annotation = f"Omittable[{inner}]"
        if not required:
            kwargs.append(("default", "None"))
        kwargs.extend(bounds)
        if name != item.name:
            wire = py_literal(item.name)
            kwargs += [("validation_alias", wire), ("serialization_alias", wire)]
        default: str | None
        if not kwargs:
            default = None
        elif kwargs == [("default", "None")]:
            default = "None"
        else:
            self.imports.add("pydantic", "Field")
            default = call("Field", kwargs)
        doc = field_doc(item, self.api, vendor_notes=model.name in self._bodies)
        return FieldView(name, item.name, annotation, default, doc)

    def alias(self, alias: Alias) -> AliasView:
        self.imports.add("typing", "TypeAlias")
        annotation = self.hints.annotation(alias.type)
        doc = clean_text(alias.description) or _alias_fallback_doc(alias, self.names)
        return AliasView(self.names[alias.name], annotation, doc)


def reserved_in_models(class_names: Iterable[str]) -> frozenset[str]:
    """The models module's own names, which a field would shadow inside its class body (a
    field called `Field` or like a model breaks every later field that uses that name)."""
    return frozenset(class_names) | MODULE_NAMES | {"builtins"}


def python_field_names(model: Model, reserved: Set[str]) -> dict[str, str]:
    """Attribute name of each field of a model by wire name, as the model renderer chooses them
    (``reserved``: ``reserved_in_models`` of the models module's class names)."""
    taken = NameScope(reserved)
    names: dict[str, str] = {}
    for item in model.fields:
        name = field_name(item.name, reserved=taken)
        taken.add(name)
        names[item.name] = name
    return names
