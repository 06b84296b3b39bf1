"""The validation pre-screen (``codegen/ingest/prescreen.py``): it says "clean" only where
openapi-spec-validator, as ``quarantine_invalid`` runs it, reports nothing; it never says so for
a document with one of the defects the validator checks; and a clean document's ingest never
imports the validator, while any other still runs it."""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings

from codegen.errors import SpecgenError
from codegen.ingest import _as_openapi_31, choose_reader
from codegen.ingest import quarantine as quarantine_module
from codegen.ingest.oas_schemas import dialect_resources, document_schema
from codegen.ingest.prescreen import Screening, surely_valid
from codegen.ingest.references import dangling_references
from codegen.ingest.source import SourceText
from codegen.ingest.validate import keyword_complaints, schema_complaints, structure_complaints
from tests.fuzz.strategies import openapi_documents
from tests.ingest._mutations import STRUCTURAL, corpus_document, mutate, mutations

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted(
    path for path in (ROOT / "tests" / "corpus").iterdir() if path.suffix in (".yaml", ".json")
)
REFERENCE = ROOT / "specs" / "reference" / "openai-chat-completions.yaml"
FUZZ = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _default_recursion_limit() -> Iterator[None]:
    """The command line's recursion limit: a test run earlier may have raised it, and the
    validator's walk of a loop (which it ends by running out of stack) then takes gigabytes."""
    raised = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(raised)


def _openapi_31(path: str, text: str) -> dict[str, Any]:
    """A document as ingest hands it to the quarantine: read and upgraded to 3.1."""
    source = SourceText.of(path, text)
    output = choose_reader(source).read(source)
    document, _lines, _notes = _as_openapi_31(dict(output.document), output.lines, source)
    return document


def corpus_31(path: Path) -> dict[str, Any]:
    """A corpus document as ingest hands it to the quarantine, read once per test process (the
    3 MB one takes seconds, and several tests check every document); a fresh copy each call."""
    return copy.deepcopy(_read_corpus_31(path))


@functools.cache
def _read_corpus_31(path: Path) -> dict[str, Any]:
    return _openapi_31(str(path), path.read_text(encoding="utf-8"))


def _slow_complaints(document: dict[str, Any]) -> list[Any]:
    """Everything the validator's run in quarantine_invalid reports, in its order."""
    document = copy.deepcopy(document)
    found: list[Any] = list(structure_complaints(document))
    found += dangling_references(document)
    if not found:
        found += keyword_complaints(document)
        found += schema_complaints(document)
    return found


def _slow_quarantine(document: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    """quarantine_invalid with the pre-screen switched off: the validator always runs."""
    with monkeypatch.context() as patch:
        patch.setattr(quarantine_module, "screen", lambda document: Screening(False, None))
        patch.setattr(quarantine_module, "keyword_complaints_without_validator", lambda d: None)
        return _outcome(quarantine_module.quarantine_invalid, copy.deepcopy(document))


def _outcome(function: Callable[..., Any], document: dict[str, Any]) -> Any:
    try:
        return function(document, file="made-up.json")
    except SpecgenError as error:
        return ("refused", error.message, error.pointer)
    except Exception as error:  # the slow path's own failures must stay what they are
        return ("raised", type(error).__name__, str(error))


def _assert_sound(document: dict[str, Any]) -> bool:
    """Where the pre-screen says clean, the validator reports nothing."""
    verdict = surely_valid(copy.deepcopy(document))
    if verdict:
        assert _slow_complaints(document) == []
    return verdict


# --- every corpus document ------------------------------------------------------------------


@pytest.mark.parametrize("path", [*CORPUS, REFERENCE], ids=lambda path: path.name)
def test_corpus_verdict_is_the_validators(path: Path) -> None:
    """On each corpus document (and the seeds' reference) the pre-screen says clean exactly
    where the validator finds nothing: sound, and taken wherever it should be."""
    document = corpus_31(path)
    assert surely_valid(copy.deepcopy(document)) == (_slow_complaints(document) == [])


# --- fuzzed documents -----------------------------------------------------------------------


@FUZZ
@given(document=openapi_documents())
def test_random_documents_clean_only_when_the_validator_agrees(document: dict[str, Any]) -> None:
    """Random documents (cycles, dangling and remote references, hostile names, defaults)."""
    _assert_sound(upgraded_or_skipped(document))


_UNREADABLE_RAW = re.compile("[\x00\x7f-\x84\x86-\x9f\ufffe\uffff]")
"""Characters YAML's reader refuses raw in a stream (NUL, DEL, the C1 controls but NEL, two
non-characters) but reads escaped: JSON may spell any character either way."""


def upgraded_or_skipped(document: dict[str, Any]) -> dict[str, Any]:
    """A random document as ingest reads it and hands it on; an unreadable one is skipped."""
    try:
        # Unicode as itself (YAML reads no escaped surrogates), the characters it refuses raw
        # escaped: left raw, they made four documents in five unreadable, and hypothesis drew
        # ten for every one checked.
        text = _UNREADABLE_RAW.sub(
            lambda match: f"\\u{ord(match.group()):04x}", json.dumps(document, ensure_ascii=False)
        )
        return _openapi_31("random.json", text)
    except SpecgenError:
        assume(False)
        raise


def for_each_mutation(name: str, kinds: tuple[str, ...], check: Callable[[Any], Any]) -> None:
    """``check`` on corpus document ``name`` (upgraded to 3.1) with one random defect of the
    given kinds at a time."""
    document = corpus_document(name)

    @FUZZ
    @given(mutation=mutations(document, kinds))
    def each(mutation: Any) -> None:
        try:
            upgraded = _openapi_31(name, mutate(document, [mutation]).decode("utf-8"))
        except SpecgenError:
            assume(False)
            return
        check(upgraded)

    each()


@pytest.mark.parametrize("name", ["xai_openapi.yaml", "ollama_openapi.yaml"])
def test_mutated_clean_documents_clean_only_when_the_validator_agrees(name: str) -> None:
    """One structural defect at a random node of a clean corpus document."""
    for_each_mutation(name, STRUCTURAL, _assert_sound)


# --- one made-up document per check ---------------------------------------------------------


def _clean() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "tags": [{"name": "items"}],
        "paths": {
            "/items/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {
                    "operationId": "getItem",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "format": "int32", "default": 10},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Item"}
                                }
                            },
                        }
                    },
                },
            }
        },
        "components": {
            "schemas": {
                "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Item": {
                    "allOf": [{"$ref": "#/components/schemas/Base"}],
                    "properties": {"name": {"type": "string", "default": "x"}},
                    "required": ["id", "name"],
                },
            }
        },
    }


def _operation(document: dict[str, Any]) -> dict[str, Any]:
    return document["paths"]["/items/{id}"]["get"]


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    return document["components"]["schemas"]


def _limit(document: dict[str, Any]) -> dict[str, Any]:
    return _operation(document)["parameters"][0]["schema"]


def _name(document: dict[str, Any]) -> dict[str, Any]:
    return _schemas(document)["Item"]["properties"]["name"]


def _retemplate(document: dict[str, Any], url: str) -> None:
    document["paths"][url] = document["paths"].pop("/items/{id}")


DEFECTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "structure: a required member missing": lambda d: d["info"].pop("version"),
    "a dangling reference": lambda d: _schemas(d)["Item"]["allOf"][0].update(
        {"$ref": "#/components/schemas/Missing"}
    ),
    "dialect: a misspelt type": lambda d: _schemas(d)["Base"].update({"type": "strin"}),
    "dialect: a schema naming its own $schema": lambda d: _schemas(d)["Base"].update(
        {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    ),
    "duplicate tag names": lambda d: d["tags"].append({"name": "items"}),
    "duplicate path-level parameters": lambda d: d["paths"]["/items/{id}"]["parameters"].append(
        copy.deepcopy(d["paths"]["/items/{id}"]["parameters"][0])
    ),
    "duplicate operation parameters": lambda d: _operation(d)["parameters"].append(
        copy.deepcopy(_operation(d)["parameters"][0])
    ),
    "a template name nobody declares": lambda d: _retemplate(d, "/items/{id}/{part}"),
    "a declared path parameter not in the template": lambda d: _operation(d)["parameters"].append(
        {"name": "other", "in": "path", "required": True, "schema": {"type": "string"}}
    ),
    "a template str.format cannot read": lambda d: _retemplate(d, "/items/{id"),
    "duplicate operationIds": lambda d: d["paths"]["/items/{id}"].update(
        {"post": copy.deepcopy(_operation(d))}
    ),
    "a schema that is not a schema, reached by reference": lambda d: (
        d.update({"x-values": {"five": 5}}),
        _schemas(d)["Item"]["properties"].update({"five": {"$ref": "#/x-values/five"}}),
    ),
    "a required name allOf does not define": lambda d: _schemas(d)["Item"]["required"].append(
        "ghost"
    ),
    "a default its schema rejects": lambda d: _limit(d).update({"default": "ten"}),
    "a default under a format python-jsonschema checks": lambda d: _name(d).update(
        {"format": "date-time", "default": "2024-01-01T00:00:00Z"}
    ),
    "a default under a pattern": lambda d: _name(d).update({"pattern": "^x$"}),
    "an integer default outside int32": lambda d: _limit(d).update({"default": 2**40}),
    "a float default under multipleOf": lambda d: _limit(d).update(
        {"type": "number", "format": "double", "multipleOf": 0.1, "default": 0.3}
    ),
    "a loop through allOf": lambda d: _schemas(d)["Base"].update(
        {"allOf": [{"$ref": "#/components/schemas/Item"}]}
    ),
    "a loop of references": lambda d: _schemas(d).update(
        {
            "Base": {"$ref": "#/components/schemas/Other"},
            "Other": {"$ref": "#/components/schemas/Base"},
        }
    ),
    "a referenced schema with an $id": lambda d: _schemas(d)["Base"].update(
        {"$id": "https://example.com/base"}
    ),
}


def test_the_clean_document_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """The made-up documents' base: clean, and the quarantine leaves it as the validator does."""
    document = _clean()
    assert _slow_complaints(document) == []
    assert surely_valid(copy.deepcopy(document))
    fast = quarantine_module.quarantine_invalid(copy.deepcopy(document), file="made-up.json")
    assert fast == _slow_quarantine(document, monkeypatch) == document


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_defect_takes_the_validators_path(
    defect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document with exactly one defect: never "clean", and the same quarantine (or the same
    refusal or failure) as with the validator alone."""
    document = _clean()
    DEFECTS[defect](document)
    assert not surely_valid(copy.deepcopy(document))
    fast = _outcome(quarantine_module.quarantine_invalid, copy.deepcopy(document))
    assert fast == _slow_quarantine(document, monkeypatch)


def test_a_remote_reference_is_not_decided() -> None:
    """A reference the validator would fetch is never followed here."""
    document = _clean()
    _schemas(document)["Item"]["allOf"][0]["$ref"] = "https://example.com/s.json#/Base"
    assert not surely_valid(document)


def test_another_structure_backend_is_not_decided(monkeypatch: pytest.MonkeyPatch) -> None:
    """The structure check is decided with jsonschema-rs only while the validator uses it."""
    monkeypatch.setenv("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")
    assert not surely_valid(_clean())


# --- the files read in place of the packages ------------------------------------------------


def test_schema_files_are_the_packages_own() -> None:
    """The OpenAPI 3.1 schema and dialect read from the folders are what the packages load."""
    from openapi_schema_validator._specifications import REGISTRY
    from openapi_spec_validator.schemas import schema_v31

    assert document_schema() == dict(schema_v31)
    resources = dialect_resources()
    assert resources is not None
    assert sorted(uri for uri, _contents in resources) == sorted(
        uri for uri in REGISTRY if "/oas/3.1/" in uri
    )
    assert all(REGISTRY.contents(uri) == contents for uri, contents in resources)


# --- imports --------------------------------------------------------------------------------

_VALIDATORS = ("openapi_spec_validator", "openapi_schema_validator")

_INGEST_AND_REPORT = (
    "import sys; from pathlib import Path; from codegen.ingest import ingest_path; "
    "from codegen.normalize import normalize; "
    "found = ingest_path(Path(sys.argv[1])); "
    "normalize(found) if sys.argv[2] == 'normalize' else None; "
    "print(sorted(m for m in sys.argv[3:] if m in sys.modules))"
)


def _modules_after_ingest(
    path: Path, modules: tuple[str, ...] = _VALIDATORS, *, normalized: bool = False
) -> str:
    """Which of ``modules`` a fresh interpreter has imported once it ingested ``path`` (and
    normalized it, if ``normalized``)."""
    environment = {k: v for k, v in os.environ.items() if "OPENAPI_SPEC_VALIDATOR" not in k}
    stage = "normalize" if normalized else "ingest"
    completed = subprocess.run(
        [sys.executable, "-c", _INGEST_AND_REPORT, str(path), stage, *modules],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=environment,
    )
    return completed.stdout.strip()


def test_a_clean_documents_ingest_imports_no_validator(tmp_path: Path) -> None:
    """Neither openapi-spec-validator nor openapi-schema-validator is imported for it."""
    path = tmp_path / "clean.json"
    path.write_text(json.dumps(_clean()), encoding="utf-8")
    assert _modules_after_ingest(path) == "[]"
    assert _modules_after_ingest(REFERENCE) == "[]"


def test_a_defective_documents_ingest_runs_the_validator(tmp_path: Path) -> None:
    """The slow path still runs when it must (a defect the fast walk of
    ``walk_complaints`` does not decide; see test_walk_complaints for those it does)."""
    document = _clean()
    DEFECTS["a schema that is not a schema, reached by reference"](document)
    path = tmp_path / "defective.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "openapi_spec_validator" in _modules_after_ingest(path)
