"""The keyword walk's complaints found without openapi-spec-validator
(``codegen/ingest/walk_complaints.py`` over ``prescreen``'s walk) are the validator's own, element
by element (pointer, message, keyword, order), on every corpus document, OpenAI's 3 MB one, the
seeds' reference, mutated and random documents and one made-up document per complaint it words
itself; where the walk is not sure, the validator runs and the quarantine is still the same.
The structure check made without importing the validator is the validator's too."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from codegen.ingest import quarantine as quarantine_module
from codegen.ingest.prescreen import screen
from codegen.ingest.quarantine import (
    _Quarantine,
    _settle_dangling,
    _settle_structure,
    _settle_unreadable_templates,
)
from codegen.ingest.validate import _collect, keyword_complaints, structure_complaints
from codegen.ingest.walk_complaints import complaints_at, keyword_complaints_without_validator
from tests.fuzz.strategies import openapi_documents
from tests.ingest._mutations import STRUCTURAL
from tests.ingest.test_validation_fast_path import (  # noqa: F401 - the fixture applies here
    CORPUS,
    DEFECTS,
    FUZZ,
    REFERENCE,
    ROOT,
    _clean,
    _default_recursion_limit,
    _limit,
    _modules_after_ingest,
    _name,
    _operation,
    _schemas,
    _slow_quarantine,
    corpus_31,
    for_each_mutation,
    upgraded_or_skipped,
)
from tests.ingest.test_validation_fast_path import _outcome as _outcome_of

LARGE = ROOT / "bench" / "documents" / "openai_openapi_2026-08.yaml"


def _structure_settled(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document as quarantine_invalid hands it to the keyword walk."""
    document = copy.deepcopy(document)
    quarantine = _Quarantine(document)
    _settle_structure(quarantine, structure_complaints(document))
    _settle_dangling(quarantine)
    _settle_unreadable_templates(quarantine)
    return document


def _outcome(document: dict[str, Any]) -> Any:
    """quarantine_invalid's result, refusal or failure."""
    return _outcome_of(quarantine_module.quarantine_invalid, document)


def _assert_same_walk(document: dict[str, Any]) -> bool:
    """Where the fast walk decides, its complaints are the validator's; True if it decided."""
    settled = _structure_settled(document)
    fast = keyword_complaints_without_validator(copy.deepcopy(settled))
    if fast is None:
        return False
    try:
        slow = keyword_complaints(copy.deepcopy(settled))
    except Exception:  # the validator fails where the fast walk answered: not the same
        pytest.fail("the fast walk answered where the validator's walk fails")
    assert fast == slow
    return True


# --- the structure check --------------------------------------------------------------------


@pytest.mark.parametrize("path", [*CORPUS, REFERENCE, LARGE], ids=lambda path: path.name)
def test_structure_complaints_are_the_validators(path: Path) -> None:
    """The same compile of the same schema file, the validator's adapter's text and path."""
    from openapi_spec_validator.schemas import openapi_v31_schema_validator

    document = corpus_31(path)
    assert structure_complaints(document) == _collect(
        document, openapi_v31_schema_validator.iter_errors(document)
    )


@FUZZ
@given(document=openapi_documents())
def test_random_structure_complaints_are_the_validators(document: dict[str, Any]) -> None:
    from openapi_spec_validator.schemas import openapi_v31_schema_validator

    document.get("info", {}).pop("version", None)  # at least one complaint, often
    assert structure_complaints(document) == _collect(
        document, openapi_v31_schema_validator.iter_errors(document)
    )


def test_another_structure_backend_uses_the_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Told to use python-jsonschema, the validator's own check runs (same complaints here)."""
    document = _clean()
    document["info"].pop("version")
    expected = structure_complaints(copy.deepcopy(document))
    monkeypatch.setenv("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")
    assert structure_complaints(document) == expected


# --- every corpus document ------------------------------------------------------------------


@pytest.mark.parametrize("path", [*CORPUS, REFERENCE, LARGE], ids=lambda path: path.name)
def test_corpus_walk_is_decided_and_the_validators(path: Path) -> None:
    """Every corpus document's complaints are found without the validator, and are its own."""
    assert _assert_same_walk(corpus_31(path))


@pytest.mark.parametrize("path", [*CORPUS, REFERENCE, LARGE], ids=lambda path: path.name)
def test_corpus_screening_troubles_are_reusable(path: Path) -> None:
    """The pre-screen's own walk (made before any quarantine) names the same complaints."""
    document = corpus_31(path)
    screening = screen(copy.deepcopy(document))
    if structure_complaints(document):
        assert screening.troubles is None
        return
    assert screening.troubles is not None
    assert complaints_at(document, screening.troubles) == keyword_complaints(
        copy.deepcopy(document)
    )


@pytest.mark.parametrize("path", [*CORPUS, REFERENCE, LARGE], ids=lambda path: path.name)
def test_corpus_quarantine_is_the_validators(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = corpus_31(path)
    assert _outcome(copy.deepcopy(document)) == _slow_quarantine(document, monkeypatch)


# --- mutated and random documents -----------------------------------------------------------

_MUTATED = ["openai_openapi.yaml", "tgi_openapi.json", "deepinfra_openapi.json", "xai_openapi.yaml"]


@pytest.mark.parametrize("name", _MUTATED)
def test_mutated_documents_walk_like_the_validator(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One structural defect at a random node of a corpus document: the same complaints
    wherever the fast walk decides, and the same quarantine in every case."""

    def check(upgraded: dict[str, Any]) -> None:
        _assert_same_walk(upgraded)
        assert _outcome(copy.deepcopy(upgraded)) == _slow_quarantine(upgraded, monkeypatch)

    for_each_mutation(name, STRUCTURAL, check)


@FUZZ
@given(document=openapi_documents())
def test_random_documents_walk_like_the_validator(document: dict[str, Any]) -> None:
    """Random documents (cycles, dangling and remote references, hostile names, defaults)."""
    upgraded = upgraded_or_skipped(document)
    _assert_same_walk(upgraded)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _outcome(copy.deepcopy(upgraded)) == _slow_quarantine(upgraded, monkeypatch)


# --- one made-up document per complaint the fast walk words ---------------------------------


def _item(document: dict[str, Any]) -> dict[str, Any]:
    return _schemas(document)["Item"]


WORDED: dict[str, Callable[[dict[str, Any]], Any]] = {
    "dialect: a misspelt type": lambda d: _schemas(d)["Base"].update({"type": "strin"}),
    "dialect: an empty oneOf": lambda d: _schemas(d)["Base"].update({"oneOf": []}),
    "dialect: required names twice, and a second error": lambda d: _schemas(d)["Base"].update(
        {"required": ["id", "id"], "minLength": -1}
    ),
    "dialect: a parameter's inline schema": lambda d: (
        _limit(d).pop("default"),
        _limit(d).update({"type": "Integer"}),
    ),
    "a default its schema rejects": lambda d: _limit(d).update({"default": "ten"}),
    "a default with two errors": lambda d: _name(d).update({"enum": ["x"], "default": ["y"]}),
    "a default inside a default": lambda d: _name(d).update(
        {"type": "object", "properties": {"a": {"type": "integer"}}, "default": {"a": "b"}}
    ),
    "a default a format rejects": lambda d: _name(d).update(
        {"format": "date-time", "default": "yesterday"}
    ),
    "a default a format accepts": lambda d: _name(d).update(
        {"format": "date-time", "default": "2024-01-01T00:00:00Z"}
    ),
    "a default a pattern rejects": lambda d: _name(d).update({"pattern": "^y$"}),
    "a default beside a reference, which is read through": lambda d: _item(d)["properties"].update(
        {"base": {"$ref": "#/components/schemas/Base", "default": 3}}
    ),
    "duplicate tag names": lambda d: d["tags"].append({"name": "items"}),
    "duplicate path-level parameters": lambda d: d["paths"]["/items/{id}"]["parameters"].append(
        copy.deepcopy(d["paths"]["/items/{id}"]["parameters"][0])
    ),
    "duplicate operation parameters": lambda d: _operation(d)["parameters"].append(
        copy.deepcopy(_operation(d)["parameters"][0])
    ),
    "duplicate operationIds": lambda d: d["paths"]["/items/{id}"].update(
        {"post": copy.deepcopy(_operation(d))}
    ),
    "a template name nobody declares": lambda d: d["paths"].update(
        {"/items/{id}/{part}/{z}": d["paths"].pop("/items/{id}")}
    ),
    "a declared path parameter not in the template": lambda d: _operation(d)["parameters"].append(
        {"name": "other", "in": "path", "required": True, "schema": {"type": "string"}}
    ),
    "required names allOf does not define": lambda d: _item(d)["required"].extend(
        ["ghost", "phantom", "spectre"]
    ),
    "required names undefined where the validator does not look": lambda d: _schemas(d).update(
        {"Outer": {"properties": {"inner": {"allOf": [{}], "required": ["ghost"]}}}}
    ),
}


def _decided(document: dict[str, Any]) -> list[Any]:
    fast = keyword_complaints_without_validator(_structure_settled(document))
    assert fast is not None
    return fast


@pytest.mark.parametrize("defect", sorted(WORDED))
def test_each_worded_complaint_is_the_validators(
    defect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _clean()
    WORDED[defect](document)
    assert _decided(document) == keyword_complaints(_structure_settled(document))
    assert _outcome(copy.deepcopy(document)) == _slow_quarantine(document, monkeypatch)


def test_the_made_up_complaints_are_complaints() -> None:
    """The made-up documents do make the validator complain (except where it does not look, or
    a format accepts the default)."""
    silent = {
        "a default a format accepts",
        "a default beside a reference, which is read through",
        "required names undefined where the validator does not look",
    }
    for defect, change in WORDED.items():
        document = _clean()
        change(document)
        assert bool(keyword_complaints(_structure_settled(document))) != (defect in silent), defect


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_the_pre_screens_defects_give_the_validators_quarantine(
    defect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """test_validation_fast_path's defects, now through the fast walk where it decides."""
    document = _clean()
    DEFECTS[defect](document)
    _assert_same_walk(document)
    assert _outcome(copy.deepcopy(document)) == _slow_quarantine(document, monkeypatch)


# --- where the fast walk gives up -----------------------------------------------------------

GIVE_UP: dict[str, Callable[[dict[str, Any]], Any]] = {
    "a default under a schema the dialect rejects": lambda d: _limit(d).update({"type": "Integer"}),
    "a schema that is not a schema, reached by reference": lambda d: (
        d.update({"x-values": {"five": 5}}),
        _item(d)["properties"].update({"five": {"$ref": "#/x-values/five"}}),
    ),
    "a loop of references": lambda d: _schemas(d).update(
        {
            "Base": {"$ref": "#/components/schemas/Other"},
            "Other": {"$ref": "#/components/schemas/Base"},
        }
    ),
    "a default under a schema with an $id": lambda d: _name(d).update(
        {"$id": "https://example.com/name", "default": 3}
    ),
    "a dialect error in a document choosing its dialect": lambda d: (
        d.update({"jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema"}),
        _schemas(d)["Base"].update({"type": "strin"}),
    ),
    "a schema naming its own $schema": lambda d: _schemas(d)["Base"].update(
        {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    ),
    "a loop through allOf": lambda d: _schemas(d)["Base"].update(
        {"allOf": [{"$ref": "#/components/schemas/Item"}]}
    ),
}


@pytest.mark.parametrize("case", sorted(GIVE_UP))
def test_where_the_fast_walk_gives_up_the_validator_runs(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _clean()
    GIVE_UP[case](document)
    assert keyword_complaints_without_validator(_structure_settled(document)) is None
    ran: list[bool] = []

    def validator_walk(document: dict[str, Any]) -> Any:
        ran.append(True)
        return keyword_complaints(document)

    with monkeypatch.context() as patch:
        patch.setattr(quarantine_module, "keyword_complaints", validator_walk)
        fast = _outcome(copy.deepcopy(document))
    assert ran == [True]
    assert fast == _slow_quarantine(document, monkeypatch)


def test_a_moved_node_means_a_new_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pre-screen's troubles are not reused once the structure's settling moved a node."""
    document = _clean()
    document["info"].pop("version")
    _limit(document)["default"] = "ten"
    assert screen(copy.deepcopy(document)).troubles is None
    assert _outcome(copy.deepcopy(document)) == _slow_quarantine(document, monkeypatch)


# --- imports --------------------------------------------------------------------------------


@pytest.mark.parametrize("defect", ["a default its schema rejects", "duplicate operationIds"])
def test_a_worded_complaint_needs_no_validator(defect: str, tmp_path: Path) -> None:
    """Neither the keyword walk nor the structure check imports openapi-spec-validator (a
    default's check needs python-jsonschema, through openapi-schema-validator)."""
    document = _clean()
    WORDED[defect](document)
    document["info"].pop("version")  # a structure complaint too
    path = tmp_path / "defective.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "openapi_spec_validator" not in _modules_after_ingest(path)


def test_a_given_up_walk_imports_the_validator(tmp_path: Path) -> None:
    document = _clean()
    GIVE_UP["a schema that is not a schema, reached by reference"](document)
    path = tmp_path / "defective.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "openapi_spec_validator" in _modules_after_ingest(path)


# --- the dangling-reference check -----------------------------------------------------------


def _assert_same_dangling_verdict(document: dict[str, Any]) -> None:
    from codegen.ingest.prescreen import local_references_resolve
    from codegen.ingest.references import dangling_references

    assert local_references_resolve(document) == (dangling_references(document) == [])


@pytest.mark.parametrize("path", [*CORPUS, REFERENCE], ids=lambda path: path.name)
def test_corpus_references_resolve_as_dangling_references_says(path: Path) -> None:
    _assert_same_dangling_verdict(corpus_31(path))


@FUZZ
@given(document=openapi_documents())
def test_random_references_resolve_as_dangling_references_says(document: dict[str, Any]) -> None:
    """Random documents hold dangling, remote, escaped and percent-encoded references."""
    _assert_same_dangling_verdict(document)


@pytest.mark.parametrize("name", ["openai_openapi.yaml", "tgi_openapi.json"])
def test_broken_references_resolve_as_dangling_references_says(name: str) -> None:
    for_each_mutation(name, ("break_ref",), _assert_same_dangling_verdict)


# Names the validator's path reader treats otherwise (found by the random documents): an empty
# key is dropped from the path, and the walk below a property named by digits words each
# complaint twice. The fast walk is not sure there; the validator runs, and the quarantine is
# what it always was.
@pytest.mark.parametrize(
    "schemas",
    [
        {"S": {"type": "object", "properties": {"": {"oneOf": []}}}},
        {"S": {"properties": {"9": {"items": {"oneOf": []}}}}},
        {"S": {"properties": {"200": {"anyOf": []}}}},
    ],
    ids=["an empty property name", "a property named 9", "a property named 200"],
)
def test_names_the_validator_reads_otherwise_leave_the_walk_unsure(
    schemas: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    document["components"] = {"schemas": schemas}
    settled = _structure_settled(document)
    assert keyword_complaints(copy.deepcopy(settled))  # the validator does complain here
    assert keyword_complaints_without_validator(copy.deepcopy(settled)) is None
    assert _outcome(copy.deepcopy(document)) == _slow_quarantine(document, monkeypatch)


def test_a_digit_name_elsewhere_leaves_the_walk_sure() -> None:
    """Response codes are digits too: only a property's name makes the walk unsure."""
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": {"S": {"properties": {"x": {"oneOf": []}}}}},
    }
    settled = _structure_settled(document)
    fast = keyword_complaints_without_validator(copy.deepcopy(settled))
    assert fast is not None and fast == keyword_complaints(copy.deepcopy(settled))
