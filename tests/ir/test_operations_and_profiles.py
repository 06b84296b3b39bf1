"""Operation matching, vendor profiles, schema names and reference documents on tiny documents."""

from __future__ import annotations

import yaml

from codegen.ir.model import ArrayType, ErrorSpec, ModelRef, ScalarType, StreamSpec, UnionType

from .helpers import (
    alias_type,
    chat_document,
    field_names,
    field_of,
    findings,
    merged,
    request_model,
)

ID_RESPONSE = "{type: object, properties: {id: {type: string}}}"
CHAT_SUFFIX = "/chat/completions"

# --- operations -----------------------------------------------------------------------------------


def test_operations_matched_across_prefixes_with_the_prefix_moved_into_each_base_url() -> None:
    result = merged(
        ("vendora.yaml", chat_document(path="/v1/chat/completions", server="https://a.test")),
        ("vendorb.yaml", chat_document(path="/chat/completions", server="https://b.test/v2")),
        ("vendorc.yaml", chat_document(path="/api/ai/chat/completions", server="https://c.test")),
    )
    (operation,) = result.api.operations
    assert (operation.method, operation.path) == ("post", "/chat/completions")
    assert operation.resource == ("chat", "completions")
    assert operation.documents == ("vendora", "vendorb", "vendorc")
    profiles = {v.name: (v.base_url, v.path_prefix) for v in result.api.vendors}
    assert profiles == {
        "vendora": ("https://a.test/v1", "/v1"),
        "vendorb": ("https://b.test/v2", ""),
        "vendorc": ("https://c.test/api/ai", "/api/ai"),
    }


def test_completions_and_chat_completions_are_not_matched() -> None:
    result = merged(
        ("vendora.yaml", chat_document(path="/v1/chat/completions", response=ID_RESPONSE)),
        (
            "vendorb.yaml",
            chat_document(
                path="/v1/completions", response=ID_RESPONSE, operation_id="createCompletion"
            ),
        ),
    )
    paths = sorted((op.path, op.documents) for op in result.api.operations)
    assert paths == [("/v1/chat/completions", ("vendora",)), ("/v1/completions", ("vendorb",))]


def test_same_path_with_another_method_is_another_operation() -> None:
    result = merged(
        ("vendora.yaml", chat_document(method="post")),
        ("vendorb.yaml", chat_document(method="get", operation_id="listChatCompletions")),
    )
    assert sorted(op.method for op in result.api.operations) == ["get", "post"]


# --- vendor profiles ------------------------------------------------------------------------------


def test_two_documents_of_one_vendor_merge_into_one_profile() -> None:
    first = chat_document(
        request="{type: object, required: [model], properties: {model: {type: string}}}",
        server="https://api.vendorx.test",
    )
    second = chat_document(
        request="""
        type: object
        properties:
          model: {type: string}
          seed: {type: integer}
        """,
        server="https://api.vendorx.test",
    )
    result = merged(("vendorx.openapi.yaml", first), ("vendorx.docs.yaml", second))
    (profile,) = result.api.vendors
    assert profile.name == "vendorx"
    assert profile.documents == ("vendorx.docs", "vendorx.openapi")
    assert profile.base_url == "https://api.vendorx.test"
    seed = field_of(result.api, "CreateChatCompletionRequest", "seed")
    assert (seed.vendors, seed.documents) == (("vendorx",), ("vendorx.docs",))
    # The two documents of one vendor disagree on `model`: required only where both agree.
    assert not field_of(result.api, "CreateChatCompletionRequest", "model").required
    assert profile.required_fields == ("model",)
    # ... and the report says where they disagree and how it was settled.
    reported = {f.pointer: f.message for f in findings(result, "vendor-documents-disagree")}
    assert sorted(reported) == [
        "/CreateChatCompletionRequest/model",
        "/CreateChatCompletionRequest/seed",
    ]
    assert "vendorx.openapi: string required" in reported["/CreateChatCompletionRequest/model"]
    assert "vendorx.openapi: no such field" in reported["/CreateChatCompletionRequest/seed"]


def test_base_url_joins_each_documents_own_server_and_path_prefix() -> None:
    """``https://h`` + ``/v1/chat/completions`` and ``https://h/v1`` + ``/chat/completions`` agree."""
    first = chat_document(path="/v1/chat/completions", server="https://api.vendorx.test")
    second = chat_document(path="/chat/completions", server="https://api.vendorx.test/v1")
    other = chat_document(path="/chat/completions", server="https://other.test")
    result = merged(
        ("vendorx.openapi.yaml", first), ("vendorx.docs.yaml", second), ("vendory.yaml", other)
    )
    profiles = {vendor.name: vendor for vendor in result.api.vendors}
    assert profiles["vendorx"].base_url == "https://api.vendorx.test/v1"
    assert not findings(result, "vendor-documents-disagree")


def test_documents_of_one_vendor_with_different_base_urls_warn() -> None:
    first = chat_document(server="https://one.vendorx.test")
    second = chat_document(server="https://two.vendorx.test")
    result = merged(("vendorx.openapi.yaml", first), ("vendorx.docs.yaml", second))
    (profile,) = result.api.vendors
    assert profile.base_url == "https://one.vendorx.test"
    (warning,) = findings(result, "vendor-documents-disagree")
    assert warning.level == "warning"
    assert warning.pointer == "/vendors/vendorx"
    assert "two.vendorx.test" in warning.message


def test_vendor_auth_and_key_variable_come_from_the_security_scheme() -> None:
    document = yaml.safe_load(chat_document())
    document["components"] = {"securitySchemes": {"key": {"type": "http", "scheme": "bearer"}}}
    document["security"] = [{"key": []}]
    result = merged(
        ("vendora.yaml", yaml.safe_dump(document, sort_keys=False)),
        ("vendorb.yaml", chat_document()),
    )
    profiles = {vendor.name: vendor for vendor in result.api.vendors}
    assert (profiles["vendora"].auth, profiles["vendora"].auth_header) == (
        "bearer",
        "Authorization",
    )
    assert profiles["vendora"].api_key_env == "VENDORA_API_KEY"
    assert (profiles["vendorb"].auth, profiles["vendorb"].api_key_env) == ("none", None)


# --- schema names ---------------------------------------------------------------------------------

TOOL_ID_DOCUMENT = chat_document(
    request="""
    type: object
    properties:
      model: {type: string}
      stream: {type: boolean}
    """,
    response={"$ref": "#/components/schemas/ModelsA1b2c3Resp"},
    chunk={"$ref": "#/components/schemas/Schema17"},
    errors={400: {"$ref": "#/components/schemas/Err_9f"}},
    components={
        "ModelsA1b2c3Resp": """
            type: object
            required: [object]
            properties:
              object: {type: string, enum: [chat.completion]}
              usage: {$ref: '#/components/schemas/UsageXyz42'}
            """,
        "Schema17": """
            type: object
            properties:
              object: {type: string, enum: [chat.completion.chunk]}
              id: {type: string}
            """,
        "UsageXyz42": "{type: object, properties: {total_tokens: {type: integer}}}",
        "Err_9f": "{type: object, properties: {message: {type: string}}}",
    },
)


def test_schemas_named_by_object_tag_value_and_place_never_by_component_ids() -> None:
    api = merged(("vendora.yaml", TOOL_ID_DOCUMENT)).api
    names = {model.name for model in api.models}
    assert names == {
        "CreateChatCompletionRequest",
        "ChatCompletion",
        "ChatCompletionChunk",
        "Usage",
        "ErrorResponse",
    }
    (operation,) = api.operations
    assert operation.request == ModelRef("CreateChatCompletionRequest")
    assert operation.response == ModelRef("ChatCompletion")
    assert operation.stream == StreamSpec(
        flag="stream", chunk=ModelRef("ChatCompletionChunk"), terminator=None
    )
    assert operation.errors == (
        ErrorSpec(
            status=400,
            model=ModelRef("ErrorResponse"),
            description="failed",
            assumed=False,
            documents=("vendora",),
        ),
    )


def test_object_tag_value_from_agreeing_examples_names_the_response() -> None:
    document = chat_document(
        response="{type: object, properties: {object: {type: string}, id: {type: string}}}",
        response_example={"object": "text.completion", "id": "x"},
    )
    api = merged(("vendora.yaml", document)).api
    assert api.operations[0].response == ModelRef("TextCompletion")


def test_response_without_a_tag_is_named_by_its_place() -> None:
    api = merged(("vendora.yaml", chat_document(response=ID_RESPONSE))).api
    assert api.operations[0].response == ModelRef("ChatCompletionResponse")


# --- a reference document -------------------------------------------------------------------------

VENDOR_REQUEST = """
type: object
required: [messages]
properties:
  messages:
    type: array
    items:
      type: object
      required: [role, content]
      properties:
        role: {type: string, enum: [system, user]}
        content: {type: string}
  tools: {type: array, items: {type: object}}
  response_format: {type: object, properties: {type: {type: string}}}
"""

REFERENCE_REQUEST = """
type: object
required: [messages, model]
properties:
  model: {type: string}
  messages:
    type: array
    items:
      oneOf:
        - type: object
          required: [role, content]
          properties:
            role: {type: string, enum: [system]}
            content: {type: string}
        - type: object
          required: [role, content]
          properties:
            role: {type: string, enum: [user]}
            content: {type: string}
            name: {type: string}
  tools:
    type: array
    items:
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [function]}
  response_format:
    type: object
    required: [type]
    properties:
      type: {type: string, enum: [text, json_object]}
      json_schema: {type: object, additionalProperties: true}
"""


def _with_reference() -> tuple[str, str]:
    return ("vendora.yaml", chat_document(request=VENDOR_REQUEST))


def test_reference_document_fills_unknown_shapes() -> None:
    result = merged(
        _with_reference(),
        reference=(("family.yaml", chat_document(path=CHAT_SUFFIX, request=REFERENCE_REQUEST)),),
    )
    api = result.api
    tools = field_of(api, "CreateChatCompletionRequest", "tools")
    assert tools.type == ArrayType(items=ModelRef("Tool"))
    tool = api.model("Tool")
    assert field_names(tool) == ["type"]
    assert tool.documents == ("family",)
    assert field_of(api, "Tool", "type").vendors == ()
    (filled,) = findings(result, "fill-unknown-shape")
    assert "filled from family" in filled.message
    assert not findings(result, "shape-unknown-unfilled")


def test_reference_document_splits_variants_but_adds_no_field_to_a_vendor_object() -> None:
    result = merged(
        _with_reference(),
        reference=(("family.yaml", chat_document(path=CHAT_SUFFIX, request=REFERENCE_REQUEST)),),
    )
    api = result.api
    message = alias_type(api, "Message")
    assert message == UnionType(
        variants=(ModelRef("SystemMessage"), ModelRef("UserMessage")), discriminator="role"
    )
    # The reference's `name` of a user message is not added to the vendor's message.
    assert field_names(api.model("UserMessage")) == ["role", "content"]
    # Nor its `model`, `json_schema` or its required flags to the vendor's request.
    assert field_names(request_model(api)) == ["messages", "tools", "response_format"]
    assert field_names(api.model("ResponseFormat")) == ["type"]
    assert field_of(api, "ResponseFormat", "type").type == ScalarType("string")
    assert not field_of(api, "ResponseFormat", "type").required
    # The reference is no vendor and decides no path.
    assert [vendor.name for vendor in api.vendors] == ["vendora"]
    assert api.operations[0].documents == ("vendora",)
    assert api.reference_documents == ("family",)


def test_reference_document_alone_at_an_operation_adds_no_operation() -> None:
    reference = chat_document(path="/v1/embeddings", operation_id="createEmbedding")
    result = merged(_with_reference(), reference=(("family.yaml", reference),))
    assert [op.path for op in result.api.operations] == ["/v1/chat/completions"]


def _two_paths(first: str, second: str) -> str:
    """One document documenting two operations (chat completions and legacy completions)."""
    chat = yaml.safe_load(
        chat_document(
            path=first,
            response=ID_RESPONSE,
            request="{type: object, properties: {messages: {type: array}}}",
        )
    )
    legacy = yaml.safe_load(
        chat_document(
            path=second,
            response=ID_RESPONSE,
            operation_id="createCompletion",
            request="{type: object, properties: {prompt: {type: string}}}",
        )
    )
    chat["paths"].update(legacy["paths"])
    return yaml.safe_dump(chat, sort_keys=False)


def test_a_short_path_does_not_swallow_a_longer_one_of_the_same_document() -> None:
    """`/completions` is a suffix of `/chat/completions`, but a document's two operations stay
    two, and each joins the other vendor's operation it shares the longest ending with."""
    result = merged(
        ("vendora.yaml", _two_paths("/chat/completions", "/completions")),
        ("vendorb.yaml", _two_paths("/v1/chat/completions", "/v1/completions")),
    )
    operations = sorted((op.path, op.documents) for op in result.api.operations)
    assert operations == [
        ("/chat/completions", ("vendora", "vendorb")),
        ("/completions", ("vendora", "vendorb")),
    ]
    (_a, b) = sorted(result.api.vendors, key=lambda v: v.name)
    assert b.path_prefix == "/v1"


def test_one_operation_served_under_two_prefixes_in_one_document_stays_one() -> None:
    """Same request and responses at /chat/completions and /v1/chat/completions (ids must be
    unique, so they differ): one operation served twice, not two."""
    document = yaml.safe_load(chat_document(path="/chat/completions", response=ID_RESPONSE))
    served_again = yaml.safe_load(
        chat_document(
            path="/v1/chat/completions",
            response=ID_RESPONSE,
            operation_id="createChatCompletion_v1",
        )
    )
    document["paths"].update(served_again["paths"])
    result = merged(("vendora.yaml", yaml.safe_dump(document, sort_keys=False)))
    (operation,) = result.api.operations
    assert (operation.path, operation.id) == ("/chat/completions", "createChatCompletion")
