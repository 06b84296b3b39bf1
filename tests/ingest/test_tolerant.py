"""Tolerant ingest (issue 9): validation as located evidence, quarantine in one validator run,
the repairs that settle it, 3.0 leftovers in 3.1, references, and the YAML forms real files use.

Each case is a small made-up document, positive and negative.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from codegen.cli import main
from codegen.errors import SpecgenError
from codegen.ingest import ingest_path, ingest_text, quarantine
from codegen.ingest.document import QUARANTINE_EXTENSION
from codegen.ingest.references import UNRESOLVED
from codegen.ingest.source import SourceText
from codegen.ingest.validate import complaints, validation_errors
from codegen.normalize import normalize


def _document(schemas: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas or {"Thing": {"type": "object"}}},
    }
    document.update(top)
    return document


def _ingest(document: dict[str, Any] | str, name: str = "vendor.json"):
    text = document if isinstance(document, str) else json.dumps(document)
    return ingest_text(SourceText.of(name, text))


def _findings(document: dict[str, Any] | str, name: str = "vendor.json"):
    return normalize(_ingest(document, name)).findings


def _thing(normalized_or_doc: dict[str, Any]) -> dict[str, Any]:
    return normalized_or_doc["components"]["schemas"]["Thing"]


def _lint_build_and_run(tmp_path: Path, document: dict[str, Any], package: str, probe: str) -> str:
    """Lint and build ``document`` (both must succeed), then run ``probe`` beside the package in
    an isolated interpreter; returns what it printed."""
    path = tmp_path / f"{package}.json"
    path.write_text(json.dumps(document))
    lint = CliRunner().invoke(main, ["lint", str(path)])
    assert lint.exit_code == 0, lint.output
    out = tmp_path / "out"
    build = CliRunner().invoke(main, ["build", str(path), "--out", str(out), "--package", package])
    assert build.exit_code == 0, build.output
    code = "import sys; sys.path.insert(0, '.')\n" + probe
    run = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=out, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


# --- located complaints -------------------------------------------------------------------


def test_a_default_the_schema_rejects_is_located_at_its_default() -> None:
    """The validator's default check reports no path; the complaint names the default itself."""
    document = _document(
        {"Thing": {"type": "object", "properties": {"n": {"type": "integer", "default": "7"}}}}
    )
    found = complaints(document)
    assert [(c.pointer, c.keyword) for c in found] == [
        ("/components/schemas/Thing/properties/n/default", "default")
    ]


def test_a_complaint_reached_through_a_ref_names_the_referenced_node() -> None:
    """A schema reached via $ref is reported where it is written, not along the ref's path."""
    document = _document({"Thing": {"type": "String"}})
    pointers = {c.pointer for c in complaints(document)}
    assert pointers == {"/components/schemas/Thing/type"}


def test_a_valid_document_has_no_complaints() -> None:
    """Negative: nothing to say about a valid document."""
    assert complaints(_document()) == []


def test_the_validator_runs_once_however_many_defects(monkeypatch: pytest.MonkeyPatch) -> None:
    """Linear cost: forty defects, one run of the validator's schema checks (the old loop
    validated the whole document once per round)."""
    properties = {f"p{i}": {"type": "integer", "default": str(i)} for i in range(20)}
    properties.update({f"q{i}": {"type": "Strng"} for i in range(20)})
    calls: list[str] = []

    def counting(name: str) -> Any:
        original = getattr(quarantine, name)

        def count(*args: Any) -> Any:
            calls.append(name)
            return original(*args)

        return count

    # The keyword walk is the validator's, or the pre-screen's (walk_complaints) in its place.
    for name in ("keyword_complaints", "keyword_complaints_without_validator", "complaints_at"):
        monkeypatch.setattr(quarantine, name, counting(name))
    ingested = _ingest(_document({"Thing": {"type": "object", "properties": properties}}))
    assert len(calls) == 1
    assert len(ingested.openapi[QUARANTINE_EXTENSION]) == 40
    assert validation_errors(ingested.openapi) == []


# --- quarantine and the repairs that settle it -------------------------------------------


def test_a_type_in_another_spelling_is_quarantined_then_read_as_the_json_type() -> None:
    """'String' (a validator rejection) becomes 'string', with a repair naming the pointer."""
    ingested = _ingest(_document({"Thing": {"type": "String"}}))
    assert validation_errors(ingested.openapi) == []
    assert "type" not in _thing(ingested.openapi)
    normalized = normalize(ingested)
    assert _thing(normalized.openapi)["type"] == "string"
    repair = next(f for f in normalized.findings if f.rule == "quarantined-node")
    assert repair.pointer == "/components/schemas/Thing/type"
    assert (repair.level, repair.before, repair.after) == ("repair", "String", "string")


def test_a_type_that_names_no_json_type_stays_out_with_a_warning() -> None:
    """Negative: 'strnig' is not another spelling of anything; it is reported, not guessed."""
    normalized = normalize(_ingest(_document({"Thing": {"type": "strnig"}})))
    assert "type" not in _thing(normalized.openapi)
    warning = next(f for f in normalized.findings if f.rule == "quarantined-node")
    assert warning.level == "warning" and "strnig" in (warning.evidence or "")
    assert validation_errors(normalized.openapi) == []


@pytest.mark.parametrize(
    ("schema", "written", "read"),
    [
        ({"type": "boolean"}, "false", False),
        ({"type": ["integer", "null"]}, "1024", 1024),
        ({"type": ["number", "null"]}, "null", None),
    ],
)
def test_a_default_written_as_text_is_read_as_the_json_value(
    schema: dict[str, Any], written: str, read: Any
) -> None:
    """Defaults such as "false" and "1024" are decoded when the decoded value fits the schema."""
    document = _document(
        {"Thing": {"type": "object", "properties": {"f": {**schema, "default": written}}}}
    )
    normalized = normalize(_ingest(document))
    assert _thing(normalized.openapi)["properties"]["f"]["default"] == read
    assert any(f.rule == "quarantined-node" and f.after == read for f in normalized.findings)
    assert validation_errors(normalized.openapi) == []


def test_a_default_that_fits_in_no_reading_stays_out() -> None:
    """Negative: "auto" for a boolean is no boolean in any spelling; left out and reported."""
    document = _document(
        {"Thing": {"properties": {"f": {"type": "boolean", "default": "auto"}}, "type": "object"}}
    )
    normalized = normalize(_ingest(document))
    assert "default" not in _thing(normalized.openapi)["properties"]["f"]
    assert any(f.level == "warning" and f.rule == "quarantined-node" for f in normalized.findings)


def test_a_null_default_in_a_oneof_with_two_nullable_branches_is_valid_again() -> None:
    """3.0's {type: null} beside nullable: true: null is left to one branch, the default kept."""
    stop = {
        "default": None,
        "oneOf": [{"type": "null"}, {"type": ["string", "null"]}, {"type": "array"}],
    }
    document = _document({"Thing": {"type": "object", "properties": {"stop": stop}}})
    normalized = normalize(_ingest(document))
    branches = _thing(normalized.openapi)["properties"]["stop"]
    assert branches["oneOf"][1]["type"] == "string"
    assert branches["default"] is None
    rules = [f.rule for f in normalized.findings]
    assert "overlapping-null-branches" in rules
    assert validation_errors(normalized.openapi) == []


def test_one_nullable_branch_is_left_alone() -> None:
    """Negative: a oneOf with a single branch admitting null is not touched."""
    stop = {"oneOf": [{"type": ["string", "null"]}, {"type": "array"}]}
    normalized = normalize(_ingest(_document({"Thing": {"properties": {"s": stop}}})))
    assert _thing(normalized.openapi)["properties"]["s"]["oneOf"][0]["type"] == ["string", "null"]
    assert not any(f.rule == "overlapping-null-branches" for f in normalized.findings)


def test_duplicate_required_entries_are_kept_once() -> None:
    """required: [id, id, name] is rejected by the validator; each name is kept once."""
    schema = {
        "type": "object",
        "required": ["id", "id", "name"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
    }
    normalized = normalize(_ingest(_document({"Thing": schema})))
    assert _thing(normalized.openapi)["required"] == ["id", "name"]
    assert validation_errors(normalized.openapi) == []


def test_a_required_name_with_no_property_under_allof_is_dropped() -> None:
    """'Required list has not defined properties' removes only the undefined names."""
    schema = {
        "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}],
        "required": ["a", "ghost"],
    }
    ingested = _ingest(_document({"Thing": schema}))
    assert validation_errors(ingested.openapi) == []
    normalized = normalize(ingested)
    assert _thing(normalized.openapi)["required"] == ["a"]
    assert any(f.before == "ghost" and f.level == "repair" for f in normalized.findings)


def test_an_empty_oneof_is_quarantined_and_the_schema_reported_unknown() -> None:
    """oneOf: [] is invalid; it moves out, and the shape is an unknown for the merge."""
    ingested = _ingest(_document({"Thing": {"oneOf": [], "description": "a strategy"}}))
    assert validation_errors(ingested.openapi) == []
    normalized = normalize(ingested)
    assert _thing(normalized.openapi).get("x-specgen-unknown") == "shape"
    assert any(f.pointer == "/components/schemas/Thing/oneOf" for f in normalized.findings)


def test_a_missing_info_version_gets_a_placeholder_and_a_warning() -> None:
    """OpenAPI requires info.version; an empty placeholder stands in, and the report says so."""
    document = _document()
    del document["info"]["version"]
    normalized = normalize(_ingest(document))
    assert normalized.openapi["info"]["version"] == ""
    warning = next(f for f in normalized.findings if f.pointer == "/info/version")
    assert warning.level == "warning" and "placeholder" in warning.message


def test_unexpected_keys_move_out_one_by_one() -> None:
    """An operation with a key OpenAPI does not allow loses that key only, not the operation."""
    document = _document()
    operation = document["paths"]["/things"]["get"]
    operation["bogus"] = 1
    operation["responses"]["999"] = {"description": "?"}
    ingested = _ingest(document)
    kept = ingested.openapi["paths"]["/things"]["get"]
    assert "bogus" not in kept and "999" not in kept["responses"] and "200" in kept["responses"]
    pointers = {entry["pointer"] for entry in ingested.openapi[QUARANTINE_EXTENSION]}
    assert pointers == {"/paths/~1things/get/bogus", "/paths/~1things/get/responses/999"}


def test_a_duplicate_operation_id_moves_out_and_is_generated_again() -> None:
    """Two operations with one operationId: the second loses it, and a name is generated."""
    document = _document()
    document["paths"]["/other"] = {"get": dict(document["paths"]["/things"]["get"])}
    normalized = normalize(_ingest(document))
    ids = [item["get"].get("operationId") for item in normalized.openapi["paths"].values()]
    assert len(set(ids)) == 2 and all(ids)
    assert validation_errors(normalized.openapi) == []


def test_a_path_parameter_the_url_names_but_nobody_declares_is_declared() -> None:
    """'/things/{id}' with no id parameter: declared as a required string, and reported."""
    document = _document()
    document["paths"]["/things/{id}"] = document["paths"].pop("/things")
    ingested = _ingest(document)
    assert validation_errors(ingested.openapi) == []
    parameters = ingested.openapi["paths"]["/things/{id}"]["get"]["parameters"]
    assert parameters == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    normalized = normalize(ingested)
    assert any("placeholder" in f.message for f in normalized.findings)


def test_a_component_name_openapi_forbids_is_renamed_and_its_refs_follow() -> None:
    """'a/b' and 'with space' are not component names; renamed, every $ref updated."""
    document = _document(
        {
            "Thing": {
                "type": "object",
                "properties": {
                    "x": {"$ref": "#/components/schemas/a~1b"},
                    "y": {"$ref": "#/components/schemas/with%20space"},
                },
            },
            "a/b": {"type": "string"},
            "with space": {"type": "integer"},
        }
    )
    ingested = _ingest(document)
    schemas = ingested.openapi["components"]["schemas"]
    assert set(schemas) == {"Thing", "a_b", "with_space"}
    properties = schemas["Thing"]["properties"]
    assert properties["x"] == {"$ref": "#/components/schemas/a_b"}
    assert properties["y"] == {"$ref": "#/components/schemas/with_space"}
    assert validation_errors(ingested.openapi) == []


def test_a_document_with_no_operations_is_refused_with_its_line() -> None:
    """Not an API description: one line naming the file and line, nothing else."""
    text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
    with pytest.raises(SpecgenError) as raised:
        _ingest(text, "empty.yaml")
    assert str(raised.value) == (
        "empty.yaml:3: not an API description: no operations (its paths are empty)"
    )


def test_lint_exits_2_on_a_document_without_operations(tmp_path: Path) -> None:
    """The CLI gives that refusal as one error line and exit 2."""
    path = tmp_path / "components-only.yaml"
    path.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents: {}\n")
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "components-only.yaml:1: not an API description" in errors[0]


# --- 3.0 keywords left in a 3.1 document ---------------------------------------------------


def test_nullable_left_in_a_31_document_is_read_as_a_null_type() -> None:
    """A 3.1 file still saying nullable: true means null is allowed; a note names it."""
    document = _document({"Thing": {"type": "string", "nullable": True}})
    ingested = _ingest(document)
    assert _thing(ingested.openapi) == {"type": ["string", "null"]}
    note = next(n for n in ingested.notes if n.rule == "openapi-30-keyword")
    assert note.pointer == "/components/schemas/Thing/nullable"


def test_a_boolean_exclusive_minimum_in_a_31_document_becomes_numeric() -> None:
    """exclusiveMinimum: true beside minimum: 0 is the 3.0 way of saying > 0."""
    document = _document({"Thing": {"type": "number", "minimum": 0, "exclusiveMinimum": True}})
    ingested = _ingest(document)
    assert _thing(ingested.openapi) == {"type": "number", "exclusiveMinimum": 0}
    assert validation_errors(ingested.openapi) == []


def test_a_clean_31_document_gets_no_30_notes() -> None:
    """Negative: a 3.1 document in 3.1 style is not rewritten."""
    document = _document({"Thing": {"type": ["string", "null"], "exclusiveMinimum": 0}})
    assert not [n for n in _ingest(document).notes if n.rule == "openapi-30-keyword"]


def test_a_ref_with_siblings_keeps_them_in_31_and_nullable_becomes_a_union_in_30() -> None:
    """3.1 allows $ref siblings; a 3.0 nullable sibling of a $ref becomes anyOf [ref, null]."""
    document = _document(
        {
            "Thing": {
                "type": "object",
                "properties": {
                    "a": {"$ref": "#/components/schemas/Other", "description": "kept"},
                    "b": {"$ref": "#/components/schemas/Other", "nullable": True},
                },
            },
            "Other": {"type": "string"},
        }
    )
    document["openapi"] = "3.0.3"
    properties = _thing(_ingest(document).openapi)["properties"]
    assert properties["a"] == {"$ref": "#/components/schemas/Other", "description": "kept"}
    assert properties["b"] == {"anyOf": [{"$ref": "#/components/schemas/Other"}, {"type": "null"}]}


# --- references -----------------------------------------------------------------------------


def test_a_ref_to_another_local_file_is_bundled_relative_to_the_document(tmp_path: Path) -> None:
    """schemas/pet.yaml#/Pet (with its own refs, and a cycle back) is copied into components."""
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "pet.yaml").write_text(
        "Pet:\n  type: object\n  properties:\n"
        "    owner: {$ref: 'owner.yaml'}\n    friend: {$ref: '#/Pet'}\n"
    )
    (tmp_path / "schemas" / "owner.yaml").write_text(
        "type: object\nproperties:\n  name: {type: string}\n"
    )
    document = _document({"Thing": {"$ref": "schemas/pet.yaml#/Pet"}})
    path = tmp_path / "api.json"
    path.write_text(json.dumps(document))
    ingested = ingest_path(path)
    schemas = ingested.openapi["components"]["schemas"]
    assert schemas["Thing"] == {"$ref": "#/components/schemas/Pet"}
    assert schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/owner"}
    assert schemas["Pet"]["properties"]["friend"] == {"$ref": "#/components/schemas/Pet"}
    assert schemas["owner"]["properties"]["name"] == {"type": "string"}
    assert validation_errors(ingested.openapi) == []
    assert sum(n.rule == "external-reference" for n in ingested.notes) == 2


def test_a_remote_ref_is_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    """http(s) refs become unknown shapes with a warning; any socket use fails the test."""

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("ingest tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    document = _document({"Thing": {"$ref": "https://example.com/schemas.yaml#/Pet"}})
    ingested = _ingest(document)
    assert _thing(ingested.openapi) == {UNRESOLVED: "https://example.com/schemas.yaml#/Pet"}
    note = next(n for n in ingested.notes if n.rule == "unresolved-reference")
    assert note.level == "warning" and "never fetched" in note.message
    normalized = normalize(ingested)
    assert _thing(normalized.openapi).get("x-specgen-unknown") == "shape"


@pytest.mark.parametrize(
    ("reference", "why"),
    [
        ("#/components/schemas/Missing", "names nothing in this document"),
        ("missing.yaml#/Pet", "cannot be read"),
        ("../../../../../../etc/hosts", "points outside the project"),
    ],
)
def test_a_ref_that_cannot_be_followed_is_an_unknown_shape(reference: str, why: str) -> None:
    """Dangling, missing-file and escaping refs: a warning each, never an exception."""
    document = _document({"Thing": {"$ref": reference}})
    ingested = _ingest(document, name=str(Path.cwd() / "vendor.json"))
    assert _thing(ingested.openapi) == {UNRESOLVED: reference}
    assert any(why in n.message for n in ingested.notes)
    assert validation_errors(ingested.openapi) == []


def test_ref_cycles_of_one_and_two_steps_lint_and_build(tmp_path: Path) -> None:
    """A schema that refers to itself, and two that refer to each other, build and import."""
    document = _document(
        {
            "Thing": {
                "type": "object",
                "properties": {
                    "self": {"$ref": "#/components/schemas/Thing"},
                    "ring": {"$ref": "#/components/schemas/A"},
                },
            },
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
        }
    )
    probe = (
        "import cyc.types as t; print(sorted(n for n in dir(t) if n[0].isupper() and"
        " isinstance(getattr(t, n), type) and issubclass(getattr(t, n), t.ResponseModel) and"
        " n != 'ResponseModel'))"
    )
    probe += (
        "\nthing = t.Thing.model_validate({'self': {'self': {}}, 'ring': {'b': {'a': {}}}})"
        "\nprint(type(thing.self.self).__name__, type(thing.ring.b.a).__name__)"
    )
    printed = _lint_build_and_run(tmp_path, document, "cyc", probe)
    # Each model takes its schema's own name, and the references back are models that refer to
    # themselves (and to each other), to any depth.
    assert printed.split() == ["['A',", "'B',", "'Thing']", "Thing", "A"]


# --- what real YAML and JSON files contain -------------------------------------------------


def test_a_duplicate_mapping_key_keeps_the_last_value_with_a_warning() -> None:
    """As YAML 1.1 loaders do: last one wins; the finding names both lines."""
    text = (
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses: {'200': {description: first}}\n"
        "      responses: {'204': {description: second}}\n"
    )
    ingested = _ingest(text, "dup.yaml")
    assert list(ingested.openapi["paths"]["/a"]["get"]["responses"]) == ["204"]
    note = next(n for n in ingested.notes if n.rule == "duplicate-key")
    assert (note.pointer, note.line, note.level) == ("/paths/~1a/get/responses", 7, "warning")
    assert "line 6" in (note.evidence or "")


def test_tab_indentation_is_read_and_reported() -> None:
    """YAML forbids tabs in indentation; they are read as tab stops, with a warning."""
    text = "openapi: 3.1.0\ninfo:\n\ttitle: t\n\tversion: '1'\npaths:\n  /a:\n    get:\n" + (
        "      responses: {'200': {description: ok}}\n"
    )
    ingested = _ingest(text, "tabs.yaml")
    assert ingested.openapi["info"] == {"title": "t", "version": "1"}
    assert any(n.rule == "tab-indentation" and n.line == 3 for n in ingested.notes)


def test_a_bom_dates_and_huge_integers_are_read_as_written(tmp_path: Path) -> None:
    """A UTF-8 BOM is skipped; an unquoted date stays a string; a huge integer example stays."""
    text = (
        "openapi: 3.1.0\ninfo: {title: t, version: 2024-01-01}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema:\n                type: integer\n"
        "                examples: [99999999999999999999999]\n"
    )
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    ingested = ingest_path(path)
    assert ingested.openapi["info"]["version"] == "2024-01-01"
    schema = ingested.openapi["paths"]["/a"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert schema["examples"] == [99999999999999999999999]
    assert yaml.safe_load(ingested.to_yaml())["info"]["version"] == "2024-01-01"


@pytest.mark.parametrize("fenced", [False, True])
def test_json_is_read_bare_or_in_a_markdown_fence(fenced: bool) -> None:
    """A JSON document on its own, or pasted into a markdown page's fence."""
    body = json.dumps(_document(), indent=2)
    text = f"# API\n\n```json\n{body}\n```\n" if fenced else body
    ingested = _ingest(text, "page.md" if fenced else "api.json")
    assert ingested.openapi["paths"]["/things"]["get"]["operationId"] == "listThings"


def test_a_json_document_whose_descriptions_hold_code_fences_is_read_bare() -> None:
    """A ``` inside a description does not make the file a markdown page."""
    document = _document()
    document["info"]["description"] = "Use it:\n```python\nclient.get()\n```\n"
    text = json.dumps(document, indent=2).replace("\\n", "\n")
    text = json.dumps(document, indent=2)
    assert "```" in text
    assert _ingest(text).reader == "openapi"


def test_notes_survive_the_trip_through_an_ingested_file(tmp_path: Path) -> None:
    """specs/*.yaml keep what ingest noted: re-reading gives the same findings."""
    document = _document({"Thing": {"type": "string", "nullable": True}})
    ingested = _ingest(document, str(tmp_path / "vendor.json"))
    written = tmp_path / "vendor.yaml"
    written.write_text(ingested.to_yaml(relative_to=str(tmp_path)))
    again = ingest_path(written)
    assert again.notes == ingested.notes
    assert [f.rule for f in normalize(again).findings] == [
        f.rule for f in normalize(ingested).findings
    ]


def test_const_with_or_without_a_type_and_mixed_enums_build_and_validate(tmp_path: Path) -> None:
    """const: 3, const with type, and an enum mixing numbers, strings and null: the package builds,
    imports, and its response model keeps each documented value."""
    document = _document(
        {
            "Thing": {
                "type": "object",
                "properties": {
                    "bare": {"const": 3},
                    "typed": {"type": "string", "const": "thing"},
                    "mixed": {"enum": [1, "a", None, 2.5]},
                },
            }
        }
    )
    probe = (
        "import json; from vals.types import Thing as T\n"
        "for body in ({'bare': 3, 'typed': 'thing', 'mixed': 1}, {'mixed': 'a'}, {'mixed': None},"
        " {'mixed': 2.5}):\n"
        "    print(json.dumps(T.model_validate(body).model_dump(exclude_unset=True)))"
    )
    printed = _lint_build_and_run(tmp_path, document, "vals", probe)
    assert [json.loads(line) for line in printed.splitlines()] == [
        {"bare": 3, "typed": "thing", "mixed": 1},
        {"mixed": "a"},
        {"mixed": None},
        {"mixed": 2.5},
    ]


def test_a_loop_of_bare_references_becomes_unknown_shapes() -> None:
    """A: {$ref: A} and B -> C -> B name nothing: unknown shapes with a warning each; a schema
    that refers into the loop keeps its reference."""
    document = _document(
        {
            "Thing": {"$ref": "#/components/schemas/Thing"},
            "B": {"$ref": "#/components/schemas/C"},
            "C": {"$ref": "#/components/schemas/B", "description": "x"},
            "D": {"$ref": "#/components/schemas/B"},
        }
    )
    ingested = _ingest(document)
    schemas = ingested.openapi["components"]["schemas"]
    assert schemas["Thing"] == {UNRESOLVED: "#/components/schemas/Thing"}
    assert schemas["C"] == {UNRESOLVED: "#/components/schemas/B", "description": "x"}
    assert schemas["D"] == {"$ref": "#/components/schemas/B"}
    looped = [n.pointer for n in ingested.notes if "refers back to itself" in n.message]
    assert looped == [
        "/components/schemas/B/$ref",
        "/components/schemas/C/$ref",
        "/components/schemas/Thing/$ref",
    ]
    assert validation_errors(ingested.openapi) == []


def test_a_recursive_type_through_properties_is_not_a_loop() -> None:
    """Negative: Thing.next -> Thing is a linked list, a real recursive type; nothing changes."""
    thing = {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Thing"}}}
    ingested = _ingest(_document({"Thing": thing}))
    assert _thing(ingested.openapi) == thing
    assert not [n for n in ingested.notes if n.rule == "unresolved-reference"]
