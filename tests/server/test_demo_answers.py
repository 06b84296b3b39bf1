"""The demo handler's canned answers: one constant per answering model, and a bounded depth.

A large API answers the same model from many operations, and its deepest responses nest dozens
of models: written once per operation and filled all the way down, discord's demo answers made
server.py a 3 MB module.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from codegen.ir.model import API, Field, Model, ModelRef, ScalarType
from codegen.render.server import DEMO_DEPTH, ExampleBuilder

from ..operations.conftest import build


def _chain(depth: int) -> tuple[Model, ...]:
    """Models L1 .. L<depth>, each with an optional name and an optional next level."""
    models = []
    for level in range(1, depth + 1):
        fields = [Field(name="name", type=ScalarType("string"), required=False, nullable=True)]
        if level < depth:
            fields.append(
                Field(name="next", type=ModelRef(f"L{level + 1}"), required=False, nullable=True)
            )
        models.append(Model(f"L{level}", tuple(fields), "response"))
    return tuple(models)


def test_optional_fields_are_filled_demo_depth_models_deep() -> None:
    models = _chain(DEMO_DEPTH + 2)
    api = API("t", "1", models=models, aliases=(), operations=(), vendors=())
    value = ExampleBuilder(api).model(models[0], frozenset({"L1"}))
    levels = 0
    node: object = value
    while isinstance(node, dict):
        assert node["name"] == "demo"
        levels += 1
        node = node.get("next")
    # The last model filled holds its own fields but does not open another model.
    assert levels == DEMO_DEPTH
    assert node is None


def test_a_shallow_answer_is_filled_whole() -> None:
    models = _chain(DEMO_DEPTH)
    api = API("t", "1", models=models, aliases=(), operations=(), vendors=())
    value = ExampleBuilder(api).model(models[0], frozenset({"L1"}))
    assert value == {"name": "demo", "next": {"name": "demo", "next": {"name": "demo"}}}


def test_a_field_whose_model_is_cut_empty_at_the_depth_bound_is_left_out() -> None:
    def optional(name: str, node: object) -> Field:
        return Field(name=name, type=node, required=False, nullable=True)  # type: ignore[arg-type]

    models = (
        Model(
            "Top",
            (optional("name", ScalarType("string")), optional("box", ModelRef("Box"))),
            "response",
        ),
        Model("Box", (optional("deep", ModelRef("Deep")),), "response"),
        Model("Deep", (optional("deeper", ModelRef("Deeper")),), "response"),
        Model("Deeper", (optional("name", ScalarType("string")),), "response"),
    )
    api = API("t", "1", models=models, aliases=(), operations=(), vendors=())
    # Deep, the third model, opens no fourth: it is empty, and so Box is, and neither is written.
    assert ExampleBuilder(api).model(models[0], frozenset({"Top"})) == {"name": "demo"}


def _document() -> str:
    answer = {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
    }
    return yaml.safe_dump(
        {
            "openapi": "3.1.0",
            "info": {"title": "Things", "version": "1"},
            "servers": [{"url": "https://api.example.com"}],
            "paths": {
                "/first": {"get": {"operationId": "getFirst", "responses": {"200": answer}}},
                "/second": {"get": {"operationId": "getSecond", "responses": {"200": answer}}},
            },
            "components": {
                "schemas": {
                    "Thing": {
                        "type": "object",
                        "properties": {"id": {"type": "string"}, "size": {"type": "integer"}},
                    }
                }
            },
        }
    )


def test_operations_answering_one_model_share_its_demo_constant(tmp_path: Path) -> None:
    source = tmp_path / "things.yaml"
    source.write_text(_document(), encoding="utf-8")
    package = build([source], tmp_path / "out", "demo_things")
    server_source = (package / "server.py").read_text(encoding="utf-8")
    constants = re.findall(r"^(_DEMO_\w+): dict\[str, object\] = ", server_source, re.M)
    assert constants == ["_DEMO_THING"]
    assert server_source.count("_demo(Thing, _DEMO_THING, {})") == 2
    sys.path.insert(0, str(package.parent))
    try:
        server = importlib.import_module("demo_things.server")
        client = TestClient(server.create_app(server.DemoHandler()))
        first, second = client.get("/first"), client.get("/second")
    finally:
        sys.path.remove(str(package.parent))
        for name in [m for m in sys.modules if m.split(".")[0] == "demo_things"]:
            del sys.modules[name]
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"id": "demo", "size": 0}
