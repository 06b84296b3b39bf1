"""Each merge rule of codegen.ir.build on tiny made-up documents of two or three vendors."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from codegen.ir import merge
from codegen.ir.build import MERGE_DOCUMENT
from codegen.ir.error_kinds import error_kind
from codegen.ir.model import (
    ArrayType,
    Constraints,
    EnumValue,
    FieldBounds,
    KnownValues,
    ModelRef,
    ScalarType,
    UnionType,
    UnknownType,
)

from .helpers import (
    alias_type,
    chat_document,
    field_names,
    field_of,
    findings,
    merged,
    request_model,
    response_model,
    source,
)

# --- types ----------------------------------------------------------------------------------------


def test_integer_and_number_widen_to_number_recorded_as_a_finding() -> None:
    a = chat_document(request="{type: object, properties: {n: {type: integer}}}")
    b = chat_document(request="{type: object, properties: {n: {type: number}}}")
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    n = field_of(result.api, "CreateChatCompletionRequest", "n")
    assert n.type == ScalarType(kind="number")
    (finding,) = findings(result, "widen-integer-to-number")
    assert finding.level == "repair"
    assert finding.document == MERGE_DOCUMENT
    assert finding.pointer == "/CreateChatCompletionRequest/n"
    assert "vendora" in finding.message and "vendorb" in finding.message
    assert not findings(result, "incompatible-types-union")


def test_integer_alone_stays_integer_without_a_finding() -> None:
    """Widening needs a number somewhere: two integer vendors keep an integer."""
    a = chat_document(request="{type: object, properties: {n: {type: integer}}}")
    result = merged(("vendora.yaml", a), ("vendorb.yaml", a))
    assert field_of(result.api, "CreateChatCompletionRequest", "n").type == ScalarType("integer")
    assert not findings(result, "widen-integer-to-number")


def test_incompatible_types_become_a_union_and_a_warning_never_a_silent_pick() -> None:
    a = chat_document(request="{type: object, properties: {stop: {type: string}}}")
    b = chat_document(
        request="""
        type: object
        properties:
          stop: {type: object, properties: {sequence: {type: string}}}
        """
    )
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    stop = field_of(result.api, "CreateChatCompletionRequest", "stop")
    assert isinstance(stop.type, UnionType)
    assert stop.type.variants == (ScalarType("string"), ModelRef("Stop"))
    assert field_names(result.api.model("Stop")) == ["sequence"]
    (warning,) = findings(result, "incompatible-types-union")
    assert warning.level == "warning"
    assert warning.pointer == "/CreateChatCompletionRequest/stop"
    assert "string: vendora" in warning.message and "object: vendorb" in warning.message


def test_document_declared_union_gives_no_warning() -> None:
    a = chat_document(
        request="""
        type: object
        properties:
          stop:
            oneOf:
              - {type: string}
              - {type: array, items: {type: string}}
        """
    )
    b = chat_document(request="{type: object, properties: {stop: {type: string}}}")
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    stop = field_of(result.api, "CreateChatCompletionRequest", "stop")
    assert stop.type == UnionType(
        variants=(ScalarType("string"), ArrayType(items=ScalarType("string")))
    )
    assert not findings(result, "incompatible-types-union")


def test_kind_outside_every_declared_union_still_warns() -> None:
    """A declared string|array does not excuse another vendor's object."""
    a = chat_document(
        request="""
        type: object
        properties:
          stop:
            oneOf:
              - {type: string}
              - {type: array, items: {type: string}}
        """
    )
    b = chat_document(
        request="""
        type: object
        properties:
          stop: {type: object, properties: {sequence: {type: string}}}
        """
    )
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    stop = field_of(result.api, "CreateChatCompletionRequest", "stop")
    assert isinstance(stop.type, UnionType) and len(stop.type.variants) == 3
    (warning,) = findings(result, "incompatible-types-union")
    assert "object: vendorb" in warning.message


def test_declared_union_with_an_unknown_object_variant_gives_no_warning() -> None:
    """``oneOf: [string, {type: object}]``: the document declares both kinds, one shape unknown."""
    a = chat_document(
        request="""
        type: object
        properties:
          tool_choice:
            oneOf:
              - {type: string}
              - {type: object}
        """
    )
    b = chat_document(request="{type: object, properties: {tool_choice: {type: string}}}")
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    choice = field_of(result.api, "CreateChatCompletionRequest", "tool_choice")
    assert isinstance(choice.type, UnionType)
    assert choice.type.variants[0] == ScalarType("string")
    assert isinstance(choice.type.variants[1], UnknownType)
    assert not findings(result, "incompatible-types-union")


# --- shapes no document knows ---------------------------------------------------------------------


def test_shape_unknown_mark_is_filled_from_the_documents_that_know_the_shape() -> None:
    a = chat_document(
        request="""
        type: object
        properties:
          tools: {type: array, items: {oneOf: [{type: object}, {type: object}]}}
        """
    )
    b = chat_document(
        request="""
        type: object
        properties:
          tools:
            type: array
            items:
              type: object
              required: [type]
              properties:
                type: {type: string}
                function: {type: string}
        """
    )
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    tools = field_of(result.api, "CreateChatCompletionRequest", "tools")
    assert tools.type == ArrayType(items=ModelRef("Tool"))
    assert field_names(result.api.model("Tool")) == ["type", "function"]
    assert tools.vendors == ("vendora", "vendorb")
    (filled,) = findings(result, "fill-unknown-shape")
    assert filled.pointer == "/CreateChatCompletionRequest/tools[]"
    assert "unknown in vendora, filled from vendorb" in filled.message
    assert not findings(result, "shape-unknown-unfilled")


def test_unfilled_shape_unknown_mark_is_an_unknown_type_with_a_warning() -> None:
    a = chat_document(request="{type: object, properties: {options: {type: object}}}")
    b = chat_document(request="{type: object, properties: {model: {type: string}}}")
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    options = field_of(result.api, "CreateChatCompletionRequest", "options")
    assert isinstance(options.type, UnknownType)
    assert "vendora" in options.type.reason
    (warning,) = findings(result, "shape-unknown-unfilled")
    assert warning.level == "warning"
    assert warning.pointer == "/CreateChatCompletionRequest/options"


# --- tagged union variants ------------------------------------------------------------------------

TAGGED_MESSAGES = """
type: object
properties:
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
          required: [role, content, tool_call_id]
          properties:
            role: {type: string, enum: [tool]}
            content: {type: string}
            tool_call_id: {type: string}
"""

UNTAGGED_MESSAGES = """
type: object
properties:
  messages:
    type: array
    items:
      type: object
      required: [role, content]
      properties:
        role: {type: string, enum: [system, tool, user]}
        content: {type: string}
        tool_call_id: {type: string}
        name: {type: string}
"""


def test_tagged_union_variants_split_an_untagged_objects_fields_by_variant() -> None:
    """A field one variant owns goes to that variant only; a field no variant knows goes to all."""
    result = merged(
        ("vendora.yaml", chat_document(request=TAGGED_MESSAGES)),
        ("vendorb.yaml", chat_document(request=UNTAGGED_MESSAGES)),
    )
    api = result.api
    messages = field_of(api, "CreateChatCompletionRequest", "messages")
    assert messages.type == ArrayType(items=ModelRef("Message"))
    message = alias_type(api, "Message")
    assert isinstance(message, UnionType)
    assert message.discriminator == "role"
    assert message.variants == (
        ModelRef("SystemMessage"),
        ModelRef("ToolMessage"),
        ModelRef("UserMessage"),
    )
    assert field_names(api.model("SystemMessage")) == ["role", "content", "name"]
    assert field_names(api.model("ToolMessage")) == ["role", "content", "tool_call_id", "name"]
    assert api.model("SystemMessage").tag == ("role", "system")
    role = field_of(api, "SystemMessage", "role")
    assert role.type == ScalarType(
        kind="string", enum=(EnumValue("system", ("vendora", "vendorb")),)
    )
    assert role.required
    # vendora describes the tool variant itself and requires tool_call_id; vendorb's generic
    # message (one object for every role) does not speak for the variant: required.
    assert field_of(api, "ToolMessage", "tool_call_id").required
    (decided,) = findings(result, "variant-decides-required")
    assert decided.pointer.endswith("(tool)/tool_call_id")
    assert field_of(api, "ToolMessage", "name").vendors == ("vendorb",)


def test_tag_value_without_a_variant_of_its_own_takes_every_untagged_field() -> None:
    result = merged(
        ("vendora.yaml", chat_document(request=TAGGED_MESSAGES)),
        ("vendorb.yaml", chat_document(request=UNTAGGED_MESSAGES)),
    )
    user = result.api.model("UserMessage")
    assert user.tag == ("role", "user")
    assert field_names(user) == ["role", "content", "tool_call_id", "name"]
    assert user.documents == ("vendorb",)


# --- required and nullable ------------------------------------------------------------------------


def test_request_field_required_only_where_every_vendor_requires_it() -> None:
    """The extra required field of one vendor goes to that vendor's profile."""
    a = chat_document(
        request="""
        type: object
        required: [model, messages, max_tokens]
        properties:
          model: {type: string}
          messages: {type: array, items: {type: string}}
          max_tokens: {type: integer}
        """
    )
    b = chat_document(
        request="""
        type: object
        required: [model, messages]
        properties:
          model: {type: string}
          messages: {type: array, items: {type: string}}
          max_tokens: {type: integer}
        """
    )
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    api = result.api
    assert field_of(api, "CreateChatCompletionRequest", "model").required
    assert field_of(api, "CreateChatCompletionRequest", "messages").required
    assert not field_of(api, "CreateChatCompletionRequest", "max_tokens").required
    profiles = {vendor.name: vendor for vendor in api.vendors}
    assert profiles["vendora"].required_fields == ("max_tokens",)
    assert profiles["vendorb"].required_fields == ()
    (finding,) = findings(result, "required-where-all-agree")
    assert finding.pointer == "/CreateChatCompletionRequest/max_tokens"
    assert "required by vendora but not by vendorb" in finding.message


def test_response_fields_required_only_where_they_tell_bodies_apart() -> None:
    """Servers send less than their documents claim: a required `id` may still be absent or
    null; only a constant (`object: chat.completion`) stays required, and a finding says what
    the documents claimed."""
    a = chat_document(
        response="""
        type: object
        required: [id, created, object]
        properties:
          id: {type: string}
          created: {type: integer}
          object: {type: string, enum: [chat.completion]}
        """
    )
    b = chat_document(
        response="""
        type: object
        required: [id, object]
        properties:
          id: {type: string}
          created: {type: integer}
          object: {type: string, enum: [chat.completion]}
        """
    )
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    response = response_model(result.api)
    ident, created, kind = (
        field_of(result.api, response.name, n) for n in ("id", "created", "object")
    )
    assert (ident.required, ident.nullable) == (False, True)
    assert (created.required, created.nullable) == (False, True)
    assert (kind.required, kind.nullable) == (True, False)
    (finding,) = findings(result, "response-read-leniently")
    assert finding.pointer == f"/{response.name}"
    assert "(id, created)" in finding.message
    assert not findings(result, "required-where-all-agree")


def test_request_fields_keep_their_required_and_null_flags() -> None:
    """Requests keep today's rule: what every vendor requires stays required, never null."""
    a = chat_document(
        request="{type: object, required: [model], properties: {model: {type: string}}}"
    )
    api = merged(("vendora.yaml", a)).api
    model = field_of(api, request_model(api).name, "model")
    assert (model.required, model.nullable) == (True, False)


def test_vendor_only_fields_stay_optional_and_tagged_with_their_vendors() -> None:
    """A field one vendor requires and the others lack is optional, in requests and responses."""
    a = chat_document(
        request="""
        type: object
        required: [model, user_tier]
        properties:
          model: {type: string}
          user_tier: {type: string}
        """,
        response="""
        type: object
        required: [id, fingerprint]
        properties:
          id: {type: string}
          fingerprint: {type: string}
        """,
    )
    b = chat_document(
        request="{type: object, required: [model], properties: {model: {type: string}}}",
        response="{type: object, required: [id], properties: {id: {type: string}}}",
    )
    c = chat_document(
        request="{type: object, required: [model], properties: {model: {type: string}}}",
        response="{type: object, required: [id], properties: {id: {type: string}}}",
    )
    api = merged(("vendora.yaml", a), ("vendorb.yaml", b), ("vendorc.yaml", c)).api
    request, response = request_model(api), response_model(api)
    tier = field_of(api, request.name, "user_tier")
    fingerprint = field_of(api, response.name, "fingerprint")
    assert (tier.required, tier.vendors, tier.documents) == (False, ("vendora",), ("vendora",))
    assert (fingerprint.required, fingerprint.vendors) == (False, ("vendora",))
    shared = field_of(api, request.name, "model")
    assert (shared.required, shared.vendors) == (True, ("vendora", "vendorb", "vendorc"))


def test_nullable_where_any_vendor_says_null_and_required_stays_a_separate_axis() -> None:
    a = chat_document(
        request="""
        type: object
        required: [content]
        properties:
          content: {type: [string, 'null']}
        """
    )
    b = chat_document(
        request="{type: object, required: [content], properties: {content: {type: string}}}"
    )
    api = merged(("vendora.yaml", a), ("vendorb.yaml", b)).api
    content = field_of(api, request_model(api).name, "content")
    assert content.nullable
    assert content.required
    assert content.type == ScalarType("string")


def test_nullable_where_an_example_says_null() -> None:
    a = chat_document(
        response="""
        type: object
        properties:
          id: {type: string}
          usage: {type: object, properties: {total_tokens: {type: integer}}}
        """,
        response_example={"id": "x", "usage": None},
    )
    b = chat_document(
        response="""
        type: object
        properties:
          id: {type: string}
          usage: {type: object, properties: {total_tokens: {type: integer}}}
        """
    )
    api = merged(("vendora.yaml", a), ("vendorb.yaml", b)).api
    response = response_model(api).name
    assert field_of(api, response, "usage").nullable


# --- enums ----------------------------------------------------------------------------------------


def test_output_enum_is_open_with_the_union_of_values_and_the_documents_behind_each() -> None:
    a = chat_document(
        response="{type: object, properties: {finish_reason: {type: string, enum: [stop, length]}}}"
    )
    b = chat_document(
        response="""
        type: object
        properties:
          finish_reason: {type: string, enum: [stop, tool_calls]}
        """
    )
    api = merged(("vendora.yaml", a), ("vendorb.yaml", b)).api
    reason = field_of(api, response_model(api).name, "finish_reason")
    assert reason.type == ScalarType(
        kind="string",
        enum=(
            EnumValue("stop", ("vendora", "vendorb")),
            EnumValue("length", ("vendora",)),
            EnumValue("tool_calls", ("vendorb",)),
        ),
        enum_open=True,
    )


def test_request_enum_closed_where_every_document_gives_a_list() -> None:
    a = chat_document(
        request="{type: object, properties: {effort: {type: string, enum: [low, high]}}}"
    )
    b = chat_document(
        request="{type: object, properties: {effort: {type: string, enum: [low, medium]}}}"
    )
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    effort = field_of(result.api, "CreateChatCompletionRequest", "effort")
    assert isinstance(effort.type, ScalarType)
    assert [item.value for item in effort.type.enum] == ["low", "high", "medium"]
    assert not effort.type.enum_open
    assert not findings(result, "open-request-enum")


def test_request_enum_open_where_a_document_gives_no_list() -> None:
    a = chat_document(
        request="{type: object, properties: {effort: {type: string, enum: [low, high]}}}"
    )
    b = chat_document(request="{type: object, properties: {effort: {type: string}}}")
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    effort = field_of(result.api, "CreateChatCompletionRequest", "effort")
    assert isinstance(effort.type, ScalarType)
    assert [item.value for item in effort.type.enum] == ["low", "high"]
    assert effort.type.enum_open
    (finding,) = findings(result, "open-request-enum")
    assert "vendorb" in finding.message


def test_enum_whose_vendors_share_no_value_becomes_per_vendor_known_values() -> None:
    """The model case: each vendor lists its own model names; the merged field accepts any
    string, with the known values typed (an open enum) and kept per vendor in the profiles."""
    a = chat_document(
        request="{type: object, properties: {model: {type: string, enum: [alpha-1, alpha-2]}}}"
    )
    b = chat_document(
        request="{type: object, properties: {model: {type: string, enum: [beta-large]}}}"
    )
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    model = field_of(result.api, "CreateChatCompletionRequest", "model")
    assert isinstance(model.type, ScalarType) and model.type.kind == "string"
    assert model.type.enum_open, "never a closed enum: any model name is accepted"
    known = {(item.value, item.documents) for item in model.type.enum}
    assert known == {
        ("alpha-1", ("vendora",)),
        ("alpha-2", ("vendora",)),
        ("beta-large", ("vendorb",)),
    }
    profiles = {vendor.name: vendor for vendor in result.api.vendors}
    assert profiles["vendora"].known_values == (KnownValues("model", ("alpha-1", "alpha-2")),)
    assert profiles["vendorb"].known_values == (KnownValues("model", ("beta-large",)),)
    (finding,) = findings(result, "vendor-values-not-enum")
    assert finding.pointer == "/CreateChatCompletionRequest/model"


def test_enum_with_one_shared_value_stays_an_enum() -> None:
    """Known values replace an enum only when no value is shared by two vendors."""
    a = chat_document(request="{type: object, properties: {model: {type: string, enum: [a, s]}}}")
    b = chat_document(request="{type: object, properties: {model: {type: string, enum: [b, s]}}}")
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    model = field_of(result.api, "CreateChatCompletionRequest", "model")
    assert isinstance(model.type, ScalarType)
    assert {item.value for item in model.type.enum} == {"a", "b", "s"}
    assert all(vendor.known_values == () for vendor in result.api.vendors)


# --- bounds and defaults --------------------------------------------------------------------------


def test_bounds_merged_api_accepts_what_any_vendor_accepts_vendor_bounds_in_profile() -> None:
    a = chat_document(
        request="""
        type: object
        properties:
          temperature: {type: number, minimum: 0, maximum: 2}
          n: {type: integer, minimum: 1, maximum: 8}
        """
    )
    b = chat_document(
        request="""
        type: object
        properties:
          temperature: {type: number, minimum: 0, maximum: 1.5}
          n: {type: integer, exclusiveMinimum: 0, maximum: 4}
        """
    )
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    api = result.api
    temperature = field_of(api, "CreateChatCompletionRequest", "temperature")
    assert temperature.type == ScalarType("number", Constraints(minimum=0, maximum=2))
    n = field_of(api, "CreateChatCompletionRequest", "n")
    assert n.type == ScalarType("integer", Constraints(exclusive_minimum=0, maximum=8))
    profiles = {vendor.name: vendor for vendor in api.vendors}
    assert profiles["vendorb"].bounds == (
        FieldBounds("n", Constraints(exclusive_minimum=0, maximum=4)),
        FieldBounds("temperature", Constraints(minimum=0, maximum=1.5)),
    )
    assert FieldBounds("temperature", Constraints(minimum=0, maximum=2)) in (
        profiles["vendora"].bounds
    )


def test_bound_only_one_vendor_states_is_kept_in_the_merged_api() -> None:
    a = chat_document(
        request="{type: object, properties: {top_p: {type: number, minimum: 0, maximum: 1}}}"
    )
    b = chat_document(request="{type: object, properties: {top_p: {type: number}}}")
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    top_p = field_of(result.api, "CreateChatCompletionRequest", "top_p")
    # Silence is not evidence: vendorb states no bound, so vendora's is the only one stated.
    assert top_p.type == ScalarType("number", Constraints(minimum=0, maximum=1))
    profiles = {vendor.name: vendor for vendor in result.api.vendors}
    assert profiles["vendora"].bounds == (FieldBounds("top_p", Constraints(minimum=0, maximum=1)),)
    (finding,) = findings(result, "bounds-stated-kept")
    assert finding.pointer == "/CreateChatCompletionRequest/top_p"


def test_defaults_are_documentation_never_make_a_field_required() -> None:
    """An agreed default is kept as documentation; disagreeing defaults give none."""
    a = chat_document(
        request="""
        type: object
        properties:
          temperature: {type: number, default: 1}
          top_p: {type: number, default: 1}
        """
    )
    b = chat_document(
        request="""
        type: object
        properties:
          temperature: {type: number, default: 1}
          top_p: {type: number, default: 0.7}
        """
    )
    api = merged(("vendora.yaml", a), ("vendorb.yaml", b)).api
    temperature = field_of(api, "CreateChatCompletionRequest", "temperature")
    assert (temperature.required, temperature.has_default, temperature.default) == (
        False,
        True,
        1,
    )
    top_p = field_of(api, "CreateChatCompletionRequest", "top_p")
    assert (top_p.required, top_p.has_default, top_p.default) == (False, False, None)


def test_one_vendors_default_does_not_speak_for_the_others() -> None:
    """A default only one of several documenting vendors states is left out, and reported."""
    a = chat_document(request="{type: object, properties: {model: {type: string, default: m-1}}}")
    b = chat_document(request="{type: object, properties: {model: {type: string}}}")
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    model = field_of(result.api, "CreateChatCompletionRequest", "model")
    assert (model.has_default, model.default) == (False, None)
    (finding,) = findings(result, "default-not-merged")
    assert finding.pointer == "/CreateChatCompletionRequest/model"
    assert "only vendora states it" in finding.message


def test_a_default_every_documenting_vendor_states_is_kept() -> None:
    """One vendor documenting the field alone keeps its default as documentation."""
    a = chat_document(request="{type: object, properties: {seed: {type: integer, default: 7}}}")
    b = chat_document(request="{type: object, properties: {model: {type: string}}}")
    result = merged(("vendora.yaml", a), ("vendorb.yaml", b))
    seed = field_of(result.api, "CreateChatCompletionRequest", "seed")
    assert (seed.has_default, seed.default) == (True, 7)
    assert findings(result, "default-not-merged") == []


def test_two_documents_of_one_vendor_that_disagree_are_reported_with_the_outcome() -> None:
    """acme.a says integer and required, acme.b number and optional: one finding says both and
    how the merge settled it (number, optional)."""
    a = chat_document(request="{type: object, required: [n], properties: {n: {type: integer}}}")
    b = chat_document(request="{type: object, properties: {n: {type: number}}}")
    result = merged(("acme.a.yaml", a), ("acme.b.yaml", b))
    (finding,) = findings(result, "vendor-documents-disagree")
    assert finding.pointer == "/CreateChatCompletionRequest/n"
    assert "acme.a: integer required" in finding.message
    assert "acme.b: number optional" in finding.message
    assert finding.message.endswith("settled as number optional by the merge rules")


def test_documents_of_different_vendors_or_that_agree_give_no_disagreement_finding() -> None:
    a = chat_document(request="{type: object, properties: {n: {type: integer}}}")
    b = chat_document(request="{type: object, properties: {n: {type: number}}}")
    assert (
        findings(merged(("vendora.yaml", a), ("vendorb.yaml", b)), "vendor-documents-disagree")
        == []
    )
    assert (
        findings(merged(("acme.a.yaml", a), ("acme.b.yaml", a)), "vendor-documents-disagree") == []
    )


def test_an_enum_beside_a_plain_string_in_one_union_is_an_open_enum() -> None:
    """`anyOf: [{enum: [...]}, {type: string}]` (how pydantic writes `Literal[...] | str`):
    the list is known values, any string passes; without the plain string it stays closed."""
    open_union = chat_document(
        request="""
        type: object
        properties:
          model:
            anyOf: [{type: string, enum: [m-1, m-2]}, {type: string}]
        """
    )
    closed = chat_document(
        request="{type: object, properties: {model: {type: string, enum: [m-1, m-2]}}}"
    )
    opened = field_of(
        merged(("vendora.yaml", open_union)).api, "CreateChatCompletionRequest", "model"
    )
    assert isinstance(opened.type, ScalarType) and opened.type.enum_open
    assert [item.value for item in opened.type.enum] == ["m-1", "m-2"]
    kept = field_of(merged(("vendora.yaml", closed)).api, "CreateChatCompletionRequest", "model")
    assert isinstance(kept.type, ScalarType) and not kept.type.enum_open


# --- in-body error kinds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "name", "meaning", "kind"),
    [
        (None, "Apikey error", None, "authentication"),
        (None, "Authorization not passed", None, "authentication"),
        (None, "Insufficient balance", None, "payment"),
        (None, "Request timeout", None, "timeout"),
        (None, "Model response exception", "The model responds abnormally", "server"),
        (None, "Access denied", "The key may not use this model", "permission"),
        (None, "Unknown", "Something odd", None),
        (401, "Code 7", None, "authentication"),
        (503, "Busy", None, "server"),
        (402, "Apikey error", None, "payment"),  # a stated status outweighs the words
    ],
)
def test_in_body_error_kind_by_status_then_words(
    status: int | None, name: str, meaning: str | None, kind: str | None
) -> None:
    assert error_kind(status, name, meaning) == kind


def test_in_body_errors_of_a_catalogue_carry_their_kind() -> None:
    """The merge reads each catalogue entry's kind into the vendor profile."""
    api = merge([source("siliconstorm.md")]).api
    (vendor,) = api.vendors
    kinds = {error.code: error.kind for error in vendor.in_body_errors}
    assert kinds == {
        701: "payment",
        702: "authentication",
        801: "authentication",
        802: "timeout",
        9999: "server",
    }


# --- at least one of ----------------------------------------------------------------------------

_ONE_OF_TWO = """
type: object
properties:
  messages:
    type: array
    items:
      type: object
      required: [role]
      properties:
        role: {type: string, enum: [assistant]}
        content: {type: [string, 'null']}
        tool_calls: {type: array, items: {type: string}}
      anyOf:
        - required: [content]
        - required: [tool_calls]
"""


def test_an_any_of_of_required_lists_is_a_requirement_on_the_request_model() -> None:
    """The anyOf names keys the object carries (one at least); it is not a union of types."""
    result = merged(("vendora.yaml", chat_document(request=_ONE_OF_TWO)))
    message = field_of(result.api, request_model(result.api).name, "messages")
    assert isinstance(message.type, ArrayType) and isinstance(message.type.items, ModelRef)
    model = result.api.model(message.type.items.name)
    assert model.requires_any == ("content", "tool_calls")
    assert not field_of(result.api, model.name, "content").required
    (finding,) = findings(result, "requires-one-of")
    assert "content, tool_calls" in finding.message


def test_a_requirement_only_one_vendor_states_is_not_the_merged_models() -> None:
    """Requests never demand more than every deciding document does."""
    other = _ONE_OF_TWO.replace(
        """      anyOf:
        - required: [content]
        - required: [tool_calls]
""",
        "",
    )
    result = merged(
        ("vendora.yaml", chat_document(request=_ONE_OF_TWO)),
        ("vendorb.yaml", chat_document(request=other)),
    )
    message = field_of(result.api, request_model(result.api).name, "messages")
    assert isinstance(message.type, ArrayType) and isinstance(message.type.items, ModelRef)
    assert result.api.model(message.type.items.name).requires_any == ()


# --- unions whose branches are not all tagged -----------------------------------------------------


def test_an_untagged_branch_beside_tagged_ones_stays_a_variant_of_its_own() -> None:
    """`oneOf: [{text}, {language: "english", text, ...}]`: the plain answer is not a generic
    description of the tagged one. It stays its own variant, and the union is not told apart by
    `language`, which one variant does not carry."""
    answer = """
      oneOf:
        - {type: object, required: [text], properties: {text: {type: string}}}
        - type: object
          required: [language, text]
          properties:
            language: {type: string, enum: [english]}
            text: {type: string}
            duration: {type: number}
    """
    result = merged(("vendora.yaml", chat_document(response=answer)))
    success = result.api.operations[0].success
    assert success is not None and isinstance(success.type, ModelRef)
    union = alias_type(result.api, success.type.name)
    assert isinstance(union, UnionType)
    assert union.discriminator is None
    assert len(union.variants) == 2
    plain, tagged = (
        next(m for m in result.api.models if m.name == ref.name)  # type: ignore[union-attr]
        for ref in union.variants
    )
    assert field_names(plain) == ["text"]
    assert plain.tag is None
    assert tagged.tag == ("language", "english")
    assert set(field_names(tagged)) == {"language", "text", "duration"}


def test_a_generic_object_from_another_document_still_describes_the_tagged_variants() -> None:
    """A vendor's generic object (not a branch of the same union) keeps adding to each tagged
    variant, as a vendor's message object does to the reference's messages by role."""
    tagged = """
      oneOf:
        - type: object
          required: [kind]
          properties: {kind: {type: string, enum: [a]}, x: {type: string}}
        - type: object
          required: [kind]
          properties: {kind: {type: string, enum: [b]}, y: {type: string}}
    """
    generic = "{type: object, properties: {kind: {type: string, enum: [a, b]}, z: {type: string}}}"
    result = merged(
        ("vendora.yaml", chat_document(response=tagged)),
        ("vendorb.yaml", chat_document(response=generic)),
    )
    success = result.api.operations[0].success
    assert success is not None and isinstance(success.type, ModelRef)
    union = alias_type(result.api, success.type.name)
    assert isinstance(union, UnionType) and union.discriminator == "kind"
    assert len(union.variants) == 2


def test_the_emitted_document_maps_each_tag_to_its_variant() -> None:
    """Without a mapping, OpenAPI reads a discriminator's value as the variant's schema name, so a
    tool checking answers against the merged document would refuse `kind: "a"`."""
    from codegen.ir.emit import emit_openapi

    tagged = """
      oneOf:
        - type: object
          required: [kind]
          properties: {kind: {type: string, enum: [a]}, x: {type: string}}
        - type: object
          required: [kind]
          properties: {kind: {type: string, enum: [b]}, y: {type: string}}
    """
    result = merged(("vendora.yaml", chat_document(response=tagged)))
    success = result.api.operations[0].success
    assert success is not None and isinstance(success.type, ModelRef)
    union = alias_type(result.api, success.type.name)
    assert isinstance(union, UnionType)
    names = [variant.name for variant in union.variants]  # type: ignore[union-attr]
    schema = emit_openapi(result.api)["components"]["schemas"][success.type.name]
    assert schema["discriminator"] == {
        "propertyName": "kind",
        "mapping": {
            "a": f"#/components/schemas/{names[0]}",
            "b": f"#/components/schemas/{names[1]}",
        },
    }


def test_one_union_written_out_in_two_operations_is_one_alias() -> None:
    def variant(tag: str, field_name: str) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["kind"],
            "properties": {
                "kind": {"type": "string", "enum": [tag]},
                field_name: {"type": "string"},
            },
        }

    parts = {"oneOf": [variant("text", "text"), variant("image", "url")]}
    other = {"oneOf": [variant("audio", "data"), variant("video", "url")]}

    def operation(operation_id: str, content: dict[str, Any]) -> dict[str, Any]:
        own = operation_id.lower()  # a field of its own, so the request models differ
        body = {"type": "object", "properties": {"content": content, own: {"type": "integer"}}}
        return {
            "post": {
                "operationId": operation_id,
                "requestBody": {"content": {"application/json": {"schema": body}}},
                "responses": {"200": {"description": "ok"}},
            }
        }

    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/a": operation("createA", other),
            "/b": operation("createB", parts),
            "/c": operation("createC", parts),
        },
    }
    api = merged(("alpha.yaml", yaml.safe_dump(document, sort_keys=False))).api
    # `Content` is taken by the first union; the second, written out at two operations, is
    # one alias under the name of its first place, not one alias per operation.
    assert sorted(alias.name for alias in api.aliases) == ["Content", "CreateBRequestContent"]
    assert field_of(api, "CreateARequest", "content").type == ModelRef(name="Content")
    for model in ("CreateBRequest", "CreateCRequest"):
        assert field_of(api, model, "content").type == ModelRef(name="CreateBRequestContent")
