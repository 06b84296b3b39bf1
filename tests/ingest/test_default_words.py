"""A default's complaints worded from jsonschema-rs's errors (``codegen/ingest/default_words.py``)
are python-jsonschema's own, word for word and in its order, on random schemas and values, on
the corpus, and end to end against the validator; where the words or the order could differ the
answer is None and python-jsonschema words them. Worded so, a build never imports it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from codegen.ingest.oas31_values import value_validator
from codegen.ingest.prescreen import Trouble, ValueJudge, troubles
from codegen.ingest.validate import keyword_complaints
from codegen.ingest.walk_complaints import keyword_complaints_without_validator
from codegen.normalize.validity import SchemaFit
from tests.ingest.test_validation_fast_path import (
    CORPUS,
    ROOT,
    _clean,
    _modules_after_ingest,
    _schemas,
    corpus_31,
)
from tests.ingest.test_walk_complaints import _structure_settled

LARGE = ROOT / "bench" / "documents" / "openai_openapi_2026-08.yaml"
_PYTHON_JSONSCHEMA = ("jsonschema", "referencing")


def _library_words(document: dict[str, Any], trouble: Trouble) -> tuple[Any, ...]:
    """python-jsonschema's (path, message) for a default in trouble, as the walk makes them."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    registry: Any = Registry().with_resource("", DRAFT202012.create_resource(document))
    validator = value_validator(
        trouble.schema, check_formats=True, _resolver=registry.resolver(base_uri="")
    )
    return tuple(
        (tuple(error.absolute_path), error.message)
        for error in validator.iter_errors(trouble.value)
    )


def _document_with(root: dict[str, Any], others: dict[str, Any]) -> dict[str, Any]:
    document = _clean()
    _schemas(document).update(others)
    _schemas(document)["Root"] = root
    return document


def _root_trouble(document: dict[str, Any], *, undecided: bool = False) -> Trouble | None:
    """The default in trouble at the Root component; the walk must decide unless
    ``undecided`` (a random document may hold a reference loop, where it gives up)."""
    found = troubles(document)
    if found is None and undecided:
        return None
    assert found is not None
    route = ("components", "schemas", "Root")
    matching = [t for t in found if t.kind == "default" and t.route == route]
    return matching[0] if matching else None


# --- random schemas and values ----------------------------------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-4, 4),
    st.sampled_from([1.0, 2.5, -0.5]),
    st.sampled_from(["", "a", "ab", "abc", "x"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), inner, max_size=3)
    ),
    max_leaves=6,
)
_TYPES = st.sampled_from(["string", "integer", "number", "boolean", "null", "object", "array"])
_REFS = st.sampled_from([{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}])


def _keywords(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[list[tuple[str, Any]]]:
    """Keyword and value pairs: the worded ones, some never worded (dependentRequired,
    contains, if/then), and references."""
    choices = {
        "type": _TYPES | st.lists(_TYPES, min_size=1, max_size=3, unique=True),
        "enum": st.lists(_SCALARS, min_size=1, max_size=3),
        "const": _SCALARS,
        "minimum": st.integers(-2, 2),
        "maximum": st.integers(-2, 2),
        "exclusiveMinimum": st.integers(-2, 2),
        "exclusiveMaximum": st.integers(-2, 2),
        "minLength": st.integers(0, 3),
        "maxLength": st.integers(0, 2),
        "minItems": st.integers(0, 2),
        "maxItems": st.integers(0, 2),
        "uniqueItems": st.booleans(),
        "minProperties": st.integers(0, 2),
        "maxProperties": st.integers(0, 2),
        "properties": st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
        "required": st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=3, unique=True),
        "additionalProperties": st.booleans() | inner,
        "items": inner,
        "prefixItems": st.lists(inner, min_size=1, max_size=2),
        "allOf": st.lists(inner, min_size=1, max_size=2),
        "anyOf": st.lists(inner, min_size=1, max_size=3),
        "oneOf": st.lists(inner, min_size=1, max_size=3),
        "not": inner,
        "$ref": st.sampled_from(["#/components/schemas/A", "#/components/schemas/B"]),
        "dependentRequired": st.just({"a": ["b"]}),
        "contains": inner,
        "if": inner,
        "then": inner,
        "description": st.just("d"),
    }
    names = st.lists(st.sampled_from(sorted(choices)), min_size=1, max_size=4, unique=True)
    return names.flatmap(
        lambda chosen: st.tuples(*(st.tuples(st.just(n), choices[n]) for n in chosen)).map(list)
    )


_SCHEMAS = st.recursive(
    st.one_of(_keywords(st.just({})).map(dict), _REFS, st.booleans()),
    lambda inner: _keywords(inner).map(dict),
    max_leaves=5,
)
_COMPONENTS = st.fixed_dictionaries(
    {"A": _keywords(st.just({"type": "integer"})).map(dict), "B": _SCHEMAS}
)


@settings(max_examples=400, deadline=None)
@given(root=_keywords(_SCHEMAS).map(dict), others=_COMPONENTS, value=_VALUES)
@example(root={"type": "string", "enum": ["x"], "default": []}, others={"A": {}, "B": {}}, value=[])
@example(
    root={"oneOf": [{"type": "null"}, {"type": ["string", "null"]}, {"enum": [None]}]},
    others={"A": {}, "B": {}},
    value=None,
)
@example(
    root={"required": ["b", "a"], "properties": {"c": {"type": "string"}, "a": {}}},
    others={"A": {}, "B": {}},
    value={"c": 1},
)
def test_worded_defaults_are_python_jsonschemas_words(
    root: dict[str, Any], others: dict[str, Any], value: Any
) -> None:
    root = {**root, "default": value}
    document = _document_with(root, others)
    trouble = _root_trouble(document, undecided=True)
    if trouble is None or trouble.worded is None:
        return
    assert trouble.worded == _library_words(document, trouble)


@pytest.mark.parametrize(
    ("root", "value"),
    [
        ({"type": "string"}, 3),
        ({"type": ["integer", "null"], "minimum": 0}, "1024"),
        ({"type": "string", "enum": ["logprobs"]}, []),
        ({"allOf": [{"$ref": "#/components/schemas/A"}]}, "null"),
        ({"oneOf": [{"type": "null"}, {"type": ["string", "null"]}]}, None),
        (
            {"type": "object", "properties": {"b": {"type": "string"}, "a": {"minimum": 3}}},
            {"a": 1, "b": 2},
        ),
        ({"items": {"type": "string"}, "maxItems": 1}, [1, "x", 2]),
        ({"additionalProperties": False, "properties": {"a": {}}}, {"b": 1, "c": 2, "a": 0}),
        ({"prefixItems": [{"const": 1}, {"not": {"type": "string"}}]}, [2, "x"]),
    ],
    ids=str,
)
def test_each_kind_of_worded_default_is_the_libraries(root: dict[str, Any], value: Any) -> None:
    """Not left to chance: each sentence and each step of the walk, worded and the same."""
    document = _document_with({**root, "default": value}, {"A": {"oneOf": [{"type": "object"}]}})
    trouble = _root_trouble(document)
    assert trouble is not None and trouble.worded is not None
    assert trouble.worded
    assert trouble.worded == _library_words(document, trouble)


@pytest.mark.parametrize(
    ("root", "value", "why"),
    [
        ({"dependentRequired": {"a": ["b"]}}, {"a": 1}, "a keyword with no sentence here"),
        ({"additionalProperties": {"type": "string"}}, {"a": 1, "b": 2}, "a walk over a set"),
        ({"if": {"type": "object"}, "then": {"required": ["a"]}}, {}, "a step not followed"),
        ({"type": "string", "format": "date-time"}, "yesterday", "a format python checks"),
        ({"type": "string", "pattern": "^y$"}, "n", "a pattern python matches its own way"),
        ({"properties": {"a": False}}, {"a": 1}, "a false schema, reported a step short"),
        (
            {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Root"}}},
            {"next": 1},
            "a schema referring back to itself, where python-jsonschema may recurse",
        ),
    ],
    ids=lambda item: item if isinstance(item, str) else None,
)
def test_unsure_defaults_are_left_to_python_jsonschema(
    root: dict[str, Any], value: Any, why: str
) -> None:
    """Where the words or their order could differ, nothing is worded: the walk asks the
    library, whose words the complaint then carries."""
    document = _document_with({**root, "default": value}, {})
    trouble = _root_trouble(document)
    assert trouble is not None
    assert trouble.worded is None, why
    settled = _structure_settled(document)
    assert keyword_complaints_without_validator(copy.deepcopy(settled)) == keyword_complaints(
        settled
    )


# --- the corpus and the validator -------------------------------------------------------------


@pytest.mark.parametrize("path", [*CORPUS, LARGE], ids=lambda path: path.name)
def test_corpus_worded_defaults_are_the_libraries(path: Path) -> None:
    settled = _structure_settled(corpus_31(path))
    found = troubles(copy.deepcopy(settled))
    assert found is not None
    for trouble in found:
        if trouble.kind == "default" and trouble.worded is not None:
            assert trouble.worded == _library_words(settled, trouble)


def test_the_corpus_defaults_are_mostly_worded() -> None:
    """TGI's 22 rejected defaults (strings for numbers, allOf of a oneOf) and OpenAI's (a
    oneOf valid twice, a list for a string under an enum) are all worded here."""
    for path, least in [(ROOT / "tests" / "corpus" / "tgi_openapi.json", 22), (LARGE, 15)]:
        found = troubles(_structure_settled(corpus_31(path)))
        assert found is not None
        defaults = [trouble for trouble in found if trouble.kind == "default"]
        assert len(defaults) >= least
        assert all(trouble.worded is not None for trouble in defaults), path.name


def test_a_worded_default_imports_no_python_jsonschema(tmp_path: Path) -> None:
    """Ingest and normalize of a document whose defaults are worded here, and then restored
    (a string read as the number it spells), import neither python-jsonschema nor referencing;
    a default only the library can word does."""
    document = _clean()
    _schemas(document)["Item"]["properties"]["name"].update({"type": "integer", "default": "7"})
    path = tmp_path / "worded.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert _modules_after_ingest(path, _PYTHON_JSONSCHEMA, normalized=True) == "[]"
    _schemas(document)["Item"]["properties"]["name"].update(
        {"type": "string", "format": "date-time", "default": "yesterday"}
    )
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "'jsonschema'" in _modules_after_ingest(path, _PYTHON_JSONSCHEMA)


# --- the normalize rule's checks --------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(root=_keywords(_SCHEMAS).map(dict), others=_COMPONENTS, value=_VALUES)
def test_judged_values_are_python_jsonschemas_verdicts(
    root: dict[str, Any], others: dict[str, Any], value: Any
) -> None:
    """Where ValueJudge answers, its verdict is python-jsonschema's (formats unchecked)."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    document = _document_with(root, others)
    judged = ValueJudge(document).is_valid(
        ("components", "schemas", "Root"), value, check_formats=False
    )
    if judged is None:
        return
    registry: Any = Registry().with_resource("", DRAFT202012.create_resource(document))
    library = value_validator(root, check_formats=False, _resolver=registry.resolver(base_uri=""))
    assert judged == library.is_valid(value)


def test_a_judge_is_unsure_where_python_jsonschema_may_differ() -> None:
    document = _document_with({"type": "string", "pattern": "^a"}, {})
    judge = ValueJudge(document)
    assert judge.is_valid(("components", "schemas", "Root"), "b", check_formats=False) is None
    assert judge.is_valid(("components", "schemas", "Root"), 3, check_formats=False) is False
    assert judge.is_valid(("components", "schemas", "Missing"), 3, check_formats=False) is None


def test_a_fit_told_of_a_change_reads_the_schema_again() -> None:
    """jsonschema-rs reads the document once (the quarantine rule restores a type name, then
    checks a default under it): a repaired constraint counts once the fit is told."""
    document = _document_with({"type": "integer"}, {})
    fit = SchemaFit(document)
    assert fit.fits("/components/schemas/Root", "x") is False
    _schemas(document)["Root"]["type"] = "string"
    assert fit.fits("/components/schemas/Root", "x") is False  # what was read stands
    fit.changed()
    assert fit.fits("/components/schemas/Root", "x") is True


# --- a default's schema judged from a copy of its reach, not a registry of the whole document -


def _defaults(document: dict[str, Any]) -> list[tuple[tuple[str, ...], Any]]:
    """(pointer, default) of every mapping holding a default under components/schemas."""
    found: list[tuple[tuple[str, ...], Any]] = []
    stack: list[tuple[tuple[str, ...], Any]] = [(("components", "schemas"), _schemas(document))]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            if "default" in node:
                found.append((pointer, node["default"]))
            stack.extend(((*pointer, str(k)), v) for k, v in node.items() if k != "default")
        elif isinstance(node, list):
            stack.extend(((*pointer, str(i)), v) for i, v in enumerate(node))
    return found


@pytest.mark.parametrize("path", [CORPUS[1], LARGE], ids=lambda path: path.name)
def test_a_reach_judges_every_default_as_the_whole_document_does(path: Path) -> None:
    """Verdicts and errors from the copy of each default's reach are the whole document's, on a
    corpus document and OpenAI's 3 MB one, and no registry of the whole document is built."""
    import jsonschema_rs

    from codegen.ingest.prescreen import _Prescreen, _Unsure

    document = corpus_31(path)
    sparse, whole = _Prescreen(document), _Prescreen(document)
    compared = 0
    for pointer, value in _defaults(document):
        schema: Any = document
        for token in pointer:
            schema = schema[int(token)] if isinstance(schema, list) else schema[token]
        try:
            features = sparse._schema_features(schema)
        except _Unsure:
            continue
        judged = sparse._value_validator(pointer, features)
        reference = whole._validator_at(pointer)
        assert judged.is_valid(value) == reference.is_valid(value), pointer
        assert [(e.message, list(e.schema_path)) for e in judged.iter_errors(value)] == [
            (e.message, list(e.schema_path)) for e in reference.iter_errors(value)
        ], pointer
        compared += 1
    assert compared >= 50
    assert sparse.registry is None and isinstance(whole.registry, jsonschema_rs.Registry)
    assert sparse.sparse_registries and any(
        len(placed) > 1 for _registry, placed in sparse.sparse_registries.values()
    )  # some reaches hold references


def test_a_reach_copy_holds_only_its_nodes_and_refuses_a_context_keyword_on_the_way() -> None:
    from codegen.ingest.prescreen import _sparse_document

    leaf = {"type": "integer"}
    document = {
        "info": {"title": "t"},
        "paths": {"/a": {"get": {"parameters": [{"name": "x"}, {"schema": leaf}]}}},
        "components": {"schemas": {"A": {"type": "string"}, "B": {"type": "object"}}},
    }
    sparse = _sparse_document(
        document,
        [
            ("paths", "/a", "get", "parameters", "1", "schema"),
            ("components", "schemas", "A"),
            ("components", "schemas", "A", "type"),  # inside a placed node: nothing more
        ],
    )
    assert sparse == {
        "paths": {"/a": {"get": {"parameters": [None, {"schema": {"type": "integer"}}]}}},
        "components": {"schemas": {"A": {"type": "string"}}},
    }
    assert sparse["paths"]["/a"]["get"]["parameters"][1]["schema"] is leaf  # not a copy
    assert _sparse_document(document, [()]) is document
    document["components"]["schemas"]["$id"] = "https://example.com/s"
    assert _sparse_document(document, [("components", "schemas", "A")]) is None
