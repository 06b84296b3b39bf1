"""openapi-schema-validator's check of a value against an OAS 3.1 schema, made without importing
it where it would change no verdict and no word.

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


def same_as_draft_2020_12(formats: Collection[str] | None, *, checks_formats: bool) -> bool:
    """Whether ``OAS31Validator`` judges and words everything under a schema whose reach names
    ``formats`` (None: not known) as Draft 2020-12 does; formats matter only where checked."""
    if _ecma_regex_installed():
        return False
    if not checks_formats:
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
    if same_as_draft_2020_12(formats, checks_formats=check_formats):
        from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]

        checker = FormatChecker() if check_formats else None
        return Draft202012Validator(schema, format_checker=checker, **options)
    from openapi_schema_validator import OAS31Validator, oas31_format_checker

    checker = oas31_format_checker if check_formats else None
    return OAS31Validator(schema, format_checker=checker, **options)
