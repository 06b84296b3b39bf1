"""One run of openapi-spec-validator per document, each complaint located by a JSON pointer.

The validator's own errors carry a path only for the document-level meta-schema check; the
schema, default and operation checks report paths relative to the node they looked at (often
empty). Here every keyword validator is wrapped so that an error leaves it tagged with the place
the validator was visiting, followed back through ``$ref``s to the node that actually holds it.
Complaints are evidence for quarantine and repair, never a reason to refuse a document.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any

import msgspec

from ..jsonpointer import join, unescape
from .oas_schemas import (
    OAS31_DIALECT_ID,
    dialect_resources,
    rust_backend_chosen,
    structure_validator,
)

_LOCATION = "_specgen_location"
_KEYWORD = "_specgen_keyword"
_MESSAGE_LIMIT = 200


class Complaint(msgspec.Struct, frozen=True):
    """What the validator said, and where: ``pointer`` names a node that exists in the document."""

    pointer: str
    message: str
    keyword: str
    """The failing JSON Schema keyword (``type``, ``required``, ``minItems``…), ``default`` for a
    default value the schema rejects, or the validator's own check (``operationId``…)."""


def _local_target(reference: Any) -> list[str] | None:
    if not isinstance(reference, str) or not reference.startswith("#"):
        return None
    body = reference[1:]
    if not body:
        return []
    if not body.startswith("/"):
        return None
    from urllib.parse import unquote

    return [unescape(unquote(token)) for token in body[1:].split("/")]


def _child(node: Any, token: Any) -> tuple[bool, Any]:
    if isinstance(node, Mapping) and token in node:
        return True, node[token]
    if isinstance(node, Mapping) and isinstance(token, int) and str(token) in node:
        return True, node[str(token)]
    if isinstance(node, list):
        try:
            return True, node[int(token)]
        except (ValueError, IndexError):
            return False, None
    return False, None


def real_pointer(document: Any, parts: tuple[Any, ...] | list[Any]) -> str:
    """The pointer of the node a traversal reached by ``parts``, ``$ref`` hops followed.

    jsonschema-path walks through references transparently, so its parts may name a place that
    exists only through a ``$ref``; findings must name the node as it is written.
    """
    pointer_tokens: list[str] = []
    node = document
    for token in parts:
        found, child = _child(node, token)
        hops = 0
        while not found and isinstance(node, Mapping) and hops < 32:
            target = _local_target(node.get("$ref"))
            if target is None:
                break
            resolved: Any = document
            for step in target:
                ok, resolved = _child(resolved, step)
                if not ok:
                    break
            else:
                node, pointer_tokens, hops = resolved, list(target), hops + 1
                found, child = _child(node, token)
                continue
            break
        if not found:
            break
        pointer_tokens.append(str(token))
        node = child
    return join("", *pointer_tokens)


def follow_refs(document: Any, pointer: str) -> str:
    """The pointer of the node a ``$ref`` chain starting at ``pointer`` ends on."""
    from ..jsonpointer import resolve

    for _ in range(32):
        try:
            node = resolve(document, pointer)
        except KeyError:
            return pointer
        target = _local_target(node.get("$ref")) if isinstance(node, Mapping) else None
        if target is None:
            return pointer
        pointer = join("", *target)
    return pointer


def _tag(error: Any, parts: tuple[Any, ...], extra: tuple[Any, ...] = ()) -> Any:
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    if not isinstance(error, OpenAPIValidationError):
        # The validator re-wraps other error types on the way out, which would lose the tag.
        error = OpenAPIValidationError.create_from(error)
    if getattr(error, _LOCATION, None) is None:
        inner = tuple(getattr(error, "absolute_path", ()) or ())
        setattr(error, _LOCATION, (*parts, *extra, *inner))
        if extra:
            setattr(error, _KEYWORD, extra[0])
    return error


def _first_path_argument(args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    for argument in args:
        parts = getattr(argument, "parts", None)
        if isinstance(parts, tuple):
            return parts
    return None


def _located(cls: type[Any], extra: tuple[Any, ...] = ()) -> type[Any]:
    """A subclass of a keyword validator whose errors remember the node it was visiting."""

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        parts = _first_path_argument(args) or ()
        for error in cls.__call__(self, *args, **kwargs):
            yield _tag(error, parts, extra)

    return type(f"Located{cls.__name__}", (cls,), {"__call__": __call__})


@cache
def _fast_meta_check() -> Any:
    """jsonschema-rs compiled against the OpenAPI 3.1 schema dialect, or None without it.

    The validator checks every top-level schema against the dialect's meta-schema with the
    pure-Python jsonschema, which is most of its cost on a large document. jsonschema-rs gives the
    same verdict for a valid schema in a fraction of the time; a schema it rejects (or, with formats
    checked, merely doubts) goes to the original check, so messages and verdicts stay the
    validator's own.
    """
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a dependency
        return None
    resources = dialect_resources()  # the files, so openapi-schema-validator is not imported
    if resources is None:  # pragma: no cover - a dependency's files
        return None
    registry = jsonschema_rs.Registry(list(resources))
    return jsonschema_rs.validator_for(
        dict(resources)[OAS31_DIALECT_ID], registry=registry, validate_formats=True
    )


def _meta_errors(validator: Any, cls: type[Any], schema: Any, value: Any) -> list[Any]:
    """Every meta-schema error of one schema tree: the validator's own first one, then the rest.

    The validator stops at a schema's first meta-schema error; the quarantine needs all of them
    from its one run. The verdict stays the validator's: where it finds the schema valid, nothing
    is reported, whatever jsonschema-rs says.
    """
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    fast = _fast_meta_check()
    plain = isinstance(value, Mapping) and "$schema" not in value
    if fast is not None and plain and fast.is_valid(value):
        return []
    first = cls._validate_schema_meta(validator, schema, value)
    if first is None:
        return []
    found = [first]
    if fast is not None and plain:
        first_path = tuple(getattr(first, "absolute_path", ()) or ())
        for path, message in further_meta_errors(value, first_path):
            found.append(OpenAPIValidationError(message, path=list(path)))
    return found


def further_meta_errors(
    value: Any, first_path: tuple[Any, ...]
) -> list[tuple[tuple[Any, ...], str]]:
    """(path, message) of a schema's dialect errors other than the validator's first one (at
    ``first_path``): one per place, from jsonschema-rs."""
    seen = {first_path}
    found = []
    for error in _fast_meta_check().iter_errors(value):
        path = tuple(error.instance_path)
        if path not in seen:
            seen.add(path)
            found.append((path, error.message))
    return found


EMPTY_SCHEMA_LIST = "[] should be non-empty"
"""python-jsonschema's words (4.21 on) for a list the dialect requires at least one item of."""

_SCHEMA_LIST_TOO_SHORT = ("$defs", "schemaArray", "minItems")
"""Where the dialect requires ``allOf``, ``anyOf``, ``oneOf`` and ``prefixItems`` to hold one."""


def lone_empty_schema_list(value: Any) -> tuple[Any, ...] | None:
    """The path of a schema's one dialect error where it is a list of subschemas written empty
    (``oneOf: []``, the commonest such defect); None where there is any other error or none.

    python-jsonschema's first error of the schema is then that one, worded ``EMPTY_SCHEMA_LIST``:
    jsonschema-rs finds it without importing python-jsonschema and referencing (a tenth of a
    1 MB document's build, for one message)."""
    checker = _fast_meta_check()
    if checker is None:  # pragma: no cover - a dependency
        return None
    errors = list(itertools.islice(checker.iter_errors(value), 2))
    if len(errors) != 1 or tuple(errors[0].schema_path[-3:]) != _SCHEMA_LIST_TOO_SHORT:
        return None
    return tuple(errors[0].instance_path)


def _with_fast_meta_check(cls: type[Any]) -> type[Any]:
    """The schema keyword validator, its meta-schema check tried on jsonschema-rs first, every
    error of a schema reported, and the walk continued below a schema with errors (where
    defaults and required lists may be wrong too)."""

    def __call__(
        self: Any, schema: Any, require_properties: bool = True, meta_checked: bool = False
    ) -> Iterator[Any]:
        if not meta_checked:
            value = schema.read_value()
            if isinstance(value, Mapping) and id(value) not in self.meta_checked_schema_ids:
                self.meta_checked_schema_ids.append(id(value))
                yield from _meta_errors(self, cls, schema, value)
            # A top-level schema's walk may meet a malformed part deep inside (the dialect
            # check of every schema reports it); the rest of the document is still walked.
            yield from _walk_tolerantly(cls, self, schema, require_properties)
            return
        yield from cls.__call__(self, schema, require_properties, meta_checked=True)

    def __init__(self: Any, registry: Any) -> None:
        cls.__init__(self, registry)
        # The validator keeps the ids it has seen in lists, which makes a large document quadratic.
        self.visited_schema_ids = _IdList()
        self.meta_checked_schema_ids = _IdList()

    return type(cls.__name__, (cls,), {"__call__": __call__, "__init__": __init__})


def _walk_tolerantly(cls: type[Any], validator: Any, schema: Any, required: bool) -> Iterator[Any]:
    """The checks below a schema the meta-schema rejected; a part too malformed to walk is
    already covered by that schema's own meta-schema errors."""
    iterator = cls.__call__(validator, schema, required, meta_checked=True)
    while True:
        try:
            yield next(iterator)
        except StopIteration:
            return
        except Exception:  # malformed beyond walking; the schema's meta errors say why
            return


class _IdList(list[int]):
    """A list with set-speed membership, for the validator's seen-ids bookkeeping."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[int] = set()

    def append(self, item: int) -> None:
        self._members.add(item)
        super().append(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _validator_class() -> type[Any]:
    # Imported here: it costs ~0.4 s, which every command would otherwise pay at start-up.
    from openapi_spec_validator import OpenAPIV31SpecValidator

    base = OpenAPIV31SpecValidator.keyword_validators
    located = {
        name: _located(
            _with_fast_meta_check(validator) if name == "schema" else validator,
            ("default",) if name == "default" else (),
        )
        for name, validator in base.items()
    }
    return type("LocatedOpenAPIV31SpecValidator", (OpenAPIV31SpecValidator,), {
        "keyword_validators": located,
    })  # fmt: skip


_CLASS: list[type[Any]] = []


def _keyword(error: Any) -> str:
    tagged = getattr(error, _KEYWORD, None)
    if isinstance(tagged, str):
        return tagged
    validator = getattr(error, "validator", None)
    if isinstance(validator, str) and validator:
        return validator
    name = type(error).__name__
    return {
        "ExtraParametersError": "required",
        "DuplicateOperationIDError": "operationId",
        "ParameterDuplicateError": "parameters",
        "UnresolvableParameterError": "parameters",
    }.get(name, "")


class Found:
    """An error as the validator's run leaves it once located: the parts of the place it was
    visiting, its message and its keyword; for complaints made without the validator."""

    def __init__(self, parts: Iterable[Any], message: str, keyword: str) -> None:
        setattr(self, _LOCATION, tuple(parts))
        setattr(self, _KEYWORD, keyword)
        self.message = message


def collect(document: dict[str, Any], errors: Iterable[Any]) -> list[Complaint]:
    """The complaints of located errors, as the validator's run reports them (one per pointer
    and message, in order)."""
    return _collect(document, errors)


def _collect(document: dict[str, Any], errors: Iterable[Any]) -> list[Complaint]:
    found: list[Complaint] = []
    seen: set[tuple[str, str]] = set()
    for error in errors:
        parts = getattr(error, _LOCATION, None)
        if parts is None:
            parts = tuple(getattr(error, "absolute_path", ()) or ())
        pointer = real_pointer(document, parts)
        message = str(getattr(error, "message", error)).splitlines()[0][:_MESSAGE_LIMIT]
        key = (pointer, message)
        if key not in seen:
            seen.add(key)
            found.append(Complaint(pointer=pointer, message=message, keyword=_keyword(error)))
    return found


def _validator(document: dict[str, Any]) -> Any:
    if not _CLASS:
        _CLASS.append(_validator_class())
    return _CLASS[0](document)


def complaints(document: dict[str, Any]) -> list[Complaint]:
    """Every complaint openapi-spec-validator has about a 3.1 document, in one validator run."""
    return _collect(document, _validator(document).iter_errors())


def structure_complaints(document: dict[str, Any]) -> list[Complaint]:
    """The validator's first half: the document against the OpenAPI 3.1 JSON schema (cheap; the
    schemas inside are only checked to be objects or booleans).

    With its default backend the validator runs jsonschema-rs on its schema file, and its
    adapter keeps of each error the text and the instance path: the same compile of the same
    file gives the same complaints without importing the validator."""
    validator = structure_validator() if rust_backend_chosen() else None
    if validator is None:
        from openapi_spec_validator.schemas import openapi_v31_schema_validator

        return _collect(document, openapi_v31_schema_validator.iter_errors(document))
    return _collect(
        document, (Found(e.instance_path, str(e), "") for e in validator.iter_errors(document))
    )


def keyword_complaints(document: dict[str, Any]) -> list[Complaint]:
    """The validator's second half: schemas, defaults, parameters and operation ids. It assumes
    the structure is sound, so it runs once the structure's complaints are settled."""
    validator = _validator(document)
    return _collect(document, validator.root_validator(validator.schema_path))


def schema_complaints(document: dict[str, Any], known: Iterable[str] = ()) -> list[Complaint]:
    """Every schema of the document against the OpenAPI 3.1 schema dialect, including those the
    validator never visits (under components' responses, parameters, request bodies, headers):
    later stages may then rely on every schema being a schema."""
    from ..openapi_walk import iter_root_schemas

    fast = _fast_meta_check()
    if fast is None:
        return []
    reported = set(known)
    found: list[Complaint] = []
    for pointer, schema in iter_root_schemas(document):
        if fast.is_valid(schema):
            continue
        for error in fast.iter_errors(schema):
            where = join(pointer, *error.instance_path)
            if where not in reported:
                reported.add(where)
                found.append(
                    Complaint(pointer=where, message=error.message[:_MESSAGE_LIMIT], keyword="")
                )
    return found


def validation_errors(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(pointer, message) for every complaint: the acceptance check that a document is valid."""
    return [(complaint.pointer, complaint.message) for complaint in complaints(document)]
