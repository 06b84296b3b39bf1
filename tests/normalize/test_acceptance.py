"""Issue-level acceptance of the normalize stage on the five vendor documents.

The whole lint report is pinned as a golden (a rule change shows as a report diff), and the
invariants every normalized document must hold are checked on each seed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from codegen.cli import main
from codegen.ingest import ingest_path, ingest_text
from codegen.ingest.source import SourceText
from codegen.ingest.validate import validation_errors
from codegen.normalize import NormalizedDocument, normalize
from codegen.normalize.evidence import collect_evidence
from codegen.normalize.marks import UNKNOWN
from codegen.openapi_walk import iter_operations, iter_schemas
from tests.golden import assert_golden

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "specs" / "sources").iterdir())
STATUS = re.compile(r"^([1-5]\d\d|[1-5]XX|default)$")


@pytest.fixture(scope="module")
def normalized() -> dict[str, NormalizedDocument]:
    return {path.name: normalize(ingest_path(path)) for path in SOURCES}


def _lint(*args: str) -> str:
    runner = CliRunner()
    result = runner.invoke(main, ["lint", *[str(p.relative_to(ROOT)) for p in SOURCES], *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_lint_report_of_the_five_documents_is_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every repair and warning, with rule, pointer and vendor line, as `specgen lint` prints it."""
    monkeypatch.chdir(ROOT)
    assert_golden("normalize/lint_report.txt", _lint())
    assert_golden("normalize/lint_report.json", _lint("--format", "json"))


def test_every_finding_names_a_pointer_and_a_vendor_line(
    normalized: dict[str, NormalizedDocument],
) -> None:
    for document in normalized.values():
        for finding in document.findings:
            assert finding.pointer.startswith("/"), finding
            assert finding.line is not None and finding.line >= 1, finding
            assert finding.source and finding.source.endswith(document.source_map.file), finding


@pytest.mark.parametrize("name", [p.name for p in SOURCES])
def test_normalized_document_passes_openapi_spec_validator(
    normalized: dict[str, NormalizedDocument], name: str
) -> None:
    assert validation_errors(normalized[name].openapi) == []


@pytest.mark.parametrize("name", [p.name for p in SOURCES])
def test_no_non_status_response_key_remains(
    normalized: dict[str, NormalizedDocument], name: str
) -> None:
    for _pointer, _path, _method, operation in iter_operations(normalized[name].openapi):
        for key in operation.get("responses") or {}:
            assert STATUS.match(key), key


def _is_null_only(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "null" or kind == ["null"]


@pytest.mark.parametrize("name", [p.name for p in SOURCES])
def test_no_null_only_field_remains(normalized: dict[str, NormalizedDocument], name: str) -> None:
    for pointer, schema in iter_schemas(normalized[name].openapi):
        # A `{type: null}` variant inside a union is how 3.1 says "nullable"; a field is not.
        if re.search(r"/(oneOf|anyOf)/\d+$", pointer):
            continue
        assert not _is_null_only(schema), pointer


@pytest.mark.parametrize("name", [p.name for p in SOURCES])
def test_no_required_name_without_a_property(
    normalized: dict[str, NormalizedDocument], name: str
) -> None:
    for pointer, schema in iter_schemas(normalized[name].openapi):
        if "properties" in schema or schema.get("type") == "object":
            missing = set(schema.get("required") or []) - set(schema.get("properties") or {})
            assert not missing, (pointer, missing)


def _fractional(value: Any) -> bool:
    return isinstance(value, float) and not value.is_integer()


@pytest.mark.parametrize("name", [p.name for p in SOURCES])
def test_no_integer_field_with_fractional_evidence(
    normalized: dict[str, NormalizedDocument], name: str
) -> None:
    document = normalized[name].openapi
    evidence = collect_evidence(document)
    for pointer, schema in iter_schemas(document):
        kind = schema.get("type")
        if kind != "integer" and not (isinstance(kind, list) and "integer" in kind):
            continue
        values = [sample.value for sample in evidence.at(pointer)]
        bounds = [
            schema.get(k) for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
        ]
        assert not any(_fractional(v) for v in [*values, *bounds]), pointer


def _empty_union(schema: dict[str, Any]) -> bool:
    for key in ("oneOf", "anyOf"):
        variants = schema.get(key)
        if (
            isinstance(variants, list)
            and variants
            and all(
                isinstance(v, dict)
                and not v.get("properties")
                and set(v) <= {"type", "properties", UNKNOWN}
                and v.get("type") in (None, "object")
                for v in variants
            )
        ):
            return True
    return False


@pytest.mark.parametrize("name", [p.name for p in SOURCES])
def test_every_empty_union_is_marked_and_reported(
    normalized: dict[str, NormalizedDocument], name: str
) -> None:
    document = normalized[name]
    warned = {f.pointer for f in document.findings if f.rule == "unknown-shape"}
    for pointer, schema in iter_schemas(document.openapi):
        if _empty_union(schema):
            assert schema.get(UNKNOWN) == "shape", pointer
            assert pointer in warned, pointer


def test_the_seeds_do_have_empty_unions_to_report(
    normalized: dict[str, NormalizedDocument],
) -> None:
    """Guards the test above: 001 has oneOfs of empty objects (messages, stop, tool_choice)."""
    document = normalized["deepseek.openapi.md"]
    marked = [p for p, s in iter_schemas(document.openapi) if s.get(UNKNOWN) == "shape"]
    assert any(p.endswith("/properties/stop") for p in marked)
    assert any(p.endswith("/properties/tool_choice") for p in marked)


SENTINEL = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /x:
    post:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  logprob:
                    type: integer
                    description: >-
                      The log probability of this token, if it is within the top 20 most likely
                      tokens. Otherwise, the value -9999.0 is used to signify that the token is
                      very unlikely.
              example:
                logprob: -9999.0
"""


def test_sentinel_logprob_stays_a_valid_value() -> None:
    """-9999.0 is data: the field becomes number and no bound is added that would exclude it."""
    document = normalize(ingest_text(SourceText.of("t.yaml", SENTINEL))).openapi
    schema = document["paths"]["/x"]["post"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]["properties"]["logprob"]
    assert schema["type"] == "number"
    assert schema.get("minimum", -9999.0) <= -9999.0
    assert "exclusiveMinimum" not in schema


def test_sentinel_in_the_deepseek_docs_page_stays_valid(
    normalized: dict[str, NormalizedDocument],
) -> None:
    for pointer, schema in iter_schemas(normalized["deepseek.docs.txt"].openapi):
        if pointer.endswith("/properties/logprob"):
            assert schema.get("minimum", -9999.0) <= -9999.0, pointer
            assert schema.get("exclusiveMinimum", -10000.0) < -9999.0, pointer
