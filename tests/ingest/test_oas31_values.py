"""A default's check made without importing openapi-schema-validator
(``codegen/ingest/oas31_values.py``) judges and words every value as its ``OAS31Validator`` does:
on the defaults in trouble of every corpus document, on random schemas and values, each OAS
format on every kind of value, and in a build; and the library's own validator is used wherever
it could differ (``regress`` installed)."""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_schema_validator import OAS31Validator, oas31_format_checker

from codegen.ingest import ingest_path, oas31_values
from codegen.ingest.oas31_values import (
    OAS_FORMATS,
    first_dialect_error,
    same_as_draft_2020_12,
    value_validator,
)
from codegen.ingest.prescreen import troubles
from codegen.ingest.validate import EMPTY_SCHEMA_LIST, lone_empty_schema_list
from tests.ingest.test_validation_fast_path import (
    CORPUS,
    REFERENCE,
    ROOT,
    _clean,
    _limit,
    _modules_after_ingest,
    _name,
    _schemas,
    corpus_31,
)
from tests.ingest.test_walk_complaints import _structure_settled

LARGE = ROOT / "bench" / "documents" / "openai_openapi_2026-08.yaml"


def _errors(validator: Any, value: Any) -> list[tuple[str, list[Any], str, str]]:
    return [
        (error.message, list(error.absolute_path), error.validator, repr(error.validator_value))
        for error in validator.iter_errors(value)
    ]


def _library(schema: Any, *, check_formats: bool = True, **options: Any) -> Any:
    checker = oas31_format_checker if check_formats else None
    return OAS31Validator(schema, format_checker=checker, **options)


def _formats(schema: Any) -> set[str]:
    """Every ``format`` string in a schema (no references in the random ones)."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                found.add(node["format"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


# --- the corpus ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [*CORPUS, REFERENCE, LARGE], ids=lambda path: path.name)
def test_corpus_defaults_in_trouble_are_judged_as_the_library_judges(path: Path) -> None:
    settled = _structure_settled(corpus_31(path))
    found = troubles(copy.deepcopy(settled))
    assert found is not None  # the walk decides on every corpus document
    defaults = [trouble for trouble in found if trouble.kind == "default"]
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    registry: Any = Registry().with_resource("", DRAFT202012.create_resource(settled))
    for trouble in defaults:
        ours = value_validator(
            trouble.schema,
            check_formats=True,
            _resolver=registry.resolver(base_uri=""),
        )
        theirs = _library(trouble.schema, _resolver=registry.resolver(base_uri=""))
        assert _errors(ours, trouble.value) == _errors(theirs, trouble.value)


def test_the_corpus_has_defaults_under_oas_formats() -> None:
    """The comparison above is not empty, and covers the OAS formats: OpenAI's document has
    rejected defaults, and TGI's has rejected defaults whose schemas name int32, int64 and float
    (strings such as ``'1024'``), all checked without the library."""
    found = troubles(_structure_settled(corpus_31(LARGE)))
    assert found is not None
    assert sum(trouble.kind == "default" for trouble in found) >= 5
    tgi = troubles(_structure_settled(corpus_31(ROOT / "tests" / "corpus" / "tgi_openapi.json")))
    assert tgi is not None
    named = set()
    for trouble in tgi:
        if trouble.kind == "default":
            named |= _formats(trouble.schema) & OAS_FORMATS
    assert {"int32", "int64", "float"} <= named


# --- random schemas and values ----------------------------------------------------------------

_FORMAT_NAMES = st.sampled_from(
    ["date-time", "date", "email", "uuid", "ipv4", "uri", "regex", "int32", "int64", "float",
     "password", "double", "byte", "made-up"]
)  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["2024-01-01", "a@b.co", "127.0.0.1", "[", "a+", "ten"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)
_LEAF_SCHEMAS = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["string", "integer", "number", "boolean", "null", "object", "array"]
            )
        },
        optional={
            "format": _FORMAT_NAMES,
            "pattern": st.sampled_from(["^a", "[0-9]+", "^\\d{2}$"]),
            "minLength": st.integers(0, 3),
            "maximum": st.integers(-5, 5),
            "multipleOf": st.sampled_from([2, 0.5]),
            "description": st.text(max_size=5),
            "example": _SCALARS,
        },
    ),
    st.builds(lambda name: {"type": "string", "format": name}, _FORMAT_NAMES),
    st.builds(lambda values: {"enum": values}, st.lists(_SCALARS, min_size=1, max_size=3)),
    st.builds(lambda value: {"const": value}, _SCALARS),
    st.just({}),
)
_SCHEMAS = st.recursive(
    _LEAF_SCHEMAS,
    lambda inner: st.one_of(
        st.builds(lambda key, items: {key: items}, st.sampled_from(["anyOf", "oneOf", "allOf"]),
                  st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda props, required: {"type": "object", "properties": props,
                                           "required": required},
                  st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
                  st.lists(st.sampled_from(["a", "b", "d"]), max_size=2, unique=True)),
        st.builds(lambda items: {"type": "array", "items": items}, inner),
        st.builds(lambda extra: {"additionalProperties": extra, "discriminator": {"propertyName": "a"}}, inner),
    ),
    max_leaves=6,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(schema=_SCHEMAS, value=_VALUES, check_formats=st.booleans())
@example(schema={"type": "string", "format": "email"}, value="ten", check_formats=True)
@example(schema={"format": "ipv4"}, value="1.2.3", check_formats=True)
@example(schema={"anyOf": [{"format": "uuid"}, {"pattern": "^a"}]}, value="b", check_formats=True)
@example(schema={"format": "regex"}, value="[", check_formats=True)
@example(schema={"type": "integer", "format": "int64"}, value=2**64, check_formats=True)
@example(
    schema={"description": 1, "example": 2, "xml": 3, "discriminator": 4},
    value=5,
    check_formats=False,
)
def test_random_values_are_judged_as_the_library_judges(
    schema: dict[str, Any], value: Any, check_formats: bool
) -> None:
    """The plain validator is the one made, OAS formats in reach or not, and its errors are the
    library's."""
    ours = value_validator(schema, check_formats=check_formats)
    theirs = _library(schema, check_formats=check_formats)
    assert type(ours) is Draft202012Validator
    assert _errors(ours, value) == _errors(theirs, value)


def test_an_oas_format_is_checked_as_the_library_checks_it() -> None:
    """int32 is openapi-schema-validator's own format: python-jsonschema's checker alone would
    accept 2**40."""
    schema = {"type": "integer", "format": "int32"}
    ours = value_validator(schema, check_formats=True)
    assert type(ours) is Draft202012Validator
    assert _errors(ours, 2**40) == [("1099511627776 is not a 'int32'", [], "format", "'int32'")]
    assert _errors(ours, 2**40) == _errors(_library(schema), 2**40)
    assert _errors(ours, 2**31 - 1) == []
    assert _errors(Draft202012Validator(schema), 2**40) == []  # what the mirror adds


_EDGES = [2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1]
_KINDS = [True, False, None, 0, 1.5, -0.0, Decimal("1.5"), Fraction(1, 3), 1j, "1024", "[", "a+",
          "", b"x", [], {}, [2**40], {"a": 2**40}]  # fmt: skip


@pytest.mark.parametrize("name", sorted(OAS_FORMATS))
def test_each_oas_format_gives_the_librarys_verdict_on_every_kind_of_value(name: str) -> None:
    ours = oas31_values.oas31_format_checker()
    for value in [*_EDGES, *_KINDS]:
        assert ours.conforms(value, name) == oas31_format_checker.conforms(value, name), value


def test_the_checker_knows_the_libraries_formats_and_no_others() -> None:
    """A format the library adds in a later release fails here, not silently in a build."""
    assert set(oas31_values.oas31_format_checker().checkers) == set(oas31_format_checker.checkers)
    assert {"int32", "int64"} < set(oas31_format_checker.checkers)


@contextlib.contextmanager
def _regress_installed() -> Iterator[None]:
    """As if the optional ``regress`` package were installed (the caches forget either way)."""
    import importlib.util

    caches = (oas31_values._ecma_regex_installed, oas31_values._dialect_validator)
    real = importlib.util.find_spec
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(
            importlib.util,
            "find_spec",
            lambda name, *args: object() if name == "regress" else real(name, *args),
        )
        for cached in caches:
            cached.cache_clear()
        try:
            yield
        finally:
            monkeypatch.undo()
            for cached in caches:
                cached.cache_clear()


def test_ecma_regex_leaves_everything_to_the_library() -> None:
    """With ``regress`` installed the library matches ``pattern`` its own way."""
    with _regress_installed():
        assert not same_as_draft_2020_12()
        assert type(value_validator({}, check_formats=False)) is OAS31Validator
    assert same_as_draft_2020_12()


# --- in a build --------------------------------------------------------------------------------


def test_a_rejected_default_without_oas_formats_imports_no_library(tmp_path: Path) -> None:
    document = _clean()
    _name(document).update({"enum": ["x"], "default": ["y"]})
    path = tmp_path / "defective.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert _modules_after_ingest(path) == "[]"


def test_a_rejected_default_under_an_oas_format_imports_no_library(tmp_path: Path) -> None:
    """It cost a quarter of a second (pydantic-settings, imported by the library for one cache
    setting): most of a small document's build."""
    document = _clean()
    _limit(document).update({"default": 2**40})  # an int32 parameter
    path = tmp_path / "defective.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert _modules_after_ingest(path) == "[]"
    quarantined = ingest_path(path).openapi["x-specgen-quarantine"]
    assert [entry["reason"] for entry in quarantined] == ["default: 1099511627776 is not a 'int32'"]


# --- a schema against the OAS 3.1 dialect ------------------------------------------------------


def _library_dialect_error(schema: Any) -> Any:
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for
    from openapi_schema_validator import OAS31_BASE_DIALECT_ID

    checker = validator_for({"$schema": OAS31_BASE_DIALECT_ID})
    try:
        checker.check_schema(schema, format_checker=oas31_format_checker)
    except SchemaError as error:
        return error
    return None


def _words(error: Any) -> Any:
    """What the walk reads of a dialect error (``walk_complaints``): a lone one said from
    jsonschema-rs's error carries no meta-schema value."""
    if error is None:
        return None
    return (error.message, list(error.absolute_path), error.validator)


@pytest.mark.parametrize("path", [*CORPUS, REFERENCE, LARGE], ids=lambda path: path.name)
def test_corpus_dialect_troubles_are_worded_as_the_library_words_them(path: Path) -> None:
    found = troubles(_structure_settled(corpus_31(path)))
    assert found is not None
    for trouble in found:
        if trouble.kind == "dialect":
            ours = first_dialect_error(trouble.schema)
            assert ours is not None
            assert _words(ours) == _words(_library_dialect_error(trouble.schema))


def test_the_corpus_has_dialect_troubles() -> None:
    found = troubles(_structure_settled(corpus_31(LARGE))) or []
    assert sum(trouble.kind == "dialect" for trouble in found) >= 1


_BROKEN_SCHEMAS = st.sampled_from(
    [
        {"type": "strin"},
        {"type": ["string", 3]},
        {"required": ["a", "a"]},
        {"minLength": -1},
        {"pattern": "["},
        {"$ref": 3},
        {"enum": []},
        {"oneOf": []},
        {"properties": {"a": {"type": "Integer"}}},
        {"discriminator": {"propertyName": 3}},
        {"externalDocs": {"url": 3}},
        {"xml": {"namespace": "a b"}},
        {"$id": "not a uri ::"},
        {"items": [{"type": "string"}]},
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    schema=st.one_of(
        _SCHEMAS,
        _BROKEN_SCHEMAS,
        st.builds(lambda a, b: {"allOf": [a, b]}, _SCHEMAS, _BROKEN_SCHEMAS),
    )
)
def test_random_schemas_are_judged_against_the_dialect_as_the_library_judges(
    schema: dict[str, Any],
) -> None:
    assert _words(first_dialect_error(schema)) == _words(_library_dialect_error(schema))


def test_ecma_regex_leaves_the_dialect_check_to_the_library() -> None:
    with _regress_installed():
        assert oas31_values._dialect_validator() is None
        assert _words(first_dialect_error({"type": "strin"})) == _words(
            _library_dialect_error({"type": "strin"})
        )
    assert oas31_values._dialect_validator() is not None


def test_a_dialect_trouble_imports_no_library(tmp_path: Path) -> None:
    """Nor python-jsonschema, where the one error is said from jsonschema-rs's; two errors
    need its order."""
    from tests.ingest.test_validation_fast_path import _schemas

    document = _clean()
    _schemas(document)["Base"].update({"type": "strin"})
    path = tmp_path / "defective.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert _modules_after_ingest(path) == "[]"
    assert _modules_after_ingest(path, ("jsonschema", "referencing")) == "[]"
    _schemas(document)["Base"].update({"minLength": -1})
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "'jsonschema'" in _modules_after_ingest(path, ("jsonschema", "referencing"))


@pytest.mark.parametrize(
    ("schema", "lone"),
    [
        ({"type": "strin"}, True),
        ({"type": "object", "properties": {"a": {"type": "Integer"}}}, True),
        ({"required": ["a", "a"]}, True),
        ({"minLength": -1}, True),
        ({"$recursiveAnchor": True}, True),
        ({"type": "strin", "minLength": -1}, False),  # two errors: the library's order
        ({"pattern": "["}, False),  # a format: the two check regexes their own way
        ({"pattern": "(?<x>a)", "type": "strin"}, False),  # ECMA, not Python's re
        ({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "s"}, False),
        ({"enum": []}, False),  # not an error at all
    ],
)
def test_a_lone_dialect_error_is_the_librarys_in_its_words(
    schema: dict[str, Any], lone: bool
) -> None:
    said = oas31_values._lone_dialect_error(schema)
    assert (said is not None) == lone
    assert _words(first_dialect_error(schema)) == _words(_library_dialect_error(schema))
    if said is not None:
        assert _words(said) == _words(_library_dialect_error(schema))


def test_a_uri_checker_leaves_the_dialect_check_to_the_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """python-jsonschema checks URIs where rfc3987 or rfc3986-validator is installed."""
    real = oas31_values.importlib.util.find_spec
    monkeypatch.setattr(
        oas31_values.importlib.util,
        "find_spec",
        lambda name, *args: object() if name == "rfc3987" else real(name, *args),
    )
    oas31_values._uri_checker_installed.cache_clear()
    try:
        assert oas31_values._lone_dialect_error({"type": "strin"}) is None
    finally:
        monkeypatch.undo()
        oas31_values._uri_checker_installed.cache_clear()
    assert oas31_values._lone_dialect_error({"type": "strin"}) is not None


# --- an empty list of subschemas, found and worded without python-jsonschema ------------------

_EMPTY_LISTS = st.recursive(
    st.sampled_from([{"oneOf": []}, {"anyOf": []}, {"allOf": []}, {"prefixItems": []}]),
    lambda inner: st.one_of(
        st.builds(lambda props: {"type": "object", "properties": props},
                  st.dictionaries(st.sampled_from(["a", "b"]), inner, min_size=1, max_size=2)),
        st.builds(lambda items: {"type": "array", "items": items}, inner),
        st.builds(lambda first, rest: {"oneOf": [first, rest]}, inner, _SCHEMAS),
    ),
    max_leaves=3,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    schema=st.one_of(
        _EMPTY_LISTS,
        st.builds(lambda a, b: {"allOf": [a, b]}, _EMPTY_LISTS, _BROKEN_SCHEMAS),
        st.builds(lambda a, b: {**b, **a}, _EMPTY_LISTS, _SCHEMAS),
    )
)
@example(schema={"oneOf": []})
@example(schema={"type": "object", "properties": {"a": {"anyOf": []}}, "required": ["a", "a"]})
def test_a_lone_empty_subschema_list_is_the_librarys_first_error_in_its_words(
    schema: dict[str, Any],
) -> None:
    """Wherever the jsonschema-rs path answers, python-jsonschema says the same, word for word."""
    found = lone_empty_schema_list(schema)
    if found is not None:
        library = _words(_library_dialect_error(schema))
        assert library == (EMPTY_SCHEMA_LIST, list(found), "minItems")


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ({"oneOf": []}, ("oneOf",)),
        ({"type": "object", "properties": {"a": {"anyOf": []}}}, ("properties", "a", "anyOf")),
        ({"type": "array", "items": {"allOf": []}}, ("items", "allOf")),
        ({"oneOf": [{"type": "string"}, {"prefixItems": []}]}, ("oneOf", 1, "prefixItems")),
        ({"allOf": [], "type": "strin"}, None),  # two errors: the library says which is first
        ({"enum": []}, None),  # not an error at all
        ({"type": "strin"}, None),
    ],
)
def test_only_a_lone_empty_subschema_list_takes_the_short_way(
    schema: dict[str, Any], path: tuple[Any, ...] | None
) -> None:
    assert lone_empty_schema_list(schema) == path


def test_an_empty_one_of_imports_neither_python_jsonschema_nor_referencing(tmp_path: Path) -> None:
    """The commonest dialect defect: the quarantine words it, and normalize settles it, without
    either library."""
    document = _clean()
    _schemas(document)["Base"].update({"oneOf": []})
    path = tmp_path / "empty-one-of.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    quarantined = ingest_path(path).openapi["x-specgen-quarantine"]
    assert [entry["reason"] for entry in quarantined] == [EMPTY_SCHEMA_LIST]
    assert _modules_after_ingest(path, ("jsonschema", "referencing"), normalized=True) == "[]"
