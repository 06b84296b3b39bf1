"""Issue 12 acceptance on the four published docs pages of the corpus (tests/corpus/ORIGIN.md).

Each page's expected fields were written down by reading the page itself (its parameter lists,
param fences, pseudo-spec and JSX props, and for fields it gives no type, its own request
examples), not from the reader's output. Each page is built with the ``specgen`` command from a
folder outside the repository; the request models of the package it writes must state exactly
that, or the page must be refused with its one-line reason. The packages must import and be
ruff-clean and ``mypy --strict``-clean.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.ingest.markdown import parse_markdown
from codegen.ingest.readers import jsx_props
from codegen.ingest.readers.fields import NOT_STATED
from codegen.ingest.source import read_source
from tests._packages import assert_imports_with_routes, assert_mypy_strict_clean, assert_ruff_clean

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
BUILT = {
    "ollama_api.md": "ollama_pkg",
    "lmstudio_rest_chat.md": "lmstudio_pkg",
    "perplexity_chat_completions.md": "perplexity_pkg",
}


def _specgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = shutil.which("specgen", path=os.path.dirname(sys.executable)) or "specgen"
    return subprocess.run(
        [command, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=600
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each page built alone, from a working folder outside the repository."""
    folders: dict[str, Path] = {}
    for page, package in BUILT.items():
        work = tmp_path_factory.mktemp(package)
        result = _specgen(
            "build", str(CORPUS / page), "--out", "out", "--package", package, cwd=work
        )
        assert result.returncode == 0, result.stderr
        folders[page] = work / "out" / package
    return folders


def _document(folder: Path) -> dict[str, Any]:
    data = yaml.safe_load((folder / "openapi.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _type(document: dict[str, Any], schema: dict[str, Any]) -> str:
    """A schema's type in short notation: ``string``, ``array<integer>``, ``string | object``."""
    schema = _resolve(document, schema)
    if "oneOf" in schema or "anyOf" in schema:
        members = [_type(document, m) for m in schema.get("oneOf", schema.get("anyOf"))]
        return " | ".join(sorted(set(members)))
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(sorted(kind))
    if kind == "array":
        items = schema.get("items")
        return f"array<{_type(document, items)}>" if isinstance(items, dict) else "array<any>"
    return str(kind) if kind else "any"


_FACTS = ("default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")


def request_fields(document: dict[str, Any], path: str, method: str) -> dict[str, dict[str, Any]]:
    """What the merged document's request body says of each field."""
    operation = document["paths"][path][method]
    schema = _resolve(document, operation["requestBody"]["content"]["application/json"]["schema"])
    required = set(schema.get("required", []))
    fields: dict[str, dict[str, Any]] = {}
    for name, prop in schema["properties"].items():
        prop = _resolve(document, prop)
        facts: dict[str, Any] = {"type": _type(document, prop), "required": name in required}
        facts.update({key: prop[key] for key in _FACTS if key in prop})
        fields[name] = facts
    return fields


def _model_fields(folder: Path, model: str) -> dict[str, bool]:
    """Field name -> required, read from the generated pydantic request model itself."""
    script = (
        f"import sys, json; sys.path.insert(0, {str(folder.parent)!r}); "
        f"from {folder.name}.types import {model} as M; "
        "print(json.dumps({n: f.is_required() for n, f in M.model_fields.items()}))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return dict(yaml.safe_load(result.stdout))


# --- lmstudio_rest_chat.md: front matter, an lms_hstack wrapper, lms_params fences ---------------

LMSTUDIO_REQUEST = {
    "model": {"type": "string", "required": True},
    "input": {"type": "array<object> | string", "required": True},
    "system_prompt": {"type": "string", "required": False},
    "integrations": {"type": "array<object | string>", "required": False},
    "stream": {"type": "boolean", "required": False, "default": False},
    "temperature": {"type": "number", "required": False, "minimum": 0, "maximum": 1},
    "top_p": {"type": "number", "required": False, "minimum": 0, "maximum": 1},
    "top_k": {"type": "integer", "required": False},
    "min_p": {"type": "number", "required": False, "minimum": 0, "maximum": 1},
    "repeat_penalty": {"type": "number", "required": False},
    "max_output_tokens": {"type": "integer", "required": False},
    "reasoning": {
        "type": "string", "required": False, "enum": ["off", "low", "medium", "high", "on"]
    },
    "context_length": {"type": "integer", "required": False},
    "store": {"type": "boolean", "required": False, "default": True},
    "previous_response_id": {"type": "string", "required": False},
}  # fmt: skip


def test_lmstudio_request_model_has_exactly_what_the_page_states(built: dict[str, Path]) -> None:
    folder = built["lmstudio_rest_chat.md"]
    document = _document(folder)
    assert list(document["paths"]) == ["/api/v1/chat"]
    assert document["servers"][0]["url"] == "http://localhost:1234"
    assert request_fields(document, "/api/v1/chat", "post") == LMSTUDIO_REQUEST
    model = _model_fields(folder, "CreateApiChatRequest")
    assert model == {name: facts["required"] for name, facts in LMSTUDIO_REQUEST.items()}


def test_lmstudio_union_variants_are_the_objects_the_page_nests(built: dict[str, Path]) -> None:
    """``input``'s object variant lists a text and an image input, each with a literal type."""
    document = _document(folder := built["lmstudio_rest_chat.md"])
    assert folder.exists()
    request = _resolve(
        document,
        document["paths"]["/api/v1/chat"]["post"]["requestBody"]["content"]["application/json"][
            "schema"
        ],
    )
    array = next(m for m in request["properties"]["input"]["oneOf"] if m.get("type") == "array")
    variants = _resolve(document, array["items"])["oneOf"]
    shapes = {}
    for variant in variants:
        variant = _resolve(document, variant)
        kind = variant["properties"]["type"]
        shapes[tuple(kind.get("enum", [kind.get("const")]))] = sorted(variant["required"])
    assert shapes == {("message",): ["content", "type"], ("image",): ["data_url", "type"]}
    integrations = request["properties"]["integrations"]["items"]["oneOf"]
    objects = [_resolve(document, m) for m in integrations if m.get("type") != "string"]
    plugin_or_mcp = _resolve(document, objects[0]) if len(objects) == 1 else None
    kinds = sorted(
        tuple(_resolve(document, v)["properties"]["type"].get("enum", []))
        for v in (plugin_or_mcp["oneOf"] if plugin_or_mcp else objects)
    )
    assert kinds == [("ephemeral_mcp",), ("plugin",)]


# --- perplexity_chat_completions.md: a Mintlify "resolved" pseudo-spec fence -------------------

PERPLEXITY_REQUEST = {
    "model": {
        "type": "string", "required": True,
        "enum": ["sonar", "sonar-pro", "sonar-deep-research", "sonar-reasoning",
                 "sonar-reasoning-pro"],
    },
    "messages": {"type": "array<object>", "required": True},
    "search_mode": {"type": "string", "required": False, "enum": ["academic", "sec", "web"]},
    "reasoning_effort": {"type": "string", "required": False, "enum": ["low", "medium", "high"]},
    "max_tokens": {"type": "integer", "required": False},
    # exclusiveMaximum: true beside maximum 2, but the prose says "between 0 and 2"
    "temperature": {"type": "number", "required": False, "minimum": 0, "maximum": 2},
    "top_p": {"type": "number", "required": False, "minimum": 0, "maximum": 1},
    "language_preference": {"type": "string", "required": False},
    "search_domain_filter": {"type": "array<any>", "required": False},
    "return_images": {"type": "boolean", "required": False},
    "return_related_questions": {"type": "boolean", "required": False},
    "search_recency_filter": {"type": "string", "required": False},
    "search_after_date_filter": {"type": "string", "required": False},
    "search_before_date_filter": {"type": "string", "required": False},
    "last_updated_after_filter": {"type": "string", "required": False},
    "last_updated_before_filter": {"type": "string", "required": False},
    "top_k": {"type": "number", "required": False},
    "stream": {"type": "boolean", "required": False},
    "presence_penalty": {"type": "number", "required": False},
    "frequency_penalty": {"type": "number", "required": False},
    "response_format": {"type": "any", "required": False},
    "disable_search": {"type": "boolean", "required": False},
    "enable_search_classifier": {"type": "boolean", "required": False},
    "web_search_options": {"type": "object", "required": False},
    "media_response": {"type": "object", "required": False},
}  # fmt: skip
# Stated on the page inside one-element allOf wrappers, which the merge reads through.
PERPLEXITY_DEFAULTS = {
    "search_mode": "web", "temperature": 0.2, "top_p": 0.9, "return_images": False,
    "return_related_questions": False, "top_k": 0, "stream": False, "presence_penalty": 0,
    "frequency_penalty": 0, "disable_search": False, "enable_search_classifier": False,
}  # fmt: skip


def test_perplexity_request_model_has_what_the_pseudo_spec_states(built: dict[str, Path]) -> None:
    folder = built["perplexity_chat_completions.md"]
    document = _document(folder)
    assert list(document["paths"]) == ["/chat/completions"]
    assert document["servers"][0]["url"] == "https://api.perplexity.ai"
    operation = document["paths"]["/chat/completions"]["post"]
    assert sorted(operation["responses"]["200"]["content"]) == [
        "application/json",
        "text/event-stream",
    ]
    fields = request_fields(document, "/chat/completions", "post")
    without_defaults = {
        n: {k: v for k, v in f.items() if k != "default"} for n, f in fields.items()
    }
    assert without_defaults == PERPLEXITY_REQUEST
    model = _model_fields(folder, "ChatCompletionsRequest")
    assert model == {name: facts["required"] for name, facts in PERPLEXITY_REQUEST.items()}


def test_perplexity_defaults_reach_the_ingested_document() -> None:
    """The reader keeps every default the pseudo-spec states (inside its allOf wrappers)."""
    from codegen.ingest import ingest_path

    document = ingest_path(CORPUS / "perplexity_chat_completions.md").openapi
    properties = document["components"]["schemas"]["ChatCompletionsRequest"]["properties"]
    defaults = {
        name: prop["allOf"][0]["default"]
        for name, prop in properties.items()
        if "default" in prop["allOf"][0]
    }
    assert defaults == PERPLEXITY_DEFAULTS


def test_perplexity_defaults_reach_the_merged_document(built: dict[str, Path]) -> None:
    fields = request_fields(
        _document(built["perplexity_chat_completions.md"]), "/chat/completions", "post"
    )
    assert {n: f["default"] for n, f in fields.items() if "default" in f} == PERPLEXITY_DEFAULTS


# --- ollama_api.md: many endpoints, each with `- \`name\`: ...` bullet lists ------------------

# Every endpoint line with a parameter list under it; the four without one (GET /api/tags,
# POST /api/copy, GET /api/ps, GET /api/version) are left out with a warning. The paths' shared
# /api prefix moves into the base URL, as the merge does for every vendor.
OLLAMA_OPERATIONS = {
    ("/generate", "post"), ("/chat", "post"), ("/create", "post"),
    ("/blobs/{digest}", "head"), ("/blobs/{digest}", "post"), ("/show", "post"),
    ("/delete", "delete"), ("/pull", "post"), ("/push", "post"),
    ("/embed", "post"), ("/embeddings", "post"),
}  # fmt: skip

# Types: the page's words ("a list of ...") where it has them, else its request examples. An
# object whose keys the page leaves to another page (`options`, a JSON schema in `format`) is an
# unknown shape (rule unknown-shape), so the model accepts any JSON value there.
OLLAMA_GENERATE = {
    "model": {"type": "string", "required": True},
    "prompt": {"type": "string", "required": False},
    "suffix": {"type": "string", "required": False},
    "images": {"type": "array<string>", "required": False},
    "think": {"type": "any", "required": False},
    "format": {"type": "any | string", "required": False},
    "options": {"type": "any", "required": False},
    "system": {"type": "any", "required": False},
    "template": {"type": "any", "required": False},
    "stream": {"type": "boolean", "required": False},
    "raw": {"type": "boolean", "required": False},
    # "(default: `5m`)" and `"keep_alive": 0` in the unload example
    "keep_alive": {"type": "integer | string", "required": False},
    "context": {"type": "any", "required": False},
}  # fmt: skip
OLLAMA_EMBED = {
    "model": {"type": "string", "required": False},
    "input": {"type": "array<string> | string", "required": False},
    "truncate": {"type": "boolean", "required": False, "default": True},
    "options": {"type": "any", "required": False},
    "keep_alive": {"type": "string", "required": False, "default": "5m"},
    "dimensions": {"type": "any", "required": False},
}  # fmt: skip
OLLAMA_CHAT_MESSAGE = {"role", "content", "thinking", "images", "tool_calls", "tool_name"}


def test_ollama_yields_each_operation_it_documents_parameters_for(built: dict[str, Path]) -> None:
    document = _document(built["ollama_api.md"])
    operations = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete", "head"}
    }
    assert operations == OLLAMA_OPERATIONS
    assert document["servers"][0]["url"] == "http://localhost:11434/api"


def test_ollama_generate_and_embed_have_exactly_what_the_page_states(
    built: dict[str, Path],
) -> None:
    document = _document(built["ollama_api.md"])
    generate = request_fields(document, "/generate", "post")
    # The merged keep_alive default is one vendor's; it stays in the field's facts or profile.
    generate["keep_alive"].pop("default", None)
    assert generate == OLLAMA_GENERATE
    assert request_fields(document, "/embed", "post") == OLLAMA_EMBED


# The other operations, read off their parameter lists and request examples the same way.
_ANY = {"type": "any", "required": False}
OLLAMA_OTHERS = {
    ("/chat", "post"): {
        "model": {"type": "string", "required": True},
        "messages": {"type": "array<object>", "required": False},
        "tools": {"type": "array<any>", "required": False},  # "list of" + objects in examples
        "think": _ANY, "format": _ANY, "options": _ANY,
        "stream": {"type": "boolean", "required": False},
        "keep_alive": {"type": "integer | string", "required": False},
    },
    ("/create", "post"): {
        "model": {"type": "string", "required": False},
        "from": {"type": "string", "required": False},
        "files": _ANY, "adapters": _ANY, "template": _ANY, "renderer": _ANY, "parser": _ANY,
        "license": {"type": "array<string> | string", "required": False},
        "system": {"type": "string", "required": False},
        "parameters": _ANY, "messages": _ANY, "stream": _ANY,
        "quantize": {"type": "string", "required": False},
    },
    ("/show", "post"): {"model": {"type": "string", "required": False}, "verbose": _ANY},
    ("/delete", "delete"): {"model": {"type": "string", "required": False}},
    ("/pull", "post"): {
        "model": {"type": "string", "required": False}, "insecure": _ANY, "stream": _ANY
    },
    ("/push", "post"): {
        "model": {"type": "string", "required": False}, "insecure": _ANY, "stream": _ANY
    },
    ("/embeddings", "post"): {
        "model": {"type": "string", "required": False},
        "prompt": {"type": "string", "required": False},
        "options": _ANY,
        "keep_alive": {"type": "string", "required": False, "default": "5m"},
    },
}  # fmt: skip


@pytest.mark.parametrize("operation", sorted(OLLAMA_OTHERS))
def test_ollama_other_operations_have_what_the_page_states(
    operation: tuple[str, str], built: dict[str, Path]
) -> None:
    fields = request_fields(_document(built["ollama_api.md"]), *operation)
    if operation in {("/chat", "post")}:
        fields["keep_alive"].pop("default", None)  # one vendor's default, as for /generate
    assert fields == OLLAMA_OTHERS[operation]


def test_ollama_chat_messages_are_the_message_object_the_page_lists(
    built: dict[str, Path],
) -> None:
    document = _document(built["ollama_api.md"])
    operation = document["paths"]["/chat"]["post"]
    schema = _resolve(document, operation["requestBody"]["content"]["application/json"]["schema"])
    messages = schema["properties"]["messages"]
    assert messages["type"] == "array"
    message = _resolve(document, messages["items"])
    assert set(message["properties"]) == OLLAMA_CHAT_MESSAGE
    # "the role of the message, either `system`, `user`, `assistant`, or `tool`"; the type is
    # the one the page's chat examples show
    role = message["properties"]["role"]
    assert (role["type"], role["enum"]) == ("string", ["system", "user", "assistant", "tool"])
    assert schema["required"] == ["model"]


def test_ollama_blob_digest_is_a_path_parameter(built: dict[str, Path]) -> None:
    """The page lists ``digest`` under "Query Parameters", but ``HEAD /api/blobs/:digest`` holds it."""
    document = _document(built["ollama_api.md"])
    parameters = document["paths"]["/blobs/{digest}"]["head"]["parameters"]
    assert [(p["name"], p["in"], p["required"]) for p in parameters] == [("digest", "path", True)]


# --- novita_chat_completion.md: JSX props, but no endpoint anywhere on the page ----------------


def test_novita_is_refused_with_its_reason_in_one_line(tmp_path: Path) -> None:
    result = _specgen(
        "build", str(CORPUS / "novita_chat_completion.md"), "--out", "out", "--package", "p",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "novita_chat_completion.md:13:" in errors[0]
    assert "no request parameters for any operation" in errors[0]
    assert "no endpoint line" in errors[0] and "jsx-props" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# Read off the page's <ParamField body=...> props (type, required, default).
NOVITA_BODY = {
    "model": ("string", True, NOT_STATED),
    "messages": ("object[]", True, NOT_STATED),
    "max_tokens": ("integer", True, NOT_STATED),
    "stream": ("boolean | null", None, False),
    "stream_options": ("object | null", None, NOT_STATED),
    "n": ("integer | null", None, 1),
    "seed": ("integer | null", None, NOT_STATED),
    "frequency_penalty": ("number | null", None, 0),
    "presence_penalty": ("number | null", None, 0),
    "repetition_penalty": ("number | null", None, NOT_STATED),
    "stop": ("string | null", None, NOT_STATED),
    "temperature": ("number | null", None, 1),
    "top_p": ("number | null", None, NOT_STATED),
    "top_k": ("integer | null", None, NOT_STATED),
    "min_p": ("number | null", None, NOT_STATED),
    "logit_bias": ("map[string, integer] | null", False, NOT_STATED),
    "logprobs": ("boolean | null", None, False),
    "top_logprobs": ("integer | null", None, NOT_STATED),
    "tools": ("object[] | null", None, NOT_STATED),
    "response_format": ("object | null", None, NOT_STATED),
    "separate_reasoning": ("boolean | null", None, False),
    "enable_thinking": ("boolean | null", None, True),
}


def test_novita_jsx_props_are_read_although_the_page_is_refused() -> None:
    """The refusal is for the missing endpoint, not for unread fields: every prop is evidence."""
    source = read_source(CORPUS / "novita_chat_completion.md")
    groups = jsx_props.read_groups(source, parse_markdown(source))
    places = [(group.place, [item.name for item in group.fields]) for group in groups]
    assert places[0] == ("header", ["Content-Type", "Authorization"])
    assert places[2][0] == "response"
    body = {item.name: (item.type_text, item.required, item.default) for item in groups[1].fields}
    assert body == NOVITA_BODY
    messages = next(item for item in groups[1].fields if item.name == "messages").to_schema()
    message = messages["items"]
    assert message["required"] == ["content", "role"]
    assert set(message["properties"]) == {"content", "role", "name"}
    # the Tabs under `content` are four content-part shapes of its object[] member
    content = message["properties"]["content"]["oneOf"]
    parts = next(m for m in content if m.get("type") == "array")["items"]["oneOf"]
    assert [sorted(p["properties"]) for p in parts] == [
        ["text", "type"], ["image_url", "type"], ["type", "video_url"],
        ["input_audio", "modalities", "type"],
    ]  # fmt: skip


# --- every built page: the package imports, and is ruff- and mypy --strict-clean -------------


def test_built_pages_import_and_their_servers_load(built: dict[str, Path]) -> None:
    for folder in built.values():
        assert_imports_with_routes(folder)


def test_built_pages_are_ruff_clean(built: dict[str, Path]) -> None:
    assert_ruff_clean(built.values())


def test_built_pages_are_mypy_strict_clean(built: dict[str, Path], tmp_path: Path) -> None:
    assert_mypy_strict_clean(built.values(), tmp_path)


def test_ingesting_a_docs_page_is_deterministic(tmp_path: Path) -> None:
    """Same page, two processes with different hash seeds: the same bytes."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        command = shutil.which("specgen", path=os.path.dirname(sys.executable)) or "specgen"
        result = subprocess.run(
            [command, "ingest", str(CORPUS / "ollama_api.md"), "--out", str(out)],
            capture_output=True, text=True, check=False, cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        outputs.append((out / "ollama_api.yaml").read_bytes())
    assert outputs[0] == outputs[1]
