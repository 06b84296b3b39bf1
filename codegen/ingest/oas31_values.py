"""openapi-schema-validator's check of a value against an OAS 3.1 schema, made without importing
it where it would change no verdict and no word.

The same goes for its check of a schema against the OAS 3.1 dialect (``first_dialect_error``).

Its ``OAS31Validator`` is python-jsonschema's Draft 2020-12 validator with these changes:
annotation keywords that never fail (``description``, ``discriminator``, ``xml``,
``externalDocs``, ``example``), a ``pattern`` keyword and a ``regex`` format of its own, which are
Python's ``re`` unless the optional ``regress`` package is installed, and a format checker that is
python-jsonschema's own with five formats added (``OAS_FORMATS``). Importing it costs a quarter
of a second, most of it pydantic-settings read for one cache setting: more than the rest of a
large document's build. So where ``regress`` is absent the plain Draft 2020-12 validator is the
same validator, given the same format checker: python-jsonschema's with those five formats
checked as the library checks them (``_OAS_FORMAT_CHECKS``; a test holds each to the library's
verdict on every kind of value).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from functools import cache
from numbers import Number
from typing import Any

import msgspec

from .default_words import sentence

_INT32 = 1 << 31
_INT64 = 1 << 63


def _is_int32(instance: object) -> bool:
    """A bool or a non-integer passes: the format speaks of integers only."""
    if isinstance(instance, bool) or not isinstance(instance, int):
        return True
    return -_INT32 <= instance < _INT32


def _is_int64(instance: object) -> bool:
    if isinstance(instance, bool) or not isinstance(instance, int):
        return True
    return -_INT64 <= instance < _INT64


def _is_float(instance: object) -> bool:
    """``float`` and ``double``: an integer or a non-number passes, any other number must be a
    Python float (every float is a double)."""
    if isinstance(instance, int) or not isinstance(instance, Number):
        return True
    return isinstance(instance, float)


def _is_password(instance: object) -> bool:
    """A hint to user interfaces, never a constraint."""
    return True


def _is_regex(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    try:
        re.compile(instance)
    except re.error:
        return False
    return True


_OAS_FORMAT_CHECKS: dict[str, Callable[[object], bool]] = {
    "int32": _is_int32,
    "int64": _is_int64,
    "float": _is_float,
    "double": _is_float,
    "password": _is_password,
    "regex": _is_regex,
}
"""openapi-schema-validator's OAS 3.1 format checks, where ``regress`` is absent."""

OAS_FORMATS = frozenset(_OAS_FORMAT_CHECKS)
"""The formats openapi-schema-validator's OAS 3.1 format checker adds or decides its own way."""


@cache
def _ecma_regex_installed() -> bool:
    """openapi-schema-validator matches ``pattern`` with ``regress`` whenever it can import it."""
    return importlib.util.find_spec("regress") is not None


def same_as_draft_2020_12() -> bool:
    """Whether ``OAS31Validator`` judges and words every value as Draft 2020-12 with
    ``oas31_format_checker()`` does: unless ``regress`` gives it other ``pattern`` matches."""
    return not _ecma_regex_installed()


@cache
def oas31_format_checker() -> Any:
    """python-jsonschema's format checker with the OAS 3.1 formats checked as
    openapi-schema-validator's ``oas31_format_checker`` checks them (its failures are worded by
    ``FormatChecker.check``, the same for both)."""
    from jsonschema import FormatChecker  # type: ignore[import-untyped]

    checker = FormatChecker()
    for name, check in _OAS_FORMAT_CHECKS.items():
        checker.checks(name)(check)
    return checker


def value_validator(schema: Any, *, check_formats: bool, **options: Any) -> Any:
    """The validator openapi-schema-validator would build for ``schema`` (``options`` go to its
    constructor: a ``registry`` or ``_resolver``), with the OAS 3.1 format checker if
    ``check_formats``."""
    if same_as_draft_2020_12():
        from jsonschema import Draft202012Validator

        checker = oas31_format_checker() if check_formats else None
        return Draft202012Validator(schema, format_checker=checker, **options)
    from openapi_schema_validator import OAS31Validator
    from openapi_schema_validator import oas31_format_checker as library_checker

    checker = library_checker if check_formats else None
    return OAS31Validator(schema, format_checker=checker, **options)


class DialectError(msgspec.Struct, frozen=True):
    """What the walk reads of python-jsonschema's dialect error: its words, the path in the
    schema, and the failing keyword of the meta-schema."""

    message: str
    absolute_path: tuple[Any, ...]
    validator: str


def first_dialect_error(schema: Any) -> Any:
    """The error ``OAS31Validator.check_schema`` raises for ``schema`` with the OAS 3.1 format
    checker (python-jsonschema's Draft 2020-12 validator of the dialect's meta-schema, whose
    formats are jsonschema's own), or None where it raises none."""
    if same_as_draft_2020_12():
        lone = _lone_dialect_error(schema)
        if lone is not None:
            return lone
    validator = _dialect_validator()
    if validator is None:
        from jsonschema.exceptions import SchemaError, ValidationError  # type: ignore[import-untyped]
        from jsonschema.validators import validator_for  # type: ignore[import-untyped]
        from openapi_schema_validator import OAS31_BASE_DIALECT_ID
        from openapi_schema_validator import oas31_format_checker as library_checker

        checker = validator_for({"$schema": OAS31_BASE_DIALECT_ID}, default=None)
        if checker is None:  # pragma: no cover - openapi-schema-validator registers it
            raise LookupError("the OAS 3.1 dialect is not registered")
        try:
            checker.check_schema(schema, format_checker=library_checker)
        except (SchemaError, ValidationError) as error:
            return error
        return None
    return next(iter(validator.iter_errors(schema)), None)


_URI_CHECKERS = ("rfc3987", "rfc3986_validator")
"""Where either is installed python-jsonschema checks ``uri`` and ``uri-reference`` formats."""


@cache
def _uri_checker_installed() -> bool:
    return any(importlib.util.find_spec(name) for name in _URI_CHECKERS)


def _lone_dialect_error(schema: Any) -> DialectError | None:
    """python-jsonschema's one dialect error, where jsonschema-rs finds exactly one that
    python-jsonschema surely finds too, and its words are fixed by the instance alone (so the
    import of python-jsonschema and referencing is saved); None where not sure.

    With one error there is no order to match. The verdicts agree but where the two check a
    format their own way: a ``pattern`` Python's ``re`` rejects, or any URI where a URI checker
    python-jsonschema would use is installed.
    """
    from .validate import _fast_meta_check

    fast = _fast_meta_check()
    if fast is None or not isinstance(schema, dict) or "$schema" in schema:
        return None
    if _uri_checker_installed():
        return None  # URIs (references, $id, externalDocs...) checked otherwise
    errors = list(fast.iter_errors(schema))
    if len(errors) != 1 or not _formats_agree(schema):
        return None
    error = errors[0]
    kind = type(error.kind).__name__
    path = tuple(error.instance_path)
    instance = schema
    for part in path:
        instance = instance[part]
    keyword = str(error.evaluation_path[-1]) if error.evaluation_path else ""
    # The meta-schema's value of the keyword, where the words need one and the error holds it.
    said: Any = None
    if kind == "Type":
        types = error.kind.types
        if len(types) != 1:
            return None  # the meta-schema's order of several names is not in the error
        said = types[0]
    elif kind == "Minimum":
        said = error.kind.limit
    elif kind not in ("AnyOf", "UniqueItems"):
        return None
    words = sentence(kind, keyword, instance, said)
    return None if words is None else DialectError(words, path, keyword)


def _formats_agree(schema: Any) -> bool:
    """Every pattern in ``schema`` compiles with ``re``: python-jsonschema checks the ``regex``
    format so, jsonschema-rs as ECMA 262 regular expressions."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            patterns = [node.get("pattern")]
            if isinstance(node.get("patternProperties"), dict):
                patterns.extend(node["patternProperties"])
            if not all(_is_regex(pattern) for pattern in patterns):
                return False
            stack.extend(node.values())
    return True


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
