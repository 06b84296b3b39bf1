"""A recursive component used at many places is one model per direction, not one per place
(``codegen/ir/equal_models.py``): records equal but for the names they refer to become one, and
records that differ in anything else stay apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from codegen.ir import model as ir_model
from codegen.ir.equal_models import (
    _reference_fields,
    equal_names,
    merge_equal_models,
    referred,
    renamed,
)
from codegen.ir.model import (
    Alias,
    ArrayType,
    Field,
    Model,
    ModelRef,
    Operation,
    ResponseSpec,
    ScalarType,
    UnionType,
)

from .helpers import merged

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
STRING = ScalarType(kind="string")


def _model(name: str, *fields: tuple[str, Any], direction: Any = "response") -> Model:
    return Model(
        name=name,
        fields=tuple(Field(name=n, type=t, required=False, nullable=True) for n, t in fields),
        direction=direction,
    )


def _tree(name: str, **options: Any) -> Model:
    return _model(name, ("id", STRING), ("children", ArrayType(items=ModelRef(name))), **options)


def _operation(name: str, response: str) -> Operation:
    return Operation(
        id=name,
        method="GET",
        path=f"/{name}",
        summary=None,
        description=None,
        request=None,
        request_required=False,
        response=ModelRef(response),
        stream=None,
        responses=(ResponseSpec(status=200, kind="json", type=ModelRef(response)),),
    )


def test_self_recursive_copies_become_the_first() -> None:
    models = (_tree("Node"), _tree("GetNodeResponse"), _tree("ListNodeResponse"))
    operations = (_operation("a", "Node"), _operation("b", "GetNodeResponse"))
    kept, aliases, rewritten = merge_equal_models(models, (), operations)
    assert [m.name for m in kept] == ["Node"]
    assert kept[0] == models[0]
    assert aliases == ()
    assert [op.response for op in rewritten] == [ModelRef("Node"), ModelRef("Node")]
    assert [op.responses[0].type for op in rewritten] == [ModelRef("Node"), ModelRef("Node")]


def test_mutually_recursive_groups_become_one_group_and_their_users_follow() -> None:
    """Price -> ConditionalPrice -> Price, built twice; and a model holding each copy."""

    def group(price: str, conditional: str) -> tuple[Model, Model]:
        return (
            _model(price, ("amount", STRING), ("when", ArrayType(items=ModelRef(conditional)))),
            _model(conditional, ("rule", STRING), ("price", ModelRef(price))),
        )

    first, second = group("Price", "ConditionalPrice"), group("LogPrice", "LogConditionalPrice")
    holders = (
        _model("Config", ("price", ModelRef("Price"))),
        _model("Log", ("price", ModelRef("LogPrice"))),
    )
    names = equal_names([*first, *second, *holders])
    assert names == {
        "LogPrice": "Price",
        "LogConditionalPrice": "ConditionalPrice",
        "Log": "Config",
    }


@pytest.mark.parametrize(
    "other",
    [
        _tree("Other", direction="request"),
        _model("Other", ("id", STRING), ("kids", ArrayType(items=ModelRef("Other")))),
        _model(
            "Other",
            ("id", ScalarType(kind="integer")),
            ("children", ArrayType(items=ModelRef("Other"))),
        ),
        # The same outline, but its children are a different kind of node.
        _model("Other", ("id", STRING), ("children", ArrayType(items=ModelRef("Leaf")))),
    ],
    ids=["direction", "field name", "field type", "what it refers to"],
)
def test_records_differing_in_anything_but_names_stay_apart(other: Model) -> None:
    leaf = _model("Leaf", ("id", STRING), ("children", ArrayType(items=STRING)))
    assert equal_names([_tree("Node"), other, leaf]) == {}


def test_equal_unions_of_equal_models_become_one_alias() -> None:
    models = (_tree("Node"), _tree("NodeCopy"))
    aliases = (
        Alias("NodeOrText", UnionType(variants=(ModelRef("Node"), STRING))),
        Alias("NodeCopyOrText", UnionType(variants=(ModelRef("NodeCopy"), STRING))),
    )
    holder = _model("Holder", ("value", ModelRef("NodeCopyOrText")))
    kept, kept_aliases, _ = merge_equal_models((*models, holder), aliases, ())
    # The alias kept is the one in use; the models, both in use, keep the first.
    assert [a.name for a in kept_aliases] == ["NodeCopyOrText"]
    assert kept_aliases[0].type.variants[0] == ModelRef("Node")
    assert [m.name for m in kept] == ["Node", "Holder"]
    assert kept[-1].fields[0].type == ModelRef("NodeCopyOrText")


def test_the_name_kept_is_the_one_its_users_name() -> None:
    """A ring registered inside out (S2 first): the operation names S0, so S0 is kept."""
    ring = [_model(f"S{i}", ("next", ModelRef(f"S{(i + 1) % 3}"))) for i in (2, 1, 0)]
    kept, _, operations = merge_equal_models(tuple(ring), (), (_operation("x", "S0"),))
    assert [m.name for m in kept] == ["S0"]
    assert kept[0].fields[0].type == ModelRef("S0")
    assert operations[0].response == ModelRef("S0")
    assert equal_names(ring) == {"S0": "S2", "S1": "S2"}  # no user: the first


def _tree_service(operations: int) -> str:
    """A recursive component, beside a shared plain one, returned and sent by every operation."""
    meta = {"type": "object", "properties": {f"f{i}": {"type": "string"} for i in range(5)}}
    node = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/TreeNode"}},
            "meta": {"$ref": "#/components/schemas/Meta"},
        },
    }
    ref = {"$ref": "#/components/schemas/TreeNode"}
    body = {"content": {"application/json": {"schema": ref}}}
    paths = {
        f"/trees/{i}": {
            "get": {
                "operationId": f"getTree{i}",
                "responses": {"200": {"description": "ok", **body}},
            },
            "post": {
                "operationId": f"putTree{i}",
                "requestBody": body,
                "responses": {"200": {"description": "ok", **body}},
            },
        }
        for i in range(operations)
    }
    return json.dumps(
        {
            "openapi": "3.1.0",
            "info": {"title": "Trees", "version": "1"},
            "paths": paths,
            "components": {"schemas": {"TreeNode": node, "Meta": meta}},
        }
    )


def test_a_recursive_component_used_by_every_operation_is_one_model_per_direction() -> None:
    api = merged(("trees.json", _tree_service(12))).api
    trees = [m for m in api.models if {f.name for f in m.fields} == {"id", "children", "meta"}]
    assert sorted(m.direction for m in trees) == ["request", "response"]
    responses = {op.response.name for op in api.operations if op.response is not None}
    requests = {op.request.name for op in api.operations if op.request is not None}
    assert len(api.operations) == 24
    assert responses == {"TreeNode"}
    assert len(requests) == 1
    assert equal_names([*api.models, *api.aliases]) == {}


@pytest.mark.parametrize(
    "name",
    sorted(path.name for path in CORPUS.iterdir() if path.suffix in {".json", ".yaml"}),
)
def test_no_corpus_api_keeps_two_equal_records(name: str) -> None:
    """After the merge, nothing is left to make one: on every corpus document."""
    api = merged((name, (CORPUS / name).read_text(encoding="utf-8"))).api
    assert equal_names([*api.models, *api.aliases]) == {}


def _every_ref(value: Any, found: list[str]) -> list[str]:
    """Every ModelRef name in ``value``, by entering every field of every record (the walk
    ``referred`` made before it learnt which fields can hold one)."""
    if isinstance(value, ModelRef):
        found.append(value.name)
    elif isinstance(value, tuple):
        for item in value:
            _every_ref(item, found)
    elif isinstance(value, msgspec.Struct):
        for field in value.__struct_fields__:
            _every_ref(getattr(value, field), found)
    return found


_RECORDS = sorted(
    (
        record
        for record in vars(ir_model).values()
        if isinstance(record, type) and issubclass(record, msgspec.Struct)
    ),
    key=lambda record: record.__name__,
)


@pytest.mark.parametrize("record", _RECORDS, ids=lambda record: record.__name__)
def test_a_field_left_out_of_the_walk_is_one_whose_type_holds_no_reference(record: type) -> None:
    """The fields skipped are those whose annotation names no ModelRef, no record that can hold
    one, and no ``Any``: read off the annotation text, apart from the code under test."""
    skipped = set(record.__struct_fields__) - set(_reference_fields(record))
    holders = {r.__name__ for r in _RECORDS if r is ir_model.ModelRef or _reference_fields(r)}
    holders |= {"TypeNode", "JSONValue", "Any"}
    for name in skipped:
        words = set(str(record.__annotations__[name]).replace("[", " ").replace("]", " ")
                    .replace("|", " ").replace(",", " ").split())  # fmt: skip
        assert not words & holders, (record.__name__, name)


def test_the_record_walk_enters_exactly_the_fields_that_can_hold_a_reference() -> None:
    assert _reference_fields(ir_model.Constraints) == ()
    assert _reference_fields(ir_model.ScalarType) == ()
    assert _reference_fields(ir_model.Model) == ("fields",)
    assert _reference_fields(ir_model.Field) == ("type", "default")  # default is Any: entered
    assert set(_reference_fields(ir_model.Operation)) == {
        "request", "response", "stream", "errors", "parameters", "responses"
    }  # fmt: skip


@pytest.mark.parametrize("name", ["aiproxy_swagger.json", "anthropic_openapi.json"])
def test_renaming_a_corpus_api_reaches_every_reference(name: str) -> None:
    """Every reference of a real API, renamed: none is missed by the fields the walk skips, and
    the records with nothing to rename stay the same objects."""
    api = merged((name, (CORPUS / name).read_text(encoding="utf-8"))).api
    records = (*api.models, *api.aliases, *api.operations)
    names = sorted(set(_every_ref(records, [])))
    assert names
    assert referred(records, set()) == set(names)
    everything = {old: f"Renamed{position}" for position, old in enumerate(names)}
    moved = renamed(records, everything)
    assert _every_ref(moved, []) == [everything[old] for old in _every_ref(records, [])]
    untouched = renamed(records, {"NoSuchModel": "Other"})
    assert all(a is b for a, b in zip(untouched, records, strict=True))
