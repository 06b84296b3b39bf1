"""Issue 12: small made-up docs pages, one or more for each syntax, positive and negative.

Every page is written here so that what it states is plain; each test says which case it covers.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.errors import SpecgenError
from codegen.ingest import IngestedDocument, ingest_text
from codegen.ingest.markdown import parse_markdown
from codegen.ingest.readers import bullets, checklists, jsx_props, param_fences, typescript
from codegen.ingest.readers.fields import LISTED_FIELDS
from codegen.ingest.readers.type_text import schema_for_type_text
from codegen.ingest.source import SourceText
from codegen.pipeline import load, merge_loaded

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "specs" / "reference" / "openai-chat-completions.yaml"


def page(text: str, name: str = "vendor.md") -> SourceText:
    return SourceText.of(name, textwrap.dedent(text).lstrip("\n"))


def ingest(text: str) -> IngestedDocument:
    return ingest_text(page(text))


def body(document: IngestedDocument, path: str, method: str = "post") -> dict[str, Any]:
    operation = document.openapi["paths"][path][method]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert isinstance(schema, dict)
    return schema


def line_of(text: str, needle: str) -> int:
    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


# --- which endpoint a section documents ---------------------------------------------------------

TWO_ENDPOINTS = """
# Vendor API

## Chat

```
POST /v1/chat/completions
```

| Name | Type | Required | Description |
|---|---|---|---|
| model | string | yes | The model. |
| temperature | number | no | Between 0 and 2. |

## Embeddings

```
POST /v1/embeddings
```

| Name | Type | Required | Description |
|---|---|---|---|
| input | string | yes | Text to embed. |
| dimensions | integer | no | Size of the vector. |
"""


def test_a_page_mixing_two_endpoints_gives_each_its_own_fields() -> None:
    document = ingest(TWO_ENDPOINTS)
    assert document.reader == "docs-page"
    chat = body(document, "/v1/chat/completions")
    embeddings = body(document, "/v1/embeddings")
    assert set(chat["properties"]) == {"model", "temperature"}
    assert chat["required"] == ["model"]
    assert set(embeddings["properties"]) == {"input", "dimensions"}
    assert embeddings["required"] == ["input"]
    line = line_of(TWO_ENDPOINTS, "| dimensions")
    pointer = "/paths/~1v1~1embeddings/post/requestBody/content/application~1json/schema"
    assert document.source_map.lines[pointer + "/properties/dimensions"] == line


WRONG_TABLE = """
# Chat completions

```
POST /v1/chat/completions
```

| Name | Type | Required | Description |
|---|---|---|---|
| model | string | yes | The model. |

## Parameters of `/v1/messages`

| Name | Type | Required | Description |
|---|---|---|---|
| max_tokens | integer | yes | Tokens for a message. |
| system | string | no | A system prompt. |
"""


def test_a_table_for_another_endpoint_is_never_read_into_chat_completions() -> None:
    document = ingest(WRONG_TABLE)
    chat = body(document, "/v1/chat/completions")
    assert set(chat["properties"]) == {"model"}
    assert list(document.openapi["paths"]) == ["/v1/chat/completions"]
    skipped = [note for note in document.notes if note.rule == "docs-section-skipped"]
    assert [note.line for note in skipped] == [
        line_of(
            WRONG_TABLE,
            "| Name |",
        )
        + 6
    ]
    assert "/v1/messages" in skipped[0].message


def test_a_page_whose_only_table_is_another_endpoints_is_refused_saying_so() -> None:
    text = """
    # Chat completions

    See the guide.

    ## POST /v1/messages

    | Name | Type | Required |
    |---|---|---|
    | max_tokens | integer | yes |
    """
    with pytest.raises(SpecgenError) as error:
        ingest(text)
    assert "tables describe /v1/messages" in error.value.message
    assert error.value.line == line_of(text, "| Name |")


def test_a_page_that_only_links_elsewhere_is_refused_saying_so() -> None:
    text = """
    # Chat API reference

    The API reference lives at [our docs](https://docs.example.com/api/chat).
    """
    with pytest.raises(SpecgenError) as error:
        ingest(text)
    assert "links to an external reference (https://docs.example.com/api/chat)" in str(
        error.value.message
    )


def test_endpoints_without_parameters_are_refused_with_the_endpoints_named() -> None:
    text = """
    # Models

    ```
    GET /v1/models
    ```

    ```bash
    curl https://api.example.com/v1/models
    ```
    """
    with pytest.raises(SpecgenError, match=r"endpoints without request parameters: GET /v1/models"):
        ingest(text)


def test_the_refusal_is_one_line_and_exit_2_from_the_cli(tmp_path: Path) -> None:
    source = tmp_path / "links.md"
    source.write_text("# API reference\n\nSee [the reference](https://x.example/api).\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(out), "--package", "p"])
    assert result.exit_code == 2
    assert not out.exists()
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "links to an external reference" in errors[0]
    assert f"{source}:3:" in errors[0]


def test_plain_prose_is_still_not_a_document_any_reader_recognises() -> None:
    with pytest.raises(SpecgenError, match="not a document any reader recognises"):
        ingest("# Hello\n\nJust a page about cats.\n")


# --- bullets -----------------------------------------------------------------------------------

BULLET_PAGE = """
## Generate

```
POST /api/generate
```

### Parameters

- `model`: (required) the model name
- `prompt`: the prompt
- `images` (optional): a list of base64-encoded images

Advanced parameters (optional):

- `keep_alive`: how long to keep the model loaded (default: `5m`)

The `message` object has the following fields:

- `role`: the role, either `user` or `assistant`
- `content`: the text

```shell
curl http://localhost:1/api/generate -d '{"model": "m", "prompt": "hi", "images": ["aGk="]}'
```
"""


def test_bullet_lists_give_fields_required_and_optional_and_a_nested_object() -> None:
    document = ingest(BULLET_PAGE)
    schema = body(document, "/api/generate")
    assert list(schema["properties"]) == ["model", "prompt", "images", "keep_alive"]
    assert schema["required"] == ["model"]
    # types the request example shows, where the page gives none (with a note saying so)
    assert schema["properties"]["prompt"]["type"] == "string"
    assert schema["properties"]["images"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": "a list of base64-encoded images",
    }
    noted = {
        n.pointer.rsplit("/", 1)[-1] for n in document.notes if n.rule == "docs-type-from-example"
    }
    assert noted == {"model", "prompt", "images", "keep_alive"}
    message = document.openapi["components"]["schemas"]["Message"]
    assert set(message["properties"]) == {"role", "content"}


def test_bullets_that_do_not_name_fields_in_code_are_not_fields() -> None:
    source = page(
        """
        - [Generate a completion](#generate)
        - Some prose item
        """
    )
    assert bullets.read_groups(parse_markdown(source)) == []


def test_one_heading_per_parameter_with_type_bullets() -> None:
    text = """
    # Chat

    `POST /v1/chat`

    ### temperature

    - Optional, **float**, 0.0 to 2.0
    - Default: 1.0

    ### max_tokens

    - Required, **integer**
    """
    schema = body(ingest(text), "/v1/chat")
    assert schema["properties"]["temperature"]["type"] == "number"
    assert schema["properties"]["max_tokens"]["type"] == "integer"
    assert schema["required"] == ["max_tokens"]
    assert "Default: 1.0" in schema["properties"]["temperature"]["description"]


# --- checklists --------------------------------------------------------------------------------

CHECKLIST = """
# Chat completions

```
POST /v1/chat/completions
```

Supported request fields:

- [x] model
- [x] temperature
- [x] messages
  - [x] role
  - [x] content
- [ ] logprobs
- [x] vendor_knob
"""


def test_a_checklist_with_nesting_is_read_as_listed() -> None:
    groups = checklists.read_groups(parse_markdown(page(CHECKLIST)))
    assert len(groups) == 1
    fields = groups[0].fields
    assert [f.name for f in fields] == ["model", "temperature", "messages", "vendor_knob"]
    messages = fields[2]
    assert [c.name for c in messages.children] == ["role", "content"]
    assert messages.to_schema() == {LISTED_FIELDS: {"role": {}, "content": {}}}
    assert all(f.type_text == "" for f in fields)


def test_checklist_fields_take_their_types_from_the_reference_with_findings(
    tmp_path: Path,
) -> None:
    source = tmp_path / "acme.md"
    source.write_text(textwrap.dedent(CHECKLIST).lstrip("\n"))
    loaded = load([source], reference=[REFERENCE])
    result = merge_loaded(loaded)
    findings = {(f.rule, f.pointer.rsplit("/", 1)[-1]) for f in loaded.report.findings}
    assert ("fill-unknown-shape", "model") in findings
    assert ("fill-unknown-shape", "messages") in findings
    # not in the reference: an unknown shape, and the report says so
    assert ("shape-unknown-unfilled", "temperature") in findings
    assert ("shape-unknown-unfilled", "vendor_knob") in findings
    assert not any(pointer == "logprobs" for _rule, pointer in findings)
    assert result.api is not None


def test_unchecked_items_only_are_no_fields() -> None:
    source = page("- [ ] model\n- [ ] stream\n")
    assert checklists.read_groups(parse_markdown(source)) == []


# --- JSX props ----------------------------------------------------------------------------------

JSX_PAGE = """
# Create chat completion

`POST /v1/chat/completions`

## Request Body

<ParamField body="model" type="string" required>
  The model.
</ParamField>

<ParamField body="temperature" type="number | null" default={1}>
  Sampling temperature. Required range: `0 <= x <= 2`
</ParamField>

<ParamField body="response_format" type="object">
  <Expandable title="properties">
    <ParamField body="type" type="string" required={true}>
      Enum: `text`, `json_object`
    </ParamField>
  </Expandable>
</ParamField>

<ParamField body="seed" typeInfo={{ type: "integer", minimum: 0 }}>
  A seed.
</ParamField>

<ParamField query="api-version" type="string">
  The version.
</ParamField>

<Card title="See also" href="/guides" />

```jsx
<ParamField body="not_a_field" type="string" />
```

## Response

<ResponseField name="id" type="string" required>
  The id.
</ResponseField>
"""


def test_jsx_props_give_fields_types_defaults_and_nesting() -> None:
    document = ingest(JSX_PAGE)
    schema = body(document, "/v1/chat/completions")
    props = schema["properties"]
    assert list(props) == ["model", "temperature", "response_format", "seed"]
    assert schema["required"] == ["model"]
    assert props["temperature"]["type"] == ["number", "null"]
    assert props["temperature"]["default"] == 1
    assert props["response_format"]["properties"]["type"]["type"] == "string"
    assert props["response_format"]["required"] == ["type"]
    assert props["seed"]["type"] == "integer" and props["seed"]["minimum"] == 0
    operation = document.openapi["paths"]["/v1/chat/completions"]["post"]
    assert [(p["name"], p["in"]) for p in operation["parameters"]] == [("api-version", "query")]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert list(response["properties"]) == ["id"]
    assert document.source_map.lines[
        "/paths/~1v1~1chat~1completions/post/requestBody/content/application~1json/schema"
        "/properties/temperature"
    ] == line_of(JSX_PAGE, 'body="temperature"')


def test_layout_components_and_code_samples_are_not_fields() -> None:
    source = page(JSX_PAGE)
    names = [
        f.name for g in jsx_props.read_groups(source, parse_markdown(source)) for f in g.fields
    ]
    assert "not_a_field" not in names
    assert "See also" not in names


# --- TypeScript ---------------------------------------------------------------------------------

TS_PAGE = """
# Chat

```
POST /v1/chat/completions
```

```ts
interface ChatRequest {
  model: string;
  messages: Message[];
  temperature?: number; // between 0 and 2, Default: 1
  stop?: string | string[];
  metadata?: { [key: string]: string };
  reasoning?: "low" | "medium" | "high";
}

interface Message {
  role: "system" | "user" | "assistant";
  /** The text of the message. */
  content: string | null;
}
```
"""


def test_typescript_with_unions_arrays_index_signatures_and_comments() -> None:
    document = ingest(TS_PAGE)
    schema = body(document, "/v1/chat/completions")
    props = schema["properties"]
    assert schema["required"] == ["model", "messages"]
    assert props["stop"] == {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    }
    assert props["metadata"] == {"type": "object", "additionalProperties": {"type": "string"}}
    assert props["reasoning"] == {"type": "string", "enum": ["low", "medium", "high"]}
    message = props["messages"]["items"]
    assert message["required"] == ["role", "content"]
    assert message["properties"]["role"]["enum"] == ["system", "user", "assistant"]
    assert message["properties"]["content"]["type"] == ["string", "null"]
    assert message["properties"]["content"]["description"] == "The text of the message."
    assert props["temperature"]["description"] == "between 0 and 2, Default: 1"


def test_typescript_comment_bounds_and_default_are_settled_by_normalize(tmp_path: Path) -> None:
    source = tmp_path / "ts.md"
    source.write_text(textwrap.dedent(TS_PAGE).lstrip("\n"))
    loaded = load([source])
    normalized = loaded.documents[0].openapi
    temperature = normalized["paths"]["/v1/chat/completions"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["properties"]["temperature"]
    assert (temperature["minimum"], temperature["maximum"], temperature["default"]) == (0, 2, 1)


def test_a_referenced_declaration_is_not_a_request_of_its_own() -> None:
    groups = typescript.read_groups(parse_markdown(page(TS_PAGE)))
    assert [(g.place, [f.name for f in g.fields][:2]) for g in groups] == [
        ("body", ["model", "messages"])
    ]


def test_a_fence_that_is_not_typescript_gives_no_fields() -> None:
    source = page("```ts\nconst x = 1;\nconsole.log(x);\n```\n")
    assert typescript.read_groups(parse_markdown(source)) == []


@pytest.mark.parametrize(
    ("text", "schema"),
    [
        ("string | object[] | null", {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}, {"type": "null"}]}),
        ("array<string | object>", {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "object"}]}}),
        ("'\"message\"'", {"type": "string", "enum": ["message"]}),
        ("map[string, integer] | null", {"type": ["object", "null"], "additionalProperties": {"type": "integer"}}),
        ("Record<string, number>", {"type": "object", "additionalProperties": {"type": "number"}}),
        ("(string | number)[]", {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "number"}]}}),
        ("integer | null", {"type": ["integer", "null"]}),
        ("a list of things", None),
        ("string |", None),
    ],
)  # fmt: skip
def test_type_text_notation(text: str, schema: dict[str, Any] | None) -> None:
    assert schema_for_type_text(text) == schema


# --- parameter fences ---------------------------------------------------------------------------


def test_a_param_fence_inside_a_layout_wrapper_with_variants() -> None:
    text = """
    ````stack
    `POST /v1/chat`

    **Request body**
    ```params
    - name: input
      type: string | array<object>
      optional: false
      description: What to send.
      children:
        - name: Text
          unstyledName: true
          type: string
        - name: Image part
          type: object
          children:
            - name: url
              type: string
              optional: false
    - name: stream
      type: boolean
      optional: true
      description: Stream it. Default `false`.
    ```
    ````
    """
    document = ingest(text)
    schema = body(document, "/v1/chat")
    assert schema["required"] == ["input"]
    variants = schema["properties"]["input"]["oneOf"]
    assert variants[0]["type"] == "string"
    assert variants[1]["items"]["properties"]["url"] == {"type": "string"}
    assert variants[1]["items"]["required"] == ["url"]
    assert document.source_map.lines[
        "/paths/~1v1~1chat/post/requestBody/content/application~1json/schema/properties/stream"
    ] == line_of(text, "- name: stream")


def test_a_yaml_list_that_is_not_parameters_is_no_param_fence() -> None:
    source = page("```yaml\n- one\n- two\n```\n\n```yaml\n- name: x\n  colour: red\n```\n")
    assert param_fences.read_groups(parse_markdown(source)) == []


# --- pseudo-spec fences -------------------------------------------------------------------------

PSEUDO = """
# Create thing

````yaml post /v1/things
paths:
  path: /v1/things
  method: post
  servers:
    - url: https://api.example.com
  request:
    security:
      - title: ApiKey
        parameters:
          header:
            X-Api-Key:
              type: apiKey
    parameters:
      query:
        dry_run:
          type: boolean
    body:
      application/json:
        schemaArray:
          - type: object
            properties:
              name:
                type: string
              size:
                type: integer
            requiredProperties:
              - name
            refIdentifier: '#/components/schemas/ThingRequest'
  response:
    '200':
      application/json:
        schemaArray:
          - $ref: '#/components/schemas/Thing'
        description: OK
components:
  schemas:
    Thing:
      type: object
      properties:
        id:
          type: string
````
"""


def test_a_pseudo_spec_fence_is_rewritten_into_the_operation_it_means() -> None:
    document = ingest(PSEUDO).openapi
    operation = document["paths"]["/v1/things"]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]
    assert reference == {"$ref": "#/components/schemas/ThingRequest"}
    request = document["components"]["schemas"]["ThingRequest"]
    assert request["required"] == ["name"]
    assert set(request["properties"]) == {"name", "size"}
    assert operation["parameters"][0]["name"] == "dry_run"
    assert operation["parameters"][0]["in"] == "query"
    assert document["servers"] == [{"url": "https://api.example.com"}]
    assert document["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey", "in": "header", "name": "X-Api-Key"
    }  # fmt: skip
    assert operation["responses"]["200"]["description"] == "OK"


def test_a_yaml_fence_with_ordinary_paths_is_no_pseudo_spec() -> None:
    text = "# P\n\n```yaml\npaths:\n  /x:\n    get: {}\n```\n"
    with pytest.raises(SpecgenError):
        ingest(text)


# --- Hugo and mkdocs noise ----------------------------------------------------------------------


def test_front_matter_shortcodes_admonitions_and_snippets_are_skipped() -> None:
    text = """
    ---
    title: Chat
    weight: 3
    ---

    {{< tabs >}}

    !!! note "Heads up"
        This endpoint is in beta.

    --8<-- "snippets/auth.md"

    ```
    POST /v1/chat
    ```

    | Parameter | Type | Required | Description |
    |---|---|---|---|
    | model | string | yes | The model. |

    {{< /tabs >}}
    """
    document = ingest(text)
    assert document.reader == "markdown"
    assert document.openapi["info"]["title"] == "Chat"
    assert set(body(document, "/v1/chat")["properties"]) == {"model"}


@pytest.mark.parametrize("depth", [300, 3000])
def test_fields_nested_absurdly_deep_are_refused_in_one_line(depth: int) -> None:
    text = "`POST /x`\n\n" + '<ParamField body="a" type="object">\n' * depth
    text += "</ParamField>\n" * depth
    with pytest.raises(SpecgenError, match="nested"):
        ingest_text(SourceText.of("deep.md", text))


# --- endpoints from curl evidence ---------------------------------------------------------------

CURL_ONLY = """
# Chat

| Name | Type | Required | Description |
|---|---|---|---|
| model | string | yes | The model. |

```bash
curl https://api.example.com/v1/chat/completions \\
  -H "Authorization: Bearer $KEY" \\
  -d '{"model": "m"}'
```
"""


def test_a_page_without_an_endpoint_line_takes_it_from_its_curl_command() -> None:
    document = ingest(CURL_ONLY)
    assert list(document.openapi["paths"]) == ["/v1/chat/completions"]
    assert document.openapi["servers"] == [{"url": "https://api.example.com"}]
    assert set(body(document, "/v1/chat/completions")["properties"]) == {"model"}
    notes = [n for n in document.notes if n.rule == "docs-endpoint-from-curl"]
    assert [n.line for n in notes] == [line_of(CURL_ONLY, "curl https://")]


def test_curl_evidence_does_not_pull_another_endpoints_table_in() -> None:
    text = """
    # Chat

    ## Parameters for /v1/messages

    | Name | Type | Required |
    |---|---|---|
    | max_tokens | integer | yes |

    ## Example

    ```bash
    curl -X POST https://api.example.com/v1/chat/completions -d '{"model": "m"}'
    ```
    """
    with pytest.raises(SpecgenError) as error:
        ingest(text)
    message = error.value.message
    assert "tables describe /v1/messages" in message
    assert "endpoints without request parameters: POST /v1/chat/completions" in message


def test_an_ill_shaped_pseudo_spec_keeps_what_has_its_shape() -> None:
    """A schemaArray, servers, parameters or response that is not the form's mapping is left
    out; the operation it names is still read, and nothing crashes."""
    text = """
    ````yaml post /z
    paths:
      path: /z
      method: post
      servers: 5
      request: {body: {a/b: {schemaArray: 7}}, parameters: {query: [1]}}
      response: {200: 4}
    components: 4
    ````
    """
    document = ingest(text).openapi
    operation = document["paths"]["/z"]["post"]
    assert operation["requestBody"] == {"content": {"a/b": {}}}
    assert operation["responses"] == {"200": {"description": "", "content": {}}}
    assert "servers" not in document and "parameters" not in operation
