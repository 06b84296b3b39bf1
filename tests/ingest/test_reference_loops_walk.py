"""The loop check after settling references reuses the first walk's holders when settling only
changed holders in place; it must find what a second walk of the document would find."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from codegen.ingest import references
from codegen.ingest.yaml_lines import parse_with_lines

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
OPENAPI = sorted(p.name for p in CORPUS.iterdir() if p.suffix in {".json", ".yaml"})


def _schema(ref: str) -> dict[str, Any]:
    return {"$ref": ref}


MADE_UP = {
    "loop-and-repairs": {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "A": _schema("#/components/schemas/B"),
                "B": _schema("#/components/schemas/A"),
                "Self": _schema("#/components/schemas/Self"),
                "Encoded": _schema("#/components/schemas/Has%20Space"),
                "Has Space": {"type": "string"},
                "Remote": _schema("https://example.com/schema.json"),
                "Dangling": _schema("#/components/schemas/Nothing"),
                "IntoLoop": _schema("#/components/schemas/A"),
                "Fine": {"type": "object", "properties": {"a": _schema("#/components/schemas/A")}},
            }
        },
    },
}


def _bundled_both_ways(document: dict[str, Any]) -> tuple[Any, Any]:
    """(as bundle_references does it, with the second walk forced)."""
    reused = references.bundle_references(copy.deepcopy(document), "")
    original = references._Bundler.__init__

    def forcing(self: references._Bundler, *args: Any) -> None:
        original(self, *args)
        # An entry no reference can match: the bundler believes it copied a node in.
        self.copied[(Path("/nowhere"), "")] = "/nowhere"

    references._Bundler.__init__ = forcing  # type: ignore[method-assign]
    try:
        walked = references.bundle_references(copy.deepcopy(document), "")
    finally:
        references._Bundler.__init__ = original  # type: ignore[method-assign]
    return reused, walked


@pytest.mark.parametrize("name", sorted(MADE_UP))
def test_made_up_loops_are_found_alike(name: str) -> None:
    reused, walked = _bundled_both_ways(MADE_UP[name])
    assert reused == walked
    pointers = sorted(note.pointer for note in reused[1] if "refers back" in note.message)
    assert pointers == [
        "/components/schemas/A/$ref",
        "/components/schemas/B/$ref",
        "/components/schemas/Self/$ref",
    ]


@pytest.mark.parametrize("name", OPENAPI)
def test_corpus_documents_are_bundled_alike(name: str) -> None:
    path = CORPUS / name
    document = parse_with_lines(path.read_text(encoding="utf-8"), file=str(path)).data
    reused, walked = _bundled_both_ways(document)
    assert reused == walked
