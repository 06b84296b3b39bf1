"""Reader 3: docs pages flattened to text, read into OpenAPI 3.1 through the ingest dispatcher."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.cli import main
from codegen.errors import SpecgenError
from codegen.ingest import IngestedDocument, flat_text_reader, ingest_path, ingest_text
from codegen.ingest.document import QUARANTINE_EXTENSION
from codegen.ingest.source import SourceText
from codegen.ingest.validate import validation_errors
from codegen.jsonpointer import join, resolve

REPO = Path(__file__).resolve().parents[2]
DEEPSEEK = REPO / "specs" / "sources" / "deepseek.docs.txt"
OPERATION = "/paths/~1chat~1completions/post"
REQUEST = f"{OPERATION}/requestBody/content/application~1json/schema"
RESPONSE = f"{OPERATION}/responses/200/content/application~1json/schema"
CHOICE = f"{RESPONSE}/properties/choices/items"
TOKEN = f"{CHOICE}/properties/logprobs/properties/content/items"


@pytest.fixture(scope="module")
def deepseek() -> IngestedDocument:
    return ingest_path(DEEPSEEK)


def at(document: IngestedDocument, pointer: str) -> Any:
    return resolve(document.openapi, pointer)


def without_description(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key != "description"}


def all_pointers(node: Any, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(node, dict):
        for key, value in node.items():
            found += all_pointers(value, join(pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += all_pointers(value, join(pointer, index))
    return found


HEADER = "Skip to main content\n\nMake Thing\n\nPOST \n\n/things\n\nMakes a thing.\n\n"
BODY_PATH = "/paths/~1things/post/requestBody/content/application~1json/schema"


def page(*request_lines: str, response: str = "") -> str:
    """A flattened page: blank-line separated lines as the docs dump writes them."""
    text = HEADER + "Request\n\nBody\n\nrequired\n\n" + "\n\n".join(request_lines) + "\n\n"
    if response:
        text += "Responses\n\nOK\n\nSchema\n\n" + response + "\n\n"
    return text + "Loading...\n"


def ingest_page(text: str) -> IngestedDocument:
    return ingest_text(SourceText.of("page.txt", text))


def body(document: IngestedDocument) -> dict[str, Any]:
    schema: dict[str, Any] = resolve(document.openapi, BODY_PATH)
    return schema


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of ``text`` that contains ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# -- the DeepSeek page ------------------------------------------------------------------------


def test_deepseek_page_is_read_by_this_reader_into_valid_31(deepseek: IngestedDocument) -> None:
    assert deepseek.reader == "flat-text"
    assert deepseek.openapi["openapi"] == "3.1.0"
    assert QUARANTINE_EXTENSION not in deepseek.openapi
    assert validation_errors(deepseek.openapi) == []


def test_deepseek_operation_title_description_body_and_200(deepseek: IngestedDocument) -> None:
    operation = at(deepseek, OPERATION)
    assert list(deepseek.openapi["paths"]) == ["/chat/completions"]
    assert operation["summary"] == "Create Chat Completion"
    assert operation["description"] == "Creates a model response for the given chat conversation."
    assert operation["requestBody"]["required"] is True
    assert list(operation["responses"]) == ["200"]
    assert operation["responses"]["200"]["description"] == "OK, returns a chat completion object"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("model", {"type": "string", "enum": ["deepseek-chat", "deepseek-coder"]}),
        (
            "frequency_penalty",
            {"type": ["number", "null"], "minimum": -2, "maximum": 2, "default": 0},
        ),
        ("max_tokens", {"type": ["integer", "null"], "exclusiveMinimum": 1}),
        (
            "presence_penalty",
            {"type": ["number", "null"], "minimum": -2, "maximum": 2, "default": 0},
        ),
        ("stop", {"oneOf": [{"type": "string"}]}),
        ("stream", {"type": ["boolean", "null"]}),
        ("temperature", {"type": ["number", "null"], "maximum": 2, "default": 1}),
        ("top_p", {"type": ["number", "null"], "maximum": 1, "default": 1}),
        ("logprobs", {"type": ["boolean", "null"]}),
        ("top_logprobs", {"type": ["integer", "null"], "maximum": 20}),
    ],
)
def test_deepseek_request_field_as_the_page_states_it(
    deepseek: IngestedDocument, name: str, expected: dict[str, Any]
) -> None:
    schema = at(deepseek, f"{REQUEST}/properties/{name}")
    assert without_description(schema) == expected
    if "default" in expected:
        assert type(schema["default"]) is int


def test_deepseek_request_required_and_field_order(deepseek: IngestedDocument) -> None:
    schema = at(deepseek, REQUEST)
    assert schema["required"] == ["messages", "model"]
    assert list(schema["properties"]) == [
        "messages",
        "model",
        "frequency_penalty",
        "max_tokens",
        "presence_penalty",
        "stop",
        "stream",
        "temperature",
        "top_p",
        "logprobs",
        "top_logprobs",
    ]


def test_deepseek_messages_items_are_a_oneof_of_the_one_variant_shown(
    deepseek: IngestedDocument,
) -> None:
    messages = at(deepseek, f"{REQUEST}/properties/messages")
    assert messages["type"] == "array"
    assert "minItems" not in messages  # ">= 1" on an array stays prose for normalize
    assert messages["description"] == (
        "Possible values: >= 1\n\nA list of messages comprising the conversation so far."
    )
    variants = messages["items"]["oneOf"]
    assert len(variants) == 1
    assert set(messages["items"]) == {"oneOf"}
    assert variants[0]["type"] == "object"
    assert list(variants[0]["properties"]) == ["content", "role", "name"]
    assert variants[0]["required"] == ["content", "role"]
    assert variants[0]["properties"]["role"]["enum"] == ["system"]


def test_deepseek_descriptions_are_the_paragraphs_as_written(deepseek: IngestedDocument) -> None:
    props = at(deepseek, f"{REQUEST}/properties")
    assert props["max_tokens"]["description"] == (
        "The maximum number of tokens that can be generated in the chat completion.\n\n"
        "The total length of input tokens and generated tokens is limited by the model's "
        "context length."
    )
    assert props["model"]["description"] == (
        "ID of the model to use. You can use either usedeepseek-coder or deepseek-chat."
    )
    assert props["stop"]["description"] == (
        "Up to 8 sequences where the API will stop generating further tokens."
    )


def test_deepseek_response_top_level_fields(deepseek: IngestedDocument) -> None:
    schema = at(deepseek, RESPONSE)
    assert schema["required"] == [
        "id",
        "choices",
        "created",
        "model",
        "system_fingerprint",
        "object",
    ]
    props = schema["properties"]
    assert list(props) == [
        "id",
        "choices",
        "created",
        "model",
        "system_fingerprint",
        "object",
        "usage",
    ]
    assert without_description(props["object"]) == {"type": "string", "enum": ["chat.completion"]}
    assert without_description(props["created"]) == {"type": "integer"}
    assert props["choices"]["type"] == "array"
    usage = props["usage"]
    assert usage["type"] == "object"
    assert list(usage["properties"]) == ["completion_tokens", "prompt_tokens", "total_tokens"]
    assert usage["required"] == ["completion_tokens", "prompt_tokens", "total_tokens"]


def test_deepseek_choice_nesting_message_then_logprobs(deepseek: IngestedDocument) -> None:
    """choices -> items -> message -> content/role; logprobs is the choice's, after message."""
    choice = at(deepseek, CHOICE)
    assert choice["type"] == "object"
    assert list(choice["properties"]) == ["finish_reason", "index", "message", "logprobs"]
    assert choice["required"] == ["finish_reason", "index", "message", "logprobs"]
    assert choice["properties"]["finish_reason"]["enum"] == ["stop", "length", "content_filter"]
    message = choice["properties"]["message"]
    assert message["type"] == "object"
    assert list(message["properties"]) == ["content", "role"]
    assert message["required"] == ["content", "role"]
    assert message["properties"]["content"]["type"] == ["string", "null"]
    assert message["properties"]["role"]["enum"] == ["assistant"]


def test_deepseek_logprobs_nesting_down_to_top_logprobs_items(deepseek: IngestedDocument) -> None:
    """logprobs -> content -> items -> top_logprobs -> items, with the flags of each level."""
    logprobs = at(deepseek, f"{CHOICE}/properties/logprobs")
    assert logprobs["type"] == ["object", "null"]
    assert logprobs["required"] == ["content"]
    content = logprobs["properties"]["content"]
    assert content["type"] == ["array", "null"]
    token = at(deepseek, TOKEN)
    assert list(token["properties"]) == ["token", "logprob", "bytes", "top_logprobs"]
    assert token["required"] == ["token", "logprob", "bytes", "top_logprobs"]
    assert without_description(token["properties"]["bytes"]) == {
        "type": ["array", "null"],
        "items": {"type": "integer"},
    }
    top = token["properties"]["top_logprobs"]
    assert top["type"] == "array"
    assert list(top["items"]["properties"]) == ["token", "logprob", "bytes"]
    assert top["items"]["required"] == ["token", "logprob", "bytes"]
    assert top["items"]["properties"]["logprob"]["type"] == "number"


@pytest.mark.parametrize(
    ("pointer", "line"),
    [
        (f"{OPERATION}/summary", 3),
        (OPERATION, 5),
        (f"{OPERATION}/description", 9),
        (f"{OPERATION}/requestBody", 13),
        (f"{OPERATION}/requestBody/required", 15),
        (f"{REQUEST}/properties/messages", 17),
        (f"{REQUEST}/properties/messages/type", 19),
        (f"{REQUEST}/required/0", 21),
        (f"{REQUEST}/properties/messages/description", 23),
        (f"{REQUEST}/properties/messages/items/oneOf", 29),
        (f"{REQUEST}/properties/messages/items/oneOf/0/properties/role/enum", 37),
        (f"{REQUEST}/properties/model", 47),
        (f"{REQUEST}/properties/frequency_penalty/minimum", 55),
        (f"{REQUEST}/properties/frequency_penalty/default", 57),
        (f"{REQUEST}/properties/max_tokens/exclusiveMinimum", 63),
        (f"{REQUEST}/properties/max_tokens/description", 65),
        (f"{REQUEST}/properties/stop/oneOf", 83),
        (f"{REQUEST}/properties/stop/oneOf/0", 85),
        (f"{OPERATION}/responses/200/description", 123),
        (RESPONSE, 125),
        (f"{CHOICE}/properties/message", 151),
        (f"{CHOICE}/properties/message/properties/content", 159),
        (f"{CHOICE}/properties/logprobs", 169),
        (f"{CHOICE}/properties/logprobs/type", 171),
        (f"{TOKEN}/properties/top_logprobs/items/properties/bytes", 221),
        (f"{RESPONSE}/properties/usage/properties/total_tokens", 263),
    ],
)
def test_deepseek_source_line_of_pointer(
    deepseek: IngestedDocument, pointer: str, line: int
) -> None:
    assert deepseek.source_map.lines[pointer] == line


def test_deepseek_every_pointer_has_a_line_and_every_line_a_pointer(
    deepseek: IngestedDocument,
) -> None:
    lines = deepseek.source_map.lines
    assert [p for p in all_pointers(deepseek.openapi) if p not in lines] == []
    assert [p for p in lines if p not in set(all_pointers(deepseek.openapi))] == []
    text = DEEPSEEK.read_text(encoding="utf-8").splitlines()
    assert all(1 <= n <= len(text) and text[n - 1].strip() for n in lines.values())


def test_cli_ingest_writes_the_deepseek_page(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(DEEPSEEK), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (
        (tmp_path / "deepseek.docs.yaml").read_text(encoding="utf-8").startswith("openapi: 3.1.0")
    )


# -- small pages ----------------------------------------------------------------------------


def test_field_line_with_no_type_stays_untyped() -> None:
    doc = ingest_page(page("    metadata", "    Anything the caller wants.", "    n integer"))
    props = body(doc)["properties"]
    assert props["metadata"] == {"description": "Anything the caller wants."}
    assert props["n"] == {"type": "integer"}


@pytest.mark.parametrize(
    "lines",
    [
        ("    tag stringnullablerequired",),
        ("    tag", "    string", "    nullable", "    required"),
        ("    tag", "    stringnullable", "    required"),
    ],
    ids=["glued", "separate", "mixed"],
)
def test_glued_and_separate_flags_read_the_same(lines: tuple[str, ...]) -> None:
    doc = ingest_page(page(*lines, "    The tag."))
    schema = body(doc)
    assert schema["properties"]["tag"] == {"type": ["string", "null"], "description": "The tag."}
    assert schema["required"] == ["tag"]


def test_nested_array_block_holds_the_items_fields_and_closes() -> None:
    text = page(
        "    tags",
        "    object[]",
        "  • Array [",
        "  • name stringrequired",
        "    The name.",
        "    weight number",
        "  • ]",
        "  • after boolean",
    )
    doc = ingest_page(text)
    schema = body(doc)
    assert list(schema["properties"]) == ["tags", "after"]
    assert schema["properties"]["tags"] == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "description": "The name."},
                "weight": {"type": "number"},
            },
            "required": ["name"],
        },
    }
    assert doc.source_map.lines[f"{BODY_PATH}/properties/tags/items/properties/weight"] == (
        line_of(text, "weight number")
    )


def test_flat_object_first_field_object_nests_later_object_is_sibling() -> None:
    """An object field nests as an object's first field; after other fields it is a sibling."""
    doc = ingest_page(
        page(
            "    outer",
            "    object",
            "    inner",
            "    object",
            "    x string",
            "    leaf integer",
            "    next",
            "    object",
            "    y string",
        )
    )
    props = body(doc)["properties"]
    assert list(props) == ["outer", "next"]
    inner = props["outer"]["properties"]["inner"]
    assert list(inner["properties"]) == ["x", "leaf"]
    assert list(props["next"]["properties"]) == ["y"]


def test_indented_children_nest_and_equal_indent_is_a_sibling() -> None:
    doc = ingest_page(
        page(
            "    usage",
            "    object",
            "        a integer",
            "        details",
            "        object",
            "            cached integer",
            "        b integer",
            "    created integer",
        )
    )
    props = body(doc)["properties"]
    assert list(props) == ["usage", "created"]
    assert list(props["usage"]["properties"]) == ["a", "details", "b"]
    assert list(props["usage"]["properties"]["details"]["properties"]) == ["cached"]


def test_possible_values_typed_by_the_field_type() -> None:
    doc = ingest_page(
        page(
            "    level integernullable",
            "    Possible values: [1, 2, 3]",
            "    ratio number",
            "    Possible values: > 0 and < 1.5",
            "    code string",
            "    Possible values: non-empty and <= 64 characters",
            "    mode string",
            "    Possible values: [fast, slow]",
            "    Default value: fast",
            "    on boolean",
            "    Default value: true",
            "    count integer",
            "    Default value: many",
        )
    )
    props = body(doc)["properties"]
    assert props["level"] == {"type": ["integer", "null"], "enum": [1, 2, 3, None]}
    assert props["ratio"] == {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5}
    assert props["code"] == {
        "type": "string",
        "description": "Possible values: non-empty and <= 64 characters",
    }
    assert props["mode"] == {"type": "string", "enum": ["fast", "slow"], "default": "fast"}
    assert props["on"] == {"type": "boolean", "default": True}
    assert props["count"] == {"type": "integer", "default": "many"}  # kept as written


def test_path_parameters_status_line_and_one_line_method_path() -> None:
    text = (
        "Get Model\n\nGET /models/{id}\n\nRequest\n\nPath Parameters\n\n    id stringrequired\n\n"
        "    The model id.\n\nQuery Parameters\n\n    verbose boolean\n\n"
        "Responses\n\n404\n\nNot found\n\nSchema\n\n    error string\n"
    )
    doc = ingest_page(text)
    operation = doc.openapi["paths"]["/models/{id}"]["get"]
    assert "requestBody" not in operation
    assert operation["parameters"] == [
        {
            "name": "id",
            "in": "path",
            "required": True,
            "description": "The model id.",
            "schema": {"type": "string"},
        },
        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
    ]
    lines = doc.source_map.lines
    parameters = "/paths/~1models~1{id}/get/parameters"
    assert lines[f"{parameters}/0/description"] == line_of(text, "The model id.")
    assert f"{parameters}/0/schema/description" not in lines
    assert lines[f"{parameters}/1/schema/type"] == line_of(text, "verbose boolean")
    response = operation["responses"]["404"]
    assert response["description"] == "Not found"
    schema = response["content"]["application/json"]["schema"]
    assert schema["properties"] == {"error": {"type": "string"}}


def test_plain_prose_is_not_claimed() -> None:
    prose = SourceText.of("notes.txt", "POST requests are great.\n\nThey carry a body.\n")
    assert not flat_text_reader.claims(prose)
    with pytest.raises(SpecgenError, match="not a document any reader recognises"):
        ingest_text(prose)


def test_method_and_path_without_fields_is_not_claimed() -> None:
    text = "Title\n\nPOST\n\n/x\n\nSome words about it.\n\nResponses\n\nIt works well.\n"
    assert not flat_text_reader.claims(SourceText.of("p.txt", text))


def test_unclosed_array_is_an_error_at_its_line() -> None:
    text = page("    items", "    object[]", "  • Array [", "  • a string")
    with pytest.raises(SpecgenError) as caught:
        ingest_page(text)
    assert caught.value.file == "page.txt"
    assert caught.value.line == line_of(text, "Array [")
    assert "never closed" in caught.value.message


@pytest.mark.parametrize(
    ("lines", "needle", "message"),
    [
        (("    a string", "  • ]"), "]", "closes no open"),
        (("    a string", "  • Array ["), "Array [", "not an array field"),
        (("    a string", "    a integer"), "a integer", "listed twice"),
        (("    a", "    object", "    oneOf", "    b string"), "oneOf", "lists no alternatives"),
        (("    a string", "    oneOf"), "oneOf", "neither"),
    ],
    ids=["close-without-open", "array-after-scalar", "duplicate", "oneof-empty", "oneof-stray"],
)
def test_unreadable_structure_is_an_error_with_its_line(
    lines: tuple[str, ...], needle: str, message: str
) -> None:
    text = page(*lines)
    with pytest.raises(SpecgenError) as caught:
        ingest_page(text)
    assert message in caught.value.message
    assert caught.value.line == max(
        n for n, line in enumerate(text.splitlines(), 1) if line.strip().endswith(needle)
    )


def test_request_without_body_or_parameters_is_an_error() -> None:
    text = HEADER + "Request\n\nHeaders\n\n    a string\n\nResponses\n\nOK\n"
    with pytest.raises(SpecgenError, match="expected 'Body' or a parameter list") as caught:
        ingest_page(text)
    assert caught.value.line == line_of(text, "Headers")


def test_read_without_title_is_an_error() -> None:
    with pytest.raises(SpecgenError, match="no page title") as caught:
        flat_text_reader.read(SourceText.of("p.txt", "POST\n\n/x\n\nResponses\n"))
    assert caught.value.line == 1


_FUZZ_LINES = st.sampled_from(
    [
        "    a string",
        "    b integernullablerequired",
        "    c",
        "    object",
        "    object[]",
        "    integer[]",
        "    required",
        "    nullable",
        "  • Array [",
        "  • ]",
        "  • oneOf",
        "    oneOf",
        "    string",
        "    Possible values: >= 1",
        "    Possible values: [x, y]",
        "    Default value: 3",
        "    Some prose.",
        "Responses",
        "Schema",
        "OK",
        "",
        "        d number",
        "Request",
        "Body",
        "Query Parameters",
        "Path Parameters",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FUZZ_LINES, max_size=25))
def test_any_line_sequence_gives_valid_openapi_or_specgen_error(lines: list[str]) -> None:
    """Whatever follows the header, the reader returns valid 3.1 or raises SpecgenError."""
    source = SourceText.of("fuzz.txt", HEADER + "Request\n\nBody\n\n" + "\n".join(lines))
    try:
        output = flat_text_reader.read(source)
    except SpecgenError as error:
        assert error.file == "fuzz.txt" and error.line is not None
        return
    assert validation_errors(output.document) == []
    assert [p for p in all_pointers(output.document) if p not in output.lines] == []
