"""The keyword walk's complaints, found without openapi-spec-validator where they can be.

Most documents with something to repair have a handful of spots in trouble (a default its schema
rejects, a misspelt type name, an empty ``oneOf``), and everywhere else the validator's walk over
jsonschema-path finds nothing, at most of its cost. The pre-screen's walk (``prescreen.troubles``)
follows the validator's over plain data, in its order, and notes those spots; for each one the
validator's own check is then made here, with the same python-jsonschema calls on the same
values, so message, keyword and place are the validator's. Where the pre-screen meets anything
else the validator might complain of, it is not sure, and the validator runs as before.

What the validator (as ``validate`` wraps it) reports at each spot:

- a top-level schema the OAS 3.1 dialect rejects: python-jsonschema's ``check_schema`` error,
  then jsonschema-rs's errors at other places of the schema (``validate._meta_errors``); where
  the one error is an empty list of subschemas, jsonschema-rs finds it and it is worded here;
- a default: every python-jsonschema error of the value against its schema, references resolved
  in the document as jsonschema-path resolves them (``ValueValidator``).
"""

from __future__ import annotations

from typing import Any

from .oas31_values import first_dialect_error, value_validator
from .prescreen import Trouble, troubles
from .validate import (
    EMPTY_SCHEMA_LIST,
    Complaint,
    Found,
    collect,
    further_meta_errors,
    lone_empty_schema_list,
)

_DOCUMENT_BASE_URI = ""  # jsonschema-path's, for a document read from a mapping


def keyword_complaints_without_validator(document: dict[str, Any]) -> list[Complaint] | None:
    """``validate.keyword_complaints(document)``, or None where it cannot be known so."""
    found = troubles(document)
    return None if found is None else complaints_at(document, found)


def complaints_at(document: dict[str, Any], found: list[Trouble]) -> list[Complaint] | None:
    """What the validator's keyword walk of ``document`` reports, given every spot in trouble
    the pre-screen's walk of the same document met; None if a check fails unforeseen (the
    validator's run then says what it says)."""
    if not found:
        return []
    checks = _Checks(document)
    errors: list[Found] = []
    try:
        for trouble in found:
            errors.extend(checks.errors_at(trouble))
    except Exception:  # a value python-jsonschema cannot check: not sure
        return None
    return collect(document, errors)


class _Checks:
    """The validator's checks of one document's spots in trouble."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._resolver: Any = None

    def errors_at(self, trouble: Trouble) -> list[Found]:
        if trouble.kind == "said":
            return [Found(trouble.route, trouble.message, trouble.keyword)]
        if trouble.kind == "dialect":
            return self._dialect_errors(trouble)
        return self._default_errors(trouble)

    def _dialect_errors(self, trouble: Trouble) -> list[Found]:
        """``SchemaValidator._validate_schema_meta`` then ``validate._meta_errors``' others."""
        empty = lone_empty_schema_list(trouble.schema)
        if empty is not None:  # the validator's one error, in its words, without its import
            return [Found((*trouble.route, *empty), EMPTY_SCHEMA_LIST, "minItems")]
        first = first_dialect_error(trouble.schema)
        if first is None:
            return []
        path = tuple(first.absolute_path)
        keyword = first.validator if isinstance(first.validator, str) else ""
        errors = [Found((*trouble.route, *path), first.message, keyword)]
        for other, message in further_meta_errors(trouble.schema, path):
            errors.append(Found((*trouble.route, *other), message, ""))
        return errors

    def _default_errors(self, trouble: Trouble) -> list[Found]:
        """``OpenAPIV31ValueValidator``: python-jsonschema with the OAS 3.1 format checker (see
        ``oas31_values``), or its words as the pre-screen found them (``default_words``)."""
        if trouble.worded is not None:
            return [
                Found((*trouble.route, "default", *path), message, "default")
                for path, message in trouble.worded
            ]
        validator = value_validator(
            trouble.schema,
            check_formats=True,
            _resolver=self._document_resolver(),
        )
        return [
            Found((*trouble.route, "default", *error.absolute_path), error.message, "default")
            for error in validator.iter_errors(trouble.value)
        ]

    def _document_resolver(self) -> Any:
        """The resolver jsonschema-path gives a schema of the document (no ``$id`` in reach)."""
        if self._resolver is None:
            from referencing import Registry
            from referencing.jsonschema import DRAFT202012

            resource = DRAFT202012.create_resource(self.document)
            registry: Any = Registry().with_resource(_DOCUMENT_BASE_URI, resource)
            self._resolver = registry.resolver(base_uri=_DOCUMENT_BASE_URI)
        return self._resolver
