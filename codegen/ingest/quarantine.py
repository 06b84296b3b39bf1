"""Quarantine: what the validator rejects moves, verbatim, out of the way of a valid document.

Ingest must write a valid document without correcting the vendor. Each complaint of the one
validator run names a node; that node (the failing keyword of a schema, a default the schema
rejects, an undefined name in ``required``, a duplicate parameter) is moved into the root
``x-specgen-quarantine`` list with the validator's reason, and normalize decides whether a rule can
repair it. A schema that is wrong as a whole becomes ``{}`` (nothing is claimed about it) rather
than disappearing with its property. A member the specification requires and the vendor left out
gets an empty placeholder, recorded the same way. Nothing is dropped, nothing is guessed.

Removing a node can, rarely, leave its parent incomplete (an operation's only response); the
document-level structure check (the cheap part of the validator, no schema checks) is run again
after each round to catch that, a bounded number of times.
"""

from __future__ import annotations

import copy
import re
import string
from functools import cache
from typing import Any

from ..errors import SpecgenError
from ..jsonpointer import exists, get, join, parent, prefixes, put, resolve, split
from .document import QUARANTINE_EXTENSION
from .oas_schemas import document_schema
from .prescreen import Screening, local_references_resolve, screen
from .validate import (
    Complaint,
    follow_refs,
    keyword_complaints,
    real_pointer,
    schema_complaints,
    structure_complaints,
)
from .walk_complaints import complaints_at, keyword_complaints_without_validator

_MAX_STRUCTURE_ROUNDS = 8
_SCHEMA_CONTAINERS = frozenset(("properties", "patternProperties", "$defs", "definitions"))
_SCHEMA_SINGLES = frozenset(
    ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
     "unevaluatedItems", "unevaluatedProperties", "schema")
)  # fmt: skip
_SCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf", "prefixItems"))
# Members the specification requires where an empty string claims nothing the vendor did not say.
_PLACEHOLDERS = {"title": "", "version": "", "description": "", "url": ""}
_MISSING_MEMBER = re.compile(r"^['\"]([^'\"]+)['\"] is a required property$")
_UNDEFINED_REQUIRED = re.compile(r"Required list has not defined properties: \[(.*)\]")
_DUPLICATE_PARAMETER = re.compile(r"^Duplicate parameter '(.*)'$")
_UNRESOLVED_PATH_PARAMETER = re.compile(r"^Path parameter '(.*)' for '.*' operation in '.*'")
# A mapping holding keys it may not: the keys are named in the message, and only they move.
_UNEXPECTED_KEYS = re.compile(r"\((.*) (?:was|were) unexpected\)")
_KEY_PATTERN = re.compile(r"""^["'](.*)["'] does not match ["'].*["']$""")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def _is_schema_position(pointer: str) -> bool:
    tokens = split(pointer)
    if len(tokens) == 3 and tokens[:2] == ["components", "schemas"]:
        return True
    if len(tokens) >= 2 and (tokens[-2] in _SCHEMA_CONTAINERS or tokens[-2] in _SCHEMA_LISTS):
        return True
    return bool(tokens) and tokens[-1] in _SCHEMA_SINGLES


class _Quarantine:
    """The entries of one document's quarantine, and the edits that make room for them."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.entries: dict[str, dict[str, Any]] = {}
        self.below: dict[str, set[str]] = {}
        """Pointer -> the entries under it, so folding a node's entries costs what it holds."""
        self.blanked = False
        """A list slot of the document was blanked since it was last compacted."""

    def compact(self) -> None:
        """Drop the blanked list slots (a walk of the whole document: only if there are any)."""
        if self.blanked:
            _compact(self.document)
            self.blanked = False

    def _note(self, pointer: str, reason: str, **extra: Any) -> None:
        entry = self.entries.get(pointer)
        if entry is not None:
            if reason not in entry["reason"]:
                entry["reason"] += "; " + reason
            return
        entry = {"pointer": pointer, **extra, "reason": reason}
        self.entries[pointer] = entry
        for ancestor in _ancestors(pointer):
            self.below.setdefault(ancestor, set()).add(pointer)

    def _covered(self, pointer: str) -> bool:
        """Already moved out with an ancestor, or already moved itself."""
        probe = pointer
        while probe:
            if probe in self.entries and "placeholder" not in self.entries[probe]:
                return True
            probe = parent(probe)
        return False

    def take(self, pointer: str, reason: str) -> None:
        """Move the node at ``pointer`` into quarantine: a whole schema becomes ``{}``."""
        if not pointer:
            raise SpecgenError(f"not a valid OpenAPI document: {reason}", pointer="/")
        if self._covered(pointer) or not exists(self.document, pointer):
            return
        value = self._as_written(pointer, copy.deepcopy(resolve(self.document, pointer)))
        container = resolve(self.document, parent(pointer))
        token = split(pointer)[-1]
        if _is_schema_position(pointer) and isinstance(value, dict):
            self._note(pointer, reason, value=value, emptied=True)
            container[int(token) if isinstance(container, list) else token] = {}
            return
        self._note(pointer, reason, value=value)
        if isinstance(container, list):
            # Keep list indices stable for the other entries: blank now, compact at the end.
            container[int(token)] = _REMOVED
            self.blanked = True
        else:
            del container[token]

    def _as_written(self, pointer: str, value: Any) -> Any:
        """The node as the vendor wrote it: what was moved out of it goes back into the copy,
        and its entries are folded into the one for the whole node."""
        inner = sorted(self.below.pop(pointer, set()), key=len, reverse=True)
        for inner_pointer in inner:
            entry = self.entries.pop(inner_pointer)
            for ancestor in _ancestors(inner_pointer):
                self.below.get(ancestor, set()).discard(inner_pointer)
            relative = inner_pointer[len(pointer) :]
            try:
                if "placeholder" in entry:
                    holder = resolve(value, parent(relative))
                    token = split(relative)[-1]
                    if isinstance(holder, dict):
                        holder.pop(token, None)
                    elif isinstance(holder, list):
                        holder[int(token)] = _REMOVED
                    continue
                put(value, relative, entry.get("value"))
            except (KeyError, ValueError, IndexError, TypeError):
                continue
        _compact(value)
        return value

    def fill(self, pointer: str, member: str, reason: str) -> bool:
        """Give a required member the vendor left out an empty placeholder; False if unknown."""
        if member not in _PLACEHOLDERS:
            return False
        target = join(pointer, member)
        node = resolve(self.document, pointer)
        if not isinstance(node, dict) or member in node:
            return False
        node[member] = _PLACEHOLDERS[member]
        self._note(target, reason, placeholder=_PLACEHOLDERS[member])
        return True

    def settle(self, complaint: Complaint) -> None:
        pointer, message = complaint.pointer, complaint.message
        if complaint.keyword == "default":
            base = _cut_at(pointer, "default")
            self.take(base, f"default: {message}")
            return
        undefined = _UNDEFINED_REQUIRED.search(message)
        if undefined:
            self._take_required_names(pointer, undefined.group(1), message)
            return
        duplicate = _DUPLICATE_PARAMETER.match(message)
        if duplicate:
            self._take_duplicate_parameters(pointer, message)
            return
        unresolved = _UNRESOLVED_PATH_PARAMETER.match(message)
        if unresolved:
            self._settle_path_parameter(pointer, unresolved.group(1), message)
            return
        keys = _offending_keys(message)
        if keys and isinstance(self._node(pointer), dict) and not _specified_fields() & set(keys):
            for key in keys:
                self.take(join(pointer, key), message)
            return
        if complaint.keyword == "operationId":
            self.take(join(pointer, "operationId"), message)
            return
        missing = _MISSING_MEMBER.match(message)
        if (
            missing
            and exists(self.document, pointer)
            and self.fill(pointer, missing.group(1), message)
        ):
            return
        self.take(pointer, message)

    def _node(self, pointer: str) -> Any:
        return get(self.document, pointer)

    def _take_required_names(self, pointer: str, names: str, message: str) -> None:
        pointer = follow_refs(self.document, pointer)  # the complaint is about the schema meant
        node = self._node(pointer)
        required = node.get("required") if isinstance(node, dict) else None
        if not isinstance(required, list):
            return
        wanted = {name.strip().strip("'\"") for name in names.split(",")}
        for index, name in enumerate(required):
            if name in wanted:
                self.take(join(pointer, "required", index), message)

    def _take_duplicate_parameters(self, pointer: str, message: str) -> None:
        parameters = get(self.document, pointer)
        if not isinstance(parameters, list):
            return
        seen: set[tuple[Any, Any]] = set()
        for index, parameter in enumerate(parameters):
            if not isinstance(parameter, dict):
                continue
            key = (parameter.get("name"), parameter.get("in"))
            if key in seen:
                self.take(join(pointer, index), message)
            seen.add(key)

    def _settle_path_parameter(self, pointer: str, name: str, message: str) -> None:
        """The URL names a parameter nobody declares (declare it, a string), or a declared path
        parameter is not in the URL (quarantine the declaration)."""
        tokens = split(pointer)
        path = tokens[1] if len(tokens) >= 3 and tokens[0] == "paths" else ""
        operation = get(self.document, pointer)
        if not isinstance(operation, dict):
            return
        if "{" + name + "}" in path:
            parameters = operation.setdefault("parameters", [])
            if isinstance(parameters, list):
                index = len(parameters)
                parameters.append(
                    {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                )
                self._note(join(pointer, "parameters", index), message, placeholder="declared")
            return
        for key in (join(pointer, "parameters"), join(parent(pointer), "parameters")):
            listed = get(self.document, key)
            for index, parameter in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(parameter, dict):
                    target = parameter
                    if "$ref" in parameter:
                        target_pointer = real_pointer(self.document, [*split(key), index, "name"])
                        target_node = (
                            resolve(self.document, parent(target_pointer))
                            if exists(self.document, target_pointer)
                            else {}
                        )
                        target = target_node if isinstance(target_node, dict) else {}
                    if target.get("in") == "path" and target.get("name") == name:
                        self.take(join(key, index), message)

    def result(self) -> dict[str, Any]:
        self.compact()
        if self.entries:
            entries = []
            for pointer in sorted(self.entries):
                entry = dict(self.entries[pointer])
                entry.setdefault("value", None)  # a placeholder's member was absent
                entries.append(entry)
            self.document[QUARANTINE_EXTENSION] = entries
        return self.document


class _Removed:
    """A list slot whose item moved to quarantine; dropped once every entry is settled."""


_REMOVED = _Removed()


def _compact(node: Any) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            if any(item is _REMOVED for item in current):
                current[:] = [item for item in current if item is not _REMOVED]
            stack.extend(current)


@cache
def _specified_fields() -> frozenset[str]:
    """Every fixed field name of OpenAPI 3.1's objects. When the validator calls one of these
    unexpected (``type: bearer`` makes a scheme's ``type`` match no branch), the object as a whole
    is wrong, not the key."""
    schema: Any = document_schema()
    if schema is None:  # pragma: no cover - the file ships with openapi-spec-validator
        from openapi_spec_validator.schemas import schema_v31 as schema

    names: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(properties)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(names)


def _ancestors(pointer: str) -> list[str]:
    """Every proper prefix of a pointer that is itself a pointer, the root excluded."""
    return list(prefixes(pointer))[1:]


def _offending_keys(message: str) -> list[str]:
    """The keys a complaint about a mapping's keys names ("'x', 'y' were unexpected")."""
    unexpected = _UNEXPECTED_KEYS.search(message)
    if unexpected:
        return [a or b for a, b in _QUOTED.findall(unexpected.group(1))]
    pattern = _KEY_PATTERN.match(message)
    return [pattern.group(1)] if pattern else []


def _cut_at(pointer: str, token: str) -> str:
    """The pointer up to and including the last ``token`` (a default's own place)."""
    tokens = split(pointer)
    for index in range(len(tokens) - 1, -1, -1):
        if tokens[index] == token:
            return join("", *tokens[: index + 1])
    return pointer


def quarantine_invalid(document: dict[str, Any], *, file: str) -> dict[str, Any]:
    """Make ``document`` (in place, and return it) pass validation, with rejected nodes kept
    under x-specgen-quarantine.

    The validator runs once, in its two halves: the document's structure first (its schema
    checks assume a sound structure), then the schemas, defaults and operations. Every schema is
    also checked against the 3.1 dialect, where the validator does not look. Where the
    pre-screen's walk names every spot in trouble, the second half's complaints come from it
    (``walk_complaints``), and openapi-spec-validator is not imported at all.
    """
    screening = screen(document)
    if screening.clean:
        return document  # what the validator's run would return: the document untouched
    quarantine = _Quarantine(document)
    try:
        _settle_structure(quarantine, structure_complaints(document))
        _settle_dangling(quarantine)
        _settle_unreadable_templates(quarantine)
        found = _keyword_complaints(document, screening, unchanged=not quarantine.entries)
        found += schema_complaints(document, known=(c.pointer for c in found))
        for complaint in sorted(found, key=lambda c: (-len(c.pointer), c.pointer)):
            quarantine.settle(complaint)
        quarantine.compact()
        _settle_structure(quarantine, structure_complaints(document))
    except SpecgenError as error:
        raise SpecgenError(error.message, file=file, pointer=error.pointer) from None
    return quarantine.result()


def _keyword_complaints(
    document: dict[str, Any], screening: Screening, *, unchanged: bool
) -> list[Complaint]:
    """The validator's keyword walk's complaints: from the pre-screen's walk where it named every
    spot in trouble (its own, if nothing was moved since, or a new one), else from the walk."""
    found = (
        complaints_at(document, screening.troubles)
        if unchanged and screening.troubles is not None
        else keyword_complaints_without_validator(document)
    )
    return keyword_complaints(document) if found is None else found


def _settle_unreadable_templates(quarantine: _Quarantine) -> None:
    """A path whose template the validator cannot even read (``/items/{id``: a brace never
    closed) would stop its walk with a ValueError: the path item moves to quarantine."""
    paths = quarantine.document.get("paths")
    if not isinstance(paths, dict):
        return
    for path in list(paths):
        try:
            list(string.Formatter().parse(str(path)))
        except ValueError as error:
            quarantine.take(join("/paths", str(path)), f"path template unreadable: {error}")
    quarantine.compact()


def _settle_dangling(quarantine: _Quarantine) -> None:
    """A local ``$ref`` whose target moved into quarantine would stop the validator: the
    reference moves out too (a schema holding it becomes ``{}``), then the structure is settled
    again."""
    from .references import dangling_references

    if local_references_resolve(quarantine.document):
        return  # nothing dangles (found without building a pointer for every reference)
    dangling = dangling_references(quarantine.document)
    if not dangling:
        return
    for pointer, reference in dangling:
        quarantine.take(join(pointer, "$ref"), f"refers to {reference}, which was quarantined")
    quarantine.compact()
    _settle_structure(quarantine, structure_complaints(quarantine.document))


def _settle_structure(quarantine: _Quarantine, found: list[Complaint]) -> None:
    """Settle structural complaints, and those their settling causes (an operation whose only
    response moved out), a bounded number of rounds."""
    for _ in range(_MAX_STRUCTURE_ROUNDS):
        if not found:
            return
        for complaint in sorted(found, key=lambda c: (-len(c.pointer), c.pointer)):
            quarantine.settle(complaint)
        quarantine.compact()
        found = structure_complaints(quarantine.document)
    raise SpecgenError("cannot make the document valid OpenAPI 3.1", pointer="/")
