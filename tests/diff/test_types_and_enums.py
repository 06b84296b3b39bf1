"""Retyped fields (widened, narrowed, changed), union variants, and enum values and openness."""

from __future__ import annotations

from pathlib import Path

from msgspec.structs import replace

from codegen.diff import diff_apis
from codegen.ir.model import API, EnumValue, Field, ScalarType

from .helpers import (
    REQUEST,
    RESPONSE,
    at,
    diff_texts,
    document,
    edited,
    load_api,
    one,
    write,
)

CONTENT = "properties/messages/items/properties/content"
PARTS = {"type": "array", "items": {"type": "object", "properties": {"text": {"type": "string"}}}}


def test_request_type_widened_is_not_breaking_and_narrowed_is(tmp_path: Path) -> None:
    """integer -> number accepts every old value (ok); number -> integer refuses some (breaking)."""
    integer = document(request=edited(REQUEST, "properties/temperature/type", "integer"))
    change = one(diff_texts(tmp_path / "a", integer, document()), "request.temperature")
    assert (change.kind, change.breaking) == ("request-type-widened", False)
    assert (change.before, change.after) == ("integer", "number")
    change = one(diff_texts(tmp_path / "b", document(), integer), "request.temperature")
    assert (change.kind, change.breaking) == ("request-type-narrowed", True)


def test_unrelated_request_type_is_breaking(tmp_path: Path) -> None:
    """string -> integer is neither wider nor narrower: breaking."""
    new = document(request=edited(REQUEST, "properties/model", {"type": "integer"}))
    change = one(diff_texts(tmp_path, document(), new), "request.model")
    assert (change.kind, change.breaking) == ("request-type-changed", True)


def test_response_type_widened_is_breaking_and_narrowed_is_not(tmp_path: Path) -> None:
    """A response that may carry a new type breaks callers; a narrower one does not."""
    number = document(response=edited(RESPONSE, "properties/created/type", "number"))
    change = one(diff_texts(tmp_path / "a", document(), number), "response.created")
    assert (change.kind, change.breaking) == ("response-type-widened", True)
    change = one(diff_texts(tmp_path / "b", number, document()), "response.created")
    assert (change.kind, change.breaking) == ("response-type-narrowed", False)


def test_request_field_becoming_a_union_is_widened_and_its_parts_are_walked(
    tmp_path: Path,
) -> None:
    """string -> string | array widens a request field; a union variant that goes breaks."""
    union = document(request=edited(REQUEST, CONTENT, {"oneOf": [{"type": "string"}, PARTS]}))
    change = one(diff_texts(tmp_path / "a", document(), union), "request.messages[].content")
    assert (change.kind, change.breaking) == ("request-type-widened", False)
    assert change.after == "string | array<object>"
    only_parts = document(request=edited(REQUEST, CONTENT, {"oneOf": [PARTS, {"type": "integer"}]}))
    changes = diff_texts(tmp_path / "b", union, only_parts)
    removed = one(changes, "request.messages[].content<string>")
    assert (removed.kind, removed.breaking) == ("request-variant-removed", True)
    added = one(changes, "request.messages[].content<integer>")
    assert (added.kind, added.breaking) == ("request-variant-added", False)


def test_field_inside_a_union_variant_is_found_by_place(tmp_path: Path) -> None:
    """A field removed inside the array variant of a union is reported under ``<array>[]``."""
    union = document(request=edited(REQUEST, CONTENT, {"oneOf": [{"type": "string"}, PARTS]}))
    bare = {**PARTS, "items": {"type": "object", "properties": {"kind": {"type": "string"}}}}
    fewer = document(request=edited(REQUEST, CONTENT, {"oneOf": [{"type": "string"}, bare]}))
    changes = diff_texts(tmp_path, union, fewer)
    removed = one(changes, "request.messages[].content<array>[].text")
    assert (removed.kind, removed.breaking) == ("request-field-removed", True)
    added = one(changes, "request.messages[].content<array>[].kind")
    assert (added.kind, added.breaking) == ("request-field-added-optional", False)


def test_value_removed_from_a_closed_request_enum_is_breaking(tmp_path: Path) -> None:
    """A value taken out of a closed request enum is refused from now on."""
    new = document(request=edited(REQUEST, "properties/effort/enum", ["low"]))
    change = one(diff_texts(tmp_path, document(), new), "request.effort")
    assert (change.kind, change.breaking) == ("request-enum-value-removed-closed", True)
    assert (change.before, change.after) == ('"high"', None)


def test_value_added_to_a_request_enum_is_not_breaking(tmp_path: Path) -> None:
    """A new accepted request value breaks no call."""
    new = document(request=edited(REQUEST, "properties/effort/enum", ["low", "medium", "high"]))
    change = one(diff_texts(tmp_path, document(), new), "request.effort")
    assert (change.kind, change.breaking) == ("request-enum-value-added", False)
    assert change.after == '"medium"'


def test_enum_on_a_plain_request_string_is_breaking_and_dropping_it_is_not(
    tmp_path: Path,
) -> None:
    """A closed enum on a request string refuses other values; lifting it accepts them all."""
    closed = document(
        request=edited(REQUEST, "properties/model", {"type": "string", "enum": ["a", "b"]})
    )
    change = one(diff_texts(tmp_path / "a", document(), closed), "request.model")
    assert (change.kind, change.breaking) == ("request-enum-added-closed", True)
    assert change.after == 'closed ["a", "b"]'
    change = one(diff_texts(tmp_path / "b", closed, document()), "request.model")
    assert (change.kind, change.breaking) == ("request-enum-removed", False)


def test_value_added_to_an_open_response_enum_is_not_breaking(tmp_path: Path) -> None:
    """Response enums are open after the merge: a new value passes callers' validation."""
    reasons = "properties/choices/items/properties/finish_reason/enum"
    new = document(response=edited(RESPONSE, reasons, ["stop", "length", "tool_calls"]))
    changes = diff_texts(tmp_path, document(), new)
    change = one(changes, "response.choices[].finish_reason")
    assert (change.kind, change.breaking) == ("response-enum-value-added-open", False)
    fewer = document(response=edited(RESPONSE, reasons, ["stop"]))
    change = one(diff_texts(tmp_path / "b", document(), fewer), "response.choices[].finish_reason")
    assert (change.kind, change.breaking) == ("response-enum-value-removed", False)


def _with_type(api: API, name: str, node: ScalarType) -> API:
    """The API with every field called ``name`` given another type: an edit no document makes."""

    def retyped(item: Field) -> Field:
        return replace(item, type=node) if item.name == name else item

    models = tuple(replace(m, fields=tuple(map(retyped, m.fields))) for m in api.models)
    return replace(api, models=models)


def test_closed_response_enum_gaining_a_value_or_opening_is_breaking(tmp_path: Path) -> None:
    """A closed response enum gaining a value or opening breaks callers; closing does not.

    No document gives a closed response enum (the merge opens them), so the IR is edited.
    """
    api = load_api(write(tmp_path, "vendora.yaml", document()))
    closed = ScalarType("string", enum=(EnumValue("stop"),), enum_open=False)
    old = _with_type(api, "finish_reason", closed)
    more = _with_type(api, "finish_reason", replace(closed, enum=(*closed.enum, EnumValue("x"))))
    opened = _with_type(api, "finish_reason", replace(closed, enum_open=True))
    place = "response.choices[].finish_reason"
    (change,) = at(diff_apis(old, more), place)
    assert (change.kind, change.breaking) == ("response-enum-value-added-closed", True)
    (change,) = at(diff_apis(old, opened), place)
    assert (change.kind, change.breaking) == ("response-enum-opened", True)
    (change,) = at(diff_apis(opened, old), place)
    assert (change.kind, change.breaking) == ("response-enum-closed", False)
