"""Every operation form of OpenAPI in the IR: parameters, body encodings, answers by status and
media type, pagination, security, tags, path prefixes, and operations that must stay apart."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from codegen.ir.merge import document_prefix
from codegen.ir.model import (
    ArrayType,
    BodySpec,
    ModelRef,
    Operation,
    Pagination,
    ScalarType,
    SecurityScheme,
)

from .helpers import findings, merged, reingest


def document(paths: dict[str, Any], **extra: Any) -> str:
    body: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.test/v1"}],
        "paths": paths,
    }
    body.update(extra)
    return yaml.safe_dump(body, sort_keys=False)


def ok(schema: Any = None, media: str = "application/json", status: str = "200") -> dict[str, Any]:
    answer: dict[str, Any] = {"description": "ok"}
    if schema is not None:
        answer["content"] = {media: {"schema": schema}}
    return {status: answer}


ITEM = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}


def operation(api: Any, method: str, path: str) -> Operation:
    for candidate in api.operations:
        if (candidate.method, candidate.path) == (method, path):
            return candidate  # type: ignore[no-any-return]
    raise KeyError((method, path, [(o.method, o.path) for o in api.operations]))


# --- parameters ---------------------------------------------------------------------------------


def test_path_query_and_header_parameters_keep_wire_names_types_and_required() -> None:
    paths = {
        "/files/{fileId}": {
            "parameters": [{"name": "fileId", "in": "path", "schema": {"type": "string"}}],
            "get": {
                "operationId": "getFile",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                    {
                        "name": "ids",
                        "in": "query",
                        "style": "form",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {"name": "OpenAI-Beta", "in": "header", "required": True,
                     "schema": {"type": "string"}, "description": "Beta flag."},
                    # OpenAPI ignores these: media types and security say them.
                    {"name": "Accept", "in": "header", "schema": {"type": "string"}},
                    {"name": "Authorization", "in": "header", "schema": {"type": "string"}},
                    {"name": "old", "in": "query", "deprecated": True, "schema": {"type": "string"}},
                ],
                "responses": ok(ITEM),
            },
        }
    }  # fmt: skip
    api = merged(("acme.yaml", document(paths))).api
    found = operation(api, "get", "/files/{fileId}")
    by_name = {p.name: p for p in found.parameters}
    assert list(by_name) == ["fileId", "limit", "ids", "OpenAI-Beta", "old"]
    assert by_name["fileId"].location == "path" and by_name["fileId"].required
    assert by_name["limit"].type == ScalarType(
        kind="integer", constraints=by_name["limit"].type.constraints
    )  # type: ignore[union-attr]
    assert by_name["limit"].type.constraints.maximum == 100  # type: ignore[union-attr]
    assert not by_name["limit"].required
    assert isinstance(by_name["ids"].type, ArrayType)
    assert (by_name["ids"].style, by_name["ids"].explode) == ("form", False)
    assert by_name["OpenAI-Beta"].location == "header" and by_name["OpenAI-Beta"].required
    assert by_name["OpenAI-Beta"].description == "Beta flag."
    assert by_name["old"].deprecated


def test_an_undeclared_path_placeholder_becomes_a_required_string_parameter() -> None:
    paths = {"/items/{item_id}": {"delete": {"operationId": "del", "responses": ok(status="204")}}}
    found = merged(("acme.yaml", document(paths))).api.operations[0]
    (parameter,) = found.parameters
    assert (parameter.name, parameter.location, parameter.required) == ("item_id", "path", True)
    assert parameter.type == ScalarType(kind="string")


def test_a_parameter_only_one_vendor_requires_is_optional_in_the_merged_operation() -> None:
    def paths(required: bool) -> dict[str, Any]:
        parameter = {"name": "limit", "in": "query", "required": required,
                     "schema": {"type": "integer"}}  # fmt: skip
        return {"/models": {"get": {"parameters": [parameter], "responses": ok(ITEM)}}}

    api = merged(("a.yaml", document(paths(True))), ("b.yaml", document(paths(False)))).api
    (found,) = api.operations
    (parameter,) = found.parameters
    assert not parameter.required
    assert parameter.documents == ("a", "b")


# --- request bodies -----------------------------------------------------------------------------


def _body_paths(content: dict[str, Any]) -> dict[str, Any]:
    return {"/upload": {"post": {"operationId": "upload",
                                 "requestBody": {"required": True, "content": content},
                                 "responses": ok(ITEM)}}}  # fmt: skip


def test_multipart_body_names_its_file_parts_and_keeps_its_fields_as_a_model() -> None:
    schema = {
        "type": "object",
        "required": ["file", "purpose"],
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "images": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "purpose": {"type": "string", "enum": ["batch", "assistants"]},
        },
    }
    api = merged(
        ("acme.yaml", document(_body_paths({"multipart/form-data": {"schema": schema}})))
    ).api
    (found,) = api.operations
    assert found.body == BodySpec("multipart", "multipart/form-data", ("file", "images"), ())
    assert found.request is not None
    fields = {f.name: f for f in api.model(found.request.name).fields}
    assert set(fields) == {"file", "images", "purpose"}
    assert fields["file"].type == ScalarType(kind="string", format="binary")
    assert fields["file"].required and fields["purpose"].required


@pytest.mark.parametrize(
    ("content", "encoding", "has_model"),
    [
        ({"application/x-www-form-urlencoded": {"schema": ITEM}}, "form", True),
        ({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}, "binary", False),
        ({"audio/wav": {}}, "binary", False),
        ({"text/plain": {"schema": {"type": "string"}}}, "text", False),
        # JSON wins where a body may be sent several ways; the others are kept as alternatives.
        ({"multipart/form-data": {"schema": ITEM}, "application/json": {"schema": ITEM}}, "json", True),
    ],
)  # fmt: skip
def test_each_body_media_type_gets_its_encoding(
    content: dict[str, Any], encoding: str, has_model: bool
) -> None:
    (found,) = merged(("acme.yaml", document(_body_paths(content)))).api.operations
    assert found.request_body is not None
    assert found.request_body.encoding == encoding
    assert (found.request is not None) == has_model
    others = tuple(sorted(set(content) - {found.request_body.media_type}))
    assert found.request_body.alternatives == others


def test_a_union_body_is_kept_whole_as_an_alias() -> None:
    union = {"oneOf": [
        {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "a"}, "x": {"type": "string"}}},
        {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "b"}, "y": {"type": "integer"}}},
    ]}  # fmt: skip
    api = merged(("acme.yaml", document(_body_paths({"application/json": {"schema": union}})))).api
    (found,) = api.operations
    assert found.request is not None
    assert found.request.name in {alias.name for alias in api.aliases}


# --- answers ------------------------------------------------------------------------------------


def test_answers_by_status_and_media_type() -> None:
    paths = {
        "/audio/speech": {"post": {"operationId": "speech", "responses": ok({"type": "string", "format": "binary"}, "audio/mpeg")}},
        "/metrics": {"get": {"operationId": "metrics", "responses": ok({"type": "string"}, "text/plain")}},
        "/items/{id}": {"delete": {"operationId": "remove", "responses": ok(status="204")}},
        "/tags": {"get": {"operationId": "tags", "responses": ok({"type": "array", "items": {"type": "string"}}, "application/vnd.acme+json")}},
    }  # fmt: skip
    api = merged(("acme.yaml", document(paths))).api
    speech = operation(api, "post", "/audio/speech").success
    assert (speech.status, speech.kind, speech.media_type) == (200, "binary", "audio/mpeg")
    metrics = operation(api, "get", "/metrics").success
    assert (metrics.kind, metrics.media_type) == ("text", "text/plain")
    removed = operation(api, "delete", "/items/{id}").success
    assert (removed.status, removed.kind, removed.type) == (204, "empty", None)
    tags = operation(api, "get", "/tags")
    assert tags.success.kind == "json"
    assert tags.success.type == ArrayType(items=ScalarType(kind="string"))
    assert tags.response is None  # not one model: the answer's type says it


# --- pagination ---------------------------------------------------------------------------------


def _list_paths(answer: dict[str, Any], parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {"/things": {"get": {"operationId": "listThings", "parameters": parameters,
                                "responses": ok(answer)}}}  # fmt: skip


def _string_query(name: str, description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": {"type": "string"}}


def test_a_next_token_field_naming_a_query_parameter_is_token_pagination() -> None:
    answer = {"type": "object", "properties": {
        "things": {"type": "array", "items": ITEM},
        "next_page_token": {"type": ["string", "null"]},
    }}  # fmt: skip
    api = merged(("acme.yaml", document(_list_paths(answer, [_string_query("page_token")])))).api
    assert api.operations[0].pagination == Pagination(
        items="things", cursor_param="page_token", next_cursor="next_page_token"
    )


def test_has_more_and_a_forward_cursor_parameter_page_by_the_last_items_id() -> None:
    # (The schema's description gives the tiny document the words its parameters use: prose
    # sharing no word with its document is judged copied junk.)
    answer = {"type": "object", "description": "One page of things; use the cursor for the next or previous page in pagination.",
              "properties": {
        "data": {"type": "array", "items": ITEM},
        "has_more": {"type": "boolean"},
        "object": {"type": "string"},
    }}  # fmt: skip
    parameters = [
        _string_query("after", "A cursor for use in pagination: fetch the next page."),
        _string_query("before", "A cursor for use in pagination: fetch the previous page."),
        _string_query("order", "Sort order."),
    ]
    api = merged(("acme.yaml", document(_list_paths(answer, parameters)))).api
    assert api.operations[0].pagination == Pagination(
        items="data", cursor_param="after", item_cursor="id", has_more="has_more"
    )


def test_a_list_without_a_cursor_is_one_page_and_an_object_with_an_array_is_no_list() -> None:
    listing = {"type": "object", "properties": {
        "data": {"type": "array", "items": ITEM}, "object": {"type": "string"}}}  # fmt: skip
    record = {"type": "object", "properties": {
        "name": {"type": "string"}, "scopes": {"type": "array", "items": {"type": "string"}}}}  # fmt: skip
    api = merged(("a.yaml", document(_list_paths(listing, [])))).api
    assert api.operations[0].pagination == Pagination(items="data", cursor_param=None)
    api = merged(("a.yaml", document(_list_paths(record, [])))).api
    assert api.operations[0].pagination is None


# --- security, tags, deprecation ----------------------------------------------------------------


def test_per_operation_security_tags_and_deprecation() -> None:
    schemes = {
        "key": {"type": "apiKey", "in": "query", "name": "api_key"},
        "basic": {"type": "http", "scheme": "basic"},
        "bearer": {"type": "http", "scheme": "bearer"},
    }
    paths = {
        "/public": {"get": {"security": [{}], "tags": ["meta"], "responses": ok(ITEM)}},
        "/private": {"get": {"security": [{"key": []}, {"basic": []}], "deprecated": True,
                             "responses": ok(ITEM)}},
        "/default": {"get": {"responses": ok(ITEM)}},
    }  # fmt: skip
    text = document(paths, components={"securitySchemes": schemes}, security=[{"bearer": []}])
    api = merged(("acme.yaml", text)).api
    public = operation(api, "get", "/public")
    assert public.security == (SecurityScheme("none"),) and public.tags == ("meta",)
    private = operation(api, "get", "/private")
    assert private.security == (SecurityScheme("api-key-query", "api_key"), SecurityScheme("basic"))
    assert private.deprecated and not public.deprecated
    assert operation(api, "get", "/default").security == (SecurityScheme("bearer"),)


# --- prefixes and operations that stay apart -----------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "prefix"),
    [
        (["/api/chat", "/api/tags", "/api/show"], "/api"),
        (["/v1/chat/completions", "/v1/models", "/v1/models/{id}"], "/v1"),
        (["/v1/chat/completions"], ""),  # one path: its segments name it
        (["/v1/chat", "/v2/chat"], ""),
        # Paths that go on together through a parameter do not branch right below `/api`.
        (["/api/{group}/items", "/api/{group}/tags"], ""),
        # One shared leading segment with distinct resources below it is a prefix too.
        (["/chat/completions", "/chat/sessions"], "/chat"),
    ],
)
def test_document_prefix_is_the_shared_root_the_paths_branch_below(
    paths: list[str], prefix: str
) -> None:
    assert document_prefix(paths) == prefix


def test_a_documents_own_prefix_moves_into_its_base_url() -> None:
    paths = {"/api/chat": {"post": {"responses": ok(ITEM)}},
             "/api/tags": {"get": {"responses": ok(ITEM)}}}  # fmt: skip
    api = merged(("ollama.yaml", document(paths))).api
    assert sorted(o.path for o in api.operations) == ["/chat", "/tags"]
    (vendor,) = api.vendors
    assert vendor.path_prefix == "/api"


def test_operations_of_one_document_sharing_only_parameter_segments_stay_apart() -> None:
    def remove(tag: str) -> dict[str, Any]:
        return {"delete": {"operationId": f"delete{tag}", "responses": ok(status="204")}}

    paths = {
        "/guilds/{guild_id}/members/{user_id}": remove("GuildMember"),
        "/channels/{channel_id}/members/{user_id}": remove("ChannelMember"),
        "/mcp/group/{group}/{id}": remove("Mcp"),
        "/token/{group}/{id}": remove("Token"),
    }
    api = merged(("acme.yaml", document(paths))).api
    assert len(api.operations) == 4
    assert {o.id for o in api.operations} == {
        "deleteGuildMember", "deleteChannelMember", "deleteMcp", "deleteToken"}  # fmt: skip


def test_a_lone_operation_of_a_document_loses_the_prefix_its_matched_operations_share() -> None:
    """`/v1/chat/completions` meets `/chat/completions` of another vendor: `/v1` is this vendor's
    prefix, so its `/v1/models` is `/models` below the same base URL, not `/v1/v1/models`."""
    chat = {"post": {"operationId": "chat", "responses": ok(ITEM)}}
    a = document({"/v1/chat/completions": chat, "/v1/models": {"get": {"responses": ok(ITEM)}},
                  "/health": {"get": {"responses": ok(ITEM)}}})  # fmt: skip
    b = document({"/chat/completions": chat})
    result = merged(("a.yaml", a), ("b.yaml", b))
    paths = sorted(o.path for o in result.api.operations)
    assert paths == ["/chat/completions", "/health", "/models"]
    vendor_a = next(v for v in result.api.vendors if v.name == "a")
    assert vendor_a.path_prefix == "/v1"
    # `/health` is not under `/v1`: the build says it is called from the same base URL.
    (finding,) = findings(result, "path-prefixes-differ")
    assert "/health" in finding.message and finding.level == "warning"


def test_the_forms_round_trip_through_the_emitted_document() -> None:
    paths = {
        "/files": {
            "post": {"operationId": "upload", "tags": ["files"],
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                         "type": "object", "required": ["file"],
                         "properties": {"file": {"type": "string", "format": "binary"},
                                        "purpose": {"type": "string"}}}}}},
                     "responses": ok(ITEM)},
            "get": {"operationId": "listFiles",
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}},
                                   {"name": "org", "in": "header", "required": True,
                                    "schema": {"type": "string"}}],
                    "responses": ok({"type": "object", "properties": {
                        "data": {"type": "array", "items": ITEM}}})},
        },
        "/files/{file_id}/content": {"get": {"operationId": "download", "responses": ok(
            {"type": "string", "format": "binary"}, "application/octet-stream")}},
        "/files/{file_id}": {"delete": {"operationId": "remove", "deprecated": True,
                                        "responses": ok(status="204")}},
    }  # fmt: skip
    api = merged(("acme.yaml", document(paths))).api
    again = reingest(api)
    assert again.operations == api.operations
    assert again.models == api.models
    assert any(
        p.required and p.location == "header" for o in again.operations for p in o.parameters
    )
    assert any(isinstance(o.success.type, ModelRef) for o in again.operations)


# --- names --------------------------------------------------------------------------------------


def _named_document(component: str) -> str:
    schemas = {component: {"type": "object", "properties": {"id": {"type": "string"},
                                                           "bytes": {"type": "integer"}}}}  # fmt: skip
    paths = {"/files/{id}": {"get": {"operationId": "retrieveFile",
                                     "responses": ok({"$ref": f"#/components/schemas/{component}"})}}}  # fmt: skip
    return document(paths, components={"schemas": schemas})


def test_a_documents_schema_name_names_its_model() -> None:
    api = merged(("acme.yaml", _named_document("OpenAIFile"))).api
    assert api.operations[0].response == ModelRef("OpenAIFile")


def test_vendors_naming_one_place_differently_leave_it_its_place_name() -> None:
    api = merged(
        ("a.yaml", _named_document("OpenAIFile")), ("b.yaml", _named_document("FileObject"))
    ).api
    assert api.operations[0].response == ModelRef("FileResponse")


@pytest.mark.parametrize("generated", ["Schema12", "inline_response_200", "FileA1b2c3", "Obj_9f"])
def test_a_tool_generated_schema_name_is_not_used(generated: str) -> None:
    api = merged(("acme.yaml", _named_document(generated))).api
    assert api.operations[0].response == ModelRef("FileResponse")


def test_read_only_and_write_only_properties_give_separate_request_and_response_models() -> None:
    schemas = {"User": {"type": "object", "required": ["id", "name", "password"], "properties": {
        "id": {"type": "string", "readOnly": True},
        "name": {"type": "string"},
        "password": {"type": "string", "writeOnly": True},
    }}}  # fmt: skip
    ref = {"$ref": "#/components/schemas/User"}
    paths = {"/users": {"post": {"operationId": "createUser",
                                 "requestBody": {"content": {"application/json": {"schema": ref}}},
                                 "responses": ok(ref)}}}  # fmt: skip
    api = merged(("acme.yaml", document(paths, components={"schemas": schemas}))).api
    (found,) = api.operations
    assert found.request is not None and found.response is not None
    sent = {f.name: f.required for f in api.model(found.request.name).fields}
    received = {f.name: f.required for f in api.model(found.response.name).fields}
    assert sent == {"name": True, "password": True}  # the server assigns the id
    # The password never comes back; what does is read leniently (required only for a tag).
    assert received == {"id": False, "name": False}
    assert found.response == ModelRef("User") and found.request == ModelRef("UserParam")


@pytest.mark.parametrize(
    ("scheme", "auth", "name"),
    [
        ({"type": "apiKey", "in": "query", "name": "api_key"}, "api-key-query", "api_key"),
        ({"type": "apiKey", "in": "header", "name": "X-Key"}, "api-key", "X-Key"),
        ({"type": "http", "scheme": "basic"}, "basic", "Authorization"),
        ({"type": "oauth2", "flows": {}}, "bearer", "Authorization"),
    ],
)
def test_the_vendors_scheme_gives_its_profile_auth(
    scheme: dict[str, Any], auth: str, name: str
) -> None:
    paths = {"/models": {"get": {"responses": ok(ITEM)}}}
    text = document(paths, components={"securitySchemes": {"s": scheme}}, security=[{"s": []}])
    (vendor,) = merged(("acme.yaml", text)).api.vendors
    assert (vendor.auth, vendor.auth_header) == (auth, name)
