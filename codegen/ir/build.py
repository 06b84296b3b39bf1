"""Turning merged Shapes into frozen IR types, by the merge rules, recording each decision.

Rules (each recorded as a finding where it changes or settles something):
- types widen, never narrow (integer with number is number); incompatible kinds become a union
  and a warning unless a document itself declared the union;
- a request field is required only where every vendor describing the object requires it (a
  union variant's own description decides over a generic object listing several tags);
  nullable wherever any document or example says null;
- a response is read in the Postel manner: only a field that tells one kind of body from another
  (a variant's tag, a constant) stays required; every other field accepts absent and null, and a
  finding says what the documents claimed;
- output enums are open; request enums are closed only when every document of the field gives
  a list; an enum whose vendors share no value is a per-vendor list of known values, not an enum;
- bounds: the merged API holds the loosest bound any document states (a document stating none
  is silent, not looser); each vendor's own bounds go to its profile; defaults are documentation;
- a reference document weighs less: it fills shapes no vendor knows and splits union variants,
  but adds no field to an object a vendor describes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from ..report import Finding, Level
from .build_memo import BuildMemo, BuiltTrace, rebased, replayed_findings
from .model import (
    Alias,
    ArrayType,
    Constraints,
    Direction,
    EnumValue,
    Field,
    MapType,
    Model,
    ModelRef,
    ScalarType,
    TypeNode,
    UnionType,
    UnknownType,
)
from .naming import pascal, singular
from .shapes import ArrayFacts, FieldFacts, ObjectFacts, ScalarFacts, Shape

MERGE_DOCUMENT = "(merge)"


class Registry(msgspec.Struct):
    """Named models and aliases, in the order they were first needed; dedupes equal structures."""

    models: dict[str, Model] = msgspec.field(default_factory=dict)
    aliases: dict[str, Alias] = msgspec.field(default_factory=dict)

    reserved: set[str] = msgspec.field(default_factory=set)
    """Names held for a recursive model while its fields, which refer to it, are built."""

    by_shape: dict[tuple[Any, ...], str] = msgspec.field(default_factory=dict)
    """The first model name of each structure, so deduplicating is one lookup, not a scan of
    every model (which made the merge quadratic in the number of models)."""

    alias_by_type: dict[TypeNode, str] = msgspec.field(default_factory=dict)
    """The one alias name of each union."""

    memo: BuildMemo = msgspec.field(default_factory=BuildMemo)
    """Builds recorded to be replayed at their shape's next place (see build_memo)."""

    holds_recursive: bool = False
    """A recursive model was registered: the one way two names come to hold equal structures
    (every other registration finds the equal one), so the only case ``equal_models`` has work."""

    def _taken(self, name: str) -> bool:
        return name in self.models or name in self.aliases or name in self.reserved

    def reserve(self, candidates: Iterable[str]) -> str:
        self.memo.unrepeatable += 1
        name = self._first_free(list(dict.fromkeys(candidates)))
        self.reserved.add(name)
        return name

    def release(self, name: str) -> None:
        self.reserved.discard(name)

    def add_model(self, candidates: Iterable[str], model: Model, *, exact: bool = False) -> str:
        """Register ``model`` under the first free candidate, or where an equal one is; with
        ``exact``, under the first candidate as it is (a recursive model refers to that name)."""
        if exact:
            self.memo.unrepeatable += 1
            self.holds_recursive = True
            name = next(iter(candidates))
            self.reserved.discard(name)
            if name in self.models:
                self.by_shape.clear()  # a structure changed under its name: index anew
            self._store(name, model)
            self.by_shape.setdefault(_fingerprint(self.models[name]), name)
            return name
        shape = _fingerprint(model)
        found = self._find_model(candidates, shape, model)
        self.memo.log.append(("model", shape, found))
        return found

    def _find_model(self, candidates: Iterable[str], shape: tuple[Any, ...], model: Model) -> str:
        candidates = list(dict.fromkeys(candidates))
        for name in candidates:
            existing = self.models.get(name)
            if existing is not None and _fingerprint(existing) == shape:
                return name
        if not self.by_shape and self.models:
            for existing_name, existing in self.models.items():
                self.by_shape.setdefault(_fingerprint(existing), existing_name)
        known = self.by_shape.get(shape)
        if known is not None:
            return known
        name = self._first_free(candidates)
        self.by_shape[shape] = name
        self._store(name, model)
        return name

    def _store(self, name: str, model: Model) -> None:
        """Register ``model`` under ``name``, keeping the memo's names per structure."""
        names = self.memo.names_by_fingerprint
        previous = self.models.get(name)
        if previous is not None:
            names[_fingerprint(previous)].discard(name)
            self.memo.names_changed += 1
        stored = self.models[name] = msgspec.structs.replace(model, name=name)
        same = names.setdefault(_fingerprint(stored), set())
        if same:
            self.memo.names_changed += 1  # a structure under a second name
        same.add(name)

    def add_alias(
        self, candidates: Iterable[str], alias_type: TypeNode, description: str | None
    ) -> str:
        """Register a union under the first free candidate, or where the same union is: one
        union used by many operations is one alias, as one structure is one model."""
        candidates = list(dict.fromkeys(candidates))
        for name in candidates:
            existing = self.aliases.get(name)
            if existing is not None and existing.type == alias_type:
                return name
        known = self.alias_by_type.get(alias_type)
        if known is not None:
            return known
        name = self._first_free(candidates)
        self.aliases[name] = Alias(name=name, type=alias_type, description=description)
        self.alias_by_type[alias_type] = name
        return name

    def _first_free(self, candidates: list[str]) -> str:
        for name in candidates:
            if not self._taken(name):
                return name
        base, number = candidates[-1], 2
        while self._taken(f"{base}{number}"):
            number += 1
        return f"{base}{number}"


def _fingerprint(model: Model) -> tuple[Any, ...]:
    return (
        model.direction,
        model.tag,
        model.requires_any,
        tuple((f.name, f.type, f.required, f.nullable) for f in model.fields),
    )


class BuildContext(msgspec.Struct):
    """What the builder needs besides the Shape: direction, provenance and where to record."""

    direction: Direction
    vendor_of: dict[str, str]
    reference: frozenset[str]
    registry: Registry
    findings: list[Finding]
    root: str
    known_values: dict[tuple[str, str], tuple[str, ...]] = msgspec.field(default_factory=dict)
    vendor_bounds: dict[tuple[str, str], Constraints] = msgspec.field(default_factory=dict)
    vendor_required: dict[str, set[str]] = msgspec.field(default_factory=dict)
    merged_required: set[str] = msgspec.field(default_factory=set)
    building: dict[str, str] = msgspec.field(default_factory=dict)
    """Component name -> IR name of each named object being built: where a schema refers back
    to one of them, the reference is that model (a recursive model)."""
    """Paths of request fields the merged API requires (so no vendor needs to fill them in)."""

    def note(
        self, level: Level, rule: str, path: str, message: str, evidence: str | None = None
    ) -> None:
        self.findings.append(
            Finding(
                rule=rule,
                level=level,
                document=MERGE_DOCUMENT,
                pointer=path,
                message=message,
                evidence=evidence,
            )
        )

    def vendors(self, documents: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted({self.vendor_of[d] for d in documents if d not in self.reference}))

    # What a build records besides findings and models; each write is also an event on the
    # memo's log, so that a replay at another place makes the same write under its path.

    def add_vendor_bounds(self, path: str, vendor: str, bounds: Constraints) -> None:
        self.registry.memo.log.append(("bounds", path, vendor, bounds))
        key = (path, vendor)
        previous = self.vendor_bounds.get(key)
        self.vendor_bounds[key] = bounds if previous is None else _loosest([previous, bounds])

    def set_known_values(self, path: str, vendor: str, values: tuple[str, ...]) -> None:
        self.registry.memo.log.append(("known", path, vendor, values))
        self.known_values[(path, vendor)] = values

    def add_required(self, path: str, vendor: str | None) -> None:
        """A request field ``vendor`` requires, or (``None``) the merged API requires."""
        self.registry.memo.log.append(("required", path, vendor))
        if vendor is None:
            self.merged_required.add(path)
        else:
            self.vendor_required.setdefault(vendor, set()).add(path)

    def replay(self, trace: BuiltTrace, path: str) -> None:
        """Do at ``path`` what the recorded build did at its own path. A named model's findings,
        the replayed shape's own or those of models built inside it, are counted once more
        rather than written again (they are the model's, wherever it is used); any other
        shape's are made again under ``path`` (an unnamed field's shape may be shared by fields
        that say nothing of each other)."""
        memo = self.registry.memo
        is_model = isinstance(trace.result, ModelRef)
        if is_model:
            memo.used_again(trace.findings, trace.findings_span)
        models: set[tuple[int, int]] = set()
        old = trace.path
        start, end = trace.log_span
        for event in trace.log[start:end]:
            kind = event[0]
            if kind == "model":
                memo.log.append(event)
            elif kind == "again":
                memo.used_again(event[1], event[2])
            elif kind == "built":
                # A model built inside this shape: counted with it when the shape is a model.
                if not is_model:
                    models.add(event[2])
            elif kind == "bounds":
                self.add_vendor_bounds(rebased(event[1], old, path), event[2], event[3])
            elif kind == "known":
                self.set_known_values(rebased(event[1], old, path), event[2], event[3])
            else:
                self.add_required(rebased(event[1], old, path), event[2])
        if not is_model:
            # Builds nest, so a model built inside another has its findings inside the other's
            # span: only the outermost spans are counted.
            outermost: list[tuple[int, int]] = []
            for low, high in sorted(models, key=lambda span: (span[0], -span[1])):
                if not outermost or low >= outermost[-1][1]:
                    outermost.append((low, high))
            for span in outermost:
                memo.used_again(trace.findings, span)
            self.findings.extend(replayed_findings(trace, path, leaving_out=outermost))


def _docs(documents: Iterable[str]) -> str:
    return ", ".join(sorted(documents))


def _choose_text(texts: dict[str, str], reference: frozenset[str]) -> str | None:
    """The longest vendor text (ties by document name); the reference's only if no vendor has one."""
    vendor = {doc: text for doc, text in texts.items() if doc not in reference}
    pool = vendor or texts
    if not pool:
        return None
    return sorted(pool.items(), key=lambda item: (-len(item[1]), item[0]))[0][1]


def agreed_component_name(
    names: dict[str, str], documents: set[str], reference: frozenset[str]
) -> str | None:
    """The schema name every document describing a place gives it, if they agree.

    Vendors naming one place differently (or one naming it, others not) leave it to the
    place's own name; the reference's names count only where no vendor describes the place.
    """
    describing = documents - reference or documents
    given = {names.get(document) for document in describing}
    if len(given) != 1 or None in given:
        return None
    (name,) = given
    return pascal(name) if name else None


_DOTTED_TAG = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")


def object_tag_name(facts: ObjectFacts) -> str | None:
    """The class name an object names itself by: a field whose only value is a dotted type tag.

    ``object: "chat.completion"`` names ``ChatCompletion``; the value comes from a one-value enum
    or from examples that all agree, never from the field's name.
    """
    for entry in facts.fields.values():
        string = entry.shape.scalars.get("string")
        if string is None or len(entry.shape.kinds()) != 1:
            continue
        values = set(string.enum)
        for examples in string.examples.values():
            values.update(v for v in examples if isinstance(v, str))
        if len(values) == 1:
            (value,) = values
            if _DOTTED_TAG.match(value):
                return pascal(value)
    return None


def build_root(shape: Shape, context: BuildContext, candidates: list[str]) -> ModelRef | None:
    """Build the model at a place (request body, response, chunk, error) under a chosen name."""
    node = build_type(shape, context, path=f"/{candidates[0]}", candidates=candidates)
    return node if isinstance(node, ModelRef) else None


def build_type(
    shape: Shape, context: BuildContext, *, path: str, candidates: list[str]
) -> TypeNode:
    """The type of one place; a shape built before under the same first name is replayed."""
    memo = context.registry.memo
    key = (id(shape), context.direction)
    trace = memo.trace(key)
    if trace is not None and memo.replayable(trace, path):
        context.replay(trace, path)
        return trace.result
    log_start, findings_start = len(memo.log), len(context.findings)
    unrepeatable = memo.unrepeatable
    result = _build_type(shape, context, path=path, candidates=candidates)
    if memo.unrepeatable == unrepeatable:
        trace = BuiltTrace(
            path=path,
            result=result,
            log=memo.log,
            log_span=(log_start, len(memo.log)),
            findings=context.findings,
            findings_span=(findings_start, len(context.findings)),
        )
        memo.keep(memo.traces, key, shape, trace)
        if isinstance(result, ModelRef):
            # After the trace's own span: a replay of a shape this model is part of counts the
            # model's findings once more rather than copying them.
            memo.log.append(("built", context.findings, trace.findings_span))
    return result


def _build_type(
    shape: Shape, context: BuildContext, *, path: str, candidates: list[str]
) -> TypeNode:
    kinds = shape.kinds()
    if not kinds and shape.recursive is not None:
        context.registry.memo.unrepeatable += 1  # what it is depends on what is being built
    if not kinds and shape.recursive is not None and shape.recursive in context.building:
        return ModelRef(name=context.building[shape.recursive])
    if not kinds:
        reason = shape.unknown_reason or "no document describes this shape"
        if shape.unknown and not shape.unknown_reason:
            reason += f" ({_docs(shape.unknown)} mark it unknown)"
        context.note("warning", "shape-unknown-unfilled", path, reason)
        return UnknownType(reason=reason)
    if shape.unknown - context.reference and kinds:
        context.note(
            "repair",
            "fill-unknown-shape",
            path,
            f"shape unknown in {_docs(shape.unknown)}, filled from "
            f"{_docs(shape.documents - shape.unknown)}",
        )
    variants: list[TypeNode] = []
    # The builder only reads a Shape: the merge shares one component's record among its places.
    scalars = shape.scalars
    scalar_kinds = [k for k in kinds if k in scalars]
    if "integer" in scalar_kinds and "number" in scalar_kinds:
        integer, number = scalars["integer"], scalars["number"]
        context.note(
            "repair",
            "widen-integer-to-number",
            path,
            f"integer in {_docs(integer.documents)}, number in {_docs(number.documents)}: number",
        )
        merged = ScalarFacts(
            documents=integer.documents | number.documents,
            enum={**integer.enum, **number.enum},
            enum_documents=integer.enum_documents | number.enum_documents,
            constraints={**integer.constraints, **number.constraints},
            formats={},
            examples={**integer.examples, **number.examples},
        )
        scalar_kinds.remove("integer")
        scalars = {**scalars, "number": merged}
    for kind in scalar_kinds:
        variants.append(_build_scalar(kind, scalars[kind], context, path))
    if shape.array is not None:
        items = shape.array.items
        item_type = build_type(
            items, context, path=f"{path}[]", candidates=[singular(c) for c in candidates]
        )
        bounds = _merge_bounds(shape.array.constraints, shape.array.documents, context, path)
        variants.append(
            ArrayType(items=item_type, constraints=bounds, items_nullable=bool(items.nullable))
        )
    if shape.tagged:
        variants.append(_build_tagged(shape, context, path, candidates))
    elif shape.object is not None:
        variants.append(_build_object(shape.object, context, path, candidates, tag=None))
    if len(variants) == 1:
        return variants[0]
    # The union is a document's own only if one document declares every kind of it; a kind that
    # only other documents give is a disagreement, even beside a declared union. (A kind nobody
    # describes is an unknown variant of a union some document declared.)
    union_kinds = [kind for kind in kinds if not (kind == "integer" and "number" in kinds)]
    documents_by_kind = {kind: _kind_documents(shape, kind, scalars) for kind in union_kinds}
    described = [docs for docs in documents_by_kind.values() if docs]
    if not shape.declared_union.intersection(*described):
        context.note(
            "warning",
            "incompatible-types-union",
            path,
            "documents disagree on the type ("
            + "; ".join(f"{kind}: {_docs(docs)}" for kind, docs in documents_by_kind.items())
            + "): accepted as a union",
        )
    return UnionType(variants=tuple(variants))


def _kind_documents(
    shape: Shape, kind: str, scalars: dict[str, ScalarFacts] | None = None
) -> set[str]:
    """``scalars``: the shape's scalar facts as the builder settled them (integer widened)."""
    scalars = shape.scalars if scalars is None else scalars
    if kind in scalars:
        return scalars[kind].documents
    if kind == "array" and shape.array is not None:
        return shape.array.documents
    documents: set[str] = set()
    if shape.object is not None:
        documents |= shape.object.documents
    for facts in shape.tagged.values():
        documents |= facts.documents
    return documents


def _build_scalar(kind: str, facts: ScalarFacts, context: BuildContext, path: str) -> ScalarType:
    bounds = _merge_bounds(facts.constraints, facts.documents, context, path)
    documenting = facts.documents - context.reference or facts.documents
    stating = facts.enum_documents & documenting
    enum: tuple[EnumValue, ...] = ()
    open_enum = False
    if facts.enum and stating:
        values = {value: docs for value, docs in facts.enum.items() if docs & documenting}
        vendor_sets = {}
        for value, docs in values.items():
            vendor_sets[value] = {context.vendor_of.get(d, d) for d in docs & documenting}
        stating_vendors = {context.vendor_of.get(d, d) for d in stating}
        disjoint = len(stating_vendors) >= 2 and all(len(v) == 1 for v in vendor_sets.values())
        if disjoint and context.direction == "request":
            for vendor in sorted(stating_vendors):
                known = tuple(sorted(str(v) for v, vs in vendor_sets.items() if vendor in vs))
                examples = sorted(
                    {
                        str(e)
                        for d, es in facts.examples.items()
                        if context.vendor_of.get(d) == vendor
                        for e in es
                    }
                )
                context.set_known_values(path, vendor, tuple(dict.fromkeys([*known, *examples])))
            context.note(
                "repair",
                "vendor-values-not-enum",
                path,
                "no value is shared by two vendors ("
                + "; ".join(
                    f"{v}: {', '.join(sorted(map(str, k)))}"
                    for v, k in sorted(
                        (v, [x for x, vs in vendor_sets.items() if v in vs])
                        for v in stating_vendors
                    )
                )
                + "): an open string, its known values typed and kept per vendor",
            )
            # Typed for completion and documentation, never a constraint: any string passes.
            enum = tuple(
                EnumValue(value=value, documents=tuple(sorted(docs)))
                for value, docs in sorted(values.items(), key=lambda item: str(item[0]))
            )
            open_enum = True
        else:
            order = _enum_order(facts)
            enum = tuple(
                EnumValue(value=value, documents=tuple(sorted(docs)))
                for value, docs in sorted(values.items(), key=lambda item: order(item[0]))
            )
            if context.direction == "response" or facts.open & documenting:
                open_enum = True
            elif not stating >= documenting:
                open_enum = True
                context.note(
                    "repair",
                    "open-request-enum",
                    path,
                    f"{_docs(documenting - stating)} document the field without a list: "
                    "known values typed, other values accepted",
                )
    formats = set(facts.formats.values())
    literal_kind: Any = kind
    return ScalarType(
        kind=literal_kind,
        constraints=bounds,
        enum=enum,
        enum_open=open_enum,
        format=formats.pop() if len(formats) == 1 else None,
    )


def _enum_order(facts: ScalarFacts) -> Callable[[Any], tuple[int, str]]:
    """Enum values in the order the first stating document lists them, then the rest by text
    (positions looked up, not searched for: a long enum was quadratic)."""
    positions = {value: position for position, value in enumerate(facts.enum)}
    return lambda value: (positions[value], str(value))


_LOWER = ("minimum", "exclusive_minimum")
_UPPER = ("maximum", "exclusive_maximum")


def _merge_bounds(
    per_document: dict[str, Constraints], documents: set[str], context: BuildContext, path: str
) -> Constraints:
    """The loosest of the bounds the documents state; a document stating none is silent, not
    evidence that anything goes. Each vendor's own bounds also go to its profile."""
    documenting = documents - context.reference or documents
    stated = {doc: c for doc, c in per_document.items() if doc in documenting}
    for doc, bounds in stated.items():
        context.add_vendor_bounds(path, context.vendor_of.get(doc, doc), bounds)
    if not stated:
        return Constraints()
    merged = _loosest(list(stated.values()))
    if set(stated) != documenting:
        context.note(
            "repair",
            "bounds-stated-kept",
            path,
            f"bounds stated by {_docs(stated)}; {_docs(documenting - set(stated))} state none, "
            "which is silence, not a wider range: the merged API keeps the loosest stated bound",
        )
    return merged


def _loosest(all_bounds: list[Constraints]) -> Constraints:
    """Per bound, the loosest value among the documents stating it (inclusive is looser than
    exclusive); a document that states no such bound does not remove it."""
    values: dict[str, Any] = {}
    lower = [bound for b in all_bounds if (bound := _bound(b, _LOWER)) is not None]
    upper = [bound for b in all_bounds if (bound := _bound(b, _UPPER)) is not None]
    if lower:
        value, exclusive = min(lower, key=lambda item: (item[0], item[1]))
        values["exclusive_minimum" if exclusive else "minimum"] = value
    if upper:
        value, exclusive = max(upper, key=lambda item: (item[0], not item[1]))
        values["exclusive_maximum" if exclusive else "maximum"] = value
    for name, pick in (
        ("min_items", min),
        ("max_items", max),
        ("min_length", min),
        ("max_length", max),
    ):
        found = [value for b in all_bounds if (value := getattr(b, name)) is not None]
        if found:
            values[name] = pick(found)
    patterns = {b.pattern for b in all_bounds if b.pattern is not None}
    if len(patterns) == 1:
        values["pattern"] = patterns.pop()
    return Constraints(**values)


def _bound(bounds: Constraints, names: tuple[str, str]) -> tuple[float, bool] | None:
    inclusive, exclusive = getattr(bounds, names[0]), getattr(bounds, names[1])
    if inclusive is not None:
        return inclusive, False
    if exclusive is not None:
        return exclusive, True
    return None


def _build_object(
    facts: ObjectFacts,
    context: BuildContext,
    path: str,
    candidates: list[str],
    tag: tuple[str, str] | None,
    specific: frozenset[str] = frozenset(),
) -> TypeNode:
    """``specific``: for a union variant, the documents describing that variant itself (not a
    generic object that lists several tags); they decide its fields' required and null flags."""
    if not facts.fields:
        if facts.additional is not None:
            return MapType(
                values=build_type(
                    facts.additional,
                    context,
                    path=f"{path}{{}}",
                    candidates=[f"{c}Value" for c in candidates],
                )
            )
        reason = facts.unknown_reason or "an object no document gives fields for"
        context.note("warning", "shape-unknown-unfilled", path, reason)
        return UnknownType(reason=reason)
    component: str | None = None
    if facts.name_hint:
        candidates = [facts.name_hint, *candidates]
        component = pascal(facts.name_hint)
    else:
        named = agreed_component_name(facts.component_names, facts.documents, context.reference)
        if named is not None:
            component = named
            # A name the wire itself states (an object tag) stays first.
            tagged = candidates[:1] if candidates[0] == object_tag_name(facts) else []
            candidates = [*tagged, named, *candidates[len(tagged) :]]
    held: str | None = None
    if component is not None and facts.recursive:
        context.registry.memo.unrepeatable += 1  # its fields may refer to what is being built
    if component is not None and component not in context.building and facts.recursive:
        # Its fields refer back to it: the name is fixed before they are built.
        held = context.registry.reserve(candidates)
        context.building[component] = held
    vendor_documents = facts.documents - context.reference
    authoritative = vendor_documents or facts.documents
    own_name = candidates[0]
    deciding = (specific - context.reference) or (specific & context.reference)
    lenient: list[str] = []
    fields: list[Field] = []
    for name, entry in facts.fields.items():
        present = entry.present & authoritative
        if not present:
            continue
        field_path = f"{path}/{name}"
        said = _vendor_statements(context, entry, authoritative)
        if tag is not None and name == tag[0]:
            field_type: TypeNode = ScalarType(
                kind="string", enum=(EnumValue(value=tag[1], documents=tuple(sorted(present))),)
            )
        else:
            nested = pascal(name)
            field_type = build_type(
                entry.shape,
                context,
                path=field_path,
                candidates=[nested, f"{context.root}{nested}", f"{own_name}{nested}"],
            )
        deciders = (deciding & entry.present) or authoritative
        claimed = bool(authoritative) and deciders <= entry.required
        nullable = _nullable(entry.shape.nullable, present, context.reference)
        if deciders is not authoritative:
            # A field the variant itself requires takes its null flag from the variant too;
            # an optional one may be null wherever anyone says so (requests block nothing).
            nullable = bool(entry.shape.nullable & deciders) or (not claimed and nullable)
        if context.direction == "request":
            required = claimed
            for document in entry.required & authoritative:
                context.add_required(field_path, context.vendor_of[document])
            if required:
                context.add_required(field_path, None)
        else:
            # Servers send less, and more, than their documents claim: a missing or null field
            # is read as absent, except the ones without which the body means nothing.
            required = claimed and (
                (tag is not None and name == tag[0]) or _is_constant(field_type)
            )
            if not required and (claimed or not nullable):
                lenient.append(name)
            nullable = nullable or not required
        if deciders is not authoritative and claimed and not authoritative <= entry.required:
            context.note(
                "repair",
                "variant-decides-required",
                field_path,
                f"{_docs(deciders)} describe this variant itself and require it; "
                f"{_docs(authoritative - entry.required)} describe a generic object: required",
            )
        elif entry.required & present and not required and context.direction == "request":
            context.note(
                "repair",
                "required-where-all-agree",
                field_path,
                f"required by {_docs(entry.required & present)} but not by "
                f"{_docs(deciders - entry.required)}: optional",
            )
        has_default, default = _merged_default(entry.defaults, present, context, field_path)
        _note_vendor_disagreement(context, field_path, said, field_type, required, nullable)
        fields.append(
            Field(
                name=name,
                type=field_type,
                required=required,
                nullable=nullable,
                description=_choose_text(entry.descriptions, context.reference),
                default=default,
                has_default=has_default,
                documents=tuple(sorted(present)),
                vendors=context.vendors(present),
            )
        )
    if lenient:
        context.note(
            "repair",
            "response-read-leniently",
            path,
            f"{_docs(authoritative)} claim fields always sent or never null ("
            + ", ".join(lenient)
            + "): in a response only a field that tells bodies apart is required; these "
            "accept absent and null",
        )
    model = Model(
        name=own_name,
        fields=tuple(fields),
        direction=context.direction,
        description=_choose_text(facts.descriptions, context.reference),
        documents=tuple(sorted(authoritative)),
        tag=tag,
        requires_any=_requires_any(facts, deciding or authoritative, fields, context, path),
    )
    if held is not None:
        del context.building[component]  # type: ignore[arg-type]
        return ModelRef(name=context.registry.add_model([held], model, exact=True))
    return ModelRef(name=context.registry.add_model(candidates, model))


def _requires_any(
    facts: ObjectFacts,
    deciding: set[str] | frozenset[str],
    fields: list[Field],
    context: BuildContext,
    path: str,
) -> tuple[str, ...]:
    """Fields at least one of which the object must carry, where every deciding document says
    the same (a request never demands more than all of them do); in a response, none."""
    groups = {facts.requires_any.get(document) for document in deciding}
    if context.direction != "request" or len(groups) != 1 or None in groups:
        return ()
    (group,) = groups
    assert group is not None
    names = {item.name for item in fields}
    kept = tuple(name for name in group if name in names)
    if len(kept) < 2:
        return ()
    context.note(
        "repair",
        "requires-one-of",
        path,
        f"{_docs(deciding)} require at least one of {', '.join(kept)}: checked on the model",
    )
    return kept


def _is_constant(node: TypeNode) -> bool:
    """A field with one possible value (``object: "chat.completion"``): it names the body's kind."""
    return isinstance(node, ScalarType) and len(node.enum) == 1


def _document_says(entry: Any, document: str) -> str:
    """What one document says of a field, in the words of the disagreement report."""
    if document not in entry.present:
        return "no such field"
    kinds = [k for k in entry.shape.kinds() if document in _kind_documents(entry.shape, k)]
    words = ["|".join(kinds) or "untyped"]
    words.append("required" if document in entry.required else "optional")
    if document in entry.shape.nullable:
        words.append("nullable")
    return " ".join(words)


def _vendor_statements(
    context: BuildContext, entry: Any, describing: set[str]
) -> dict[str, dict[str, str]]:
    """Per vendor with several documents describing the object: what each says of the field
    (taken before the merge widens anything)."""
    if len(describing) < 2:
        return {}  # one document or none: no vendor has two
    by_vendor: dict[str, list[str]] = {}
    for document in sorted(describing - context.reference):
        by_vendor.setdefault(context.vendor_of.get(document, document), []).append(document)
    return {
        vendor: {document: _document_says(entry, document) for document in documents}
        for vendor, documents in sorted(by_vendor.items())
        if len(documents) >= 2
    }


def _kind_words(node: TypeNode) -> str:
    if isinstance(node, ScalarType):
        return node.kind
    if isinstance(node, ArrayType):
        return "array"
    if isinstance(node, UnionType):
        return "|".join(_kind_words(variant) for variant in node.variants)
    if isinstance(node, UnknownType):
        return "any JSON value"
    return "object"


def _note_vendor_disagreement(
    context: BuildContext,
    path: str,
    said: dict[str, dict[str, str]],
    settled: TypeNode,
    required: bool,
    nullable: bool,
) -> None:
    """Where two documents of one vendor describe a field differently, say how it was settled."""
    if not said:
        return
    outcome = f"{_kind_words(settled)} {'required' if required else 'optional'}"
    outcome += " nullable" if nullable else ""
    for vendor, statements in said.items():
        if len(set(statements.values())) < 2:
            continue
        context.note(
            "repair",
            "vendor-documents-disagree",
            path,
            f"{vendor}'s documents disagree ("
            + "; ".join(f"{document}: {words}" for document, words in statements.items())
            + f"): settled as {outcome} by the merge rules",
        )


def _merged_default(
    defaults: dict[str, Any], present: set[str], context: BuildContext, path: str
) -> tuple[bool, Any]:
    """A default is documentation: kept when two vendors agree on it or every vendor documenting
    the field states it; one vendor's default does not speak for the others."""
    stated = {doc: value for doc, value in defaults.items() if doc in present}
    if not stated:
        return False, None
    distinct = {repr(value) for value in stated.values()}
    stating = set(context.vendors(stated))
    documenting = set(context.vendors(present)) or stating
    if len(distinct) == 1 and (len(stating) >= 2 or stating >= documenting):
        return True, next(iter(stated.values()))
    why = (
        "vendors disagree" if len(distinct) > 1 else f"only {', '.join(sorted(stating))} states it"
    )
    context.note(
        "repair",
        "default-not-merged",
        path,
        f"default {'; '.join(sorted(distinct))} left out of the merged field: {why}",
    )
    return False, None


def _nullable(saying_null: set[str], present: set[str], reference: frozenset[str]) -> bool:
    """Nullable where any vendor or vendor example says null; the reference counts only where
    no vendor documents the field."""
    vendors = present - reference
    return bool(saying_null & vendors) if vendors else bool(saying_null)


def _build_tagged(
    shape: Shape, context: BuildContext, path: str, candidates: list[str]
) -> TypeNode:
    """Variants told apart by a constant property (messages by role), one model each."""
    assert shape.tag_property is not None
    tag_property = shape.tag_property
    separate = shape.object if shape.untagged_variant else None
    base = candidates[0]
    refs: list[TypeNode] = []
    if separate is not None:
        # A union's own branch without the tag is a variant of its own, so the union cannot
        # be told apart by the tag: a plain union, the untagged variant first.
        refs.append(
            _build_object(separate, context, f"{path}(untagged)", [f"{base}Untagged"], tag=None)
        )
    memo = context.registry.memo
    for value, facts, specific in _tagged_variants(shape, memo):
        variant_candidates = [f"{pascal(value)}{base}", f"{context.root}{pascal(value)}{base}"]
        refs.append(
            _build_object(
                facts,
                context,
                f"{path}({value})",
                variant_candidates,
                tag=(tag_property, value),
                specific=specific,
            )
        )
    union = UnionType(
        variants=tuple(refs), discriminator=None if separate is not None else tag_property
    )
    if shape.name_hint:
        candidates = [shape.name_hint, *candidates]
    else:
        named = agreed_component_name(shape.component_names, shape.documents, context.reference)
        if named is not None:
            candidates = [named, *candidates]
    name = context.registry.add_alias(
        candidates, union, _choose_text(shape.descriptions, context.reference)
    )
    return ModelRef(name=name)


def _tagged_variants(
    shape: Shape, memo: BuildMemo
) -> list[tuple[str, ObjectFacts, frozenset[str]]]:
    """Each tag value with the facts of its variant and the documents describing that variant.

    An untagged object that lists several values for the tag property contributes to each of
    those variants, but only the fields that variant is known to have (or fields no variant
    knows). Assembled once per shape: a shared shape's variants are then shared too, which lets
    their builds be replayed.
    """
    assert shape.tag_property is not None
    tag_property = shape.tag_property
    values: list[str] = list(shape.tagged)
    untagged = None if shape.untagged_variant else shape.object
    if untagged is not None and tag_property in untagged.fields:
        tag_shape = untagged.fields[tag_property].shape.scalars.get("string")
        if tag_shape is not None:
            values.extend(v for v in tag_shape.enum if isinstance(v, str) and v not in values)
    known_anywhere = {name for facts in shape.tagged.values() for name in facts.fields}
    # The untagged object speaks for the tag values it lists (all of them when it lists none).
    listed: set[Any] = set()
    if untagged is not None and tag_property in untagged.fields:
        tag_scalars = untagged.fields[tag_property].shape.scalars.get("string")
        listed = set(tag_scalars.enum) if tag_scalars is not None else set()
    variants: list[tuple[str, ObjectFacts, frozenset[str]]] = []
    for value in values:
        facts = ObjectFacts()
        tagged = shape.tagged.get(value)
        sources = [tagged] if tagged is not None else []
        if tagged is not None and tagged.name_hint:
            facts.name_hint = tagged.name_hint
        if tagged is not None:
            facts.component_names.update(tagged.component_names)
        if untagged is not None and (not listed or value in listed):
            sources.append(untagged)
        for source in sources:
            facts.documents |= source.documents
            facts.descriptions.update(source.descriptions)
            facts.requires_any.update(source.requires_any)
        own = set(tagged.fields) if tagged is not None else None
        by_name: dict[str, list[FieldFacts]] = {}
        for source in sources:
            for name, entry in source.fields.items():
                # Without a variant of its own, a value takes every field of the untagged object.
                if (
                    source is untagged
                    and own is not None
                    and name not in own
                    and name in known_anywhere
                ):
                    continue
                by_name.setdefault(name, []).append(entry)
        for name, entries in by_name.items():
            if len(entries) == 1:
                # The variant's facts of one source, made once per shape, so that the places
                # below stay one object wherever the union is used (and their builds replay).
                (entry,) = entries
                facts.fields[name] = FieldFacts(
                    shape=_stripped(entry.shape, memo),
                    present=set(entry.present),
                    required=set(entry.required),
                    descriptions=dict(entry.descriptions),
                    defaults=dict(entry.defaults),
                )
                continue
            target = facts.fields[name] = FieldFacts(shape=Shape())
            for entry in entries:
                _absorb_field(target, entry)
        specific = frozenset(tagged.documents) if tagged is not None else frozenset()
        variants.append((value, facts, specific))
    return variants


def _stripped(shape: Shape, memo: BuildMemo) -> Shape:
    """What absorbing ``shape`` into an empty place makes of it (``_absorb_shape``), made once
    per shape, and with the places below made once too: so they stay one object wherever the
    shape is used, and their builds are replayed.

    Absorbing keeps the facts the merge rules weigh and leaves out the ones that name a place
    (name hints, component names, recursion marks, open enums, object examples)."""
    return memo.remembered("stripped", shape, lambda source: _strip(source, memo))


def _strip(source: Shape, memo: BuildMemo) -> Shape:
    target = Shape(
        documents=set(source.documents),
        nullable=set(source.nullable),
        unknown=set(source.unknown),
        declared_union=set(source.declared_union),
        untagged_variant=set(source.untagged_variant),
        descriptions=dict(source.descriptions),
        unknown_reason=source.unknown_reason,
        tag_property=source.tag_property,
    )
    for kind, facts in source.scalars.items():
        target.scalars[kind] = ScalarFacts(
            documents=set(facts.documents),
            enum={value: set(docs) for value, docs in facts.enum.items()},
            enum_documents=set(facts.enum_documents),
            constraints=dict(facts.constraints),
            formats=dict(facts.formats),
            examples={doc: list(examples) for doc, examples in facts.examples.items()},
        )
    if source.array is not None:
        target.array = ArrayFacts(
            items=_stripped(source.array.items, memo),
            documents=set(source.array.documents),
            constraints=dict(source.array.constraints),
        )
    if source.object is not None:
        target.object = _strip_object(source.object, memo)
    for value, tagged in source.tagged.items():
        target.tagged[value] = _strip_object(tagged, memo)
    return target


def _strip_object(source: ObjectFacts, memo: BuildMemo) -> ObjectFacts:
    return ObjectFacts(
        documents=set(source.documents),
        descriptions=dict(source.descriptions),
        requires_any=dict(source.requires_any),
        unknown_reason=source.unknown_reason,
        fields={
            name: FieldFacts(
                shape=_stripped(entry.shape, memo),
                present=set(entry.present),
                required=set(entry.required),
                descriptions=dict(entry.descriptions),
                defaults=dict(entry.defaults),
            )
            for name, entry in source.fields.items()
        },
        additional=None if source.additional is None else _stripped(source.additional, memo),
    )


def _absorb_field(target: Any, entry: Any) -> None:
    """Merge one field's facts into another's (for variants assembled from several sources)."""
    target.present |= entry.present
    target.required |= entry.required
    target.descriptions.update(entry.descriptions)
    target.defaults.update(entry.defaults)
    _absorb_shape(target.shape, entry.shape)


def _absorb_shape(target: Shape, source: Shape) -> None:
    target.documents |= source.documents
    target.nullable |= source.nullable
    target.unknown |= source.unknown
    target.unknown_reason = target.unknown_reason or source.unknown_reason
    target.declared_union |= source.declared_union
    target.untagged_variant |= source.untagged_variant
    target.descriptions.update(source.descriptions)
    for kind, facts in source.scalars.items():
        mine = target.scalars.setdefault(kind, ScalarFacts())
        mine.documents |= facts.documents
        for value, docs in facts.enum.items():
            mine.enum.setdefault(value, set()).update(docs)
        mine.enum_documents |= facts.enum_documents
        mine.constraints.update(facts.constraints)
        mine.formats.update(facts.formats)
        for doc, examples in facts.examples.items():
            mine.examples.setdefault(doc, []).extend(examples)
    if source.array is not None:
        if target.array is None:
            target.array = type(source.array)(items=Shape())
        target.array.documents |= source.array.documents
        target.array.constraints.update(source.array.constraints)
        _absorb_shape(target.array.items, source.array.items)
    if source.object is not None:
        if target.object is None:
            target.object = ObjectFacts()
        _absorb_object(target.object, source.object)
    for value, tagged in source.tagged.items():
        _absorb_object(target.tagged.setdefault(value, ObjectFacts()), tagged)
    target.tag_property = target.tag_property or source.tag_property


def _absorb_object(target: ObjectFacts, source: ObjectFacts) -> None:
    target.documents |= source.documents
    target.descriptions.update(source.descriptions)
    target.requires_any.update(source.requires_any)
    target.unknown_reason = target.unknown_reason or source.unknown_reason
    for name, entry in source.fields.items():
        _absorb_field(target.fields.setdefault(name, type(entry)(shape=Shape())), entry)
    if source.additional is not None:
        if target.additional is None:
            target.additional = Shape()
        _absorb_shape(target.additional, source.additional)
