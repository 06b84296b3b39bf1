"""Tests for the schema-level repair rules: prose-constraints, integer-with-fractional-evidence,
null-only-field, over-strict-required and unknown-shape; on small documents and on the seeds."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import pytest
import yaml

from codegen.ingest import ingest_path, ingest_text
from codegen.ingest.document import IngestedDocument
from codegen.ingest.source import SourceText
from codegen.ingest.validate import validation_errors
from codegen.jsonpointer import join, resolve
from codegen.normalize import NormalizedDocument, normalize
from codegen.normalize.context import RuleContext
from codegen.normalize.evidence import schema_types
from codegen.normalize.marks import UNKNOWN
from codegen.normalize.prose import decimals_in, read_claims
from codegen.normalize.rules import null_only, numbers, prose_constraints, required, unknown_shape
from codegen.openapi_walk import iter_schemas
from codegen.report import Finding

SOURCES = Path(__file__).resolve().parents[2] / "specs" / "sources"
SEEDS = ("siliconstorm.md", "deepseek.openapi.md", "solidrust.md", "oxen.md", "deepseek.docs.txt")
MY_RULES = {
    prose_constraints.RULE_ID,
    numbers.RULE_ID,
    null_only.RULE_ID,
    required.RULE_ID,
    unknown_shape.RULE_ID,
}

OP = join("/paths", "/chat", "post")
REQ = join(OP, "requestBody", "content", "application/json", "schema")
RES = join(OP, "responses", "200", "content", "application/json", "schema")
STREAM = join(OP, "responses", "200", "content", "text/event-stream", "schema")


# --- building small documents -------------------------------------------------------------------


def api(
    request: dict[str, Any] | None = None,
    response: dict[str, Any] | None = None,
    *,
    request_examples: list[Any] | None = None,
    response_example: Any = None,
    chunk: dict[str, Any] | None = None,
    chunks: list[Any] | None = None,
    body_required: bool | None = None,
    components: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A one-operation 3.1 document; a chunk schema follows the streaming convention."""
    operation: dict[str, Any] = {"responses": {"200": {"description": "ok"}}}
    if request is not None:
        media: dict[str, Any] = {"schema": request}
        if request_examples:
            media["examples"] = {str(i): {"value": v} for i, v in enumerate(request_examples, 1)}
        operation["requestBody"] = {"content": {"application/json": media}}
        if body_required is not None:
            operation["requestBody"]["required"] = body_required
    content: dict[str, Any] = {}
    if response is not None:
        content["application/json"] = {"schema": response}
        if response_example is not None:
            content["application/json"]["example"] = response_example
    if chunk is not None:
        content["text/event-stream"] = {
            "schema": chunk,
            "x-specgen-stream": {"terminator": "[DONE]"},
            "examples": {f"chunk-{i}": {"value": v} for i, v in enumerate(chunks or [], 1)},
        }
    if content:
        operation["responses"]["200"]["content"] = content
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/chat": {"post": operation}},
    }
    if components:
        document["components"] = components
    return document


def ingest(document: dict[str, Any]) -> IngestedDocument:
    return ingest_text(SourceText.of("t.yaml", yaml.safe_dump(document, sort_keys=False)))


def run(module: ModuleType, document: dict[str, Any]) -> RuleContext:
    """Run one rule alone on a document, as normalize would."""
    context = RuleContext.of(ingest(document))
    context.rule = module.RULE_ID
    module.apply(context)
    return context


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def at(context: RuleContext | NormalizedDocument, pointer: str) -> Any:
    document = context.document if isinstance(context, RuleContext) else context.openapi
    return resolve(document, pointer)


def found(
    context: RuleContext | NormalizedDocument, rule: str, level: str | None = None
) -> list[Finding]:
    return [f for f in context.findings if f.rule == rule and (level is None or f.level == level)]


@cache
def seed(name: str) -> NormalizedDocument:
    return normalize(ingest_path(SOURCES / name))


def deepseek_op() -> str:
    return join("/paths", "/chat/completions", "post")


# --- the prose pattern table --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "values"),
    [
        ("Number between -2.0 and 2.0. Positive", "range", (-2.0, 2.0)),
        ("An integer between 0 and 20 specifying", "range", (0, 20)),
        ("Sampling temperature (0-2). Default: 1", "range", (0, 2)),
        ("Possible values: >= -2 and <= 2", "bound", (">=", -2, "<=", 2)),
        ("Possible values: >= 1\n\nA list of messages", "bound", (">=", 1)),
        ("Possible values: > 1", "bound", (">", 1)),
        ("Enable streaming responses. Default: false", "default", ("false", False)),
        ("Defaults to 1.", "default", ("1", False)),
        ("Default value: 0", "default", ("0", False)),
        # code marks are not quotes: the literal inside is read as written
        ("Defaults to `auto`.", "default", ("auto", False)),
        ("Returns error if `false`. Defaults to `true`", "default", ("true", False)),
        ('Defaults to `"auto"`.', "default", ("auto", True)),
        ("Default `false`. See the page.", "default", ("false", False)),
        ("Required range: `0 < x <= 1`", "bound", (">", 0, "<=", 1)),
        ("Required range: `-2 < x < 2`", "bound", (">", -2, "<", 2)),
        ("higher values increase creativity [0,1].", "range", (0, 1)),
        ("Enum: `system`, `user`, `assistant`", "enum", ("system", "user", "assistant")),
        ("Available options: `stop`, `length`", "enum", ("stop", "length")),
        ("`system`, `user`, or `assistant`", "enum", ("system", "user", "assistant")),
        ("The role of the sender, either 'user' or 'assistant'", "enum", ("user", "assistant")),
        ("the role, either `system`, `user`, or `tool`", "enum", ("system", "user", "tool")),
        ("The object type, always 'chat.completion.chunk'", "enum", ("chat.completion.chunk",)),
        ("The object type, which is always chat.completion.", "enum", ("chat.completion",)),
        ("Possible values: [stop, length]", "enum", ("stop", "length")),
        ("Must be one of `a`, `b` or `c`.", "enum", ("a", "b", "c")),
        ("Up to 8 sequences where the API will stop", "max_count", (8,)),
        (
            "This will be stop if the model stops, length if the limit was hit, "
            "other_reason if something else happened.",
            "value_list",
            ("stop", "length", "other_reason"),
        ),
    ],
)
def test_prose_pattern_reads(text: str, kind: str, values: tuple[Any, ...]) -> None:
    """Each wording of the pattern table yields its claim."""
    claims = [c for c in read_claims(text) if c.kind == kind]
    assert [c.values for c in claims] == [values]


@pytest.mark.parametrize(
    "text",
    [
        "differentiate between participants of the same role",
        "Defaults to the model's maximum context length",
        "Defaults to 'medium' when used with the deep research model.",
        "Default: `auto` if tools are present, `none` otherwise",
        "This field is always present.",
        "It always returns a list",
        "Write (1-2 sentences) about it",
        "The user's name, if any",
        "The message content",
    ],
)
def test_prose_pattern_ignores_ordinary_wording(text: str) -> None:
    """Ordinary sentences that share a word with a pattern yield no claim."""
    assert [c for c in read_claims(text) if c.kind != "value_list"] == []


def test_prose_decimals_are_numbers_not_versions() -> None:
    """Decimals are read from prose; versions, paths and dotted numbers are not."""
    text = "Values like 0.8, or -9999.0 is used. Between -2.0 and 2.0. HTTP/1.1, v1.5, 1.2.3."
    assert decimals_in(text) == ["0.8", "-9999.0", "-2.0", "2.0"]


# --- prose-constraints --------------------------------------------------------------------------


def test_prose_range_lifted_onto_number_without_bounds() -> None:
    """'between -2.0 and 2.0' gives a number field its minimum and maximum."""
    field = {"type": ["number", "null"], "description": "Number between -2.0 and 2.0."}
    context = run(prose_constraints, api(obj(penalty=field)))
    schema = at(context, join(REQ, "properties", "penalty"))
    assert (schema["minimum"], schema["maximum"]) == (-2.0, 2.0)
    repairs = found(context, prose_constraints.RULE_ID, "repair")
    assert [f.pointer.rsplit("/", 1)[-1] for f in repairs] == ["minimum", "maximum"]
    assert all("between -2.0 and 2.0" in (f.evidence or "") for f in repairs)


def test_prose_parenthesised_range_and_default() -> None:
    """'(0-2). Default: 1' gives bounds and a numeric default."""
    field = {"type": "number", "description": "Sampling temperature (0-2). Default: 1"}
    context = run(prose_constraints, api(obj(temperature=field)))
    schema = at(context, join(REQ, "properties", "temperature"))
    assert (schema["minimum"], schema["maximum"], schema["default"]) == (0, 2, 1)


def test_prose_agreeing_with_markup_fires_nothing() -> None:
    """Prose that repeats the schema's bounds, default and enum records nothing."""
    fields = {
        "penalty": {
            "type": "number",
            "minimum": -2,
            "maximum": 2,
            "default": 0,
            "description": "Number between -2.0 and 2.0. Default value: 0",
        },
        "object": {
            "type": "string",
            "enum": ["chat.completion"],
            "description": "The object type, which is always chat.completion.",
        },
    }
    context = run(prose_constraints, api(obj(**fields)))
    assert context.findings == []


def test_prose_contradicting_inclusive_bound_warns_and_keeps_markup() -> None:
    """A stated range against a different inclusive maximum: warning, markup kept."""
    field = {"type": "number", "maximum": 1, "description": "between 0 and 2"}
    context = run(prose_constraints, api(obj(t=field)))
    schema = at(context, join(REQ, "properties", "t"))
    assert schema["maximum"] == 1
    warnings = found(context, prose_constraints.RULE_ID, "warning")
    assert [w.pointer for w in warnings] == [join(REQ, "properties", "t", "maximum")]


def test_prose_settles_exclusive_bound_at_the_same_number() -> None:
    """Markup exclusiveMinimum 1 with prose 'between 1 and 8192': the prose's inclusive bound wins
    and the change is reported."""
    field = {"type": "integer", "exclusiveMinimum": 1, "description": "between 1 and 8192"}
    context = run(prose_constraints, api(obj(max_tokens=field)))
    schema = at(context, join(REQ, "properties", "max_tokens"))
    assert "exclusiveMinimum" not in schema
    assert (schema["minimum"], schema["maximum"]) == (1, 8192)
    settled = found(context, prose_constraints.RULE_ID, "repair")[0]
    assert settled.pointer.endswith("/exclusiveMinimum")
    assert settled.before == {"exclusiveMinimum": 1}
    assert settled.after == {"minimum": 1}


def test_prose_exclusive_bound_at_another_number_only_warns() -> None:
    """An exclusive bound the prose puts elsewhere is a contradiction, not a slip: warning."""
    field = {"type": "integer", "exclusiveMinimum": 5, "description": "between 1 and 10"}
    context = run(prose_constraints, api(obj(n=field)))
    schema = at(context, join(REQ, "properties", "n"))
    assert schema["exclusiveMinimum"] == 5 and "minimum" not in schema
    assert [f.level for f in found(context, prose_constraints.RULE_ID)] == ["warning", "repair"]


def test_prose_conflicting_ranges_lift_nothing() -> None:
    """Two different ranges in one description: neither is lifted, the conflict is reported."""
    field = {"type": "number", "description": "between 0 and 2 (0-1)"}
    context = run(prose_constraints, api(obj(t=field)))
    schema = at(context, join(REQ, "properties", "t"))
    assert "maximum" not in schema
    assert schema["minimum"] == 0
    assert len(found(context, prose_constraints.RULE_ID, "warning")) == 1


def test_prose_boolean_default_and_contradicting_default() -> None:
    """'Default: false' on a boolean lifts False; a different markup default only warns."""
    fields = {
        "stream": {"type": "boolean", "description": "Enable streaming. Default: false"},
        "n": {"type": "integer", "default": 2, "description": "How many. Defaults to 1."},
    }
    context = run(prose_constraints, api(obj(**fields)))
    assert at(context, join(REQ, "properties", "stream", "default")) is False
    assert at(context, join(REQ, "properties", "n", "default")) == 2
    warning = found(context, prose_constraints.RULE_ID, "warning")[0]
    assert warning.pointer == join(REQ, "properties", "n", "default")


def test_prose_default_outside_the_enum_is_not_lifted() -> None:
    """A stated default that the enum does not allow is reported, not written."""
    field = {"type": "string", "enum": ["a", "b"], "description": "Default: c"}
    context = run(prose_constraints, api(obj(mode=field)))
    assert "default" not in at(context, join(REQ, "properties", "mode"))
    assert [f.level for f in found(context, prose_constraints.RULE_ID)] == ["warning"]


def test_prose_enums_lifted_from_lists_either_or_and_always() -> None:
    """A description that is a list, 'either ... or ...', and 'always ...' become enums; a
    nullable field's enum keeps null."""
    fields = {
        "role": {"type": "string", "description": "`system`, `user`, or `assistant`"},
        "sender": {"type": "string", "description": "The sender, either 'user' or 'assistant'"},
        "object": {"type": ["string", "null"], "description": "Always 'chat.completion.chunk'"},
    }
    context = run(prose_constraints, api(obj(**fields)))
    assert at(context, join(REQ, "properties", "role", "enum")) == ["system", "user", "assistant"]
    assert at(context, join(REQ, "properties", "sender", "enum")) == ["user", "assistant"]
    assert at(context, join(REQ, "properties", "object", "enum")) == ["chat.completion.chunk", None]


def test_prose_enum_contradicting_markup_warns() -> None:
    """Prose naming fewer values than the enum is a contradiction: warning, enum kept."""
    field = {
        "type": "string",
        "enum": ["system", "user", "assistant", "tool"],
        "description": "either 'user' or 'assistant'",
    }
    context = run(prose_constraints, api(obj(role=field)))
    assert at(context, join(REQ, "properties", "role", "enum")) == field["enum"]
    assert [f.pointer for f in found(context, prose_constraints.RULE_ID, "warning")] == [
        join(REQ, "properties", "role", "enum")
    ]


def test_prose_if_clauses_extend_an_enum_with_a_named_value() -> None:
    """Values named in the same 'X if ...' wording as the enum's own values are added to it."""
    field = {
        "type": "string",
        "enum": ["stop", "length"],
        "description": "This will be stop if the model stops, length if the limit was hit, "
        "overloaded_backend if the request was interrupted.",
    }
    context = run(prose_constraints, api(response=obj(finish_reason=field)))
    assert at(context, join(RES, "properties", "finish_reason", "enum")) == [
        "stop",
        "length",
        "overloaded_backend",
    ]
    repair = found(context, prose_constraints.RULE_ID, "repair")[0]
    assert repair.before == ["stop", "length"]
    assert "overloaded_backend" in repair.message


@pytest.mark.parametrize(
    "field",
    [
        # only one of the named values is in the enum: no evidence of a value list
        {"type": "string", "enum": ["stop"], "description": "be stop if done, other if not."},
        # no enum at all: if-clauses alone never create one
        {"type": "string", "description": "be stop if done, length if long."},
        # "null if" names null, which the type already allows
        {
            "type": ["string", "null"],
            "enum": ["stop", "length", None],
            "description": "The reason, be stop if done, length if long, null if still streaming",
        },
    ],
)
def test_prose_if_clauses_without_evidence_change_nothing(field: dict[str, Any]) -> None:
    """If-clauses extend an enum only when they already name two of its values."""
    context = run(prose_constraints, api(response=obj(reason=field)))
    assert at(context, join(RES, "properties", "reason")).get("enum") == field.get("enum")
    assert context.findings == []


def test_prose_up_to_count_on_union_array_and_not_on_string() -> None:
    """'Up to 8 sequences' sets maxItems on a oneOf node and an array, never on a string."""
    fields = {
        "stop": {"description": "Up to 8 sequences.", "oneOf": [{"type": "string"}]},
        "stops": {"type": "array", "items": {"type": "string"}, "description": "Up to 4 stops."},
        "name": {"type": "string", "description": "Up to 3 words."},
    }
    context = run(prose_constraints, api(obj(**fields)))
    assert at(context, join(REQ, "properties", "stop", "maxItems")) == 8
    assert at(context, join(REQ, "properties", "stops", "maxItems")) == 4
    assert "maxItems" not in at(context, join(REQ, "properties", "name"))


def test_prose_possible_values_bound_by_type() -> None:
    """'Possible values: >= 1' is minItems on an array, minLength on a string, minimum on a
    number, and '> 1' an exclusive minimum."""
    fields = {
        "messages": {
            "type": "array",
            "items": {},
            "description": "Possible values: >= 1\n\nA list",
        },
        "name": {"type": "string", "description": "Possible values: >= 1"},
        "n": {"type": "integer", "description": "Possible values: > 1"},
    }
    context = run(prose_constraints, api(obj(**fields)))
    assert at(context, join(REQ, "properties", "messages", "minItems")) == 1
    assert at(context, join(REQ, "properties", "name", "minLength")) == 1
    assert at(context, join(REQ, "properties", "n", "exclusiveMinimum")) == 1


def test_prose_without_claims_fires_nothing() -> None:
    """Descriptions with no constraint wording leave the schema alone."""
    fields = {
        "content": {"type": "string", "description": "The contents of the message."},
        "max_tokens": {"type": "integer", "description": "Maximum tokens to generate"},
    }
    context = run(prose_constraints, api(obj(**fields)))
    assert context.findings == []


def test_prose_seed_004_flattened_docs() -> None:
    """DeepSeek's docs page: minItems from 'Possible values: >= 1', maxItems 8 on stop's oneOf,
    minimum 0 for temperature and top_logprobs, finish_reason gains insufficient_system_resource,
    and frequency_penalty (prose agrees with markup) records nothing."""
    result = seed("deepseek.docs.txt")
    request = join(deepseek_op(), "requestBody", "content", "application/json", "schema")
    props = join(request, "properties")
    assert at(result, join(props, "messages", "minItems")) == 1
    stop = at(result, join(props, "stop"))
    assert stop["maxItems"] == 8 and "oneOf" in stop
    assert at(result, join(props, "temperature", "minimum")) == 0
    assert at(result, join(props, "top_logprobs", "minimum")) == 0
    assert at(result, join(props, "max_tokens", "exclusiveMinimum")) == 1
    response = join(deepseek_op(), "responses", "200", "content", "application/json", "schema")
    reason = join(response, "properties", "choices", "items", "properties", "finish_reason")
    assert at(result, join(reason, "enum"))[-1] == "insufficient_system_resource"
    pointers = {f.pointer for f in found(result, prose_constraints.RULE_ID)}
    assert not any("/frequency_penalty" in p for p in pointers)
    assert found(result, prose_constraints.RULE_ID, "warning") == []


def test_prose_seed_000_and_002_enums() -> None:
    """SiliconStorm's 'always ...' and 'either ... or ...', SolidRust's backticked role list."""
    silicon = seed("siliconstorm.md")
    success = "/components/schemas/completionsResponseSuccess/properties"
    assert at(silicon, join(success, "object", "enum")) == ["chat.completion.chunk"]
    role = join(success, "choices", "items", "properties", "delta", "properties", "role")
    assert at(silicon, join(role, "enum")) == ["user", "assistant"]
    solid = seed("solidrust.md")
    message_role = "/components/schemas/Message/properties/role/enum"
    assert at(solid, message_role) == ["system", "user", "assistant"]


# --- integer-with-fractional-evidence -----------------------------------------------------------


def test_integer_with_fractional_example_becomes_number() -> None:
    """An integer whose request example is 1.5 becomes number, nullability kept."""
    document = api(obj(top_p={"type": ["integer", "null"]}), request_examples=[{"top_p": 1.5}])
    context = run(numbers, document)
    assert at(context, join(REQ, "properties", "top_p", "type")) == ["number", "null"]
    repair = found(context, numbers.RULE_ID, "repair")[0]
    assert (repair.before, repair.after) == (["integer", "null"], ["number", "null"])
    assert "1.5" in (repair.evidence or "")


@pytest.mark.parametrize(
    "field",
    [
        {"type": "integer", "default": 0.5},
        {"type": "integer", "minimum": -2.0, "maximum": 2.0},
        {"type": "integer", "description": "Higher values like 0.8 are more random."},
        {"type": "integer", "description": "the value -9999.0 is used when unlikely"},
        {"type": "integer", "examples": [0, 0.7]},
    ],
)
def test_integer_with_other_fractional_evidence_becomes_number(field: dict[str, Any]) -> None:
    """Defaults, bounds, prose decimals and schema examples written as fractions all count."""
    context = run(numbers, api(obj(value=field)))
    assert at(context, join(REQ, "properties", "value", "type")) == "number"


def test_prose_range_with_decimals_widens_integer_through_normalize() -> None:
    """'between -2.0 and 2.0' on an integer: prose-constraints lifts the bounds, then the integer
    becomes number; the two rules each record their part."""
    field = {"type": ["integer", "null"], "description": "Number between -2.0 and 2.0."}
    result = normalize(ingest(api(obj(frequency_penalty=field))))
    schema = at(result, join(REQ, "properties", "frequency_penalty"))
    assert schema["type"] == ["number", "null"]
    assert (schema["minimum"], schema["maximum"]) == (-2.0, 2.0)
    assert len(found(result, numbers.RULE_ID, "repair")) == 1


def test_real_integers_stay_integer() -> None:
    """max_tokens-, index-, count- and timestamp-like fields with integer evidence (0, 1, 2048,
    a range 'between 0 and 20') are left integer: the rule records nothing."""
    fields = {
        "max_tokens": {"type": ["integer", "null"]},
        "top_logprobs": {"type": "integer", "description": "An integer between 0 and 20."},
        "n": {"type": "integer", "default": 1},
    }
    response = obj(
        index={"type": "integer"}, created={"type": "integer"}, total_tokens={"type": "integer"}
    )
    document = api(
        obj(**fields),
        response,
        request_examples=[{"max_tokens": 2048, "top_logprobs": 0, "n": 1}],
        response_example={"index": 0, "created": 1718345013, "total_tokens": 26},
    )
    context = run(numbers, document)
    assert context.findings == []
    assert at(context, join(RES, "properties", "created", "type")) == "integer"


def test_number_field_with_sentinel_prose_is_untouched() -> None:
    """'-9999.0' in a number field's prose: already number, nothing fires, no bound is added."""
    field = {"type": "number", "description": "Otherwise, the value -9999.0 is used."}
    result = normalize(ingest(api(response=obj(logprob=field))))
    assert at(result, join(RES, "properties", "logprob")) == field
    assert [f for f in result.findings if f.pointer.startswith(join(RES, "properties"))] == []


def test_integer_format_or_enum_with_fractional_evidence_warns_only() -> None:
    """An int32 format or an integer enum says integer too: fractional evidence is reported and
    the type left alone; with integer evidence (default 701) nothing fires."""
    fields = {
        "code": {"type": "integer", "format": "int32", "default": 701},
        "level": {"type": "integer", "format": "int32", "examples": [1.5]},
        "mode": {"type": "integer", "enum": [1, 2], "description": "like 0.5"},
    }
    context = run(numbers, api(obj(**fields)))
    assert at(context, join(REQ, "properties", "level", "type")) == "integer"
    assert at(context, join(REQ, "properties", "mode", "type")) == "integer"
    warnings = found(context, numbers.RULE_ID, "warning")
    assert sorted(w.pointer.split("/")[-2] for w in warnings) == ["level", "mode"]
    assert found(context, numbers.RULE_ID, "repair") == []


def test_integers_stay_integer_in_seed_001() -> None:
    """DeepSeek's OpenAPI seed: max_tokens, top_logprobs, index, created and token counts stay
    integer (its own examples show only integers)."""
    result = seed("deepseek.openapi.md")
    request = join(deepseek_op(), "requestBody", "content", "application/json", "schema")
    response = join(deepseek_op(), "responses", "200", "content", "application/json", "schema")
    for pointer in (
        join(request, "properties", "max_tokens"),
        join(request, "properties", "top_logprobs"),
        join(response, "properties", "created"),
        join(response, "properties", "choices", "items", "properties", "index"),
        join(response, "properties", "usage", "properties", "total_tokens"),
    ):
        assert "integer" in schema_types(at(result, pointer)), pointer
    assert found(result, numbers.RULE_ID) == []


def test_sentinel_prose_on_number_in_seed_004() -> None:
    """DeepSeek's docs page: logprob is number with '-9999.0' prose; nothing fires there."""
    result = seed("deepseek.docs.txt")
    assert [f for f in found(result, numbers.RULE_ID) if "logprob" in f.pointer] == []


# --- null-only-field ----------------------------------------------------------------------------


def test_null_only_chunk_fields_take_the_type_their_chunks_show() -> None:
    """Streaming chunks show finish_reason 'stop' and usage an object: nullable string and
    nullable object with integer properties."""
    chunk = obj(
        choices={
            "type": "array",
            "items": obj(finish_reason={"type": "null"}, index={"type": "integer"}),
        },
        usage={"type": "null"},
    )
    chunks = [
        {"choices": [{"finish_reason": None, "index": 0}], "usage": None},
        {
            "choices": [{"finish_reason": "stop", "index": 0}],
            "usage": {"completion_tokens": 9, "prompt_tokens": 17},
        },
    ]
    context = run(null_only, api(chunk=chunk, chunks=chunks))
    reason = join(STREAM, "properties", "choices", "items", "properties", "finish_reason")
    assert at(context, reason) == {"type": ["string", "null"]}
    usage = at(context, join(STREAM, "properties", "usage"))
    assert usage == {
        "type": ["object", "null"],
        "properties": {
            "completion_tokens": {"type": "integer"},
            "prompt_tokens": {"type": "integer"},
        },
    }
    repairs = found(context, null_only.RULE_ID, "repair")
    assert [r.pointer for r in repairs] == [
        join(reason, "type"),
        join(STREAM, "properties", "usage", "type"),
    ]
    assert "'stop'" in (repairs[0].evidence or "")


@pytest.mark.parametrize("examples", [[], [{"tools": None}, {"tools": None}]])
def test_null_only_without_other_values_is_marked_unknown(examples: list[Any]) -> None:
    """No example (or only null examples): type removed, marked unknown type, warning."""
    field = {"type": "null", "description": "A list of tools."}
    context = run(null_only, api(obj(tools=field), request_examples=examples))
    schema = at(context, join(REQ, "properties", "tools"))
    assert schema == {"description": "A list of tools.", UNKNOWN: "type"}
    warning = found(context, null_only.RULE_ID, "warning")[0]
    assert warning.pointer == join(REQ, "properties", "tools")


def test_null_only_mixed_numbers_and_nested_nulls() -> None:
    """Examples 1 and 1.5 give number; an object property seen only as null is marked unknown."""
    fields = {"score": {"type": ["null"]}, "meta": {"type": "null"}}
    examples = [{"score": 1, "meta": {"a": None}}, {"score": 1.5, "meta": {"a": None}}]
    context = run(null_only, api(obj(**fields), request_examples=examples))
    assert at(context, join(REQ, "properties", "score", "type")) == ["number", "null"]
    inner = join(REQ, "properties", "meta", "properties", "a")
    assert at(context, inner) == {UNKNOWN: "type"}
    assert [w.pointer for w in found(context, null_only.RULE_ID, "warning")] == [inner]


def test_null_variant_of_a_union_is_not_a_field() -> None:
    """``anyOf: [{type: string}, {type: 'null'}]`` is the 3.1 nullable idiom: untouched."""
    field = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    context = run(null_only, api(obj(name=field)))
    assert at(context, join(REQ, "properties", "name")) == field
    assert context.findings == []


def test_seed_001_null_only_fields() -> None:
    """DeepSeek's OpenAPI seed: request tools and chunk logprobs marked unknown; chunk
    finish_reason nullable string and usage nullable object from the parsed SSE examples."""
    result = seed("deepseek.openapi.md")
    request = join(deepseek_op(), "requestBody", "content", "application/json", "schema")
    assert at(result, join(request, "properties", "tools")).get(UNKNOWN) == "type"
    chunk = join(deepseek_op(), "responses", "200", "content", "text/event-stream", "schema")
    choice = join(chunk, "properties", "choices", "items", "properties")
    assert at(result, join(choice, "finish_reason", "type")) == ["string", "null"]
    assert at(result, join(choice, "logprobs")).get(UNKNOWN) == "type"
    usage = at(result, join(chunk, "properties", "usage"))
    assert usage["type"] == ["object", "null"]
    assert set(usage["properties"]) == {"completion_tokens", "prompt_tokens", "total_tokens"}


@pytest.mark.parametrize("name", SEEDS)
def test_no_null_only_field_remains(name: str) -> None:
    """After normalize no seed holds a field typed only null (union variants aside)."""
    result = seed(name)
    for pointer, schema in iter_schemas(result.openapi):
        if pointer.split("/")[-2] not in ("oneOf", "anyOf"):
            assert schema_types(schema) != ["null"], pointer


# --- over-strict-required -----------------------------------------------------------------------


def test_response_required_field_omitted_by_example_becomes_optional() -> None:
    """A required response field the example lacks is dropped, each with the omitting example."""
    response = obj(id={"type": "string"}, fingerprint={"type": "string"}, model={"type": "string"})
    response["required"] = ["id", "fingerprint", "model"]
    context = run(required, api(response=response, response_example={"id": "a", "model": "m"}))
    assert at(context, join(RES, "required")) == ["id", "model"]
    (repair,) = found(context, required.RULE_ID)
    assert repair.pointer == join(RES, "required", 1)
    assert repair.before == "fingerprint"
    assert join(OP, "responses", "200", "content", "application/json", "example") in (
        repair.evidence or ""
    )


def test_required_kept_without_examples_or_when_examples_agree() -> None:
    """No example of the object, or examples with every field: required stays as it is."""
    inner = obj(a={"type": "string"})
    inner["required"] = ["a"]
    response = obj(inner=inner, b={"type": "string"})
    response["required"] = ["b"]
    context = run(required, api(response=response, response_example={"b": "x"}))
    assert at(context, join(RES, "required")) == ["b"]
    assert at(context, join(RES, "properties", "inner", "required")) == ["a"]
    assert context.findings == []


def test_request_examples_do_not_relax_required() -> None:
    """Only responses are judged by their examples: a request example omitting a field is not
    evidence that the field is optional."""
    request = obj(model={"type": "string"}, messages={"type": "array", "items": {}})
    request["required"] = ["model", "messages"]
    context = run(required, api(request, request_examples=[{"model": "m"}], body_required=True))
    assert at(context, join(REQ, "required")) == ["model", "messages"]
    assert context.findings == []


def test_chunk_examples_relax_required_usage() -> None:
    """Chunks that omit usage (the streaming convention's examples) make it optional."""
    chunk = obj(id={"type": "string"}, usage={"type": ["object", "null"]})
    chunk["required"] = ["id", "usage"]
    chunks = [{"id": "1", "usage": None}, {"id": "1"}]
    context = run(required, api(chunk=chunk, chunks=chunks))
    assert at(context, join(STREAM, "required")) == ["id"]
    assert "1 of 2" in (found(context, required.RULE_ID)[0].evidence or "")


@pytest.mark.parametrize("flag", [False, None])
def test_request_body_with_required_fields_becomes_required(flag: bool | None) -> None:
    """requestBody required: false, or absent, with a schema requiring fields: required true."""
    request = {"$ref": "#/components/schemas/Req"}
    component = {"allOf": [{"type": "object", "properties": {"m": {}}, "required": ["m"]}]}
    document = api(request, body_required=flag, components={"schemas": {"Req": component}})
    context = run(required, document)
    assert at(context, join(OP, "requestBody", "required")) is True
    (repair,) = found(context, required.RULE_ID)
    assert (repair.before, repair.after) == (flag, True)


@pytest.mark.parametrize(("flag", "names"), [(True, ["m"]), (False, None), (None, None)])
def test_request_body_left_alone(flag: bool | None, names: list[str] | None) -> None:
    """Already required, or a body schema requiring nothing: the body flag is not touched."""
    request = obj(m={"type": "string"})
    if names:
        request["required"] = names
    context = run(required, api(request, body_required=flag))
    assert at(context, join(OP, "requestBody")).get("required") == flag
    assert context.findings == []


def test_undeclared_required_name_is_dropped_and_reported() -> None:
    """A required name no property declares is dropped, once, with the declared names."""
    schema = obj(code={"type": "integer"}, message={"type": "string"})
    schema["required"] = ["error", "message"]
    context = run(required, api(response=schema))
    assert at(context, join(RES, "required")) == ["message"]
    (repair,) = found(context, required.RULE_ID)
    assert repair.pointer == join(RES, "required", 0)
    assert "code, message" in (repair.evidence or "")


def test_required_names_declared_elsewhere_are_kept() -> None:
    """Names declared by an allOf member, by the composing schema of a oneOf member, or allowed by
    additionalProperties are not undeclared."""
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
        "allOf": [{"type": "object", "properties": {"c": {"type": "string"}}}],
        "required": ["c"],
    }
    free = {"type": "object", "additionalProperties": True, "required": ["anything"]}
    context = run(required, api(obj(s=schema, f=free)))
    assert context.findings == []
    assert at(context, join(REQ, "properties", "f", "required")) == ["anything"]


def test_undeclared_required_already_reported_is_not_reported_twice() -> None:
    """When an earlier rule already reported this required list, the entry is still removed but
    no second finding is recorded for the same pointer."""
    schema = obj(message={"type": "string"})
    schema["required"] = ["error"]
    context = RuleContext.of(ingest(api(response=schema)))
    context.rule = "errors-in-success-union"
    context.warn(join(RES, "required"), "dropped required error")
    context.rule = required.RULE_ID
    required.apply(context)
    assert "required" not in at(context, RES)
    assert found(context, required.RULE_ID) == []


def test_seed_001_required_relaxed_by_its_examples() -> None:
    """DeepSeek's OpenAPI seed: fields its response example omits become optional, the chunk's
    usage too, and the request body becomes required."""
    result = seed("deepseek.openapi.md")
    response = join(deepseek_op(), "responses", "200", "content", "application/json", "schema")
    assert "system_fingerprint" not in at(result, join(response, "required"))
    message = join(response, "properties", "choices", "items", "properties", "message")
    assert at(result, join(message, "required")) == ["content", "role"]
    usage = at(result, join(response, "properties", "usage", "required"))
    assert usage == ["completion_tokens", "prompt_tokens", "total_tokens"]
    chunk = join(deepseek_op(), "responses", "200", "content", "text/event-stream", "schema")
    assert "usage" not in at(result, join(chunk, "required"))
    assert at(result, join(deepseek_op(), "requestBody", "required")) is True


def test_seed_003_request_body_required() -> None:
    """Oxen's requestBody says required: false while its schema requires model and messages."""
    result = seed("oxen.md")
    body = join("/paths", "/api/ai/chat/completions", "post", "requestBody")
    assert at(result, join(body, "required")) is True
    assert [f.before for f in found(result, required.RULE_ID)] == [False]


@pytest.mark.parametrize("name", SEEDS)
def test_no_undeclared_required_name_remains(name: str) -> None:
    """After normalize every required name of every seed names a declared property."""
    result = seed(name)
    for pointer, schema in iter_schemas(result.openapi):
        names = set(schema.get("properties") or {})
        for member in schema.get("allOf") or []:
            names |= set(member.get("properties") or {})
        if "required" in schema and "oneOf" not in pointer:
            assert set(schema["required"]) <= names, pointer


# --- unknown-shape ------------------------------------------------------------------------------


def test_union_of_empty_objects_is_marked_once() -> None:
    """A oneOf of empty objects is marked as a whole; its variants are not marked one by one."""
    empty = {"type": ["object", "null"], "properties": {}}
    context = run(unknown_shape, api(obj(stop={"oneOf": [empty, dict(empty)]})))
    stop = at(context, join(REQ, "properties", "stop"))
    assert stop[UNKNOWN] == "shape"
    assert all(UNKNOWN not in v for v in stop["oneOf"])
    assert [w.pointer for w in found(context, unknown_shape.RULE_ID, "warning")] == [
        join(REQ, "properties", "stop")
    ]


def test_untyped_objects_items_and_empty_schemas_are_marked() -> None:
    """items {type: object}, an object with empty properties, a bare {} and an array without
    items are each marked with a warning naming the pointer."""
    fields = {
        "tools": {"type": "array", "items": {"type": "object"}},
        "options": {"type": ["object", "null"], "properties": {}},
        "anything": {"description": "no type at all"},
        "list": {"type": "array"},
    }
    context = run(unknown_shape, api(obj(**fields)))
    props = join(REQ, "properties")
    marked = [
        join(props, "tools", "items"),
        join(props, "options"),
        join(props, "anything"),
        join(props, "list"),
    ]
    for pointer in marked:
        assert at(context, pointer)[UNKNOWN] == "shape"
    assert sorted(w.pointer for w in found(context, unknown_shape.RULE_ID)) == sorted(marked)


def test_known_and_free_form_shapes_are_not_marked() -> None:
    """Objects with properties, deliberate free-form objects (additionalProperties given, and
    their {} value schema), typed scalars and null-only marks are left alone."""
    fields = {
        "known": obj(a={"type": "string"}),
        "free": {"type": "object", "additionalProperties": {}},
        "open": {"type": "object", "additionalProperties": True},
        "name": {"type": "string"},
        "ref": {"$ref": "#/components/schemas/A"},
        "unknown_type": {UNKNOWN: "type"},
    }
    components = {"schemas": {"A": obj(x={"type": "integer"})}}
    context = run(unknown_shape, api(obj(**fields), components=components))
    assert context.findings == []


def test_mixed_union_marks_only_its_bare_object_variant() -> None:
    """``oneOf: [string, {type: object}]``: the union is known in part; only the object variant
    is marked."""
    field = {"oneOf": [{"type": "string"}, {"type": "object"}]}
    context = run(unknown_shape, api(obj(tool_choice=field)))
    choice = join(REQ, "properties", "tool_choice")
    assert UNKNOWN not in at(context, choice)
    assert at(context, join(choice, "oneOf", 1))[UNKNOWN] == "shape"
    assert UNKNOWN not in at(context, join(choice, "oneOf", 0))


def test_required_only_branches_are_a_constraint_not_an_unknown_shape() -> None:
    """``anyOf: [{required: [a]}, {required: [b]}]`` says which keys the object carries: its
    branches are not marked unknown, and no warning is given."""
    message = {
        "type": "object",
        "properties": {"content": {"type": "string"}, "tool_calls": {"type": "array"}},
        "anyOf": [{"required": ["content"]}, {"required": ["tool_calls"]}],
    }
    context = run(unknown_shape, api(obj(message=message)))
    branches = at(context, join(REQ, "properties", "message", "anyOf"))
    assert branches == [{"required": ["content"]}, {"required": ["tool_calls"]}]
    assert not any(
        "message/anyOf" in w.pointer for w in found(context, unknown_shape.RULE_ID, "warning")
    )


def test_property_named_items_is_judged_as_a_property() -> None:
    """A property called ``items`` holding {} is an empty property schema, marked like any other."""
    context = run(unknown_shape, api(obj(items={})))
    assert at(context, join(REQ, "properties", "items"))[UNKNOWN] == "shape"


def test_seed_001_and_003_unknown_shapes() -> None:
    """DeepSeek's empty unions (messages items, stop, tool_choice) and stream_options, Oxen's
    untyped items and response_format, are marked for the merge."""
    deepseek = seed("deepseek.openapi.md")
    props = join(deepseek_op(), "requestBody", "content", "application/json", "schema")
    props = join(props, "properties")
    for name in ("stop", "tool_choice", "stream_options"):
        assert at(deepseek, join(props, name))[UNKNOWN] == "shape", name
    assert at(deepseek, join(props, "messages", "items"))[UNKNOWN] == "shape"
    oxen = seed("oxen.md")
    request = "/components/schemas/ChatCompletionRequest/properties"
    assert at(oxen, join(request, "tools", "items"))[UNKNOWN] == "shape"
    assert at(oxen, join(request, "response_format"))[UNKNOWN] == "shape"
    assert at(oxen, join(request, "tool_choice", "oneOf", 1))[UNKNOWN] == "shape"
    assert UNKNOWN not in at(oxen, join(request, "messages", "items"))


# --- the five rules together --------------------------------------------------------------------


@pytest.mark.parametrize("name", SEEDS)
def test_seed_stays_valid_openapi(name: str) -> None:
    """Every seed passes openapi-spec-validator after normalize."""
    assert validation_errors(seed(name).openapi) == []


@pytest.mark.parametrize("name", SEEDS)
def test_normalize_is_idempotent_for_these_rules(name: str) -> None:
    """Normalizing a seed's normalized document again: these rules record nothing."""
    first = seed(name)
    source = ingest_path(SOURCES / name)
    again = normalize(msgspec.structs.replace(source, openapi=first.openapi))
    assert [f.one_line() for f in again.findings if f.rule in MY_RULES] == []
    assert again.openapi == first.openapi


def test_small_document_idempotent_and_valid() -> None:
    """A document exercising all five rules: valid after one pass, unchanged by a second."""
    request = obj(
        temperature={"type": "integer", "description": "between 0.0 and 2.0. Default: 1"},
        tools={"type": "null"},
        stop={"oneOf": [{"type": "object"}, {"type": "object"}]},
        role={"type": "string", "description": "`system`, `user`, or `assistant`"},
    )
    request["required"] = ["temperature", "ghost"]
    response = obj(id={"type": "string"}, extra={"type": "string"})
    response["required"] = ["id", "extra"]
    document = api(request, response, response_example={"id": "x"}, body_required=False)
    source = ingest(document)
    first = normalize(source)
    assert validation_errors(first.openapi) == []
    assert {f.rule for f in first.findings} >= MY_RULES
    again = normalize(msgspec.structs.replace(source, openapi=first.openapi))
    assert [f for f in again.findings if f.rule in MY_RULES] == []
    assert again.openapi == first.openapi
