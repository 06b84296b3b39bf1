"""openapi-schema-validator's check of a value against an OAS 3.1 schema, made without importing
it where it would change no verdict and no word.

The same goes for its check of a schema against the OAS 3.1 dialect (``first_dialect_error``).

Its ``OAS31Validator`` is python-jsonschema's Draft 2020-12 validator with these changes:
annotation keywords that never fail (``description``, ``discriminator``, ``xml``,
``externalDocs``, ``example``), a ``pattern`` keyword and a ``regex`` format of its own, which are
Python's ``re`` unless the optional ``regress`` package is installed, and five formats of its own
(``OAS_FORMATS``). Importing it costs 0.15 s, most of it pydantic-settings read for one cache
setting: more than the rest of the checks of a large document's defaults. So where a schema's
reach names none of those formats and ``regress`` is absent, the plain Draft 2020-12 validator
with python-jsonschema's own format checker is the same validator, and it is used instead.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Collection
from functools import cache
from typing import Any

OAS_FORMATS = frozenset(("int32", "int64", "float", "double", "password", "regex"))
"""The formats openapi-schema-validator's OAS 3.1 format checker adds or decides its own way."""


@cache
def _ecma_regex_installed() -> bool:
    """openapi-schema-validator matches ``pattern`` with ``regress`` whenever it can import it."""
    return importlib.util.find_spec("regress") is not None


def same_as_draft_2020_12(formats: Collection[str] | None, *, check_formats: bool) -> bool:
    """Whether ``OAS31Validator`` judges and words everything under a schema whose reach names
    ``formats`` (None: not known) as Draft 2020-12 does; formats matter only where checked."""
    if _ecma_regex_installed():
        return False
    if not check_formats:
        return True
    return formats is not None and OAS_FORMATS.isdisjoint(formats)


def value_validator(
    schema: Any,
    *,
    formats: Collection[str] | None,
    check_formats: bool,
    **options: Any,
) -> Any:
    """The validator openapi-schema-validator would build for ``schema`` (``options`` go to its
    constructor: a ``registry`` or ``_resolver``), with the OAS 3.1 format checker if
    ``check_formats``; ``formats`` are those named in the schema's reach, None if not known."""
    if same_as_draft_2020_12(formats, check_formats=check_formats):
        from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]

        checker = FormatChecker() if check_formats else None
        return Draft202012Validator(schema, format_checker=checker, **options)
    from openapi_schema_validator import OAS31Validator, oas31_format_checker

    checker = oas31_format_checker if check_formats else None
    return OAS31Validator(schema, format_checker=checker, **options)


def first_dialect_error(schema: Any) -> Any:
    """The error ``OAS31Validator.check_schema`` raises for ``schema`` with the OAS 3.1 format
    checker (python-jsonschema's Draft 2020-12 validator of the dialect's meta-schema, whose
    formats are jsonschema's own), or None where it raises none."""
    validator = _dialect_validator()
    if validator is None:
        from jsonschema.exceptions import SchemaError, ValidationError  # type: ignore[import-untyped]
        from jsonschema.validators import validator_for  # type: ignore[import-untyped]
        from openapi_schema_validator import OAS31_BASE_DIALECT_ID, oas31_format_checker

        checker = validator_for({"$schema": OAS31_BASE_DIALECT_ID}, default=None)
        if checker is None:  # pragma: no cover - openapi-schema-validator registers it
            raise LookupError("the OAS 3.1 dialect is not registered")
        try:
            checker.check_schema(schema, format_checker=oas31_format_checker)
        except (SchemaError, ValidationError) as error:
            return error
        return None
    return next(iter(validator.iter_errors(schema)), None)


@cache
def _dialect_validator() -> Any:
    """The validator ``check_schema`` makes, built from the dialect's files, which
    openapi-schema-validator ships and ``oas_schemas`` reads without importing it; None where
    they are missing or ``regress`` would match the meta-schema's ``regex`` format."""
    from .oas_schemas import OAS31_DIALECT_ID, dialect_resources

    resources = dialect_resources()
    if resources is None or _ecma_regex_installed():
        return None
    from jsonschema import FormatChecker, validators
    from jsonschema_specifications import REGISTRY  # type: ignore[import-untyped]
    from referencing import Resource

    registry = (
        [Resource.from_contents(contents) for _uri, contents in resources] @ REGISTRY
    ).crawl()
    meta_schema = dict(resources)[OAS31_DIALECT_ID]
    checker = validators.validator_for(meta_schema, default=validators.Draft202012Validator)
    return checker(meta_schema, format_checker=FormatChecker(), registry=registry)
