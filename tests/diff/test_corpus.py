"""A real pair: the xAI corpus document against a copy derived from it by known edits in code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from codegen.cli import main

from ..ir.helpers import ROOT

XAI = ROOT / "tests" / "corpus" / "xai_openapi.yaml"


def _derived() -> dict[str, Any]:
    """The xAI document with five edits (the corpus file itself is never touched):

    - ``DELETE /custom-voices/{voiceId}`` deleted;
    - a required ``dimensions`` and an optional ``truncate`` added to the embeddings request;
    - ``b64_json`` removed from the closed ``response_format`` enum of image generations;
    - the ``n`` maximum of image generations lowered from 10 to 4;
    - an optional ``cached`` field added to the embeddings response.
    """
    document: dict[str, Any] = yaml.safe_load(XAI.read_text(encoding="utf-8"))
    del document["paths"]["/custom-voices/{voiceId}"]["delete"]
    schemas = document["components"]["schemas"]
    embedding = schemas["CreateEmbeddingRequest"]
    embedding["properties"]["dimensions"] = {"type": "integer"}
    embedding["required"].append("dimensions")
    embedding["properties"]["truncate"] = {"type": "boolean"}
    image = schemas["CreateImageRequest"]["properties"]
    image["response_format"]["enum"].remove("b64_json")
    assert image["n"]["maximum"] == 10
    image["n"]["maximum"] = 4
    schemas["CreateEmbeddingResponse"]["properties"]["cached"] = {"type": "boolean"}
    return document


EXPECTED = [
    {"kind": "operation-removed", "operation": "DELETE /custom-voices/{voiceId}", "place": ""},
    {"kind": "request-field-added-required", "operation": "POST /embeddings", "place": "request.dimensions"},
    {"kind": "request-field-added-optional", "operation": "POST /embeddings", "place": "request.truncate"},
    {"kind": "response-field-added", "operation": "POST /embeddings", "place": "response.cached"},
    {"kind": "request-bound-tightened", "operation": "POST /images/generations", "place": "request.n"},
    {"kind": "request-enum-value-removed-closed", "operation": "POST /images/generations", "place": "request.response_format"},
]  # fmt: skip
BREAKING = {
    "operation-removed",
    "request-field-added-required",
    "request-bound-tightened",
    "request-enum-value-removed-closed",
}


def test_xai_document_against_an_edited_copy_reports_exactly_the_edits(tmp_path: Path) -> None:
    """Each edit is found once, at its place, with its classification, and nothing else is."""
    # The same file name, so both sides are the same vendor (``xai_openapi``).
    derived = tmp_path / "xai_openapi.yaml"
    derived.write_text(yaml.safe_dump(_derived(), sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(XAI), str(derived), "--format", "json"])
    assert result.exit_code == 1, result.stderr
    changes = json.loads(result.stdout)
    found = [{key: c[key] for key in ("kind", "operation", "place")} for c in changes]
    assert found == EXPECTED
    assert {c["kind"] for c in changes if c["breaking"]} == BREAKING
    bound = next(c for c in changes if c["kind"] == "request-bound-tightened")
    assert (bound["before"], bound["after"]) == ("maximum 10", "maximum 4")
    enum = next(c for c in changes if c["kind"] == "request-enum-value-removed-closed")
    assert (enum["before"], enum["after"]) == ('"b64_json"', None)


def test_xai_document_against_its_own_yaml_rewrite_has_no_changes(tmp_path: Path) -> None:
    """The derivation itself (a PyYAML load and dump) changes nothing: only the edits show."""
    copy = tmp_path / "xai_openapi.yaml"
    copy.write_text(yaml.safe_dump(yaml.safe_load(XAI.read_text(encoding="utf-8"))))
    result = CliRunner().invoke(main, ["diff", str(XAI), str(copy)])
    assert (result.exit_code, result.stdout) == (0, "no API changes\n")
