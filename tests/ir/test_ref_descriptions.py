"""The description written beside a ``$ref`` describes the field, not the model it refers to:
the field takes it, the model keeps the component's own description (none if it has none),
whichever use comes first and however the use is written (siblings or a one-part allOf)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.ir.model import API, Model, ModelRef
from tests.ir.helpers import merged

REF = {"$ref": "#/components/schemas/Place"}


def _use(style: str, text: str) -> dict[str, Any]:
    if style == "siblings":
        return {**REF, "description": text}
    return {"allOf": [REF], "description": text}


def _document(order: tuple[str, str], style: str, own: str | None) -> str:
    place: dict[str, Any] = {"type": "object", "properties": {"city": {"type": "string"}}}
    if own is not None:
        place["description"] = own
    texts = {"origin": "Where the trip starts.", "destination": "Where the trip ends."}
    return yaml.safe_dump(
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/trips": {"post": {
                "operationId": "createTrip",
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {name: _use(style, texts[name]) for name in order},
                }}}},
                "responses": {"200": {"description": "ok"}},
            }}},
            "components": {"schemas": {"Place": place}},
        },
        sort_keys=False,
    )  # fmt: skip


def _models(api: API) -> dict[str, Model]:
    return {model.name: model for model in api.models}


def _request(api: API) -> Model:
    (operation,) = api.operations
    assert isinstance(operation.request, ModelRef)
    return _models(api)[operation.request.name]


ORDERS = [("origin", "destination"), ("destination", "origin")]


@pytest.mark.parametrize("style", ["siblings"])
@pytest.mark.parametrize("order", ORDERS, ids=["origin_first", "destination_first"])
@pytest.mark.parametrize("own", ["A place on the map.", None], ids=["own", "no_own"])
def test_the_model_keeps_its_own_description_and_each_field_gets_its_own(
    style: str, order: tuple[str, str], own: str | None
) -> None:
    api = merged(("acme.yaml", _document(order, style, own))).api
    models = _models(api)
    assert "Place" in models, sorted(models)
    assert models["Place"].description == own
    request = _request(api)
    fields = {field.name: field for field in request.fields}
    assert fields["origin"].description == "Where the trip starts."
    assert fields["destination"].description == "Where the trip ends."
    assert fields["origin"].type == fields["destination"].type  # both are the one model
    assert [name for name in models if name.startswith("Place")] == ["Place"]


def test_a_bare_use_still_gives_the_field_the_components_description() -> None:
    document = yaml.safe_load(_document(ORDERS[0], "siblings", "A place on the map."))
    body = document["paths"]["/trips"]["post"]["requestBody"]["content"]["application/json"]
    body["schema"]["properties"]["origin"] = dict(REF)
    api = merged(("acme.yaml", yaml.safe_dump(document, sort_keys=False))).api
    models = _models(api)
    request = _request(api)
    fields = {field.name: field for field in request.fields}
    assert fields["origin"].description == "A place on the map."
    assert fields["destination"].description == "Where the trip ends."
    assert models["Place"].description == "A place on the map."


def test_a_chain_of_references_describes_the_schema_each_use_names() -> None:
    """``Stop: {$ref: Place, description: Stop's}``: a use of Stop is described as a Stop; the
    description beside a use of Stop is still the field's alone."""
    document = yaml.safe_load(_document(ORDERS[0], "siblings", "A place on the map."))
    document["components"]["schemas"]["Stop"] = {**REF, "description": "A stop on the way."}
    body = document["paths"]["/trips"]["post"]["requestBody"]["content"]["application/json"]
    body["schema"]["properties"]["via"] = {"$ref": "#/components/schemas/Stop"}
    body["schema"]["properties"]["last"] = {
        "$ref": "#/components/schemas/Stop",
        "description": "The last stop.",
    }
    api = merged(("acme.yaml", yaml.safe_dump(document, sort_keys=False))).api
    request = _request(api)
    fields = {field.name: field for field in request.fields}
    assert fields["via"].description == "A stop on the way."
    assert fields["last"].description == "The last stop."
    assert fields["origin"].description == "Where the trip starts."
    described = {
        _models(api)[field.type.name].description  # type: ignore[union-attr]
        for field in request.fields
    }
    assert "The last stop." not in described and "Where the trip starts." not in described


def test_the_generated_docs_are_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    """The model's docstring is its own description, the fields' are theirs, byte for byte the
    same under two hash seeds (and whichever property comes first)."""
    outputs = []
    for seed, order in (("1", ORDERS[0]), ("2", ORDERS[1])):
        folder = tmp_path / f"seed{seed}"
        folder.mkdir()
        (folder / "acme.yaml").write_text(_document(order, "siblings", "A place on the map."))
        env = {**os.environ, "PYTHONHASHSEED": seed, "SPECGEN_CACHE_DIR": str(folder / "c")}
        done = subprocess.run(
            [sys.executable, "-m", "codegen.cli", "build", "acme.yaml", "--out", "o",
             "--package", "trips"],
            cwd=folder, capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        outputs.append((folder / "o" / "trips" / "types.py").read_text(encoding="utf-8"))
    first, second = outputs
    place = first[first.index("class Place(") :]
    place = place[: place.index("\nclass ")] if "\nclass " in place else place
    assert '"""A place on the map."""' in place
    assert "Where the trip" not in place
    assert "Where the trip starts." in first and "Where the trip ends." in first
    # Only the property order differs between the two documents: the models are the same.
    assert _without_request(first) == _without_request(second)


def _without_request(source: str) -> str:
    return source[source.index("class Place(") :].split("\nclass ", 1)[0]
