"""Reader 2: markdown API reference pages (tables, JSON and curl examples) -> OpenAPI 3.1."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.errors import SpecgenError
from codegen.ingest import ingest_path, ingest_text, markdown_reader
from codegen.ingest.document import QUARANTINE_EXTENSION
from codegen.ingest.markdown import parse_markdown
from codegen.ingest.readers import type_cells
from codegen.ingest.readers.fields import TYPE_TEXT
from codegen.ingest.source import SourceText
from codegen.ingest.validate import validation_errors
from codegen.jsonpointer import join, resolve

SOURCES = Path(__file__).resolve().parents[2] / "specs" / "sources"
SOLIDRUST = SOURCES / "solidrust.md"
OPERATION = "/paths/~1v1~1chat~1completions/post"
BODY = OPERATION + "/requestBody/content/application~1json"
OK = OPERATION + "/responses/200/content/application~1json"


def page(text: str, path: str = "page.md") -> SourceText:
    return SourceText.of(path, textwrap.dedent(text).lstrip("\n"))


def solidrust() -> SourceText:
    return SourceText.of(str(SOLIDRUST), SOLIDRUST.read_text(encoding="utf-8"))


def line_of(source: SourceText, needle: str) -> int:
    """The 1-based line of the first source line containing ``needle``."""
    return next(i for i, text in enumerate(source.lines, start=1) if needle in text)


def only_operation(document: dict[str, Any]) -> dict[str, Any]:
    """The one operation a reference page describes."""
    (item,) = document["paths"].values()
    (operation,) = item.values()
    return dict(operation)


def request_schema(document: dict[str, Any]) -> dict[str, Any]:
    return dict(only_operation(document)["requestBody"]["content"]["application/json"]["schema"])


def ok_media(document: dict[str, Any]) -> dict[str, Any]:
    return dict(only_operation(document)["responses"]["200"]["content"]["application/json"])


def pointers(node: Any, pointer: str = "") -> list[str]:
    found = [pointer]
    if isinstance(node, dict):
        for key, value in node.items():
            found += pointers(value, join(pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += pointers(value, join(pointer, index))
    return found


MINIMAL = """
    # Embeddings

    Turns text into vectors.

    {fence}
    POST /v1/embeddings
    {fence}

    ## Request Body

    | Name | Type | Required | Description |
    |------|------|----------|-------------|
    | `input` | string | Yes | Text to embed |
"""


# -- solidrust.md, the real page ----------------------------------------------------------------


@pytest.fixture(scope="module")
def solid() -> tuple[SourceText, dict[str, Any], dict[str, int]]:
    source = solidrust()
    output = markdown_reader.read(source)
    return source, output.document, output.lines


def test_solidrust_is_claimed_by_content() -> None:
    assert markdown_reader.claims(solidrust())


def test_solidrust_operation_summary_and_description(solid: Any) -> None:
    _source, document, _lines = solid
    assert document["openapi"] == "3.1.0"
    operation = resolve(document, OPERATION)
    assert operation["summary"] == "Chat Completions"
    assert operation["description"] == "Create a chat completion with the specified model."
    assert "operationId" not in operation  # the page names none; not invented
    assert document["info"]["title"] == "Chat Completions"
    assert document["info"]["description"] == (
        "Generate AI responses using the chat completions endpoint"
    )


def test_solidrust_request_body_fields_as_written(solid: Any) -> None:
    _source, document, _lines = solid
    schema = resolve(document, BODY + "/schema")
    assert schema["type"] == "object"
    assert schema["required"] == ["model", "messages"]
    properties = schema["properties"]
    assert list(properties) == [
        "model",
        "messages",
        "temperature",
        "max_tokens",
        "stream",
        "top_p",
        "stop",
    ]
    assert properties["model"] == {
        "type": "string",
        "description": "Model ID to use (e.g., `vllm-primary`)",
    }
    assert properties["temperature"] == {
        "type": "number",
        "description": "Sampling temperature (0-2). Default: 1",
        "default": 1,
        "minimum": 0,
        "maximum": 2,
    }
    assert properties["max_tokens"] == {
        "type": "integer",
        "description": "Maximum tokens to generate",
    }
    assert properties["stream"] == {
        "type": "boolean",
        "description": "Enable streaming responses. Default: false",
        "default": False,
    }
    assert properties["top_p"] == {
        "type": "number",
        "description": "Nucleus sampling parameter (0-1)",
        "minimum": 0,
        "maximum": 1,
    }
    assert properties["stop"] == {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        "description": "Stop sequences",
    }


def test_solidrust_message_object_table_is_linked_to_messages(solid: Any) -> None:
    _source, document, _lines = solid
    messages = resolve(document, BODY + "/schema/properties/messages")
    assert messages == {
        "type": "array",
        "description": "Array of message objects",
        "items": {"$ref": "#/components/schemas/Message"},
    }
    assert document["components"]["schemas"]["Message"] == {
        "type": "object",
        "properties": {
            "role": {"type": "string", "description": "`system`, `user`, or `assistant`"},
            "content": {"type": "string", "description": "The message content"},
        },
        "required": ["role", "content"],
    }


def test_solidrust_response_schema_inferred_from_example(solid: Any) -> None:
    _source, document, _lines = solid
    media = resolve(document, OK)
    schema = media["schema"]
    assert schema["type"] == "object"
    assert {k: v["type"] for k, v in schema["properties"].items()} == {
        "id": "string",
        "object": "string",
        "created": "integer",
        "model": "string",
        "choices": "array",
        "usage": "object",
    }
    choice = schema["properties"]["choices"]["items"]
    assert choice["properties"]["index"] == {"type": "integer"}
    assert choice["properties"]["message"] == {
        "type": "object",
        "properties": {"role": {"type": "string"}, "content": {"type": "string"}},
    }
    assert schema["properties"]["usage"]["properties"]["total_tokens"] == {"type": "integer"}
    assert "required" not in str(schema)  # an example shows presence, never requiredness
    assert media["example"]["id"] == "chatcmpl-abc123"
    assert media["example"]["usage"]["total_tokens"] == 175


def test_solidrust_streaming_sentence_gives_event_stream_without_schema(solid: Any) -> None:
    _source, document, _lines = solid
    content = resolve(document, OPERATION + "/responses/200/content")
    assert content["text/event-stream"] == {}


def test_solidrust_curl_bodies_are_named_request_examples(solid: Any) -> None:
    _source, document, _lines = solid
    examples = resolve(document, BODY + "/examples")
    assert list(examples) == ["example_request", "streaming"]
    assert examples["example_request"]["value"]["max_tokens"] == 500
    assert examples["example_request"]["value"]["messages"][1] == {
        "role": "user",
        "content": "What is machine learning?",
    }
    assert examples["streaming"]["value"]["stream"] is True


def test_solidrust_servers_and_bearer_security_from_curl(solid: Any) -> None:
    _source, document, _lines = solid
    assert document["servers"] == [{"url": "https://api.solidrust.ai"}]
    assert document["components"]["securitySchemes"] == {
        "bearerAuth": {"type": "http", "scheme": "bearer"},
    }
    assert document["security"] == [{"bearerAuth": []}]


def test_solidrust_error_table_gives_one_response_per_status(solid: Any) -> None:
    _source, document, _lines = solid
    responses = resolve(document, OPERATION + "/responses")
    assert list(responses) == ["200", "400", "401", "429", "500"]
    assert responses["401"] == {"description": "Invalid or missing API key"}
    assert responses["429"] == {"description": "Rate limit exceeded"}


def test_solidrust_source_map_points_at_table_rows_and_fences(solid: Any) -> None:
    source, _document, lines = solid
    assert lines[BODY + "/schema/properties/temperature"] == line_of(source, "| `temperature`")
    assert lines[BODY + "/schema/properties/stop"] == line_of(source, "| `stop`")
    assert lines["/components/schemas/Message/properties/role"] == line_of(source, "| `role`")
    assert lines["/components/schemas/Message"] == line_of(source, "### Message Object")
    assert lines[OPERATION] == line_of(source, "POST /v1/chat/completions")
    assert lines[OK + "/example"] == line_of(source, "```json")
    assert lines[OK + "/schema/properties/usage"] == line_of(source, '"usage"')
    assert lines[BODY + "/examples/streaming"] == 80  # the second ```bash fence
    assert lines[OPERATION + "/responses/429"] == line_of(source, "| 429 |")
    assert lines["/servers/0"] == line_of(source, "curl https://api.solidrust.ai")
    assert lines[OPERATION + "/responses/200/content/text~1event-stream"] == line_of(
        source, "server-sent events"
    )


def test_solidrust_every_pointer_has_a_line(solid: Any) -> None:
    _source, document, lines = solid
    missing = [p for p in pointers(document) if p not in lines]
    assert missing == []
    assert set(lines) == set(pointers(document))  # nothing mapped that the document lacks


def test_solidrust_ingests_valid_with_markdown_reader() -> None:
    ingested = ingest_text(solidrust())
    assert ingested.reader == "markdown"
    assert validation_errors(ingested.openapi) == []
    assert QUARANTINE_EXTENSION not in ingested.openapi  # nothing needed setting aside
    assert ingested.source_map.line_for(BODY + "/schema/properties/model") == 18


def test_cli_ingest_of_solidrust_exits_zero(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(SOLIDRUST), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "markdown reader" in result.output
    assert (tmp_path / "solidrust.yaml").is_file()


@pytest.mark.parametrize("name", ["siliconstorm.md", "oxen.md"])
def test_openapi_inside_markdown_is_still_read_by_reader_1(name: str) -> None:
    assert ingest_path(SOURCES / name).reader == "openapi"


# -- small variants -----------------------------------------------------------------------------


@pytest.mark.parametrize("fence", ["~~~", "````", "~~~~~", "```http"])
def test_other_fence_styles_hold_the_endpoint_line(fence: str) -> None:
    closing = fence.removesuffix("http")
    text = MINIMAL.replace("{fence}\n    POST", fence + "\n    POST").replace("{fence}", closing)
    source = page(text)
    assert markdown_reader.claims(source)
    assert request_schema(ingest_text(source).openapi)["required"] == ["input"]


def test_endpoint_line_in_a_paragraph_is_found() -> None:
    """An endpoint written as inline code in a paragraph, not in a fence."""
    source = page(
        """
        # Embeddings

        `POST /v1/embeddings`

        | Name | Type | Description |
        |------|------|-------------|
        | input | string | Text |
        """
    )
    output = markdown_reader.read(source)
    assert list(output.document["paths"]) == ["/v1/embeddings"]
    assert output.lines["/paths/~1v1~1embeddings/post"] == 3


def test_reordered_columns_and_extra_unknown_column() -> None:
    """Columns are found by header name in any order; an unknown column is ignored."""
    source = page(
        """
        ```
        POST /v1/things
        ```

        ## Parameters

        | Description | Since | Default | Required | Type | Field |
        |-------------|-------|---------|----------|------|-------|
        | How many (1-10) | v2 | 3 | false | integer | `n` |
        | The name | v1 | - | **required** | String | `name` |
        | Flag | v3 | `true` | optional | bool | `flag` |
        """
    )
    schema = request_schema(ingest_text(source).openapi)
    assert schema["required"] == ["name"]
    assert schema["properties"] == {
        "n": {
            "type": "integer",
            "description": "How many (1-10)",
            "default": 3,
            "minimum": 1,
            "maximum": 10,
        },
        "name": {"type": "string", "description": "The name"},
        "flag": {"type": "boolean", "description": "Flag", "default": True},
    }
    assert "v2" not in str(schema)


def test_nested_object_table_linked_by_description() -> None:
    """A field named unlike the table is linked when its description says "turn objects"."""
    source = page(
        """
        # Dialog

        ```
        POST /dialog
        ```

        ## Request Body

        | Parameter | Type | Required | Description |
        |-----------|------|----------|-------------|
        | history | array | Yes | A list of turn objects |
        | speaker | string | No | Not a turn |

        ### Turn Object

        | Field | Type | Description |
        |-------|------|-------------|
        | speaker | string | Who spoke |
        | text | string | What was said |
        """
    )
    output = markdown_reader.read(source)
    schema = request_schema(output.document)
    assert schema["properties"]["history"]["items"] == {"$ref": "#/components/schemas/Turn"}
    assert "$ref" not in schema["properties"]["speaker"]
    turn = output.document["components"]["schemas"]["Turn"]
    assert list(turn["properties"]) == ["speaker", "text"]
    assert "required" not in turn  # no required column: requiredness not stated
    assert output.lines["/components/schemas/Turn/properties/text"] == line_of(source, "| text |")
    assert validation_errors(ingest_text(source).openapi) == []


def test_nested_object_linked_by_type_cell_name() -> None:
    """``Tool[]`` in the type column names the ``Tool Object`` table."""
    source = page(
        """
        ```
        POST /run
        ```

        ## Request Body

        | Name | Type | Description |
        |------|------|-------------|
        | available | Tool[] | What may be called |

        ## Tool Object

        | Name | Type | Description |
        |------|------|-------------|
        | name | string | Tool name |
        """
    )
    schema = request_schema(markdown_reader.read(source).document)
    assert schema["properties"]["available"] == {
        "type": "array",
        "description": "What may be called",
        "items": {"$ref": "#/components/schemas/Tool"},
    }


STRING_OR_STRINGS = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}


@pytest.mark.parametrize(
    ("cell", "schema"),
    [
        ("string", {"type": "string"}),
        ("Integer", {"type": "integer"}),
        ("float", {"type": "number"}),
        ("string/array", STRING_OR_STRINGS),
        ("string | array", STRING_OR_STRINGS),
        ("string or array", STRING_OR_STRINGS),
        ("string or null", {"type": ["string", "null"]}),
        ("integer | string", {"oneOf": [{"type": "integer"}, {"type": "string"}]}),
        ("array of strings", {"type": "array", "items": {"type": "string"}}),
        ("integer[]", {"type": "array", "items": {"type": "integer"}}),
        ("array of Widget objects", {"type": "array"}),
        ("", {}),
        ("strng", None),
        ("string | strng", None),
    ],
)
def test_type_cells(cell: str, schema: dict[str, Any] | None) -> None:
    """Type cells: scalars, unions, arrays; unknown or empty left untyped (None = unreadable)."""
    assert type_cells.schema_for_type(cell) == schema


def test_unknown_type_is_left_untyped_with_the_text_kept() -> None:
    source = page(
        MINIMAL.replace("{fence}", "```")
        + "    | `dims` | vector | No | Size |\n    | `user` |  | No | Who |\n"
    )
    properties = request_schema(ingest_text(source).openapi)["properties"]
    assert properties["dims"] == {
        "description": "Size",
        TYPE_TEXT: "vector",
    }
    assert properties["user"] == {"description": "Who"}


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Default: 0.7", {"default": 0.7}),
        ("Defaults to `auto`.", {"default": "auto"}),
        ("default is null", {"default": None}),
        ("Penalty between -2 and 2", {"minimum": -2, "maximum": 2}),
        ("Range (-2.0 to 2.0)", {"minimum": -2.0, "maximum": 2.0}),
        ("Defaults to the model maximum", {}),
        ("Up to 4 items", {}),
    ],
)
def test_prose_defaults_and_bounds(description: str, expected: dict[str, Any]) -> None:
    row = f"    | `x` | number | No | {description} |\n"
    source = page(MINIMAL.replace("{fence}", "```") + row)
    prop = request_schema(markdown_reader.read(source).document)["properties"]["x"]
    assert prop == {"type": "number", "description": description, **expected}


def test_query_parameter_table_becomes_parameters() -> None:
    source = page(
        """
        ```
        GET /v1/models/{model}
        ```

        ## Path Parameters

        | Name | Type | Required | Description |
        |------|------|----------|-------------|
        | model | string | Yes | Model id |

        ## Query Parameters

        | Name | Type | Required | Description |
        |------|------|----------|-------------|
        | verbose | boolean | No | More detail. Default: false |
        """
    )
    output = markdown_reader.read(source)
    parameters = output.document["paths"]["/v1/models/{model}"]["get"]["parameters"]
    assert parameters == [
        {
            "name": "model",
            "in": "path",
            "description": "Model id",
            "required": True,
            "schema": {"type": "string"},
        },
        {
            "name": "verbose",
            "in": "query",
            "description": "More detail. Default: false",
            "required": False,
            "schema": {"type": "boolean", "default": False},
        },
    ]
    assert "requestBody" not in output.document["paths"]["/v1/models/{model}"]["get"]
    assert output.lines["/paths/~1v1~1models~1{model}/get/parameters/1"] == 15
    assert validation_errors(ingest_text(source).openapi) == []


def test_curl_with_api_key_header_and_path_prefix() -> None:
    """Server keeps the prefix before the endpoint path; x-api-key is an apiKey scheme."""
    source = page(
        MINIMAL.replace("{fence}", "```").replace("POST /v1/embeddings", "POST /embeddings")
        + """
    ## Example

    ```sh
    curl --request POST --url https://api.example.com/v2/embeddings \\
      --header 'x-api-key: KEY' \\
      --header 'content-type: application/json; charset=utf-8' \\
      --data '{"input": "hello"}'
    ```

    ```sh
    curl https://api.example.com/v2/other -d '{"unrelated": true}'
    ```
    """
    )
    document = ingest_text(source).openapi
    assert document["servers"] == [{"url": "https://api.example.com/v2"}]
    assert document["components"]["securitySchemes"] == {
        "apiKeyAuth": {"type": "apiKey", "in": "header", "name": "x-api-key"},
    }
    assert document["security"] == [{"apiKeyAuth": []}]
    content = document["paths"]["/embeddings"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json"]
    assert content["application/json"]["examples"] == {
        "example": {"summary": "Example", "value": {"input": "hello"}},
    }  # the command for /v2/other is another endpoint's: not an example of this one


def test_response_field_table_is_the_response_schema() -> None:
    source = page(
        MINIMAL.replace("{fence}", "```")
        + """
    ## Response

    | Field | Type | Description |
    |-------|------|-------------|
    | vector | array of numbers | The embedding |

    ```json
    {"vector": [0.1, 0.2]}
    ```
    """
    )
    media = ok_media(markdown_reader.read(source).document)
    assert media["schema"] == {
        "type": "object",
        "properties": {
            "vector": {
                "type": "array",
                "items": {"type": "number"},
                "description": "The embedding",
            }
        },
    }
    assert media["example"] == {"vector": [0.1, 0.2]}


def test_inferred_schema_merges_array_items_and_leaves_null_untyped() -> None:
    source = page(
        MINIMAL.replace("{fence}", "```")
        + """
    ## Response

    ```json
    {"data": [{"a": 1}, {"a": 1.5, "b": null}], "empty": [], "none": null}
    ```
    """
    )
    schema = ok_media(markdown_reader.read(source).document)["schema"]
    assert schema["properties"]["data"]["items"] == {
        "type": "object",
        "properties": {"a": {"type": "number"}, "b": {}},
    }
    assert schema["properties"]["empty"] == {"type": "array"}
    assert schema["properties"]["none"] == {}


def test_error_table_with_status_text_in_the_code_cell() -> None:
    source = page(
        MINIMAL.replace("{fence}", "```")
        + """
    ## Errors

    | HTTP status | Error code | Description |
    |-------------|------------|-------------|
    | 400 Bad Request | invalid | The body is wrong |
    | 5XX | server | Try again |
    """
    )
    output = markdown_reader.read(source)
    responses = output.document["paths"]["/v1/embeddings"]["post"]["responses"]
    assert responses == {
        "400": {"description": "The body is wrong"},
        "5XX": {"description": "Try again"},
    }
    assert output.lines["/paths/~1v1~1embeddings/post/responses/5XX/description"] == 20


# -- what is not claimed, and what cannot be read ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "# Guide\n\nSome prose.\n\n| Name | Type |\n|---|---|\n| a | string |\n",
        "# API\n\n```\nPOST /v1/x\n```\n\n| Code | Description |\n|---|---|\n| 400 | Bad |\n",
        "# API\n\n```\nPOST /v1/x\n```\n\nJust prose, no tables.\n",
        "openapi: 3.1.0\ninfo:\n  title: x\n",
        "POST\n\n/chat/completions\n\nmessages\n\nobject[]\n",
    ],
    ids=["no-endpoint", "no-parameter-table", "no-table", "bare-openapi", "flattened-text"],
)
def test_pages_that_are_not_claimed(text: str) -> None:
    assert not markdown_reader.claims(page(text))


def test_read_without_endpoint_line_is_an_error() -> None:
    with pytest.raises(SpecgenError, match="no endpoint line") as caught:
        markdown_reader.read(page("| Name | Type |\n|---|---|\n| a | string |\n"))
    assert caught.value.file == "page.md"


def test_unclosed_fence_is_an_error_with_its_line() -> None:
    text = MINIMAL.replace("{fence}", "```") + "\n    ## Response\n\n    ````json\n    {}\n"
    source = page(text)
    opening = line_of(source, "````json")
    with pytest.raises(SpecgenError, match="never closed") as caught:
        markdown_reader.read(source)
    assert (caught.value.file, caught.value.line) == ("page.md", opening)
    with pytest.raises(SpecgenError, match="never closed") as via_dispatcher:
        ingest_text(source)
    assert via_dispatcher.value.line == opening


def test_invalid_json_response_example_is_an_error_with_its_line() -> None:
    source = page(
        MINIMAL.replace("{fence}", "```")
        + '\n    ## Response\n\n    ```json\n    {\n      "a": 1,,\n    }\n    ```\n'
    )
    with pytest.raises(SpecgenError, match="response example is not valid JSON") as caught:
        ingest_text(source)
    assert caught.value.line == line_of(source, '"a": 1,,')


def test_unbalanced_quote_in_curl_is_an_error_with_the_fence_line() -> None:
    source = page(
        MINIMAL.replace("{fence}", "```")
        + '\n    ```bash\n    curl https://x.io/v1/embeddings -d \'{"input": 1}\n    ```\n'
    )
    with pytest.raises(SpecgenError, match="cannot read the curl command") as caught:
        markdown_reader.read(source)
    assert caught.value.line == line_of(source, "```bash")


def test_invalid_json_in_curl_body_is_an_error() -> None:
    source = page(
        MINIMAL.replace("{fence}", "```")
        + "\n    ```bash\n    curl https://x.io/v1/embeddings \\\n      -d '{input: 1}'\n    ```\n"
    )
    with pytest.raises(SpecgenError, match="curl request body is not valid JSON") as caught:
        markdown_reader.read(source)
    assert caught.value.line == line_of(source, "-d '{input")


def test_table_row_without_a_name_is_an_error() -> None:
    source = page(MINIMAL.replace("{fence}", "```") + "    |  | string | No | Orphan |\n")
    with pytest.raises(SpecgenError, match="no name") as caught:
        markdown_reader.read(source)
    assert caught.value.line == line_of(source, "Orphan")


def test_field_described_twice_is_an_error() -> None:
    source = page(MINIMAL.replace("{fence}", "```") + "    | `input` | array | No | Again |\n")
    with pytest.raises(SpecgenError, match="described twice") as caught:
        markdown_reader.read(source)
    assert caught.value.line == line_of(source, "Again")


def test_flattened_docs_page_is_left_to_reader_3() -> None:
    """deepseek.docs.txt has an endpoint but no tables: not a markdown reference page."""
    path = SOURCES / "deepseek.docs.txt"
    assert not markdown_reader.claims(SourceText.of(str(path), path.read_text(encoding="utf-8")))


def test_solidrust_with_any_one_line_dropped_is_read_or_refused_cleanly() -> None:
    """Damaged pages: a SpecgenError or a valid document; only damaged fences are refused."""
    lines = solidrust().lines
    in_fences: set[int] = set()
    for fence in parse_markdown(solidrust()).fences():
        in_fences |= set(
            range(fence.opening_line, fence.first_line + fence.content.count("\n") + 1)
        )
    for line in range(1, len(lines) + 1):
        source = SourceText.of("damaged.md", "\n".join(lines[: line - 1] + lines[line:]) + "\n")
        try:
            if not markdown_reader.claims(source):
                assert line in in_fences, line  # only losing the endpoint fence loses the claim
                continue
            output = markdown_reader.read(source)
        except SpecgenError as error:
            assert error.file == "damaged.md"
            assert error.line is not None
            assert line in in_fences, (line, str(error))
            continue
        assert validation_errors(output.document) == [], line
        assert set(output.lines) == set(pointers(output.document)), line
