"""A verdict, reached without openapi-spec-validator, that it would find nothing to complain about,
and otherwise the spots its keyword walk would complain of.

Most documents a build reads have nothing to repair, and for them the validator's run says
nothing, at the price of importing it (a quarter of a second) and of its keyword walk over
jsonschema-path (up to half a second on a large document). The pre-screen answers "clean" only
when it has decided every check the validator makes, each the way the validator decides it; where
it cannot be sure it answers "not sure" and the validator runs exactly as before. Its walk notes,
in the validator's order, each spot in trouble it can name exactly (``Trouble``): a schema the
dialect rejects, a default its schema may reject, and the checks whose words it gives itself
(duplicate tag names, parameters and operationIds, unresolved path parameters, undefined required
names); ``walk_complaints`` turns them into the validator's complaints.

openapi-spec-validator 0.9's OpenAPI 3.1 checks, and how each is decided here:

- the document against the OpenAPI 3.1 JSON schema: the same jsonschema-rs compile of the same
  schema file the validator makes with its default backend (another backend chosen through its
  environment setting: not sure);
- the quarantine's own check that every local ``$ref`` names a node (what
  ``references.dangling_references`` finds);
- the keyword walk of ``openapi_spec_validator.validation.keywords``, followed here over plain
  data, each node seen through its ``$ref`` chain as jsonschema-path sees it (a chain ending
  outside the document, in a loop, or passing a ``$id``: not sure):
  duplicate tag names; parameters of a path or an operation that share name and location;
  names in a URL template against the path parameters its operations declare (both ways);
  operationIds used twice; every schema the walk visits (``allOf``, ``anyOf``, ``oneOf``, ``not``,
  ``items``, ``properties``) being an object or a boolean; a schema with ``allOf`` requiring a
  name neither it nor its members define (where the validator checks it: on the first visit of a
  schema a walk starts from);
- each top-level schema the walk meets against the OAS 3.1 dialect: jsonschema-rs, exactly as
  ``validate._meta_errors`` decides it (a schema naming its own ``$schema``: not sure; one it
  rejects in a document naming its ``jsonSchemaDialect``: not sure);
- each default it reaches against its schema: jsonschema-rs instead of python-jsonschema with
  the OAS format checker, trusted only where the two cannot differ (not sure for a string
  under a ``format`` that can reject strings or a ``pattern``, an integer outside the range of
  an ``int32``/``int64`` format or beyond 2**53, any number under ``multipleOf`` except an
  integer under an integer one, and a schema using ``$id``, anchors or dynamic references); a
  default not trusted so is a spot in trouble, where python-jsonschema decides;
- every schema of the document against the dialect: ``validate.schema_complaints``' check.
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote, unquote

import msgspec

from ..jsonpointer import exists
from ..openapi_walk import iter_root_schemas
from .default_words import Worded, default_words
from .oas_schemas import rust_backend_chosen, structure_validator
from .validate import _fast_meta_check

_CONTAINERS = (dict, list)
_OPERATIONS = frozenset(("get", "put", "post", "delete", "options", "head", "patch", "trace"))
# Keywords that change how a schema's references resolve or which dialect applies.
_CONTEXT_KEYWORDS = frozenset(
    ("$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveAnchor", "$recursiveRef",
     "$schema")
)  # fmt: skip
# The OAS format checker's formats that accept every string (the others may reject one).
_FORMATS_PASSING_STRINGS = frozenset(("int32", "int64", "float", "double", "password"))
_INTEGER_FORMAT_BOUNDS = {"int32": 1 << 31, "int64": 1 << 63}
_EXACT_INTEGERS = 1 << 53
_DOCUMENT_URI = "urn:specgen:prescreen"

Pointer = tuple[str, ...]
Route = tuple[str, ...]
"""The parts jsonschema-path names a node by: the way the walk took, through ``$ref``s."""


class Trouble(msgspec.Struct, frozen=True):
    """A spot the collecting walk met, reached by ``route``, that the validator complains about
    or may: a schema the dialect rejects (``dialect``), a default (``value``) its schema may
    reject (``default``), or a check the walk decides itself, the validator's words in
    ``message`` (``said``). A default's complaints, where jsonschema-rs's errors say them in
    python-jsonschema's words for sure, are ``worded`` (see ``default_words``)."""

    kind: str
    route: Route
    schema: Any = None
    value: Any = None
    message: str = ""
    keyword: str = ""
    worded: Worded | None = None


class _Unsure(Exception):
    """A check the pre-screen cannot decide the way the validator would."""


class Screening(msgspec.Struct, frozen=True):
    """The pre-screen's answer: ``clean`` only if the validator would report nothing; the spots
    in trouble its keyword walk met, or None where the walk was not sure or not made."""

    clean: bool
    troubles: list[Trouble] | None


def screen(document: dict[str, Any]) -> Screening:
    """The pre-screen of a document as ``quarantine_invalid`` receives it."""
    try:
        return _Prescreen(document).screen()
    except (_Unsure, RecursionError):
        return Screening(clean=False, troubles=None)
    except Exception:  # anything unforeseen (a value jsonschema-rs cannot read...): not sure
        return Screening(clean=False, troubles=None)


def surely_valid(document: dict[str, Any]) -> bool:
    """True only if openapi-spec-validator (as ``quarantine_invalid`` runs it) would report
    nothing about ``document``; False means "not sure", never "invalid"."""
    return screen(document).clean


def troubles(document: dict[str, Any]) -> list[Trouble] | None:
    """The spots in trouble of a document whose structure the validator accepts, in the order
    its keyword walk meets them; None when the walk meets anything else it might complain of."""
    prescreen = _Prescreen(document)
    try:
        prescreen.walk()
    except (_Unsure, RecursionError):
        return None
    except Exception:  # anything unforeseen: not sure
        return None
    return prescreen.troubles


def local_references_resolve(document: dict[str, Any]) -> bool:
    """``references.dangling_references(document)`` is empty: every local ``$ref`` names a node.
    Each distinct reference is looked up once, and no pointer is built for the nodes holding
    them (that is most of the cost of listing the dangling ones)."""
    references: set[str] = set()
    stack: list[Any] = [document]
    push = stack.append
    while stack:
        node = stack.pop()  # only dicts and lists are pushed
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#"):
                references.add(reference)
            node = node.values()
        # One loop and a tuple of types, not a generator and a union a node: half the time.
        for value in node:
            if isinstance(value, _CONTAINERS):
                push(value)
    return all(exists(document, unquote(reference[1:])) for reference in references)


class ValueJudge:
    """jsonschema-rs's verdict on a value against a schema of a document, given only where
    python-jsonschema's (``oas31_values.value_validator``) is surely the same, under the
    pre-screen's rules for defaults. The document is read as it stands at the first question;
    after a change to a schema's constraints, ``forget`` what was read."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._document = document
        self._prescreen: _Prescreen | None = None

    def forget(self) -> None:
        self._prescreen = None

    def is_valid(self, pointer: Pointer, value: Any, *, check_formats: bool) -> bool | None:
        """The verdict on ``value`` under the schema written at ``pointer``; None if unsure."""
        if self._prescreen is None:
            self._prescreen = _Prescreen(self._document)
        try:
            schema: Any = self._document
            for token in pointer:
                schema = schema[int(token)] if isinstance(schema, list) else schema[token]
            features = self._prescreen._schema_features(schema)
            if self._prescreen._refers_back(schema):
                return None  # python-jsonschema may recurse until it fails
            if not check_formats:
                features.formats.clear()
            _agrees_with_python_jsonschema(features, value)
            return bool(self._prescreen._value_validator(pointer, features).is_valid(value))
        except Exception:  # unsure (_Unsure), or anything unforeseen: python-jsonschema decides
            return None


class _Prescreen:
    """One document's pass through the validator's checks, stopping at the first doubt; the spots
    in trouble it can name exactly are noted in the walk's order, and the walk goes on as the
    validator's does."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.troubles: list[Trouble] = []
        self.meta_fast = _fast_meta_check()
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self.operation_ids: set[str] = set()
        self.collected: dict[int, frozenset[Any]] = {}
        self.collecting: set[int] = set()
        self.default_validators: dict[Pointer, Any] = {}
        self.registry: Any = None
        self.sparse_nodes = 0
        """The nodes of the reaches copied so far for ``_value_validator``."""
        self.sparse_registries: dict[Pointer, tuple[Any, list[Pointer]]] = {}
        """Per pointer judged from a copy of its reach: the registry and the pointers placed."""
        self.lookups: dict[str, tuple[Any, Pointer]] = {}

    def screen(self) -> Screening:
        if self.meta_fast is None or not rust_backend_chosen():
            return Screening(clean=False, troubles=None)
        validator = structure_validator()
        if validator is None:
            raise _Unsure("the OpenAPI 3.1 schema file is not installed")
        if not validator.is_valid(self.document):
            return Screening(clean=False, troubles=None)
        dialect_valid = self.walk()
        clean = not self.troubles and dialect_valid
        # Last, as the dearest: a document with something to repair is mostly caught before.
        return Screening(clean and local_references_resolve(self.document), self.troubles)

    def walk(self) -> bool:
        """The keyword walk of a document whose structure is sound, noting every spot in trouble;
        True if every schema of the document passes the dialect check (``validate.
        schema_complaints``' check, made first so the walk's checks of the same schemas are not
        made twice)."""
        if self.meta_fast is None:
            raise _Unsure("jsonschema-rs or the dialect files are missing")
        dialect_valid = True
        for _pointer, schema in iter_root_schemas(self.document):
            if not self.meta_fast.is_valid(schema):
                dialect_valid = False
            elif "$schema" not in schema:  # the validator checks the others in Python
                self.meta_checked.add(id(schema))
        self._walk_document()
        return dialect_valid

    # --- references, as jsonschema-path follows them -------------------------------------------

    def _view(self, node: Any, route: Route) -> tuple[Any, Route]:
        """The node jsonschema-path reads in place of ``node``: a mapping whose ``$ref`` is a
        string is replaced, siblings and all, by what it names, as often as that repeats. The
        route stays the parts jsonschema-path names it by."""
        return self._resolve(node, route)[0], route

    def _resolve(self, node: Any, pointer: Pointer) -> tuple[Any, Pointer]:
        """``_view``'s node and the pointer of where it is written."""
        seen: set[int] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if id(node) in seen:
                raise _Unsure("a loop of references")
            seen.add(id(node))
            node, pointer = self._lookup(node["$ref"])
        return node, pointer

    def _written_at(self, route: Route) -> Pointer:
        """Where the node jsonschema-path reaches by ``route`` is written."""
        node: Any = self.document
        pointer: Pointer = ()
        for token in route:
            node = node[int(token)] if isinstance(node, list) else node[token]
            node, pointer = self._resolve(node, (*pointer, token))
        return pointer

    def _lookup(self, reference: str) -> tuple[Any, Pointer]:
        """A reference resolved as referencing resolves it against the document (base URI ""),
        once per reference: the document does not change during the walk."""
        found = self.lookups.get(reference)
        if found is None:
            found = self.lookups[reference] = self._find(reference)
        return found

    def _find(self, reference: str) -> tuple[Any, Pointer]:
        if not reference.startswith("#"):
            raise _Unsure("a reference outside the document")
        fragment = reference[1:]
        node: Any = self.document
        if not fragment:
            return node, ()
        if not fragment.startswith("/"):
            raise _Unsure("an anchor reference")
        tokens: list[str] = []
        for segment in unquote(fragment[1:]).split("/"):
            if isinstance(node, dict):
                segment = segment.replace("~1", "/").replace("~0", "~")
                if segment not in node:
                    raise _Unsure("a reference to nothing")
                node = node[segment]
            elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
                node = node[int(segment)]
            else:
                raise _Unsure("a reference to nothing")
            if isinstance(node, dict) and "$id" in node:
                raise _Unsure("a reference into a schema resource of its own")
            tokens.append(segment)
        return node, tuple(tokens)

    def _child(self, node: Mapping[str, Any], key: str, pointer: Route) -> tuple[Any, Route]:
        return self._view(node[key], (*pointer, key))

    # --- the keyword walk ----------------------------------------------------------------------

    def _walk_document(self) -> None:
        root = self.document
        if isinstance(root.get("$ref"), str):
            raise _Unsure("a reference in place of the document")
        if "tags" in root:
            self._tags(*self._child(root, "tags", ()))
        if "paths" in root:
            paths, at = self._child(root, "paths", ())
            for url, item in _items(paths):
                self._path(url, *self._view(item, (*at, url)))
        if "components" in root:
            components, at = self._child(root, "components", ())
            if not isinstance(components, dict):
                raise _Unsure("components that are not an object")
            if "schemas" in components:
                schemas, at = self._child(components, "schemas", at)
                for name, schema in _items(schemas):
                    self._top_schema(*self._view(schema, (*at, name)))

    def _said(self, route: Route, message: str, keyword: str) -> None:
        """A complaint the validator makes in these words."""
        self.troubles.append(Trouble("said", route, message=message, keyword=keyword))

    def _tags(self, tags: Any, pointer: Route) -> None:
        seen: set[str] = set()
        for index, tag in _members(tags):
            tag, _at = self._view(tag, (*pointer, index))
            name = _text(tag, "name")
            if name in seen:
                self._said(pointer, f"Duplicate tag name '{name}'", "")
            seen.add(name)

    def _path(self, url: str, item: Any, pointer: Route) -> None:
        if not isinstance(item, dict):
            raise _Unsure("a path item that is not an object")
        shared = None
        if "parameters" in item:
            shared = self._child(item, "parameters", pointer)
            self._parameters(*shared)
        for name, operation in item.items():
            if not isinstance(name, str):
                raise _Unsure("a path item key that is not a string")
            if name in _OPERATIONS:
                self._operation(url, name, *self._view(operation, (*pointer, name)), shared)

    def _parameters(self, parameters: Any, pointer: Route) -> None:
        seen: set[tuple[str, str]] = set()
        for index, parameter in _members(parameters):
            parameter, at = self._view(parameter, (*pointer, index))
            if not isinstance(parameter, dict):
                raise _Unsure("a parameter that is not an object")
            if "schema" in parameter:
                self._top_schema(*self._child(parameter, "schema", at))
            key = (_text(parameter, "name"), _text(parameter, "in"))
            if key in seen:
                message = f"Duplicate parameter '{key[0]}'"
                self._said(pointer, message, "parameters")
            seen.add(key)

    def _path_parameter_names(self, parameters: Any, pointer: Route) -> set[str]:
        names = set()
        for index, parameter in _members(parameters):
            parameter, _at = self._view(parameter, (*pointer, index))
            if _text(parameter, "in") == "path":
                names.add(_text(parameter, "name"))
        return names

    def _operation(
        self,
        url: str,
        method: str,
        operation: Any,
        pointer: Route,
        shared: tuple[Any, Route] | None,
    ) -> None:
        if not isinstance(operation, dict):
            raise _Unsure("an operation that is not an object")
        if "operationId" in operation:
            operation_id, _at = self._child(operation, "operationId", pointer)
            if operation_id is not None:
                if not isinstance(operation_id, str):
                    raise _Unsure("an operationId that is not a string")
                if operation_id in self.operation_ids:
                    message = (
                        f"Operation ID '{operation_id}' for '{method}' in '{url}' is not unique"
                    )
                    self._said(pointer, message, "operationId")
                self.operation_ids.add(operation_id)
        if "responses" in operation:
            responses, at = self._child(operation, "responses", pointer)
            for code, response in _items(responses):
                self._response(*self._view(response, (*at, code)))
        declared: set[str] = set()
        if "parameters" in operation:
            own = self._child(operation, "parameters", pointer)
            self._parameters(*own)
            declared |= self._path_parameter_names(*own)
        if shared is not None:
            declared |= self._path_parameter_names(*shared)
        in_template = _template_names(url)
        unresolved = [name for name in sorted(in_template) if name not in declared]
        unresolved += [name for name in sorted(declared) if name not in in_template]
        for name in unresolved:
            message = (
                f"Path parameter '{name}' for '{method}' operation in '{url}' was not resolved"
            )
            self._said(pointer, message, "parameters")

    def _response(self, response: Any, pointer: Route) -> None:
        if not isinstance(response, dict) or "content" not in response:
            return  # the validator looks no further either
        content, at = self._child(response, "content", pointer)
        for media_type, entry in _items(content):
            entry, entry_at = self._view(entry, (*at, media_type))
            if isinstance(entry, dict) and "schema" in entry:
                self._top_schema(*self._child(entry, "schema", entry_at))

    # --- schemas -------------------------------------------------------------------------------

    def _top_schema(self, schema: Any, pointer: Route) -> None:
        """A schema the walk starts from: its dialect check, then the walk below it."""
        if isinstance(schema, Mapping) and id(schema) not in self.meta_checked:
            self.meta_checked.add(id(schema))
            if "$schema" in schema:
                raise _Unsure("a schema naming its own dialect")
            if not self.meta_fast.is_valid(schema):
                if "jsonSchemaDialect" in self.document:
                    raise _Unsure("a dialect of the document's own choosing")
                self.troubles.append(Trouble("dialect", pointer, schema))
        self._schema(schema, pointer, top=True)

    def _schema(self, schema: Any, pointer: Route, top: bool = False) -> None:
        """The walk below a schema; ``top`` where the validator checks its required names."""
        if not isinstance(schema, (Mapping, bool)):
            raise _Unsure("a schema that is neither an object nor a boolean")
        if id(schema) in self.visited:
            return
        self.visited.add(id(schema))
        if isinstance(schema, bool):
            return
        nested: set[Any] = set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                members, at = self._child(schema, keyword, pointer)
                for index, member in _members(members):
                    member, member_at = self._view(member, (*at, index))
                    self._schema(member, member_at)
                    if keyword == "allOf":
                        nested |= self._collect_properties(member)
        for keyword in ("not", "items"):
            if keyword in schema:
                self._schema(*self._child(schema, keyword, pointer))
        if "properties" in schema:
            properties, at = self._child(schema, "properties", pointer)
            for name, member in _items(properties):
                if name.isdigit():
                    # The validator's walk words each complaint below such a name twice (once
                    # in jsonschema-rs's words, as a schema of its own): not this walk's words.
                    raise _Unsure("a property named by digits")
                self._schema(*self._view(member, (*at, name)))
        if "allOf" in schema:
            self._required_defined(schema, pointer, nested, top)
        if "default" in schema:
            self._default(schema, pointer)

    def _required_defined(
        self, schema: Mapping[str, Any], pointer: Route, nested: set[Any], top: bool
    ) -> None:
        required = self._child(schema, "required", pointer)[0] if "required" in schema else []
        if not required:
            return
        if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
            raise _Unsure("a required list that is not a list of names")
        properties = self._child(schema, "properties", pointer)[0] if "properties" in schema else {}
        if not isinstance(properties, dict):
            raise _Unsure("properties that are not an object")
        # The validator's own expression: its message lists the names in this set's order.
        extra = list(set(required) - set(properties) - set(nested))
        if extra and top:
            message = f"Required list has not defined properties: {extra}"
            self._said(pointer, message, "required")

    def _collect_properties(self, schema: Any) -> frozenset[Any]:
        """The property names the validator collects below an ``allOf`` member."""
        if not isinstance(schema, dict):
            return frozenset()
        key = id(schema)
        if key in self.collected:
            return self.collected[key]
        if key in self.collecting:
            raise _Unsure("a loop the validator would recurse in forever")
        self.collecting.add(key)
        names: set[Any] = set()
        if "properties" in schema:
            properties, _at = self._child(schema, "properties", ())
            if not isinstance(properties, dict):
                raise _Unsure("properties that are not an object")
            names.update(properties)
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                for _index, member in _members(self._child(schema, keyword, ())[0]):
                    names |= self._collect_properties(self._view(member, ())[0])
        for keyword in ("items", "not"):
            if keyword in schema:
                names |= self._collect_properties(self._child(schema, keyword, ())[0])
        self.collecting.discard(key)
        self.collected[key] = frozenset(names)
        return self.collected[key]

    # --- defaults ------------------------------------------------------------------------------

    def _default(self, schema: Mapping[str, Any], pointer: Route) -> None:
        raw = schema["default"]
        if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
            raise _Unsure("a default that jsonschema-path would read through a reference")
        nullable = self._child(schema, "nullable", pointer)[0] if "nullable" in schema else False
        if raw is None and nullable is True:
            return  # the validator skips it
        features = self._schema_features(schema)
        try:
            _agrees_with_python_jsonschema(features, raw)
        except _Unsure:
            # jsonschema-rs's verdict may not be python-jsonschema's: the validator's own check.
            self.troubles.append(Trouble("default", pointer, schema, raw))
            return
        written = self._written_at(pointer)
        validator = self._value_validator(written, features)
        if validator.is_valid(raw):
            return  # python-jsonschema surely accepts it too
        worded = None
        if not self._refers_back(schema):  # else python-jsonschema may recurse until it fails
            worded = default_words(
                validator.iter_errors(raw),
                schema,
                raw,
                resolve=lambda reference: self._lookup(reference)[0],
                valid_at=lambda at, instance: self._validator_near(
                    tuple(map(str, at)), written
                ).is_valid(instance),
            )
        self.troubles.append(Trouble("default", pointer, schema, raw, worded=worded))

    def _value_validator(self, pointer: Pointer, features: _Features) -> Any:
        """``_validator_at(pointer)`` for the schema written at ``pointer`` whose reach is
        ``features``: its references resolved in a copy of the document that holds only that
        reach, while those copies stay small next to the document.

        jsonschema-rs converts the whole document into a registry (14 ms for 3 MB, again after
        each repair that changes a schema), where a default's schema and what it refers to are
        mostly a few nodes. The verdict and the errors are the same: the validator enters the
        same nodes by the same pointers, and nothing outside a reach can change its meaning
        (``_schema_features`` refuses $id, anchors and dialects in it, ``_find`` on the way to
        a target, ``_sparse_document`` on the way to any of them)."""
        import jsonschema_rs

        found = self.default_validators.get(pointer)
        if found is not None:
            return found
        self.sparse_nodes += features.size
        placed = [pointer, *features.targets]
        sparse = None
        if self.registry is None and self.sparse_nodes <= _SPARSE_NODE_BUDGET:
            sparse = _sparse_document(self.document, placed)
        if sparse is None:
            return self._validator_at(pointer)
        registry = jsonschema_rs.Registry([(_DOCUMENT_URI, sparse)])
        validator = jsonschema_rs.validator_for(_reference_to(pointer), registry=registry)
        self.default_validators[pointer] = validator
        self.sparse_registries[pointer] = (registry, placed)
        return validator

    def _validator_near(self, at: Pointer, near: Pointer) -> Any:
        """``_validator_at(at)`` for a schema met while judging the value at ``near``: from the
        registry of ``near``'s reach when ``at`` is inside it (its reach is then inside too)."""
        import jsonschema_rs

        found = self.sparse_registries.get(near)
        if found is None or not any(at[: len(inside)] == inside for inside in found[1]):
            return self._validator_at(at)
        return jsonschema_rs.validator_for(_reference_to(at), registry=found[0])

    def _validator_at(self, pointer: Pointer) -> Any:
        """jsonschema-rs for the schema written at ``pointer``, its references resolved in the
        document."""
        import jsonschema_rs

        if pointer not in self.default_validators:
            if self.registry is None:
                self.registry = jsonschema_rs.Registry([(_DOCUMENT_URI, self.document)])
            self.default_validators[pointer] = jsonschema_rs.validator_for(
                _reference_to(pointer), registry=self.registry
            )
        return self.default_validators[pointer]

    def _refers_back(self, schema: Any) -> bool:
        """Some reference in the schema's reach leads back to a schema it is reached from."""
        active: set[int] = {id(schema)}
        done: set[int] = set()
        work: list[tuple[Any, Iterator[str]]] = [(schema, _references_in(schema))]
        while work:
            node, pending = work[-1]
            reference = next(pending, None)
            if reference is None:
                work.pop()
                active.discard(id(node))
                done.add(id(node))
                continue
            target = self._lookup(reference)[0]
            if id(target) in active:
                return True
            if id(target) not in done:
                active.add(id(target))
                work.append((target, _references_in(target)))
        return False

    def _schema_features(self, schema: Any) -> _Features:
        """What a schema and everything it refers to use that jsonschema-rs may judge otherwise."""
        features = _Features()
        stack = [schema]
        seen: set[int] = set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, list):
                stack.extend(node)
                continue
            if not isinstance(node, dict):
                continue
            if _CONTEXT_KEYWORDS.intersection(node):
                raise _Unsure("a schema whose references depend on $id, anchors or dialects")
            features.note(node)
            if isinstance(node.get("$ref"), str):
                target, at = self._lookup(node["$ref"])
                features.targets.append(at)
                stack.append(target)
            stack.extend(node.values())
        features.size = len(seen)
        return features


class _Features:
    """The keywords, in a schema's reach, under which the two validators may disagree."""

    def __init__(self) -> None:
        self.formats: set[str] = set()
        self.pattern = False
        self.multiples: list[Any] = []
        self.targets: list[Pointer] = []
        """Where the references in the reach lead (``_lookup``'s pointers)."""
        self.size = 0
        """The nodes in the reach."""

    def note(self, node: dict[str, Any]) -> None:
        if isinstance(node.get("format"), str):
            self.formats.add(node["format"])
        if isinstance(node.get("pattern"), str) or "patternProperties" in node:
            self.pattern = True
        if "multipleOf" in node:
            self.multiples.append(node["multipleOf"])


def _agrees_with_python_jsonschema(features: _Features, value: Any) -> None:
    """Raise _Unsure unless jsonschema-rs's verdict on ``value`` is python-jsonschema's."""
    strings = integers = floats = False
    for leaf in _leaves(value):
        if isinstance(leaf, str):
            strings = True
        elif isinstance(leaf, bool) or leaf is None:
            continue
        elif isinstance(leaf, int):
            integers = True
            if abs(leaf) >= _EXACT_INTEGERS:
                raise _Unsure("an integer beyond exact floating point")
            for name, bound in _INTEGER_FORMAT_BOUNDS.items():
                if name in features.formats and not -bound < leaf < bound:
                    raise _Unsure(f"an integer outside {name}")
        elif isinstance(leaf, float):
            floats = True
            if not math.isfinite(leaf):
                raise _Unsure("a number JSON cannot hold")
        else:
            raise _Unsure("a value that is not JSON")
    if strings and (features.pattern or features.formats - _FORMATS_PASSING_STRINGS):
        raise _Unsure("a string under a format or pattern python-jsonschema checks its own way")
    if features.multiples and (
        floats or (integers and not all(_is_integer(m) for m in features.multiples))
    ):
        raise _Unsure("a number under multipleOf, which the two compute differently")


def _references_in(node: Any) -> Iterator[str]:
    """Every ``$ref`` string written anywhere inside ``node``."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            reference = current.get("$ref")
            if isinstance(reference, str):
                yield reference
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _leaves(value: Any) -> Iterator[Any]:
    """Every scalar of a value, each mapping key counted as a string."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if not isinstance(key, str):
                    raise _Unsure("a mapping key that is not a string")
                yield key
                stack.append(item)
        elif isinstance(node, list):
            stack.extend(node)
        else:
            yield node


def _items(node: Any) -> Iterator[tuple[str, Any]]:
    """A mapping's entries, as the validator iterates them (string keys only)."""
    if not isinstance(node, dict):
        raise _Unsure("a mapping expected")
    for key, value in node.items():
        if not isinstance(key, str):
            raise _Unsure("a key that is not a string")
        if not key:
            # jsonschema-path joins parts with "/" and drops an empty one: the validator reads
            # the mapping itself where the member named "" is, and complains of other things.
            raise _Unsure("an empty key")
        yield key, value


def _members(node: Any) -> Iterator[tuple[str, Any]]:
    if not isinstance(node, list):
        raise _Unsure("a list expected")
    for index, item in enumerate(node):
        yield str(index), item


def _text(node: Any, key: str) -> str:
    value = node.get(key) if isinstance(node, dict) else None
    if not isinstance(value, str):
        raise _Unsure(f"{key} that is not a string")
    return value


def _template_names(url: str) -> set[str]:
    """The names the validator reads from a URL template (with str.format's parser)."""
    try:
        return {field for _literal, field, _spec, _conv in string.Formatter().parse(url) if field}
    except ValueError:
        raise _Unsure("a URL template str.format cannot read") from None


_SPARSE_NODE_BUDGET = 100_000
"""Past this many nodes copied for reaches, one registry of the whole document is cheaper."""


def _reference_to(pointer: Pointer) -> dict[str, str]:
    """The schema that refers to the node at ``pointer`` of the registered document."""
    escaped = "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in pointer)
    return {"$ref": f"{_DOCUMENT_URI}#{quote(escaped, safe='/~')}"}


def _sparse_document(document: dict[str, Any], pointers: list[Pointer]) -> Any:
    """A copy of ``document`` holding only the nodes at ``pointers`` (the nodes themselves, not
    copies) and the containers on the way to them, a list padded with None up to the index
    needed; None when a container on the way holds a keyword that could change what a
    reference below it means ($id, $schema, anchors), as a whole-document registry would read.
    """
    placed: set[Pointer] = set()
    sparse: Any = {}
    for pointer in sorted(set(pointers), key=len):  # a placed node holds every pointer below it
        if any(pointer[:depth] in placed for depth in range(len(pointer) + 1)):
            continue
        if not pointer:
            return document
        placed.add(pointer)
        node: Any = document
        copy = sparse
        for depth, token in enumerate(pointer):
            if isinstance(node, dict):
                if _CONTEXT_KEYWORDS.intersection(node):
                    return None
                child = node[token]
            else:
                child = node[int(token)]
            last = depth == len(pointer) - 1
            made = child if last else ({} if isinstance(child, dict) else [])
            if isinstance(copy, dict):
                made = copy.setdefault(token, made)
            else:
                index = int(token)
                copy.extend([None] * (index + 1 - len(copy)))
                if copy[index] is None:
                    copy[index] = made
                made = copy[index]
            node, copy = child, made
    return sparse
