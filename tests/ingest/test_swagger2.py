"""Swagger 2.0 -> OpenAPI 3.0.3: each conversion on a small made-up document, then a real one."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV2SpecValidator, OpenAPIV31SpecValidator

from codegen.ingest.notes import IngestNote
from codegen.ingest.swagger2 import upgrade_swagger2
from codegen.ingest.upgrade import upgrade_to_31
from codegen.ingest.yaml_lines import load_with_lines
from codegen.jsonpointer import join, resolve
from codegen.openapi_walk import HTTP_METHODS

ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = Path("/work/shared/corpus")
OK = {"200": {"description": "ok"}}
REQUEST_BODY_NOTES = (
    "body parameter became requestBody",
    "formData parameters became requestBody",
    "body parameter reference became requestBody reference",
    "body parameter reference became inline requestBody (consumes differ)",
)


def corpus_file(name: str) -> Path:
    """The test copy of a corpus document, else the shared one."""
    local = ROOT / "tests" / "corpus" / name
    return local if local.exists() else SHARED_CORPUS / name


def swagger(paths: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    document: dict[str, Any] = {"swagger": "2.0", "info": {"title": "t", "version": "1"}}
    document.update(top)
    document["paths"] = paths if paths is not None else {}
    return document


def post(
    *parameters: dict[str, Any], top: dict[str, Any] | None = None, **operation: Any
) -> dict[str, Any]:
    """A document with one operation, ``POST /things``; ``top`` adds top-level sections."""
    operation.setdefault("responses", OK)
    if parameters:
        operation["parameters"] = list(parameters)
    return swagger({"/things": {"post": operation}}, **(top or {}))


def body(schema: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"in": "body", "name": "payload", "schema": schema or {"type": "object"}, **extra}


def form(name: str, kind: str = "string", **extra: Any) -> dict[str, Any]:
    return {"in": "formData", "name": name, "type": kind, **extra}


def lines_of(document: dict[str, Any]) -> dict[str, int]:
    """The line map a reader would give for the document written out as indented JSON."""
    _, lines = load_with_lines(json.dumps(document, indent=2), file="vendor.json")
    return lines


def run(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int], list[IngestNote]]:
    return upgrade_swagger2(document, lines_of(document))


def upgraded(document: dict[str, Any]) -> dict[str, Any]:
    return run(document)[0]


def notes_of(document: dict[str, Any]) -> list[IngestNote]:
    return run(document)[2]


def messages(document: dict[str, Any]) -> list[str]:
    return [note.message for note in notes_of(document)]


def operation_of(document: dict[str, Any], path: str = "/things", method: str = "post") -> Any:
    return upgraded(document)["paths"][path][method]


def complaints_31(document: dict[str, Any]) -> list[str]:
    """What openapi-spec-validator says of the 3.1 form of an upgraded document."""
    document_31, _ = upgrade_to_31(document, {})
    return [error.message for error in OpenAPIV31SpecValidator(document_31).iter_errors()]


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, item[method])
        for path, item in document["paths"].items()
        for method in HTTP_METHODS
        if isinstance(item.get(method), dict)
    ]


def all_pointers(node: Any, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(node, dict):
        for key, value in node.items():
            found += all_pointers(value, join(pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += all_pointers(value, join(pointer, index))
    return found


def container_ids(node: Any) -> set[int]:
    found: set[int] = set()
    if isinstance(node, dict | list):
        found.add(id(node))
        for value in node.values() if isinstance(node, dict) else node:
            found |= container_ids(value)
    return found


# -- the document as a whole ------------------------------------------------------------------


def test_result_is_openapi_303_and_the_input_is_left_unchanged() -> None:
    """The version key is replaced, and the vendor's dict is neither mutated nor shared."""
    document = post(body(), form("ignored"), consumes=["application/json"])
    document["definitions"] = {"A": {"type": "object", "x-nullable": True}}
    before = copy.deepcopy(document)
    result = upgraded(document)
    assert result["openapi"] == "3.0.3"
    assert "swagger" not in result
    assert document == before
    assert container_ids(result).isdisjoint(container_ids(document))


def test_everything_else_is_kept_as_written() -> None:
    """info, tags, externalDocs, extensions, operation metadata and security pass through."""
    document = swagger(
        {
            "/things": {
                "x-path-note": 1,
                "get": {
                    "operationId": "listThings",
                    "summary": "List",
                    "description": "Lists things.",
                    "deprecated": True,
                    "tags": ["things"],
                    "security": [{"key": []}],
                    "x-code-samples": [{"lang": "sh"}],
                    "externalDocs": {"url": "https://example.com/op"},
                    "responses": OK,
                },
            }
        },
        tags=[{"name": "things", "description": "Things."}],
        externalDocs={"url": "https://example.com"},
        security=[{"key": []}],
        securityDefinitions={"key": {"type": "apiKey", "name": "X-Key", "in": "header"}},
        **{"x-logo": {"url": "logo.png"}},
    )
    document["info"]["contact"] = {"name": "n"}
    result = upgraded(document)
    assert result["info"] == document["info"]
    assert result["tags"] == document["tags"]
    assert result["externalDocs"] == document["externalDocs"]
    assert result["security"] == document["security"]
    assert result["x-logo"] == {"url": "logo.png"}
    assert result["paths"]["/things"]["x-path-note"] == 1
    assert result["paths"]["/things"]["get"] == document["paths"]["/things"]["get"]


def test_a_well_formed_document_using_every_conversion_validates_after_the_31_upgrade() -> None:
    """Bodies, forms, headers, servers, components and security together pass the 3.1 validator."""
    document = swagger(
        {
            "/things/{id}": {
                "parameters": [{"in": "path", "name": "id", "required": True, "type": "string"}],
                "put": {
                    "consumes": ["application/json", "application/xml"],
                    "produces": ["application/json"],
                    "parameters": [
                        {"$ref": "#/parameters/Limit"},
                        body({"$ref": "#/definitions/model.Thing"}, required=True),
                        {
                            "in": "query",
                            "name": "tags",
                            "type": "array",
                            "items": {"type": "string"},
                            "collectionFormat": "pipes",
                        },
                        {"in": "header", "name": "X-Trace", "type": "string", "x-nullable": True},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "schema": {"$ref": "#/definitions/model.Thing"},
                            "headers": {"X-Rate": {"type": "integer", "format": "int32"}},
                            "examples": {"application/json": {"name": "x"}},
                        },
                        "404": {"$ref": "#/responses/NotFound"},
                    },
                },
            },
            "/uploads": {
                "post": {
                    "parameters": [
                        form("file", "file", required=True),
                        form("purpose", enum=["a", "b"]),
                        {"$ref": "#/parameters/Label"},
                    ],
                    "responses": {"204": {"description": "stored"}},
                }
            },
            "/search": {
                "post": {
                    "parameters": [{"$ref": "#/parameters/Query"}],
                    "responses": {"200": {"description": "ok", "schema": {"type": "file"}}},
                    "produces": ["application/octet-stream"],
                }
            },
        },
        host="api.example.com",
        basePath="/v1",
        schemes=["https", "http"],
        definitions={
            "model.Thing": {
                "type": "object",
                "required": ["name"],
                "discriminator": "name",
                "properties": {
                    "name": {"type": "string", "x-nullable": True, "example": "a"},
                    "extra": {},
                    "parts": {"type": "array", "items": {"$ref": "#/definitions/model.Thing"}},
                },
            }
        },
        parameters={
            "Limit": {"in": "query", "name": "limit", "type": "integer", "minimum": 1},
            "Query": body({"type": "object"}),
            "Label": form("label"),
        },
        responses={"NotFound": {"description": "missing", "schema": {"type": "string"}}},
        securityDefinitions={
            "basic": {"type": "basic"},
            "oauth": {
                "type": "oauth2",
                "flow": "accessCode",
                "authorizationUrl": "https://example.com/auth",
                "tokenUrl": "https://example.com/token",
                "scopes": {"read": "read things"},
            },
        },
        security=[{"basic": []}],
    )
    assert complaints_31(upgraded(document)) == []


# -- 1. body parameters ------------------------------------------------------------------------


def test_body_parameter_becomes_request_body_with_the_operation_consumes() -> None:
    """Schema, description and required move; each operation media type gets the schema."""
    document = post(
        body({"$ref": "#/definitions/Thing"}, description="The thing.", required=True),
        consumes=["application/json", "text/plain"],
    )
    operation = operation_of(document)
    assert "parameters" not in operation
    assert operation["requestBody"] == {
        "description": "The thing.",
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}},
            "text/plain": {"schema": {"$ref": "#/components/schemas/Thing"}},
        },
    }
    content = operation["requestBody"]["content"]
    assert content["application/json"]["schema"] is not content["text/plain"]["schema"]


def test_body_parameter_uses_the_document_consumes_when_the_operation_has_none() -> None:
    """No operation consumes: the document-level list gives the media types."""
    document = post(body())
    document["consumes"] = ["application/vnd.thing+json"]
    content = operation_of(document)["requestBody"]["content"]
    assert list(content) == ["application/vnd.thing+json"]


def test_body_parameter_with_no_consumes_anywhere_gets_application_json() -> None:
    """Negative: nothing says a media type, so the body is application/json, and not required."""
    request_body = operation_of(post(body()))["requestBody"]
    assert list(request_body["content"]) == ["application/json"]
    assert "required" not in request_body
    assert "name" not in request_body and "in" not in request_body


def test_body_parameter_without_a_schema_gets_an_empty_schema() -> None:
    """A body with no schema (malformed 2.0) still becomes a request body with content."""
    content = operation_of(post({"in": "body", "name": "b"}))["requestBody"]["content"]
    assert content == {"application/json": {"schema": {}}}


def test_other_parameters_stay_and_are_renumbered_when_the_body_leaves() -> None:
    """The body's list slot goes; the rest keep their order and lines under new indexes."""
    query = {"in": "query", "name": "q", "type": "string"}
    document = post(body(), query)
    result, lines, _ = run(document)
    operation = result["paths"]["/things"]["post"]
    assert [p["name"] for p in operation["parameters"]] == ["q"]
    vendor = lines_of(document)
    assert lines["/paths/~1things/post/parameters/0"] == vendor["/paths/~1things/post/parameters/1"]


# -- 2. formData parameters --------------------------------------------------------------------


def test_formdata_with_a_file_becomes_a_multipart_object_with_a_binary_property() -> None:
    """One object schema: each part a property, required collected, file a binary string."""
    document = post(
        form("model", required=True, description="Model"),
        form("file", "file", required=True, description="File"),
        form("language"),
    )
    request_body = operation_of(document)["requestBody"]
    assert request_body["required"] is True
    assert list(request_body["content"]) == ["multipart/form-data"]
    schema = request_body["content"]["multipart/form-data"]["schema"]
    assert schema == {
        "type": "object",
        "properties": {
            "model": {"type": "string", "description": "Model"},
            "file": {"type": "string", "format": "binary", "description": "File"},
            "language": {"type": "string"},
        },
        "required": ["model", "file"],
    }
    assert messages(document).count("type: file became type: string, format: binary") == 1


def test_formdata_without_a_file_becomes_url_encoded_and_not_required() -> None:
    """Negative: no file and no multipart consumes, so the form is URL-encoded; nothing required."""
    request_body = operation_of(post(form("a"), form("b", "integer")))["requestBody"]
    assert list(request_body["content"]) == ["application/x-www-form-urlencoded"]
    schema = request_body["content"]["application/x-www-form-urlencoded"]["schema"]
    assert "required" not in schema and "required" not in request_body
    assert schema["properties"] == {"a": {"type": "string"}, "b": {"type": "integer"}}


def test_formdata_is_multipart_when_consumes_says_so_even_without_a_file() -> None:
    """An operation consuming multipart/form-data gets a multipart body for plain fields."""
    document = post(form("a"), consumes=["multipart/form-data"])
    assert list(operation_of(document)["requestBody"]["content"]) == ["multipart/form-data"]


def test_operation_without_formdata_gets_no_request_body() -> None:
    """Negative: query and header parameters alone make no request body, multipart or other."""
    operation = operation_of(
        post(
            {"in": "query", "name": "q", "type": "string"},
            {"in": "header", "name": "H", "type": "string"},
        )
    )
    assert "requestBody" not in operation
    assert [p["in"] for p in operation["parameters"]] == ["query", "header"]


def test_formdata_collection_format_becomes_an_encoding_entry() -> None:
    """A form array's collectionFormat is said in the media type's encoding."""
    tags = form("tags", "array", items={"type": "string"}, collectionFormat="multi")
    media = operation_of(post(tags))["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert media["encoding"] == {"tags": {"style": "form", "explode": True}}
    assert media["schema"]["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}


# -- 3. produces, responses, headers, examples -------------------------------------------------


def test_produces_become_the_media_types_of_each_response_with_a_schema() -> None:
    """Every produced media type carries the response schema."""
    document = post(
        produces=["application/json", "text/event-stream"],
        responses={"200": {"description": "ok", "schema": {"type": "string"}}},
    )
    content = operation_of(document)["responses"]["200"]["content"]
    assert content == {
        "application/json": {"schema": {"type": "string"}},
        "text/event-stream": {"schema": {"type": "string"}},
    }


def test_response_without_a_schema_gets_no_content() -> None:
    """Negative: a description-only response stays description-only."""
    document = post(produces=["application/json"], responses={"204": {"description": "gone"}})
    assert operation_of(document)["responses"]["204"] == {"description": "gone"}


def test_responses_use_the_document_produces_else_application_json() -> None:
    """No operation produces: the document's list, and with none at all, application/json."""
    response = {"200": {"description": "ok", "schema": {"type": "string"}}}
    with_document = post(responses=response)
    with_document["produces"] = ["text/plain"]
    assert list(operation_of(with_document)["responses"]["200"]["content"]) == ["text/plain"]
    assert list(operation_of(post(responses=response))["responses"]["200"]["content"]) == [
        "application/json"
    ]


def test_response_headers_become_header_objects_with_a_schema() -> None:
    """type/format/items move into schema, description stays on the header."""
    headers = {
        "X-Rate": {"type": "integer", "format": "int32", "description": "Rate."},
        "X-Ids": {"type": "array", "items": {"type": "string"}, "collectionFormat": "csv"},
    }
    document = post(responses={"200": {"description": "ok", "headers": headers}})
    result = operation_of(document)["responses"]["200"]["headers"]
    assert result["X-Rate"] == {
        "description": "Rate.",
        "schema": {"type": "integer", "format": "int32"},
    }
    assert result["X-Ids"] == {
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "simple",
        "explode": False,
    }


def test_response_examples_by_mime_type_become_the_media_type_example() -> None:
    """examples: {mime: value} is that media type's example; refs inside the data stay data."""
    example = {"name": "x", "$ref": "#/definitions/NotAReference"}
    document = post(
        responses={
            "200": {
                "description": "ok",
                "schema": {"type": "object"},
                "examples": {"application/json": example},
            }
        }
    )
    media = operation_of(document)["responses"]["200"]["content"]["application/json"]
    assert media == {"schema": {"type": "object"}, "example": example}


def test_a_type_file_response_schema_becomes_a_binary_string() -> None:
    """A downloaded file, like an uploaded one, is type string with format binary."""
    document = post(
        produces=["audio/mpeg"],
        responses={"200": {"description": "audio", "schema": {"type": "file"}}},
    )
    content = operation_of(document)["responses"]["200"]["content"]
    assert content == {"audio/mpeg": {"schema": {"type": "string", "format": "binary"}}}


# -- 4. non-body parameters and collectionFormat -----------------------------------------------


def test_non_body_parameter_type_keywords_move_into_schema() -> None:
    """Every listed type keyword (and x-nullable) moves; name, in, description, required stay."""
    keywords = {
        "type": "array",
        "items": {"type": "integer"},
        "minItems": 1,
        "maxItems": 3,
        "uniqueItems": True,
        "default": [1],
    }
    number = {
        "type": "number",
        "format": "double",
        "enum": [1.5, 2.5],
        "minimum": 0,
        "maximum": 9,
        "exclusiveMinimum": True,
        "exclusiveMaximum": False,
        "multipleOf": 0.5,
    }
    text = {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^a", "x-nullable": True}
    document = post(
        {"in": "query", "name": "ids", "collectionFormat": "multi", **keywords},
        {"in": "header", "name": "X-N", "required": True, "description": "N.", **number},
        {"in": "path", "name": "s", "required": True, "x-vendor": 1, **text},
    )
    ids, n, s = operation_of(document)["parameters"]
    assert ids == {
        "in": "query",
        "name": "ids",
        "schema": keywords,
        "style": "form",
        "explode": True,
    }
    assert n == {
        "in": "header",
        "name": "X-N",
        "required": True,
        "description": "N.",
        "schema": number,
    }
    assert s["schema"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 5,
        "pattern": "^a",
        "nullable": True,
    }
    assert s["x-vendor"] == 1


def test_parameter_without_type_keywords_gets_an_empty_schema_and_keeps_allow_empty_value() -> None:
    """An untyped query parameter is an empty schema; allowEmptyValue stays on the parameter."""
    document = post({"in": "query", "name": "flag", "allowEmptyValue": True})
    (flag,) = operation_of(document)["parameters"]
    assert flag == {"in": "query", "name": "flag", "allowEmptyValue": True, "schema": {}}


@pytest.mark.parametrize(
    ("collection_format", "style", "explode"),
    [
        ("csv", "form", False),
        ("ssv", "spaceDelimited", False),
        ("pipes", "pipeDelimited", False),
        ("multi", "form", True),
    ],
)
def test_query_collection_format_becomes_style_and_explode(
    collection_format: str, style: str, explode: bool
) -> None:
    """Each 2.0 query array format is the matching 3.0 style/explode pair, with a note."""
    parameter = {
        "in": "query",
        "name": "ids",
        "type": "array",
        "items": {"type": "string"},
        "collectionFormat": collection_format,
    }
    document = post(parameter)
    (result,) = operation_of(document)["parameters"]
    assert (result["style"], result["explode"]) == (style, explode)
    assert "collectionFormat" not in result
    (note,) = [n for n in notes_of(document) if "collectionFormat" in n.message]
    assert note.pointer == "/paths/~1things/post/parameters/0/collectionFormat"
    assert note.before == {"collectionFormat": collection_format}
    assert note.after == {"style": style, "explode": explode}


@pytest.mark.parametrize("location", ["path", "header"])
def test_csv_on_a_path_or_header_parameter_is_style_simple(location: str) -> None:
    """Path and header arrays are comma-separated in 3.0's simple style."""
    parameter = {
        "in": location,
        "name": "ids",
        "required": True,
        "type": "array",
        "items": {"type": "string"},
        "collectionFormat": "csv",
    }
    (result,) = operation_of(post(parameter))["parameters"]
    assert (result["style"], result["explode"]) == ("simple", False)


def test_tsv_has_no_equivalent_and_is_kept_as_an_extension_with_a_warning() -> None:
    """tsv stays as x-collectionFormat: tsv, and the note is a warning."""
    parameter = {
        "in": "query",
        "name": "ids",
        "type": "array",
        "items": {"type": "string"},
        "collectionFormat": "tsv",
    }
    document = post(parameter)
    (result,) = operation_of(document)["parameters"]
    assert result["x-collectionFormat"] == "tsv"
    assert "style" not in result and "collectionFormat" not in result
    (note,) = [n for n in notes_of(document) if "tsv" in n.message]
    assert note.level == "warning"


def test_array_query_without_collection_format_keeps_its_csv_meaning() -> None:
    """2.0 defaults arrays to csv; 3.0 would explode a query, so explode: false is written."""
    parameter = {"in": "query", "name": "ids", "type": "array", "items": {"type": "string"}}
    (result,) = operation_of(post(parameter))["parameters"]
    assert (result["style"], result["explode"]) == ("form", False)


def test_a_scalar_parameter_without_collection_format_gets_no_style() -> None:
    """Negative: style/explode are written only when an array's serialisation needs saying."""
    (result,) = operation_of(post({"in": "query", "name": "q", "type": "string"}))["parameters"]
    assert "style" not in result and "explode" not in result


# -- 5. components -----------------------------------------------------------------------------


def test_definitions_move_to_components_schemas_with_their_names_kept() -> None:
    """Dotted names, names with other characters and untyped {} schemas stay exactly as written."""
    definitions = {
        "model.GeneralOpenAIRequest": {"type": "object", "properties": {"stop": {}}},
        "Odd Name/with+chars": {"type": "string"},
        "Empty": {},
    }
    document = swagger(definitions=definitions)
    result, _, notes = run(document)
    assert result["components"]["schemas"] == definitions
    assert "definitions" not in result
    (note,) = [n for n in notes if n.pointer == "/definitions"]
    assert note.message == "definitions moved to components/schemas"
    assert note.before is None and note.after is None


def test_top_level_parameters_move_to_components_parameters() -> None:
    """A top-level query parameter is a component parameter, and its $ref follows it."""
    document = post(
        {"$ref": "#/parameters/Limit"},
        top={"parameters": {"Limit": {"in": "query", "name": "limit", "type": "integer"}}},
    )
    result = upgraded(document)
    assert result["components"]["parameters"] == {
        "Limit": {"in": "query", "name": "limit", "schema": {"type": "integer"}}
    }
    assert result["paths"]["/things"]["post"]["parameters"] == [
        {"$ref": "#/components/parameters/Limit"}
    ]


def test_a_top_level_body_parameter_becomes_a_component_request_body_and_its_ref_follows() -> None:
    """components/requestBodies/<name>, and the operation's $ref becomes a requestBody $ref."""
    document = post(
        {"$ref": "#/parameters/Thing"},
        top={
            "parameters": {"Thing": body({"$ref": "#/definitions/Thing"}, required=True)},
            "definitions": {"Thing": {"type": "object"}},
        },
    )
    result = upgraded(document)
    assert result["components"]["requestBodies"] == {
        "Thing": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
        }
    }
    assert "parameters" not in result["components"]
    operation = result["paths"]["/things"]["post"]
    assert operation["requestBody"] == {"$ref": "#/components/requestBodies/Thing"}
    assert "parameters" not in operation
    assert complaints_31(result) == []


def test_a_body_reference_is_inlined_when_the_operation_consumes_differ() -> None:
    """A component body is written with the document's media types; other ones need their own."""
    document = post(
        {"$ref": "#/parameters/Thing"},
        consumes=["application/xml"],
        top={"parameters": {"Thing": body({"type": "object"}, description="A thing.")}},
    )
    request_body = operation_of(document)["requestBody"]
    assert request_body == {
        "description": "A thing.",
        "content": {"application/xml": {"schema": {"type": "object"}}},
    }


def test_a_top_level_formdata_parameter_is_inlined_into_the_request_body() -> None:
    """components/parameters cannot hold formData: a $ref to one becomes a form property."""
    document = post(
        {"$ref": "#/parameters/Upload"},
        form("purpose"),
        top={"parameters": {"Upload": form("file", "file", required=True)}},
    )
    result = upgraded(document)
    assert "components" not in result or "parameters" not in result["components"]
    schema = result["paths"]["/things"]["post"]["requestBody"]["content"]["multipart/form-data"][
        "schema"
    ]
    assert schema["properties"] == {
        "file": {"type": "string", "format": "binary"},
        "purpose": {"type": "string"},
    }
    assert schema["required"] == ["file"]


def test_top_level_responses_move_to_components_responses_and_refs_follow() -> None:
    """Responses are component responses, given the document's media types."""
    document = post(
        responses={"404": {"$ref": "#/responses/NotFound"}},
        produces=["text/plain"],
    )
    document["responses"] = {"NotFound": {"description": "no", "schema": {"type": "string"}}}
    result = upgraded(document)
    assert result["components"]["responses"] == {
        "NotFound": {
            "description": "no",
            "content": {"application/json": {"schema": {"type": "string"}}},
        }
    }
    assert result["paths"]["/things"]["post"]["responses"]["404"] == {
        "$ref": "#/components/responses/NotFound"
    }


def test_security_definitions_become_security_schemes() -> None:
    """basic is http basic, apiKey stays, each oauth2 flow is renamed under flows."""
    document = swagger(
        securityDefinitions={
            "basic": {"type": "basic", "description": "Basic."},
            "key": {"type": "apiKey", "name": "Authorization", "in": "header"},
            "implicit": {
                "type": "oauth2",
                "flow": "implicit",
                "authorizationUrl": "https://a",
                "scopes": {"r": "read"},
            },
            "password": {
                "type": "oauth2",
                "flow": "password",
                "tokenUrl": "https://t",
                "scopes": {},
            },
            "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {}},
            "code": {
                "type": "oauth2",
                "flow": "accessCode",
                "authorizationUrl": "https://a",
                "tokenUrl": "https://t",
                "scopes": {"w": "write"},
            },
        }
    )
    schemes = upgraded(document)["components"]["securitySchemes"]
    assert schemes["basic"] == {"type": "http", "scheme": "basic", "description": "Basic."}
    assert schemes["key"] == {"type": "apiKey", "name": "Authorization", "in": "header"}
    assert schemes["implicit"] == {
        "type": "oauth2",
        "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {"r": "read"}}},
    }
    assert schemes["password"]["flows"] == {"password": {"tokenUrl": "https://t", "scopes": {}}}
    assert schemes["app"]["flows"] == {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}
    assert schemes["code"]["flows"] == {
        "authorizationCode": {
            "authorizationUrl": "https://a",
            "tokenUrl": "https://t",
            "scopes": {"w": "write"},
        }
    }
    assert complaints_31(upgraded(document)) == []


# -- 6. references -----------------------------------------------------------------------------


def test_every_local_ref_is_rewritten_including_nested_and_escaped_ones() -> None:
    """Refs in schemas, arrays, allOf, additionalProperties and ~1-escaped names all follow."""
    definitions = {
        "a/b": {"type": "string"},
        "Outer": {
            "allOf": [{"$ref": "#/definitions/a~1b"}],
            "properties": {
                "list": {"type": "array", "items": {"$ref": "#/definitions/Outer"}},
                "map": {"additionalProperties": {"$ref": "#/definitions/Outer/properties/list"}},
            },
        },
    }
    result = upgraded(swagger(definitions=definitions))
    outer = result["components"]["schemas"]["Outer"]
    assert outer["allOf"] == [{"$ref": "#/components/schemas/a~1b"}]
    assert outer["properties"]["list"]["items"] == {"$ref": "#/components/schemas/Outer"}
    assert outer["properties"]["map"]["additionalProperties"] == {
        "$ref": "#/components/schemas/Outer/properties/list"
    }
    assert resolve(result, "/components/schemas/a~1b") == {"type": "string"}


def test_refs_to_other_files_and_urls_are_left_alone() -> None:
    """Negative: only this document's #/definitions, #/parameters and #/responses move."""
    refs = ["other.json#/definitions/X", "https://example.com/s.json", "#/x-shared/Thing"]
    definitions = {f"D{i}": {"$ref": ref} for i, ref in enumerate(refs)}
    schemas = upgraded(swagger(definitions=definitions))["components"]["schemas"]
    assert [schema["$ref"] for schema in schemas.values()] == refs


# -- 7. servers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("top", "urls"),
    [
        (
            {"host": "api.x.com", "basePath": "/v1", "schemes": ["https", "http"]},
            ["https://api.x.com/v1", "http://api.x.com/v1"],
        ),
        ({"host": "api.x.com"}, ["https://api.x.com"]),
        ({"host": "api.x.com", "schemes": ["wss"]}, ["wss://api.x.com"]),
        ({"basePath": "/api"}, ["/api"]),
    ],
)
def test_host_base_path_and_schemes_become_servers(top: dict[str, Any], urls: list[str]) -> None:
    """One server per scheme (https by default); a basePath alone is a relative server."""
    document = swagger(**top)
    result, _, notes = run(document)
    assert [server["url"] for server in result["servers"]] == urls
    assert not {"host", "basePath", "schemes"} & set(result)
    (note,) = [n for n in notes if n.message.endswith("became servers")]
    assert note.after == result["servers"]


def test_no_host_and_no_base_path_means_no_servers() -> None:
    """Negative: nothing to make a URL from, so there is no servers key and no servers note."""
    document = swagger()
    result, _, notes = run(document)
    assert "servers" not in result
    assert not [n for n in notes if "servers" in n.message]


# -- 8. x-nullable and other schema words ------------------------------------------------------


def test_x_nullable_true_becomes_nullable_everywhere() -> None:
    """Top-level, nested, in items and in parameters: x-nullable: true is nullable: true."""
    definitions = {
        "A": {
            "type": "object",
            "x-nullable": True,
            "properties": {"b": {"type": "array", "items": {"type": "string", "x-nullable": True}}},
        }
    }
    parameter = {"in": "query", "name": "q", "type": "string", "x-nullable": True}
    document = post(parameter, top={"definitions": definitions})
    result, _, notes = run(document)
    schema = result["components"]["schemas"]["A"]
    assert schema["nullable"] is True and "x-nullable" not in schema
    assert schema["properties"]["b"]["items"] == {"type": "string", "nullable": True}
    assert result["paths"]["/things"]["post"]["parameters"][0]["schema"] == {
        "type": "string",
        "nullable": True,
    }
    assert sorted(n.pointer for n in notes if n.message == "x-nullable became nullable") == [
        "/definitions/A/properties/b/items/x-nullable",
        "/definitions/A/x-nullable",
        "/paths/~1things/post/parameters/0/x-nullable",
    ]
    document_31, _ = upgrade_to_31(result, {})
    assert document_31["components"]["schemas"]["A"]["type"] == ["object", "null"]


def test_x_nullable_false_is_dropped_and_does_not_become_nullable() -> None:
    """Negative: false is the default; the key goes and no nullable appears."""
    document = swagger(definitions={"A": {"type": "string", "x-nullable": False}})
    result, _, notes = run(document)
    assert result["components"]["schemas"]["A"] == {"type": "string"}
    assert [n.message for n in notes if n.pointer == "/definitions/A/x-nullable"] == [
        "x-nullable: false dropped"
    ]


def test_a_string_discriminator_becomes_a_discriminator_object() -> None:
    """2.0 names the property; 3.0 says discriminator: {propertyName}."""
    document = swagger(definitions={"Pet": {"type": "object", "discriminator": "kind"}})
    schema = upgraded(document)["components"]["schemas"]["Pet"]
    assert schema["discriminator"] == {"propertyName": "kind"}


def test_example_is_left_for_the_31_step() -> None:
    """example stays example here; the 3.0 -> 3.1 step turns it into examples."""
    schema = {"type": "string", "example": "hi"}
    assert upgraded(swagger(definitions={"S": schema}))["components"]["schemas"]["S"] == schema


# -- 9. path-level parameters ------------------------------------------------------------------


def test_a_path_level_body_becomes_the_request_body_of_each_operation_without_one() -> None:
    """Operations with their own body keep it; the others get the path-level one."""
    own = body({"type": "string"})
    document = swagger(
        {
            "/things": {
                "parameters": [
                    body({"type": "object"}),
                    {"in": "header", "name": "H", "type": "string"},
                ],
                "put": {"responses": OK},
                "post": {"parameters": [own], "responses": OK},
            }
        }
    )
    result, _, notes = run(document)
    item = result["paths"]["/things"]
    assert item["parameters"] == [{"in": "header", "name": "H", "schema": {"type": "string"}}]
    assert item["put"]["requestBody"]["content"]["application/json"]["schema"] == {"type": "object"}
    assert item["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "type": "string"
    }
    assert Counter(n.message for n in notes)["path-level body parameter became requestBody"] == 1


def test_path_level_formdata_joins_each_operation_form_and_is_overridden_by_name() -> None:
    """A path-level form part joins the operation's parts unless the operation redefines it."""
    document = swagger(
        {
            "/things": {
                "parameters": [form("shared"), form("label")],
                "post": {"parameters": [form("label", "integer")], "responses": OK},
            }
        }
    )
    item = upgraded(document)["paths"]["/things"]
    assert "parameters" not in item
    schema = item["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert schema["properties"] == {"shared": {"type": "string"}, "label": {"type": "integer"}}


# -- line map and notes ------------------------------------------------------------------------


def test_a_moved_node_keeps_its_vendor_line_under_its_new_pointer() -> None:
    """Body schema, form file part, response schema and definitions keep the vendor's lines."""
    document = post(
        body({"$ref": "#/definitions/A"}),
        responses={"200": {"description": "ok", "schema": {"type": "string"}}},
        top={"definitions": {"A": {"type": "object", "x-nullable": True}}},
    )
    document["paths"]["/up"] = {"post": {"parameters": [form("f", "file")], "responses": OK}}
    vendor = lines_of(document)
    _, lines, _ = upgrade_swagger2(document, vendor)
    op = "/paths/~1things/post"
    assert lines[f"{op}/requestBody"] == vendor[f"{op}/parameters/0"]
    assert (
        lines[f"{op}/requestBody/content/application~1json/schema/$ref"]
        == vendor[f"{op}/parameters/0/schema/$ref"]
    )
    assert (
        lines[f"{op}/responses/200/content/application~1json/schema/type"]
        == vendor[f"{op}/responses/200/schema/type"]
    )
    assert lines["/components/schemas/A/nullable"] == vendor["/definitions/A/x-nullable"]
    file_part = "/paths/~1up/post/requestBody/content/multipart~1form-data/schema/properties/f"
    assert lines[f"{file_part}/format"] == vendor["/paths/~1up/post/parameters/0/type"]
    assert lines["/openapi"] == vendor["/swagger"]
    assert lines["/info/title"] == vendor["/info/title"]


def test_every_pointer_in_the_new_line_map_names_a_node_and_every_node_has_a_line() -> None:
    """The re-keyed map has no stale pointers, and no node of the output is left without a line."""
    document = post(
        body(),
        {
            "in": "query",
            "name": "ids",
            "type": "array",
            "items": {"type": "string"},
            "collectionFormat": "tsv",
        },
        {"$ref": "#/parameters/Limit"},
        responses={
            "200": {
                "description": "ok",
                "schema": {"type": "string"},
                "headers": {"X": {"type": "string"}},
                "examples": {"application/json": "x", "text/plain": "y"},
            }
        },
        schemes=["http"],
        top={
            "host": "h",
            "schemes": ["https", "wss"],
            "definitions": {"A": {"type": "string", "discriminator": "k", "x-nullable": True}},
            "parameters": {
                "Limit": {"in": "query", "name": "limit", "type": "integer"},
                "Body": body(),
                "Part": form("part"),
            },
            "securityDefinitions": {
                "b": {"type": "basic"},
                "o": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t", "scopes": {}},
            },
        },
    )
    document["paths"]["/up"] = {
        "parameters": [{"in": "header", "name": "H", "type": "string"}, form("shared")],
        "post": {
            "parameters": [
                form("f", "file", required=True),
                form("l", "array", items={"type": "string"}, collectionFormat="csv"),
                form("e", allowEmptyValue=True),
                {"$ref": "#/parameters/Part"},
            ],
            "responses": OK,
        },
        "put": {"parameters": [{"$ref": "#/parameters/Body"}], "responses": OK},
    }
    result, lines, _ = run(document)
    for pointer in lines:
        resolve(result, pointer)
    assert [pointer for pointer in all_pointers(result) if pointer not in lines] == []


def test_notes_point_into_the_original_document_with_its_lines() -> None:
    """Each note's pointer exists in the Swagger document and its line is that pointer's line."""
    document = post(
        body(),
        {
            "in": "query",
            "name": "ids",
            "type": "array",
            "items": {"type": "string"},
            "collectionFormat": "ssv",
        },
        consumes=["application/json"],
        top={
            "host": "h",
            "definitions": {"A": {"type": "string", "x-nullable": True}},
            "securityDefinitions": {"b": {"type": "basic"}},
        },
    )
    vendor = lines_of(document)
    _, _, notes = upgrade_swagger2(document, vendor)
    assert notes
    for note in notes:
        resolve(document, note.pointer)
        assert note.rule == "swagger2-upgrade"
        assert note.line == vendor[note.pointer]


def test_notes_are_one_per_move() -> None:
    """Sections, body/form conversions, media-type operations, x-nullable, formats, file types."""
    document = swagger(
        {
            "/a": {
                "post": {"parameters": [body()], "consumes": ["application/json"], "responses": OK}
            },
            "/b": {
                "post": {
                    "parameters": [form("f", "file"), form("g")],
                    "produces": ["text/plain"],
                    "responses": OK,
                }
            },
            "/c": {
                "get": {
                    "parameters": [
                        {
                            "in": "query",
                            "name": "l",
                            "type": "array",
                            "items": {"type": "string"},
                            "collectionFormat": "pipes",
                        }
                    ],
                    "responses": OK,
                }
            },
        },
        definitions={
            "A": {"type": "object", "properties": {"x": {"type": "string", "x-nullable": True}}}
        },
        parameters={"P": {"in": "query", "name": "p", "type": "string"}},
        responses={"R": {"description": "r"}},
        securityDefinitions={"k": {"type": "apiKey", "name": "k", "in": "header"}},
    )
    assert Counter(messages(document)) == {
        "swagger 2.0 became openapi 3.0.3": 1,
        "definitions moved to components/schemas": 1,
        "parameters moved to components/parameters": 1,
        "responses moved to components/responses": 1,
        "securityDefinitions moved to components/securitySchemes": 1,
        "body parameter became requestBody": 1,
        "formData parameters became requestBody": 1,
        "operation consumes became media types": 1,
        "operation produces became media types": 1,
        "x-nullable became nullable": 1,
        "collectionFormat pipes became style: pipeDelimited, explode: false": 1,
        "type: file became type: string, format: binary": 1,
    }


def test_a_schema_written_under_several_media_types_is_noted_once() -> None:
    """Copies of one vendor node for each media type do not multiply its notes."""
    document = post(
        body({"type": "string", "x-nullable": True}),
        consumes=["application/json", "application/xml", "text/plain"],
    )
    assert messages(document).count("x-nullable became nullable") == 1


# -- the real document -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def aiproxy() -> tuple[dict[str, Any], dict[str, int]]:
    path = corpus_file("aiproxy_swagger.json")
    with path.open(encoding="utf-8") as handle:
        document = json.load(handle)
    _, lines = load_with_lines(path.read_text(encoding="utf-8"), file=str(path))
    return document, lines


@pytest.fixture(scope="module")
def aiproxy_upgraded(
    aiproxy: tuple[dict[str, Any], dict[str, int]],
) -> tuple[dict[str, Any], dict[str, int], list[IngestNote]]:
    document, lines = aiproxy
    return upgrade_swagger2(document, lines)


def _undeclared_path_parameters(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    missing = []
    for path, method, operation in operations(document):
        declared = {
            p.get("name")
            for p in document["paths"][path].get("parameters", []) + operation.get("parameters", [])
            if p.get("in") == "path"
        }
        missing += [
            (path, method, name) for name in re.findall(r"{([^}]+)}", path) if name not in declared
        ]
    return missing


def test_aiproxy_keeps_every_operation(aiproxy: Any, aiproxy_upgraded: Any) -> None:
    """184 operations in, 184 out, at the same paths and methods."""
    source, _ = aiproxy
    result, _, _ = aiproxy_upgraded
    before = [(path, method) for path, method, _ in operations(source)]
    assert len(before) == 184
    assert [(path, method) for path, method, _ in operations(result)] == before


def test_aiproxy_audio_uploads_are_multipart_with_a_binary_file(
    aiproxy: Any, aiproxy_upgraded: Any
) -> None:
    """The audio endpoints' formData file becomes a multipart body with a binary file property."""
    _, vendor_lines = aiproxy
    result, lines, _ = aiproxy_upgraded
    for path in ("/v1/audio/transcriptions", "/v1/audio/translations"):
        request_body = result["paths"][path]["post"]["requestBody"]
        assert list(request_body["content"]) == ["multipart/form-data"]
        schema = request_body["content"]["multipart/form-data"]["schema"]
        assert schema["properties"]["file"]["type"] == "string"
        assert schema["properties"]["file"]["format"] == "binary"
        assert "file" in schema["required"]
        pointer = join(
            "/paths",
            path,
            "post",
            "requestBody",
            "content",
            "multipart/form-data",
            "schema",
            "properties",
            "file",
            "format",
        )
        file_parameter = next(
            index
            for index, p in enumerate(aiproxy[0]["paths"][path]["post"]["parameters"])
            if p["name"] == "file"
        )
        assert (
            lines[pointer]
            == vendor_lines[join("/paths", path, "post", "parameters", file_parameter, "type")]
        )


def test_aiproxy_request_body_conversions_match_operations_with_body_or_formdata(
    aiproxy: Any, aiproxy_upgraded: Any
) -> None:
    """One requestBody (and one note) per operation that had body or formData parameters."""
    source, _ = aiproxy
    result, _, notes = aiproxy_upgraded
    with_body = [
        (path, method)
        for path, method, operation in operations(source)
        if any(p.get("in") in ("body", "formData") for p in operation.get("parameters", []))
    ]
    assert len(with_body) == 66
    assert [(p, m) for p, m, op in operations(result) if "requestBody" in op] == with_body
    assert sum(note.message in REQUEST_BODY_NOTES for note in notes) == len(with_body)
    for _path, _method, operation in operations(result):
        assert all(p["in"] in ("query", "header", "path") for p in operation.get("parameters", []))


def test_aiproxy_keeps_dotted_names_untyped_fields_and_allof_wrappers(
    aiproxy: Any, aiproxy_upgraded: Any
) -> None:
    """180 definitions under their own names, 116 allOf wrappers and the {} fields unchanged."""
    source, _ = aiproxy
    result, _, _ = aiproxy_upgraded
    schemas = result["components"]["schemas"]
    assert list(schemas) == list(source["definitions"])
    assert "model.GeneralOpenAIRequest" in schemas
    assert schemas["model.GeneralOpenAIRequest"]["properties"]["stop"] == {}
    text = json.dumps(result)
    assert text.count('"allOf"') == json.dumps(source).count('"allOf"') == 116
    assert "#/definitions/" not in text


def test_aiproxy_complaints_after_the_31_upgrade_are_only_the_vendors_own(
    aiproxy: Any, aiproxy_upgraded: Any
) -> None:
    """What the 3.1 validator still reports, the 2.0 validator reports on the original too."""
    source, _ = aiproxy
    result, _, _ = aiproxy_upgraded
    complaints = complaints_31(result)
    original = [error.message for error in OpenAPIV2SpecValidator(source).iter_errors()]
    unresolved = [m for m in complaints if m.startswith("Path parameter")]
    assert unresolved == [m for m in original if m.startswith("Path parameter")]
    assert len(unresolved) == len(_undeclared_path_parameters(source)) == 13
    empty = [(p, m) for p, m, op in operations(source) if op["responses"] == {}]
    others = [m for m in complaints if not m.startswith("Path parameter")]
    assert len(empty) == 16
    assert len(others) == 2 * len(empty)
    assert all(
        "has less than 1 property" in m or '"default" is a required property' in m for m in others
    )


def test_aiproxy_validates_once_its_own_20_defects_are_filled_in(aiproxy: Any) -> None:
    """With its empty responses and undeclared path parameters filled in, nothing is reported."""
    source = copy.deepcopy(aiproxy[0])
    for _path, _method, operation in operations(source):
        if not operation["responses"]:
            operation["responses"] = {"default": {"description": "unspecified"}}
    for path, method, name in _undeclared_path_parameters(source):
        source["paths"][path][method].setdefault("parameters", []).append(
            {"in": "path", "name": name, "required": True, "type": "string"}
        )
    result, _, _ = upgrade_swagger2(source, {})
    assert complaints_31(result) == []


def test_a_document_without_2_0_sections_gets_no_components() -> None:
    """Negative: no definitions, parameters, responses or securityDefinitions, no components."""
    assert "components" not in upgraded(post(body()))


def test_operation_schemes_become_operation_servers_on_the_document_host() -> None:
    """An operation's own schemes are its own servers; with no host they cannot be said."""
    with_host = post(schemes=["http"], top={"host": "api.x.com", "basePath": "/v2"})
    assert operation_of(with_host)["servers"] == [{"url": "http://api.x.com/v2"}]
    without_host = post(schemes=["http"])
    assert "servers" not in operation_of(without_host)
    (note,) = [n for n in notes_of(without_host) if "schemes" in n.message]
    assert note.level == "warning"
    assert note.pointer == "/paths/~1things/post/schemes"


def test_formdata_tsv_is_kept_as_an_encoding_extension_with_a_warning() -> None:
    """tsv has no 3.0 encoding style either: the encoding entry keeps it as an extension."""
    tags = form("tags", "array", items={"type": "string"}, collectionFormat="tsv")
    document = post(tags)
    media = operation_of(document)["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert media["encoding"] == {"tags": {"x-collectionFormat": "tsv"}}
    assert [n.level for n in notes_of(document) if "tsv" in n.message] == ["warning"]
