"""One merge's Views answer "does this schema mention readOnly/writeOnly" from shared answers;
each answer equals walking that schema alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from codegen.ingest import ingest_path
from codegen.ir.dereference import dereference
from codegen.ir.views import Views, _mentions
from codegen.normalize import normalize
from codegen.openapi_walk import iter_operations

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _bodies(document: dict[str, Any]) -> list[Any]:
    found = []
    for _pointer, _path, _method, operation in iter_operations(document):
        for parent in (operation.get("requestBody"), *(operation.get("responses") or {}).values()):
            if isinstance(parent, dict):
                for media in (parent.get("content") or {}).values():
                    if isinstance(media, dict) and "schema" in media:
                        found.append(media["schema"])
    return found


@pytest.mark.parametrize("name", ["cohere_openapi.yaml", "discord_openapi.json"])
def test_shared_answers_equal_one_walk_per_schema(name: str) -> None:
    resolved = dereference(normalize(ingest_path(CORPUS / name)).openapi)
    views = Views()
    bodies = _bodies(resolved)
    assert len(bodies) > 50
    answers = set()
    for schema in bodies:
        for keyword in ("readOnly", "writeOnly"):
            answer = views._mentions(schema, keyword)
            assert answer == _mentions(schema, keyword)
            answers.add(answer)
    if name == "cohere_openapi.yaml":
        assert answers == {True, False}  # both kinds of answer were checked


def test_a_shared_node_answers_for_every_schema_holding_it() -> None:
    marked = {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}}}
    plain = {"type": "object", "properties": {"name": {"type": "string"}}}
    views = Views()
    first = {"properties": {"a": plain, "b": {"items": marked}}}
    second = {"anyOf": [plain, {"properties": {"m": marked}}]}
    third = {"properties": {"p": plain}}
    assert views._mentions(first, "readOnly")
    assert views._mentions(second, "readOnly")
    assert not views._mentions(third, "readOnly")
    assert not views._mentions(first, "writeOnly")
    # The view leaves the read-only property out of the request, and answers alike again.
    assert views.view(first, "request")["properties"]["b"]["items"]["properties"] == {}
    assert views.view(third, "request") is third


def test_a_node_inside_itself_is_answered_by_one_walk() -> None:
    loop: dict[str, Any] = {"properties": {}}
    loop["properties"]["self"] = loop
    marked = {"readOnly": True}
    loop["properties"]["x"] = {"allOf": [marked]}
    other: dict[str, Any] = {"items": {}}
    other["items"]["again"] = other
    views = Views()
    assert views._mentions(loop, "readOnly")
    assert not views._mentions(other, "readOnly")
    assert views._mentions({"anyOf": [other, marked]}, "readOnly")
