"""The stream flag a request body carries: found by a walk that stops at it, and the same
property, with the same schema, as the first stream flag among every property the request's
schema tree names (``schema_text``'s collection, where a name keeps its first schema)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.normalize.rules.stream_response import is_stream_flag, schema_text, stream_flag

_NAMES = ("stream", "streaming", "mode", "incremental", "model")
_COMPONENTS = ("A", "B", "C", "D")


def _operation(schema: Any) -> dict[str, Any]:
    return {"requestBody": {"content": {"application/json": {"schema": schema}}}}


def _first_flag_of_every_property(document: dict[str, Any], schema: Any) -> tuple[str, str] | None:
    """The definition the walk must agree with: collect every property, then take the first."""
    for name, child in schema_text(document, schema).properties.items():
        if is_stream_flag(name, child):
            return name, str(child.get("description", ""))
    return None


def test_the_first_name_met_keeps_its_schema_and_a_nested_flag_is_found_through_refs() -> None:
    document = {
        "components": {
            "schemas": {
                "Options": {
                    "allOf": [
                        {"properties": {"stream": {"$ref": "#/components/schemas/Flag"}}},
                    ]
                },
                "Flag": {"type": "boolean", "description": "Send partial results"},
            }
        }
    }
    nested = {
        "properties": {"model": {"type": "string"}},
        "oneOf": [{"$ref": "#/components/schemas/Options"}],
    }
    operation = _operation(nested)
    assert stream_flag(document, operation) == ("stream", "Send partial results")
    # A `stream` met first as a string shadows the boolean one further down.
    shadowed = {"properties": {"stream": {"type": "string"}}, "allOf": [nested]}
    assert stream_flag(document, _operation(shadowed)) is None
    # A boolean whose description, not its name, says it streams.
    said = {"properties": {"live": {"type": ["boolean", "null"], "description": "Streamed as SSE"}}}
    assert stream_flag(document, _operation(said)) == ("live", "Streamed as SSE")
    assert (
        stream_flag(document, {"requestBody": {"content": {"text/plain": {"schema": said}}}})
        is None
    )


def _ref() -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from(_COMPONENTS).map(lambda name: {"$ref": f"#/components/schemas/{name}"})


_LEAF = st.one_of(
    _ref(),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["boolean", "string", ["boolean", "null"]])},
        optional={"description": st.sampled_from(["streamed events", "a model name", ""])},
    ),
)


def _schemas(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "properties": st.dictionaries(st.sampled_from(_NAMES), children, max_size=3),
            "allOf": st.lists(children, max_size=2),
            "items": children,
            "$ref": st.sampled_from([f"#/components/schemas/{name}" for name in _COMPONENTS]),
        },
    )


_SCHEMA = st.recursive(_LEAF, _schemas, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(
    components=st.fixed_dictionaries({name: _SCHEMA for name in _COMPONENTS}),
    request=_SCHEMA,
)
def test_the_walk_that_stops_agrees_with_collecting_every_property(
    components: dict[str, Any], request: Any
) -> None:
    """References in any order, cycles and repeated names included."""
    document = {"components": {"schemas": components}}
    assert stream_flag(document, _operation(request)) == _first_flag_of_every_property(
        document, request
    )
