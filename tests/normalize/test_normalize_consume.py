"""normalize(consume=True), as a build runs it, repairs the ingested document itself instead of a
copy, and gives what the copying normalize gives; the copying one leaves its input alone."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from codegen.ingest import ingest_path
from codegen.normalize import RuleContext, normalize
from codegen.normalize.rules import INGESTED_FACTS
from codegen.normalize.rules.tool_noise import design_tools

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [
    ROOT / "specs" / "sources" / "deepseek.openapi.md",  # design-tool extensions to drop
    ROOT / "tests" / "corpus" / "aiproxy_swagger.json",
    ROOT / "tests" / "corpus" / "cohere_openapi.yaml",
]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_consuming_gives_what_copying_gives(path: Path) -> None:
    copied = normalize(ingest_path(path))
    source = ingest_path(path)
    consumed = normalize(source, consume=True)
    assert consumed.openapi == copied.openapi
    assert consumed.findings == copied.findings
    assert consumed.openapi is source.openapi  # repaired in place: no copy was made


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_copying_leaves_the_ingested_document_as_it_was(path: Path) -> None:
    source = ingest_path(path)
    before = copy.deepcopy(source.openapi)
    normalized = normalize(source)
    assert source.openapi == before
    assert normalized.openapi != before  # the rules did change something (each has findings)


_REVEALING = """\
openapi: 3.1.0
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
x-run-in-widgetly: https://app.widgetly.io/project/1
paths:
  /things:
    get:
      x-widgetly-folder: tools
      responses:
        '200': {description: ok}
"""


def test_design_tools_are_read_before_any_rule_changes_the_document(tmp_path: Path) -> None:
    """The document reveals a tool of its own (``x-run-in-widgetly`` links into widgetly). The
    tool-noise rule then drops that extension; the tools of the ingested document are still
    what the document said, so ``x-widgetly-folder`` goes too, as when normalizing a copy."""
    path = tmp_path / "api.yaml"
    path.write_text(_REVEALING, encoding="utf-8")
    source = ingest_path(path)
    context = RuleContext.of(source, consume=True, ingested_facts=INGESTED_FACTS)
    source.openapi.clear()  # whatever the rules do to it from now on
    assert "widgetly" in context.of_ingested(design_tools)
    assert "widgetly" not in design_tools(source.openapi)
    consumed = normalize(ingest_path(path), consume=True)
    assert consumed == normalize(ingest_path(path))
    assert "x-widgetly-folder" not in consumed.openapi["paths"]["/things"]["get"]
    assert "x-run-in-widgetly" not in consumed.openapi


def test_a_fact_not_computed_before_the_rules_is_refused_when_consuming() -> None:
    source = ingest_path(DOCUMENTS[0])
    context = RuleContext.of(source, consume=True)
    with pytest.raises(RuntimeError, match="design_tools of the ingested document"):
        context.of_ingested(design_tools)
    copying = RuleContext.of(ingest_path(DOCUMENTS[0]))
    assert "apidog" in copying.of_ingested(design_tools)
