"""A component referenced from many places is resolved and recorded once, and each place still
keeps the facts written beside its own ``$ref`` (description, default, nullable, examples)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.ingest import ingest_path
from codegen.ir import merge, shapes
from codegen.ir.dereference import dereference
from codegen.ir.model import ModelRef, ScalarType, UnknownType
from codegen.ir.naming import looks_generated, pascal
from codegen.ir.shapes import (
    COMPONENT,
    NAME_HINT,
    OWN_DESCRIPTION,
    RECURSIVE,
    REFERS_BACK,
    Shape,
    ShapeMemo,
    add_schema,
)
from codegen.ir.views import view
from codegen.jsonpointer import resolve, unescape
from codegen.normalize import is_specgen_merged, normalize
from codegen.openapi_walk import iter_operations

from .helpers import chat_document, field_of, merged, normalized, request_model

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LEVEL = "#/components/schemas/Level"


def inline_every_use(document: dict[str, Any]) -> dict[str, Any]:
    """The slow path, as the merge did it before: every use of a ``$ref`` walked afresh."""
    keep_names = is_specgen_merged(document)
    cut: dict[str, int] = {}

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#"):
            if reference in seen:
                cut[reference] = cut.get(reference, 0) + 1
                marker = {"x-specgen-unknown": "shape", "description": f"recursive {reference}"}
                if reference.startswith("#/components/schemas/"):
                    marker[RECURSIVE] = pascal(unescape(reference.rsplit("/", 1)[1]))
                return marker
            try:
                target = resolve(document, reference[1:])
            except KeyError:
                return {"x-specgen-unknown": "shape", "description": f"unresolved {reference}"}
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if reference.startswith("#/components/schemas/"):
                name = unescape(reference.rsplit("/", 1)[1])
                if keep_names:
                    siblings[NAME_HINT] = name
                elif not looks_generated(name):
                    siblings[COMPONENT] = name
            before = cut.get(reference, 0)
            resolved = walk(target, (*seen, reference))
            if cut.get(reference, 0) > before:
                siblings[REFERS_BACK] = True
            if not isinstance(resolved, dict):
                return resolved
            if "description" in node:  # the field's; the referenced schema keeps its own
                siblings[OWN_DESCRIPTION] = resolved.get("description")
            else:
                resolved = {k: v for k, v in resolved.items() if k != OWN_DESCRIPTION}
            return {**resolved, **siblings}
        return {key: walk(value, seen) for key, value in node.items()}

    result: dict[str, Any] = walk(document, ())
    return result


def what_the_merge_reads(document: dict[str, Any]) -> dict[str, Any]:
    """The parts ``dereference`` resolves: all but the components, of which the security schemes."""
    parts = {key: value for key, value in document.items() if key != "components"}
    components = document.get("components") or {}
    if "securitySchemes" in components:
        parts["components"] = {"securitySchemes": components["securitySchemes"]}
    return parts


def _document(paths: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "ok"}},
        }
    }


MADE_UP = {
    "siblings beside refs": _document(
        {
            "/a": _body(
                {
                    "type": "object",
                    "properties": {
                        "one": {"$ref": LEVEL, "description": "one"},
                        "two": {"$ref": LEVEL, "default": 2},
                        "three": {"$ref": LEVEL},
                        "four": {"$ref": LEVEL},
                    },
                }
            )
        },
        {"Level": {"type": "integer", "minimum": 0}},
    ),
    "a self-referring component, entered from two places": _document(
        {
            "/a": _body({"$ref": "#/components/schemas/Node"}),
            "/b": _body({"type": "array", "items": {"$ref": "#/components/schemas/Node"}}),
        },
        {
            "Node": {
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "label": {"$ref": LEVEL},
                },
            },
            "Level": {"type": "integer"},
        },
    ),
    "a cycle of three, entered at each member": _document(
        {
            "/a": _body({"$ref": "#/components/schemas/A"}),
            "/b": _body({"$ref": "#/components/schemas/B"}),
            "/c": _body({"properties": {"x": {"$ref": "#/components/schemas/C"}}}),
        },
        {
            "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}, "n": {"$ref": LEVEL}}},
            "B": {"properties": {"c": {"$ref": "#/components/schemas/C"}}},
            "C": {
                "properties": {
                    "a": {"$ref": "#/components/schemas/A"},
                    "self": {"$ref": "#/components/schemas/C", "description": "again"},
                }
            },
            "Level": {"type": "integer"},
        },
    ),
    "a cycle member reached again by another path (a cached body replays its cuts)": _document(
        {
            "/a": _body({"$ref": "#/components/schemas/X"}),
            "/b": _body({"$ref": "#/components/schemas/Y"}),
        },
        {
            "X": {
                "properties": {
                    "y": {"$ref": "#/components/schemas/Y"},
                    "c": {"$ref": "#/components/schemas/C"},
                }
            },
            "Y": {
                "properties": {
                    "c": {"$ref": "#/components/schemas/C"},
                    "x": {"$ref": "#/components/schemas/X"},
                }
            },
            "C": {"properties": {"x": {"$ref": "#/components/schemas/X"}}},
        },
    ),
    "unresolved refs, refs to refs, refs into a component, refs in siblings": _document(
        {
            "/a": _body(
                {
                    "properties": {
                        "gone": {"$ref": "#/components/schemas/Missing"},
                        "alias": {"$ref": "#/components/schemas/Alias"},
                        "inner": {"$ref": "#/components/schemas/Box/properties/size"},
                        "kept": {"$ref": LEVEL, "properties": {"q": {"$ref": LEVEL}}},
                        "list": {"$ref": "#/components/schemas/Pair"},
                    }
                }
            )
        },
        {
            "Alias": {"$ref": LEVEL},
            "Box": {"properties": {"size": {"$ref": LEVEL, "description": "how big"}}},
            "Pair": {"type": "array", "items": [{"$ref": LEVEL}, {"$ref": "#/components/x"}]},
            "Level": {"type": "integer"},
        },
    ),
}


def _corpus_openapi(name: str) -> dict[str, Any]:
    return normalize(ingest_path(CORPUS / name)).openapi


@pytest.mark.parametrize("name", sorted(MADE_UP))
def test_dereference_gives_what_inlining_every_use_afresh_gives(name: str) -> None:
    """Sharing resolved bodies changes no inlined value: cut cycles, markers and names included."""
    document = MADE_UP[name]
    before = copy.deepcopy(document)
    assert dereference(document) == what_the_merge_reads(inline_every_use(document))
    assert document == before  # the document is never changed through the result


@pytest.mark.parametrize(
    "name", ["openai_openapi.yaml", "tgi_openapi.json", "xai_openapi.yaml", "ollama_openapi.yaml"]
)
def test_dereference_of_corpus_documents_gives_what_inlining_every_use_afresh_gives(
    name: str,
) -> None:
    document = _corpus_openapi(name)
    assert dereference(document) == what_the_merge_reads(inline_every_use(document))


def test_dereference_resolves_security_schemes_and_leaves_other_components_out() -> None:
    """A component schema is resolved where an operation uses it, not on its own."""
    document = _document(
        {"/a": _body({"$ref": LEVEL})},
        {"Level": {"type": "integer"}, "Unused": {"$ref": LEVEL}},
    )
    document["components"]["securitySchemes"] = {
        "key": {"$ref": "#/components/securitySchemes/bearer"},
        "bearer": {"type": "http", "scheme": "bearer"},
    }
    document["x-extra"] = {"$ref": LEVEL}
    resolved = dereference(document)
    assert resolved["components"] == {
        "securitySchemes": {
            "key": {"type": "http", "scheme": "bearer"},
            "bearer": {"type": "http", "scheme": "bearer"},
        }
    }
    assert resolved["x-extra"] == {"type": "integer", COMPONENT: "Level"}
    schema = resolved["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]
    assert schema["schema"] == {"type": "integer", COMPONENT: "Level"}
    del document["components"]["securitySchemes"]
    assert "components" not in dereference(document)


def test_plain_uses_of_a_component_are_one_object_and_uses_with_siblings_their_own() -> None:
    properties = dereference(MADE_UP["siblings beside refs"])["paths"]["/a"]["post"]["requestBody"][
        "content"
    ]["application/json"]["schema"]["properties"]
    assert properties["three"] is properties["four"]
    level = {"type": "integer", "minimum": 0}
    # Level has no description of its own; "one" is the field's (the model's stays none).
    assert properties["one"] == {
        **level,
        "description": "one",
        COMPONENT: "Level",
        OWN_DESCRIPTION: None,
    }
    assert properties["two"] == {**level, "default": 2, COMPONENT: "Level"}
    assert "description" not in properties["three"] and "default" not in properties["three"]


def _operation_schemas(document: dict[str, Any]) -> list[Any]:
    found = []
    for _pointer, _path, _method, operation in iter_operations(document):
        for media in ((operation.get("requestBody") or {}).get("content") or {}).values():
            found.append(media.get("schema"))
        for answer in (operation.get("responses") or {}).values():
            for media in (answer.get("content") or {}).values() if isinstance(answer, dict) else []:
                found.append(media.get("schema"))
    return [schema for schema in found if isinstance(schema, dict)]


@pytest.mark.parametrize("name", ["openai_openapi.yaml", "xai_openapi.yaml", "tgi_openapi.json"])
def test_a_shared_record_copied_into_a_place_equals_recording_the_schema_there(name: str) -> None:
    """The memo's copy-on-write record gives each place the very facts the plain walk gives."""
    resolved = dereference(_corpus_openapi(name))
    memo = ShapeMemo()
    for schema in _operation_schemas(resolved):
        for direction in ("request", "response"):
            seen = view(schema, direction)
            plain = add_schema(Shape(), seen, "doc", [])
            places = [add_schema(Shape(), seen, "doc", [], memo) for _ in range(3)]
            # Recorded at the first place, which the others share.
            assert places[0] == plain
            assert places[0] is places[1] is places[2]


def test_adding_to_a_place_filled_from_a_record_leaves_the_record_and_other_places_alone() -> None:
    """Copy on write: a second document adds to one place; the other places keep one document."""
    level = {"type": "integer", "minimum": 0, "description": "a level"}
    component = {
        "type": "object",
        "properties": {"x": level, "y": {"type": "array", "items": level}},
    }
    memo = ShapeMemo()
    first, second, third = (add_schema(Shape(), component, "a", [], memo) for _ in range(3))
    assert second is third  # both hold the shared record
    widened = {"type": "object", "properties": {"x": {"type": "number"}, "y": {"items": level}}}
    second = add_schema(second, widened, "b", [], memo)
    assert second is not third
    alone = add_schema(Shape(), component, "a", [])
    assert first == third == alone
    assert second.object is not None and third.object is not None
    assert set(second.object.fields["x"].shape.scalars) == {"integer", "number"}
    assert set(third.object.fields["x"].shape.scalars) == {"integer"}
    assert second.object.fields["y"].shape.array is not None
    assert second.object.fields["y"].shape.array.items.documents == {"a", "b"}
    assert third.object.fields["y"].shape.array.items.documents == {"a"}  # type: ignore[union-attr]
    fourth = add_schema(Shape(), component, "a", [], memo)
    assert fourth == alone
    assert fourth is third


SIBLINGS = chat_document(
    request="""
    type: object
    properties:
      first: {$ref: '#/components/schemas/Level', description: the first level, default: 3}
      second: {$ref: '#/components/schemas/Level', description: the second level}
      third: {$ref: '#/components/schemas/Level'}
      fourth: {$ref: '#/components/schemas/Level', type: [integer, 'null']}
      home: {$ref: '#/components/schemas/Point', description: where it starts}
      away: {$ref: '#/components/schemas/Point'}
    required: [first]
    """,
    response="""
    type: object
    properties:
      id: {type: string}
    """,
    components={
        "Level": "{type: integer, minimum: 0, maximum: 10, description: a level}",
        "Point": """
        type: object
        description: a point
        properties:
          x: {$ref: '#/components/schemas/Level', description: across}
          y: {$ref: '#/components/schemas/Level'}
        required: [x]
        """,
    },
)


def test_each_use_of_a_component_keeps_the_description_default_and_null_written_beside_it() -> None:
    api = merged(("acme.yaml", SIBLINGS)).api
    fields = {field.name: field for field in request_model(api).fields}
    described = {name: field.description for name, field in fields.items()}
    assert described == {
        "first": "the first level",
        "second": "the second level",
        "third": "a level",
        "fourth": "a level",
        "home": "where it starts",
        "away": "a point",
    }
    assert (fields["first"].has_default, fields["first"].default) == (True, 3)
    assert not any(fields[name].has_default for name in ("second", "third", "fourth"))
    assert [name for name, field in fields.items() if field.nullable] == ["fourth"]
    assert [name for name, field in fields.items() if field.required] == ["first"]
    for name in ("first", "second", "third", "fourth"):
        assert fields[name].type == ScalarType(
            kind="integer",
            constraints=fields["first"].type.constraints,  # type: ignore[union-attr]
        )
    assert fields["home"].type == fields["away"].type == ModelRef(name="Point")
    point = {field.name: field for field in api.model("Point").fields}
    assert (point["x"].description, point["x"].required) == ("across", True)
    assert (point["y"].description, point["y"].required) == ("a level", False)


def _request_with_example(example: dict[str, Any], uses: int) -> str:
    properties = {f"p{i}": {"$ref": LEVEL} for i in range(uses)}
    document = _document(
        {
            "/v1/things": {
                "post": {
                    "operationId": "createThing",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "properties": properties},
                                "example": example,
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        {"Level": {"type": "integer", "description": "a level"}},
    )
    return yaml.safe_dump(document, sort_keys=False)


def _count_records(monkeypatch: pytest.MonkeyPatch, component: str) -> list[int]:
    """Count the shape builder's walks over the component's schema (a wrapper, not a timer)."""
    calls = [0]
    walk = shapes._record

    def counting(shape: Shape, schema: Any, *args: Any) -> None:
        if isinstance(schema, dict) and schema.get(COMPONENT) == component:
            calls[0] += 1
        walk(shape, schema, *args)

    monkeypatch.setattr(shapes, "_record", counting)
    return calls


def test_a_component_referenced_200_times_is_recorded_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At its first place, into the record the other 199 places share."""
    calls = _count_records(monkeypatch, "Level")
    result = merged(("acme.yaml", _request_with_example({}, 200)))
    assert calls[0] == 1
    fields = request_model(result.api).fields
    assert len(fields) == 200
    assert all(field.description == "a level" and not field.nullable for field in fields)


def test_a_place_with_examples_of_its_own_is_recorded_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The slow path still runs where the place's facts differ: here an example says null."""
    calls = _count_records(monkeypatch, "Level")
    result = merged(("acme.yaml", _request_with_example({"p0": None, "p1": 4}, 3)))
    assert calls[0] == 3  # every place sees example values of its own (none for p2)
    api = result.api
    assert field_of(api, request_model(api).name, "p0").nullable
    assert not field_of(api, request_model(api).name, "p1").nullable
    assert not field_of(api, request_model(api).name, "p2").nullable


def test_a_recursive_component_used_from_two_places_is_a_model_that_refers_to_itself() -> None:
    text = yaml.safe_dump(
        {
            **MADE_UP["a self-referring component, entered from two places"],
            "servers": [{"url": "https://api.example.com"}],
        },
        sort_keys=False,
    )
    api = merged(("acme.yaml", text)).api
    node = api.model("Node")
    children = {field.name: field for field in node.fields}["children"]
    assert children.type.items == ModelRef(name="Node")  # type: ignore[union-attr]
    assert not any(isinstance(field.type, UnknownType) for field in node.fields)


def test_upload_fields_are_read_from_the_schema_with_its_parts_folded_in() -> None:
    """A multipart schema with properties of its own and a part whose own part gives the file."""
    document = _document(
        {
            "/v1/files": {
                "post": {
                    "operationId": "createFile",
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"purpose": {"type": "string"}},
                                    "allOf": [{"$ref": "#/components/schemas/Upload"}],
                                }
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        {
            "Upload": {
                "properties": {"name": {"type": "string"}},
                "allOf": [{"properties": {"file": {"type": "string", "format": "binary"}}}],
            }
        },
    )
    (operation,) = merge([normalized("acme.yaml", yaml.safe_dump(document))]).api.operations
    assert operation.body is not None and operation.body.file_fields == ("file",)


def test_the_parts_of_a_union_add_to_one_place_once_for_every_union_holding_them() -> None:
    """`add_to`: a field two parts describe is the first part's record with the second's
    schema added, made once and shared by every union with those parts."""
    part_a = {"type": "object", "properties": {"id": {"type": "string"}, "a": {"type": "integer"}}}
    part_b = {
        "type": "object",
        "properties": {"id": {"type": "string", "maxLength": 5}, "b": {"type": "boolean"}},
    }
    first = {"oneOf": [part_a, part_b, {"type": "object", "properties": {"c": {}}}]}
    second = {"oneOf": [part_a, part_b, {"type": "object", "properties": {"d": {}}}]}
    memo = ShapeMemo()
    one = add_schema(Shape(), first, "doc", [], memo)
    two = add_schema(Shape(), copy.deepcopy(second), "doc", [], memo)
    assert one == add_schema(Shape(), first, "doc", [])
    assert two == add_schema(Shape(), second, "doc", [])
    assert one.object is not None and two.object is not None
    assert one.object.fields["id"].shape is two.object.fields["id"].shape
    assert one.object.fields["id"].shape.scalars["string"].constraints  # part b's bound is in
    # Adding to one union's place later copies it: the other union keeps its facts.
    widened = {"type": "object", "properties": {"id": {"type": "integer"}}}
    changed = add_schema(one, widened, "other", [], memo)
    assert changed is not one
    assert changed.object is not None
    assert set(changed.object.fields["id"].shape.scalars) == {"string", "integer"}
    assert set(two.object.fields["id"].shape.scalars) == {"string"}
    assert two == add_schema(Shape(), second, "doc", [])
