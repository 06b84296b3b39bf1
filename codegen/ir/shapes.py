"""Accumulating what every document says about one place (a request body, a response, a chunk).

A Shape is mutable scratch space for the merge: each document's schema (and its examples) is
added to it, and every fact keeps the set of documents that stated it. ``codegen.ir.build`` then
turns a Shape into frozen IR types by the merge rules.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ..normalize.evidence import json_type
from ..normalize.marks import UNKNOWN
from .content import ContentNumbers
from .model import CONSTRAINT_KEYWORDS, Constraints

DOCUMENTS = "x-specgen-documents"
ENUM_DOCUMENTS = "x-specgen-enum-documents"
OPEN_ENUM = "x-specgen-open-enum"
REASON = "x-specgen-reason"
NAME_HINT = "x-specgen-name"
"""Set when inlining a component of specgen's own merged document: the model keeps its name."""
REFERS_BACK = "x-specgen-refers-back"
"""Set on a component schema some schema inside refers back to."""
RECURSIVE = "x-specgen-recursive"
"""Where a schema refers back to one that contains it: the component name it refers to."""
COMPONENT = "x-specgen-component"
"""Set when inlining a component of a vendor's document: its name, one candidate for the model's."""
OWN_DESCRIPTION = "x-specgen-own-description"
"""Set when inlining a ``$ref`` written with a description beside it: the referenced schema's own
description (None when it has none). The one beside the ``$ref`` is the field's; this one is the
type's (a model's docstring, a union alias's), the same for every use of the component."""

SCALAR_KINDS = ("string", "integer", "number", "boolean")

_KIND_CONSTRAINTS = {
    "integer": ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum"),
    "number": ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum"),
    "string": ("min_length", "max_length", "pattern"),
    "array": ("min_items", "max_items"),
}


def constraints_of(schema: dict[str, Any], kind: str) -> Constraints:
    """The bounds in ``schema`` that apply to instances of ``kind`` (JSON Schema ignores the rest)."""
    allowed = _KIND_CONSTRAINTS.get(kind, ())
    values = {
        name: schema[key]
        for name, key in CONSTRAINT_KEYWORDS.items()
        if name in allowed and key in schema and not isinstance(schema[key], bool)
    }
    return Constraints(**values)


class ScalarFacts(msgspec.Struct):
    documents: set[str] = msgspec.field(default_factory=set)
    enum: dict[Any, set[str]] = msgspec.field(default_factory=dict)
    enum_documents: set[str] = msgspec.field(default_factory=set)
    constraints: dict[str, Constraints] = msgspec.field(default_factory=dict)
    formats: dict[str, str] = msgspec.field(default_factory=dict)
    examples: dict[str, list[Any]] = msgspec.field(default_factory=dict)
    open: set[str] = msgspec.field(default_factory=set)


class ArrayFacts(msgspec.Struct):
    items: Shape
    documents: set[str] = msgspec.field(default_factory=set)
    constraints: dict[str, Constraints] = msgspec.field(default_factory=dict)


class FieldFacts(msgspec.Struct):
    shape: Shape
    present: set[str] = msgspec.field(default_factory=set)
    required: set[str] = msgspec.field(default_factory=set)
    descriptions: dict[str, str] = msgspec.field(default_factory=dict)
    defaults: dict[str, Any] = msgspec.field(default_factory=dict)


class ObjectFacts(msgspec.Struct):
    documents: set[str] = msgspec.field(default_factory=set)
    fields: dict[str, FieldFacts] = msgspec.field(default_factory=dict)
    descriptions: dict[str, str] = msgspec.field(default_factory=dict)
    additional: Shape | None = None
    examples: dict[str, list[dict[str, Any]]] = msgspec.field(default_factory=dict)
    name_hint: str | None = None
    unknown_reason: str | None = None
    component_names: dict[str, str] = msgspec.field(default_factory=dict)
    """Per document, the component name it gives this object."""
    recursive: bool = False
    """Some schema inside this object refers back to it (by its component name)."""
    requires_any: dict[str, tuple[str, ...]] = msgspec.field(default_factory=dict)
    """Per document, fields at least one of which the object must carry (see required_any)."""


class Shape(msgspec.Struct, weakref=True):
    """Everything the documents say about one place, each fact with the documents behind it.

    Weakly referable: the build memo keeps what it derived from a shape only while the shape
    lives (``BuildMemo.keep``)."""

    documents: set[str] = msgspec.field(default_factory=set)
    nullable: set[str] = msgspec.field(default_factory=set)
    unknown: set[str] = msgspec.field(default_factory=set)
    declared_union: set[str] = msgspec.field(default_factory=set)
    scalars: dict[str, ScalarFacts] = msgspec.field(default_factory=dict)
    array: ArrayFacts | None = None
    object: ObjectFacts | None = None
    tagged: dict[str, ObjectFacts] = msgspec.field(default_factory=dict)
    tag_property: str | None = None
    untagged_variant: set[str] = msgspec.field(default_factory=set)
    """Documents whose union has, beside its tagged variants, an object without the tag: that
    object is a variant of its own (``{text}`` beside ``{language: english, text, ...}``), not a
    generic description of every tagged one."""
    descriptions: dict[str, str] = msgspec.field(default_factory=dict)
    unknown_reason: str | None = None
    name_hint: str | None = None
    component_names: dict[str, str] = msgspec.field(default_factory=dict)
    recursive: str | None = None
    """The component (PascalCase name) this place refers back to, inside that component."""

    def kinds(self) -> list[str]:
        found = [kind for kind in SCALAR_KINDS if kind in self.scalars]
        if self.array is not None:
            found.append("array")
        if self.object is not None or self.tagged:
            found.append("object")
        return found


def fold_all_of(schema: dict[str, Any]) -> dict[str, Any]:
    """Fold ``allOf`` parts into one schema: properties and required lists add up.

    ``schema`` is never changed: a component's resolved body is shared by all its uses. Without
    ``allOf`` it is the answer itself (most schemas; callers only read what they get)."""
    if "allOf" not in schema:
        return schema
    merged = {key: value for key, value in schema.items() if key != "allOf"}
    own_properties: Any = merged.get("properties")
    for part in schema.get("allOf") or []:
        if not isinstance(part, dict):
            continue
        part = fold_all_of(part)
        for key, value in part.items():
            if key == "properties":
                properties: Any = merged.setdefault("properties", {})
                if properties is own_properties:
                    properties = merged["properties"] = properties.copy()
                properties.update(value)
            elif key == "required":
                merged["required"] = [*merged.get("required", []), *value]
            elif key in (COMPONENT, OWN_DESCRIPTION):
                continue  # a part's name and own description are not the composition's
            else:
                merged.setdefault(key, value)
    return merged


_NOT_SHARED = (
    "oneOf", "anyOf", "type", "properties", "required", "items", "enum", UNKNOWN, COMPONENT,
    REFERS_BACK,
)  # fmt: skip
"""Keywords beside a union that are not every variant's (a union's own name is not theirs)."""


def required_any(schema: dict[str, Any]) -> tuple[str, ...]:
    """The fields of ``anyOf: [{required: [a]}, {required: [b]}]``: an object that must carry at
    least one of them. That ``anyOf`` constrains the object; it is not a union of types."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or len(branches) < 2:
        return ()
    names: list[str] = []
    for branch in branches:
        if not isinstance(branch, dict) or set(branch) != {"required"}:
            return ()
        listed = branch["required"]
        if not isinstance(listed, list) or len(listed) != 1 or not isinstance(listed[0], str):
            return ()
        names.append(listed[0])
    return tuple(names)


def alternatives(schema: dict[str, Any]) -> tuple[list[tuple[str, dict[str, Any], bool]], bool]:
    """Split a schema into (kind, schema, from_union) alternatives, and whether null is allowed."""
    schema = fold_all_of(schema)
    if "const" in schema and "enum" not in schema:
        # JSON Schema's one-value enum (pydantic writes Literal["x"] this way).
        schema = {**{k: v for k, v in schema.items() if k != "const"}, "enum": [schema["const"]]}
    nullable = False
    found: list[tuple[str, dict[str, Any], bool]] = []
    one_of, any_of = schema.get("oneOf"), schema.get("anyOf")
    union = one_of if isinstance(one_of, list) else any_of
    if union is any_of and union is not None and required_any(schema):
        union = None  # a constraint on the object's keys, not a union of types
    if isinstance(union, list) and union:
        # Keywords beside the union (bounds, description) apply to every variant.
        shared = {k: v for k, v in schema.items() if k not in _NOT_SHARED}
        for variant in union:
            if not isinstance(variant, dict):
                continue
            if variant.get(UNKNOWN):
                # An unknown variant of a union is an object no document gives fields for.
                found.append(("object", variant, True))
                continue
            parts, variant_null = alternatives({**shared, **variant})
            nullable = nullable or variant_null
            found.extend((kind, sub, True) for kind, sub, _ in parts)
        outer = schema.get("type")
        if outer == "null" or (isinstance(outer, list) and "null" in outer):
            nullable = True
        return found, nullable
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []
    if "null" in kinds:
        nullable = True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        nullable = True
    kinds = [k for k in kinds if k != "null"]
    if not kinds and not isinstance(union, list):
        if "properties" in schema or "additionalProperties" in schema:
            kinds = ["object"]
        elif "items" in schema:
            kinds = ["array"]
        elif isinstance(schema.get("enum"), list):
            kinds = sorted({json_type(v) for v in schema["enum"] if v is not None})
    found.extend((k, schema, False) for k in kinds)
    return found, nullable


def _tag_of(schema: dict[str, Any]) -> tuple[str, str] | None:
    """A union variant's tag: a required property whose enum is exactly one string."""
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        prop = properties.get(name)
        if isinstance(prop, dict):
            listed = (
                prop.get("enum") if "enum" in prop else [prop["const"]] if "const" in prop else []
            )
            values = [v for v in listed or [] if v is not None]
            if len(values) == 1 and isinstance(values[0], str):
                return name, values[0]
    return None


class ShapeMemo:
    """What one merge recorded for each schema into an empty place, per document.

    The dereferenced document shares a component's resolved body among all its uses, so a
    component used in N places is read once, into a record all its places share. Schemas are told apart by content, not identity: a ``$ref`` with a
    description beside it, or the ``anyOf: [$ref, null]`` written out at every property, is a
    new object at each place, yet records alike. The record is shared copy on write: the places
    hold the record itself until something is added to one of them (``own`` copies its top
    level then, as ``add_schema`` does), so the builder, which only reads shapes, meets one
    object wherever a schema is used and builds it once (build_memo). Only a record made
    without examples from outside is reused: those differ by place.
    """

    def __init__(self) -> None:
        self._records: dict[tuple[int, str], tuple[dict[str, Any], Shape]] = {}
        """(schema content, document) -> (the schema, and what was recorded for it into an
        empty place)."""
        self._content = ContentNumbers()
        self._shared: set[int] = set()
        """Identities of the shapes inside records: never changed (``own`` copies them)."""
        self._extended: dict[tuple[int, int, str], tuple[Shape, Shape]] = {}
        """(record identity, schema content, document) -> (the record, kept alive; the record
        with the schema added, itself a record)."""

    def add(self, shape: Shape, schema: dict[str, Any], document: str) -> Shape:
        """The shared record of ``schema`` for the empty place ``shape``: the first place's
        shape becomes the record, the others take it."""
        key = (self._content.number(schema), document)
        found = self._records.get(key)
        if found is None:
            _record(shape, schema, document, [], self)
            self._share(shape)
            found = self._records[key] = (schema, shape)
        return found[1]

    def add_to(self, record: Shape, schema: dict[str, Any], document: str) -> Shape | None:
        """``record`` with ``schema`` added, made once per pair and shared as a record (the
        parts of a union add to one place, in every place the union is used); None when
        ``record`` is not a shared record."""
        if id(record) not in self._shared:
            return None
        key = (id(record), self._content.number(schema), document)
        found = self._extended.get(key)
        if found is None:
            made = _top_level_copy(record)
            _record(made, schema, document, [], self)
            self._share(made)
            found = self._extended[key] = (record, made)
        return found[1]

    def own(self, shape: Shape) -> Shape:
        """``shape``, or a copy of its top level when it is a shared record's."""
        return _top_level_copy(shape) if id(shape) in self._shared else shape

    def _share(self, record: Shape) -> None:
        pending = [record]
        while pending:
            shape = pending.pop()
            if id(shape) in self._shared:
                continue
            self._shared.add(id(shape))
            pending.extend(_places_below(shape))


def _places_below(shape: Shape) -> list[Shape]:
    below: list[Shape] = []
    if shape.array is not None:
        below.append(shape.array.items)
    for facts in [shape.object, *shape.tagged.values()]:
        if facts is not None:
            below.extend(entry.shape for entry in facts.fields.values())
            if facts.additional is not None:
                below.append(facts.additional)
    return below


_UNTOUCHED = Shape()
"""A place nothing was recorded at (compared with, never changed)."""


def add_schema(
    shape: Shape,
    schema: Any,
    document: str,
    examples: list[Any],
    memo: ShapeMemo | None = None,
) -> Shape:
    """Record what ``document`` says at this place: its schema and the example values seen
    there. Returns the shape now at the place, which the caller keeps there.

    With a ``memo``, an empty place takes the shared record of a schema recorded before, and a
    place holding a shared record gets its own copy of it before anything is added."""
    if memo is not None and not examples and isinstance(schema, dict):
        extended = memo.add_to(shape, schema, document)
        if extended is not None:
            return extended
        if shape == _UNTOUCHED:
            return memo.add(shape, schema, document)
    if memo is not None:
        shape = memo.own(shape)
    _record(shape, schema, document, examples, memo)
    return shape


def type_description(schema: dict[str, Any]) -> str | None:
    """The description of the type at a place: the referenced schema's own where a ``$ref`` had
    a description beside it (see OWN_DESCRIPTION), else the schema's."""
    text = schema[OWN_DESCRIPTION] if OWN_DESCRIPTION in schema else schema.get("description")
    return text.strip() if isinstance(text, str) and text.strip() else None


def _record(
    shape: Shape, schema: Any, document: str, examples: list[Any], memo: ShapeMemo | None
) -> None:
    shape.documents.add(document)
    if not isinstance(schema, dict):
        schema = {}
    described = type_description(schema)
    if described is not None:
        shape.descriptions.setdefault(document, described)
    if examples and any(example is None for example in examples):
        shape.nullable.add(document)
    if isinstance(schema.get(NAME_HINT), str):
        shape.name_hint = schema[NAME_HINT]
    if isinstance(schema.get(COMPONENT), str):
        shape.component_names[document] = schema[COMPONENT]
    if isinstance(schema.get("examples"), list):
        examples = [*examples, *schema["examples"]]
    if isinstance(schema.get(RECURSIVE), str):
        shape.recursive = schema[RECURSIVE]
    if schema.get(UNKNOWN):
        shape.unknown.add(document)
        if isinstance(schema.get(REASON), str):
            shape.unknown_reason = schema[REASON]
        if isinstance(schema.get("type"), list) and "null" in schema["type"]:
            shape.nullable.add(document)
        return
    parts, nullable = alternatives(schema)
    if nullable:
        shape.nullable.add(document)
    if not parts:
        shape.unknown.add(document)
        return
    if len({kind for kind, _, _ in parts}) > 1:
        shape.declared_union.add(document)
    variants_in_union = sum(1 for kind, _, in_union in parts if in_union and kind == "object")
    for kind in {kind for kind, _, _ in parts if kind in SCALAR_KINDS}:
        listed = [isinstance(sub.get("enum"), list) for k, sub, _ in parts if k == kind]
        if any(listed) and not all(listed):
            # `anyOf: [{enum: [...]}, {type: string}]`: the list is known values, not a limit.
            shape.scalars.setdefault(kind, ScalarFacts()).open.add(document)
    tagged_here = untagged_here = False
    for kind, sub, in_union in parts:
        matching = (
            [
                e
                for e in examples
                if json_type(e) == kind or (kind == "number" and json_type(e) == "integer")
            ]
            if examples
            else []
        )
        if kind in SCALAR_KINDS:
            _add_scalar(
                shape.scalars.setdefault(kind, ScalarFacts()), kind, sub, document, matching
            )
        elif kind == "array":
            _add_array(shape, sub, document, matching, memo)
        elif kind == "object":
            tag = _tag_of(sub) if in_union and variants_in_union >= 1 else None
            if tag is not None and shape.tag_property in (None, tag[0]):
                shape.tag_property = tag[0]
                target = shape.tagged.setdefault(tag[1], ObjectFacts())
                matching = [e for e in matching if e.get(tag[0]) == tag[1]]
                tagged_here = True
            else:
                if shape.object is None:
                    shape.object = ObjectFacts()
                target = shape.object
                untagged_here = untagged_here or in_union
            _add_object(target, sub, document, matching, memo)
    if tagged_here and untagged_here:
        shape.untagged_variant.add(document)


def _add_scalar(
    facts: ScalarFacts, kind: str, schema: dict[str, Any], document: str, examples: list[Any]
) -> None:
    raw = schema.get(ENUM_DOCUMENTS)
    declared: dict[str, Any] = raw if isinstance(raw, dict) else {}
    # In a merged document the enum's provenance says exactly who documents this scalar (it may
    # be the reference alone, inside a field a vendor documents), so it speaks for them.
    behind = sorted({str(d) for docs in declared.values() for d in docs}) or [document]
    enum = schema.get("enum")
    if not isinstance(enum, list) and isinstance(schema.get(OPEN_ENUM), list):
        enum = schema[OPEN_ENUM]
        facts.open.update(behind)
    facts.documents.update(behind)
    if isinstance(enum, list):
        facts.enum_documents.update(behind)
        for value in enum:
            # A scalar's enum holds scalars; an object or array listed there says nothing a
            # scalar type can carry (JSON Schema allows it; it never matches this kind).
            if isinstance(value, str | int | float | bool):
                facts.enum.setdefault(value, set()).update(declared.get(str(value)) or [document])
    bounds = constraints_of(schema, kind)
    for doc in behind:
        if not bounds.is_empty():
            facts.constraints[doc] = bounds
        if isinstance(schema.get("format"), str):
            facts.formats[doc] = schema["format"]
    if examples:
        facts.examples.setdefault(document, []).extend(examples)


def _add_array(
    shape: Shape,
    schema: dict[str, Any],
    document: str,
    examples: list[Any],
    memo: ShapeMemo | None,
) -> None:
    if shape.array is None:
        shape.array = ArrayFacts(items=Shape())
    shape.array.documents.add(document)
    bounds = constraints_of(schema, "array")
    if not bounds.is_empty():
        shape.array.constraints[document] = bounds
    items = [item for example in examples for item in example]
    shape.array.items = add_schema(
        shape.array.items, schema.get("items", {}), document, items, memo
    )


def _declared(schema: Any, document: str) -> list[str]:
    """The documents a merged document says stand behind a node, else the document itself."""
    declared = schema.get(DOCUMENTS) if isinstance(schema, dict) else None
    return [str(d) for d in declared] if isinstance(declared, list) and declared else [document]


def _add_object(
    facts: ObjectFacts,
    schema: dict[str, Any],
    document: str,
    examples: list[Any],
    memo: ShapeMemo | None,
) -> None:
    if isinstance(schema.get(REASON), str):
        facts.unknown_reason = schema[REASON]
    if schema.get(UNKNOWN):
        # Saying "shape unknown" is not describing the object: it leaves room for the reference.
        return
    facts.documents.update(_declared(schema, document))
    if isinstance(schema.get(NAME_HINT), str):
        facts.name_hint = schema[NAME_HINT]
    if isinstance(schema.get(COMPONENT), str):
        facts.component_names[document] = schema[COMPONENT]
    if schema.get(REFERS_BACK) is True:
        facts.recursive = True
    if examples:
        facts.examples.setdefault(document, []).extend(examples)
    described = type_description(schema)
    if described is not None:
        facts.descriptions.setdefault(document, described)
    required = set(schema.get("required") or [])
    group = required_any(schema)
    if group:
        for doc in _declared(schema, document):
            facts.requires_any[doc] = group
    for name, sub in (schema.get("properties") or {}).items():
        entry = facts.fields.get(name)
        if entry is None:
            entry = facts.fields[name] = FieldFacts(shape=Shape())
        behind = _declared(sub, document)
        entry.present.update(behind)
        if name in required:
            entry.required.update(behind)
        values = [example[name] for example in examples if name in example]
        # A merged document speaks for the documents behind each field: replay it once for each.
        # A property wrapped in allOf (a $ref with siblings, a one-part allOf) states its
        # description and default inside the parts as much as beside them.
        stated = fold_all_of(sub) if isinstance(sub, dict) else None
        for doc in behind:
            if stated is not None:
                if isinstance(stated.get("description"), str) and stated["description"].strip():
                    entry.descriptions[doc] = stated["description"].strip()
                if "default" in stated:
                    entry.defaults[doc] = stated["default"]
            entry.shape = add_schema(entry.shape, sub, doc, values, memo)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and extra:
        if facts.additional is None:
            facts.additional = Shape()
        facts.additional = add_schema(facts.additional, extra, document, [], memo)


_FACT_KINDS = frozenset((Shape, ScalarFacts, ArrayFacts, FieldFacts, ObjectFacts))


def _copied(value: Any) -> Any:
    """A copy of a record's facts down to the places below it, which stay shared: every set,
    dict, list and fact object is new; the schema's own values (examples, defaults, bounds) and
    the shapes of the places below are the record's."""
    kind = type(value)
    if kind in _FACT_KINDS:
        fields = msgspec.structs.astuple(value)
        return kind(*(item if type(item) is Shape else _copied(item) for item in fields))
    if kind is set:
        return set(value)
    if kind is dict:
        return {key: item if type(item) is Shape else _copied(item) for key, item in value.items()}
    if kind is list:
        return list(value)
    return value


def _top_level_copy(record: Shape) -> Shape:
    return Shape(*map(_copied, msgspec.structs.astuple(record)))
