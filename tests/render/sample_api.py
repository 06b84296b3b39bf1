"""A hand-built chat-completions API in the frozen IR, standing in for the merge's output.

It carries the shapes the renderer must handle: a discriminated message union behind an alias,
string-or-parts content, string-or-array `stop`, the four required/nullable combinations, bounds,
open and closed enums, an unknown shape, a field whose wire name is not a Python name, streaming,
and three vendors (bearer with `/v1`, bearer with in-body error codes, no auth under `/api/ai`).
"""

from __future__ import annotations

from codegen.ir.model import (
    API,
    Alias,
    ArrayType,
    Constraints,
    EnumValue,
    ErrorSpec,
    Field,
    FieldBounds,
    InBodyError,
    KnownValues,
    MapType,
    Model,
    ModelRef,
    Operation,
    ScalarType,
    StreamSpec,
    TypeNode,
    UnionType,
    UnknownType,
    VendorProfile,
)

VENDORS = ("acme", "bolt", "localai")
DOCUMENTS = ("acme.openapi", "bolt.docs", "localai.md")

STRING = ScalarType("string")
INTEGER = ScalarType("integer")
NUMBER = ScalarType("number")
BOOLEAN = ScalarType("boolean")


def closed(*values: str) -> ScalarType:
    return ScalarType("string", enum=tuple(EnumValue(v, DOCUMENTS) for v in values))


def opened(*values: str) -> ScalarType:
    return ScalarType("string", enum=tuple(EnumValue(v, DOCUMENTS) for v in values), enum_open=True)


def field(
    name: str,
    type_: TypeNode,
    *,
    required: bool = False,
    nullable: bool = False,
    description: str | None = None,
    default: object = None,
    has_default: bool = False,
    vendors: tuple[str, ...] = VENDORS,
) -> Field:
    return Field(
        name=name,
        type=type_,
        required=required,
        nullable=nullable,
        description=description,
        default=default,
        has_default=has_default,
        documents=DOCUMENTS,
        vendors=vendors,
    )


def tag(name: str, value: str) -> Field:
    """The constant property that tells union variants apart (`role`, `type`)."""
    return field(name, closed(value), required=True)


def request(name: str, *fields: Field, description: str | None = None, tagged: str = "") -> Model:
    model_tag = None
    if tagged:
        tag_field = next(f for f in fields if f.name == tagged)
        assert isinstance(tag_field.type, ScalarType)
        model_tag = (tagged, str(tag_field.type.enum[0].value))
    return Model(name, fields, "request", description, DOCUMENTS, model_tag)


def response(name: str, *fields: Field, description: str | None = None) -> Model:
    return Model(name, fields, "response", description, DOCUMENTS)


MESSAGE_NAME = field(
    "name",
    STRING,
    description="An optional name for the participant, to tell apart participants of one role.",
)

MODELS = (
    request(
        "TextPart",
        tag("type", "text"),
        field("text", STRING, required=True, description="The text content."),
        description="A text content part.",
        tagged="type",
    ),
    request(
        "ImageUrl",
        field("url", STRING, required=True, description="A URL or a base64 `data:` URL."),
        field("detail", closed("auto", "low", "high"), description="Image detail level."),
    ),
    request(
        "ImageUrlPart",
        tag("type", "image_url"),
        field("image_url", ModelRef("ImageUrl"), required=True),
        description="An image content part.",
        tagged="type",
    ),
    request(
        "SystemMessage",
        tag("role", "system"),
        field("content", STRING, required=True, description="The contents of the system message."),
        MESSAGE_NAME,
        description="Instructions the model should follow, whatever the user says.",
        tagged="role",
    ),
    request(
        "UserMessage",
        tag("role", "user"),
        field(
            "content",
            UnionType((STRING, ArrayType(ModelRef("ContentPart"), Constraints(min_items=1)))),
            required=True,
            description="The contents of the user message: text, or a list of content parts.",
        ),
        MESSAGE_NAME,
        description="A message written by the user.",
        tagged="role",
    ),
    request(
        "FunctionCall",
        field("name", STRING, required=True, description="The name of the function to call."),
        field(
            "arguments",
            STRING,
            required=True,
            description='The arguments as a JSON object in a string, e.g. `{"city": "Paris"}`.',
        ),
    ),
    request(
        "AssistantToolCall",
        field("id", STRING, required=True),
        tag("type", "function"),
        field("function", ModelRef("FunctionCall"), required=True),
    ),
    request(
        "AssistantMessage",
        tag("role", "assistant"),
        field(
            "content",
            STRING,
            required=True,
            nullable=True,
            description="The contents of the assistant message; null when `tool_calls` is set.",
        ),
        MESSAGE_NAME,
        field("tool_calls", ArrayType(ModelRef("AssistantToolCall"))),
        field(
            "prefix",
            BOOLEAN,
            description="(Beta) Continue this message as a prefix of the completion.",
            vendors=("bolt",),
        ),
        description="A message the model wrote earlier in the conversation.",
        tagged="role",
    ),
    request(
        "ToolMessage",
        tag("role", "tool"),
        field("content", STRING, required=True),
        field(
            "tool_call_id",
            STRING,
            required=True,
            description="The tool call this message answers.",
        ),
        tagged="role",
    ),
    request(
        "JsonSchemaFormat",
        field(
            "name",
            ScalarType("string", Constraints(max_length=64, pattern="^[a-zA-Z0-9_-]+$")),
            required=True,
        ),
        field(
            "schema",
            MapType(UnknownType("no document describes the JSON Schema object")),
            description="The JSON Schema the output must follow.",
        ),
        field("strict", BOOLEAN, nullable=True, default=False, has_default=True),
    ),
    request(
        "ResponseFormat",
        field("type", closed("text", "json_object", "json_schema"), required=True),
        field("json_schema", ModelRef("JsonSchemaFormat"), vendors=("acme",)),
        description="The format the model must output.",
    ),
    request(
        "StreamOptions",
        field(
            "include_usage",
            BOOLEAN,
            description="Send one more chunk with the token usage before `data: [DONE]`.",
        ),
    ),
    request(
        "FunctionDefinition",
        field(
            "name",
            ScalarType("string", Constraints(max_length=64, pattern="^[a-zA-Z0-9_-]+$")),
            required=True,
            description="The function's name.",
        ),
        field("description", STRING),
        field("parameters", MapType(UnknownType("JSON Schema object, not described"))),
    ),
    request(
        "Tool",
        tag("type", "function"),
        field("function", ModelRef("FunctionDefinition"), required=True),
    ),
    request(
        "ChatCompletionRequest",
        field(
            "model",
            STRING,
            required=True,
            description="ID of the model to use.",
        ),
        field(
            "messages",
            ArrayType(ModelRef("ChatMessage"), Constraints(min_items=1)),
            required=True,
            description="The conversation so far.",
        ),
        field(
            "frequency_penalty",
            ScalarType("number", Constraints(minimum=-2, maximum=2)),
            description=(
                "Number between -2.0 and 2.0.   Positive values penalize new tokens\n\n\n"
                "based on their frequency in the text so far.  "
            ),
            default=0,
            has_default=True,
        ),
        field(
            "max_tokens",
            ScalarType("integer", Constraints(minimum=1)),
            nullable=True,
            description="The maximum number of tokens to generate.",
        ),
        field(
            "n",
            ScalarType("integer", Constraints(minimum=1, maximum=8)),
            nullable=True,
            description="How many choices to generate.",
            vendors=("acme", "localai"),
        ),
        field(
            "response_format",
            ModelRef("ResponseFormat"),
            nullable=True,
        ),
        field(
            "stop",
            UnionType((STRING, ArrayType(STRING, Constraints(max_items=4)))),
            nullable=True,
            description='Up to 4 sequences where generation stops. A "quoted" C:\\path too.',
        ),
        field(
            "stream",
            BOOLEAN,
            nullable=True,
            description="Send partial deltas as server-sent events, ending with `data: [DONE]`.",
            default=False,
            has_default=True,
        ),
        field("stream_options", ModelRef("StreamOptions"), nullable=True),
        field(
            "temperature",
            ScalarType("number", Constraints(minimum=0, maximum=2)),
            nullable=True,
            description="Sampling temperature.<br>Higher is more random.",
            default=1,
            has_default=True,
        ),
        field(
            "top_p",
            ScalarType("number", Constraints(exclusive_minimum=0, maximum=1)),
            nullable=True,
        ),
        field("tools", ArrayType(ModelRef("Tool"), Constraints(max_items=128))),
        field(
            "tool_choice",
            UnionType((closed("none", "auto", "required"), ModelRef("Tool"))),
        ),
        field("logprobs", BOOLEAN, nullable=True),
        field(
            "top_logprobs",
            ScalarType("integer", Constraints(minimum=0, maximum=20)),
            nullable=True,
        ),
        field("metadata", MapType(STRING), vendors=("acme",)),
        field(
            "repetition_penalty",
            ScalarType("number", Constraints(exclusive_minimum=0)),
            vendors=("localai",),
        ),
        description="Body of a chat completion request.",
    ),
    response(
        "FunctionCallResult",
        field("name", STRING, required=True),
        field("arguments", STRING, required=True),
    ),
    response(
        "ToolCall",
        field("id", STRING, required=True),
        field("type", closed("function"), required=True),
        field("function", ModelRef("FunctionCallResult"), required=True),
    ),
    response(
        "ChatCompletionMessage",
        field("role", closed("assistant"), required=True),
        field("content", STRING, required=True, nullable=True),
        field(
            "reasoning_content",
            STRING,
            nullable=True,
            description="The reasoning before the final answer.",
            vendors=("bolt",),
        ),
        field("tool_calls", ArrayType(ModelRef("ToolCall"))),
        description="A message generated by the model.",
    ),
    response(
        "Choice",
        field("index", INTEGER, required=True),
        field("message", ModelRef("ChatCompletionMessage"), required=True),
        field(
            "finish_reason",
            opened("stop", "length", "tool_calls", "content_filter"),
            required=True,
            nullable=True,
            description="Why the model stopped generating tokens.",
        ),
        field("logprobs", UnknownType("no document describes the logprobs object"), nullable=True),
    ),
    response(
        "Usage",
        field("prompt_tokens", INTEGER, required=True),
        field("completion_tokens", INTEGER, required=True),
        field("total_tokens", INTEGER, required=True),
        field("prompt_cache_hit_tokens", INTEGER, vendors=("bolt",)),
    ),
    response(
        "ChatCompletion",
        field("id", STRING, required=True, description="A unique identifier."),
        field("object", closed("chat.completion"), required=True),
        field("created", INTEGER, required=True, description="Unix time in seconds."),
        field("model", STRING, required=True),
        field("choices", ArrayType(ModelRef("Choice")), required=True),
        field("usage", ModelRef("Usage")),
        field("system_fingerprint", STRING, nullable=True),
        description="A chat completion: the model's answer to the conversation.",
    ),
    response(
        "ChoiceDelta",
        field("role", closed("assistant")),
        field("content", STRING, nullable=True),
        field("reasoning_content", STRING, nullable=True, vendors=("bolt",)),
    ),
    response(
        "ChunkChoice",
        field("index", INTEGER, required=True),
        field("delta", ModelRef("ChoiceDelta"), required=True),
        field(
            "finish_reason",
            opened("stop", "length", "tool_calls", "content_filter"),
            required=True,
            nullable=True,
        ),
    ),
    response(
        "ChatCompletionChunk",
        field("id", STRING, required=True),
        field("object", closed("chat.completion.chunk"), required=True),
        field("created", INTEGER, required=True),
        field("model", STRING, required=True),
        field("choices", ArrayType(ModelRef("ChunkChoice")), required=True),
        field("usage", ModelRef("Usage"), nullable=True),
        description="One streamed piece of a chat completion.",
    ),
    response(
        "ErrorDetail",
        field("message", STRING, required=True),
        field("type", STRING, nullable=True),
        field("param", STRING, nullable=True),
        field("code", UnionType((STRING, INTEGER)), nullable=True),
    ),
    response("ErrorResponse", field("error", ModelRef("ErrorDetail"), required=True)),
    response(
        "ModelInfo",
        field("id", STRING, required=True),
        field("object", closed("model"), required=True),
        field("owned_by", STRING, required=True),
    ),
    response(
        "ModelList",
        field("object", closed("list"), required=True),
        field("data", ArrayType(ModelRef("ModelInfo")), required=True),
    ),
)

ALIASES = (
    Alias(
        "ChatMessage",
        UnionType(
            (
                ModelRef("SystemMessage"),
                ModelRef("UserMessage"),
                ModelRef("AssistantMessage"),
                ModelRef("ToolMessage"),
            ),
            discriminator="role",
        ),
        description="One message of the conversation, told apart by its `role`.",
    ),
    Alias(
        "ContentPart",
        UnionType((ModelRef("TextPart"), ModelRef("ImageUrlPart")), discriminator="type"),
        description="One part of a user message's content.",
    ),
)

ERRORS = (
    ErrorSpec(400, ModelRef("ErrorResponse"), "Invalid request body.", False, DOCUMENTS),
    ErrorSpec(401, ModelRef("ErrorResponse"), "Invalid or missing API key.", False, DOCUMENTS),
    ErrorSpec(429, ModelRef("ErrorResponse"), "Rate limit exceeded.", False, DOCUMENTS),
    ErrorSpec(500, ModelRef("ErrorResponse"), None, True, DOCUMENTS),
)

OPERATIONS = (
    Operation(
        id="createChatCompletion",
        method="post",
        path="/chat/completions",
        summary="Create chat completion",
        description="Creates a model response for the given chat conversation.",
        request=ModelRef("ChatCompletionRequest"),
        request_required=True,
        response=ModelRef("ChatCompletion"),
        stream=StreamSpec("stream", ModelRef("ChatCompletionChunk"), "[DONE]"),
        errors=ERRORS,
        documents=DOCUMENTS,
    ),
    Operation(
        id="listModels",
        method="get",
        path="/models",
        summary="List models",
        description="Lists the models the vendor serves.",
        request=None,
        request_required=False,
        response=ModelRef("ModelList"),
        stream=None,
        errors=ERRORS[1:2],
        documents=DOCUMENTS[:1],
    ),
)

PROFILES = (
    VendorProfile(
        name="acme",
        base_url="https://api.acme.test",
        path_prefix="/v1",
        auth="bearer",
        auth_header="Authorization",
        api_key_env="ACME_API_KEY",
        documents=("acme.openapi",),
        known_values=(KnownValues("model", ("acme-large", "acme-small")),),
        bounds=(FieldBounds("temperature", Constraints(minimum=0, maximum=1)),),
    ),
    VendorProfile(
        name="bolt",
        base_url="https://api.bolt.test",
        path_prefix="",
        auth="bearer",
        auth_header="Authorization",
        api_key_env="BOLT_API_KEY",
        documents=("bolt.docs",),
        known_values=(KnownValues("model", ("bolt-chat", "bolt-reasoner")),),
        in_body_errors=(
            InBodyError(701, "insufficient balance", "The account has run out of credit."),
            InBodyError(9999, "ServerBusy", "The service is overloaded; retry later."),
        ),
    ),
    VendorProfile(
        name="localai",
        base_url="http://localhost:8080",
        path_prefix="/api/ai",
        auth="none",
        auth_header=None,
        api_key_env=None,
        documents=("localai.md",),
        required_fields=("stream",),
    ),
)

SAMPLE_API = API(
    title="Chat Completions",
    version="1.0.0",
    models=MODELS,
    aliases=ALIASES,
    operations=OPERATIONS,
    vendors=PROFILES,
    documents=DOCUMENTS,
)
