"""Ingest as a whole: reader 1 (OpenAPI, bare or fenced), the 3.1 upgrade, quarantine, source
maps, the committed specs/*.yaml, and every kind of bad input through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from codegen.cli import main
from codegen.errors import SpecgenError
from codegen.ingest import ingest_path, ingest_text
from codegen.ingest.document import QUARANTINE_EXTENSION
from codegen.ingest.source import SourceText
from codegen.ingest.validate import validation_errors

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "specs" / "sources").iterdir())

MINIMAL_30 = """openapi: 3.0.1
info:
  title: t
  version: '1'
paths:
  /v1/chat/completions:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                temperature:
                  type: number
                  nullable: true
                  example: 0.7
                  minimum: 0
                  exclusiveMinimum: true
      responses:
        '200':
          description: ok
"""


def _ingest(text: str, name: str = "vendor.md") -> dict:
    return ingest_text(SourceText.of(name, text)).openapi


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_each_seed_ingests_to_a_valid_document_with_the_operation(path: Path) -> None:
    """Acceptance: five valid 3.1 documents, each with the operation, its body and its 200."""
    document = ingest_path(path)
    assert validation_errors(document.openapi) == []
    assert document.openapi["openapi"] == "3.1.0"
    operations = [
        item["post"]
        for p, item in document.openapi["paths"].items()
        if p.endswith("/chat/completions")
    ]
    assert len(operations) == 1
    assert "requestBody" in operations[0]
    assert "200" in operations[0]["responses"]


@pytest.mark.parametrize(
    ("path", "reader"),
    [
        ("siliconstorm.md", "openapi"),
        ("deepseek.openapi.md", "openapi"),
        ("oxen.md", "openapi"),
        ("solidrust.md", "markdown"),
        ("deepseek.docs.txt", "flat-text"),
    ],
)
def test_reader_is_chosen_by_content(path: str, reader: str) -> None:
    assert ingest_path(ROOT / "specs" / "sources" / path).reader == reader


def test_reader_is_chosen_by_content_not_extension(tmp_path: Path) -> None:
    """An OpenAPI page saved as .txt and a flattened page saved as .yaml read the same."""
    renamed = tmp_path / "oxen.txt"
    renamed.write_bytes((ROOT / "specs/sources/oxen.md").read_bytes())
    assert ingest_path(renamed).reader == "openapi"
    other = tmp_path / "deepseek.yaml"
    other.write_bytes((ROOT / "specs/sources/deepseek.docs.txt").read_bytes())
    assert ingest_path(other).reader == "flat-text"


@pytest.mark.parametrize(
    "wrap",
    [
        lambda body: body,
        lambda body: f"# Page\n\nSome prose.\n\n```yaml\n{body}```\n",
        lambda body: f"# Page\n\n~~~\n{body}~~~\n",
        lambda body: f"> preamble\n\n````yaml file.json post /x\n{body}````\n",
        lambda body: f"Intro\n\n~~~~~ yml\n{body}~~~~~\n\nMore prose.\n",
    ],
    ids=["bare", "backticks-lang", "tildes-no-lang", "four-backticks-info", "five-tildes"],
)
def test_reader_one_unwraps_any_fence(wrap) -> None:  # type: ignore[no-untyped-def]
    document = _ingest(wrap(MINIMAL_30))
    assert (
        document["paths"]["/v1/chat/completions"]["post"]["responses"]["200"]["description"] == "ok"
    )


def test_reader_one_reads_bare_json() -> None:
    data = yaml.safe_load(MINIMAL_30)
    document = _ingest(json.dumps(data, indent=2), "vendor.json")
    assert "/v1/chat/completions" in document["paths"]


def test_upgrade_rewrites_30_idioms_without_repairing() -> None:
    """nullable -> type list, example -> examples, boolean exclusiveMinimum -> numeric."""
    schema = _ingest(MINIMAL_30)["paths"]["/v1/chat/completions"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["properties"]["temperature"]
    assert schema == {"type": ["number", "null"], "examples": [0.7], "exclusiveMinimum": 0}


def test_defects_pass_through_ingest_unrepaired() -> None:
    """001's null-only fields and non-status response key survive ingest as written."""
    document = ingest_path(ROOT / "specs/sources/deepseek.openapi.md").openapi
    responses = document["paths"]["/chat/completions"]["post"]["responses"]
    assert "x-200:Streaming" in responses
    body = document["paths"]["/chat/completions"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert body["schema"]["properties"]["tools"] == {"type": "null"}


def test_invalid_nodes_are_quarantined_verbatim() -> None:
    """001's `type: bearer` scheme cannot stay in a valid 3.1 document: it is kept aside, as is."""
    document = ingest_path(ROOT / "specs/sources/deepseek.openapi.md").openapi
    quarantine = {entry["pointer"]: entry for entry in document[QUARANTINE_EXTENSION]}
    assert quarantine["/components/securitySchemes/bearer"]["value"] == {
        "type": "bearer",
        "scheme": "bearer",
    }
    assert "bearer" not in document["components"].get("securitySchemes", {})
    assert "/security/0/x-apidog" in quarantine


def test_source_map_points_at_the_vendor_lines_of_reader_one() -> None:
    document = ingest_path(ROOT / "specs/sources/deepseek.openapi.md")
    lines = (ROOT / "specs/sources/deepseek.openapi.md").read_text().splitlines()
    pointer = "/paths/~1chat~1completions/post/requestBody/content/application~1json/schema/properties/top_p"
    line = document.source_map.line_for(pointer)
    assert line is not None and lines[line - 1].strip() == "top_p:"
    # A pointer the map lacks falls back to its nearest ancestor's line.
    assert document.source_map.line_for(pointer + "/nonexistent") == line
    upgraded = "/paths/~1chat~1completions/post/requestBody/content/application~1json/examples/1"
    assert lines[document.source_map.line_for(upgraded) - 1].strip() == "'1':"


def test_source_map_follows_a_schema_example_moved_by_the_upgrade() -> None:
    document = ingest_text(SourceText.of("v.md", "```yaml\n" + MINIMAL_30 + "```\n"))
    pointer = (
        "/paths/~1v1~1chat~1completions/post/requestBody/content/application~1json/schema"
        "/properties/temperature/examples/0"
    )
    text_lines = ("```yaml\n" + MINIMAL_30).splitlines()
    assert text_lines[document.source_map.line_for(pointer) - 1].strip() == "example: 0.7"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_committed_specs_are_what_ingest_writes(path: Path, tmp_path: Path) -> None:
    """specs/<name>.yaml is stale when a vendor document changed and nobody re-ingested."""
    out = tmp_path / "specs"
    out.mkdir()
    result = CliRunner().invoke(main, ["ingest", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    name = path.name.rsplit(".", 1)[0]
    written = yaml.safe_load((out / f"{name}.yaml").read_text())
    committed = yaml.safe_load((ROOT / "specs" / f"{name}.yaml").read_text())
    written["x-source"]["file"] = committed["x-source"]["file"]  # relative to another folder
    assert written == committed, "re-run: specgen ingest specs/sources/* --out specs"


def test_re_ingesting_an_ingested_document_keeps_vendor_and_source_map() -> None:
    document = ingest_path(ROOT / "specs/deepseek.openapi.yaml")
    original = ingest_path(ROOT / "specs/sources/deepseek.openapi.md")
    assert document.vendor == "deepseek"
    assert document.reader == "openapi"
    assert dict(document.source_map.lines) == dict(original.source_map.lines)
    assert document.openapi == original.openapi


def _count_validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import codegen.ingest as ingest_module

    validated: list[str] = []
    real = ingest_module.quarantine_invalid

    def counting(document: dict[str, object], *, file: str) -> dict[str, object]:
        validated.append(file)
        return real(document, file=file)

    monkeypatch.setattr(ingest_module, "quarantine_invalid", counting)
    return validated


def test_an_ingested_document_is_not_validated_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Its x-source block records the hash of the content ingest validated."""
    written = tmp_path / "deepseek.yaml"
    written.write_text(ingest_path(ROOT / "specs/sources/deepseek.openapi.md").to_yaml())
    validations = _count_validations(monkeypatch)
    again = ingest_path(written)
    assert validations == []
    assert again.openapi == ingest_path(ROOT / "specs/sources/deepseek.openapi.md").openapi


def test_an_ingested_document_edited_since_is_validated_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = yaml.safe_load(ingest_path(ROOT / "specs/sources/deepseek.openapi.md").to_yaml())
    data["info"]["title"] = "edited by hand"
    written = tmp_path / "deepseek.yaml"
    written.write_text(yaml.safe_dump(data, sort_keys=False))
    validations = _count_validations(monkeypatch)
    ingest_path(written)
    assert validations == [str(written)]


def test_a_vendor_document_is_validated_without_hashing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It records no validation, so there is no hash to compare: none is computed."""
    import codegen.ingest as ingest_module

    def refuse(document: object) -> str:
        raise AssertionError("content_hash computed for a document with no recorded validation")

    monkeypatch.setattr(ingest_module, "content_hash", refuse)
    validations = _count_validations(monkeypatch)
    ingest_path(ROOT / "specs/sources/deepseek.openapi.md")
    assert len(validations) == 1


# --- bad input: one line naming the file and line, non-zero exit, the rest still processed ---

BAD_INPUTS = {
    "empty.md": (b"", "empty file"),
    "blank.md": (b"\n  \n", "empty file"),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
    "latin1.md": ("caf\xe9 openapi".encode("latin-1"), "not UTF-8"),
    "prose.md": (b"# Hello\n\nJust a page about cats.\n", "not a document any reader recognises"),
    "broken.yaml": (b"openapi: 3.0.1\ninfo:\n  title: [unclosed\n", "YAML/JSON syntax error"),
    "broken.json": (b'{"openapi": "3.0.1", "info": {"title": }', "YAML/JSON syntax error"),
    "unclosed.md": (b"# P\n\n```yaml\nopenapi: 3.0.1\ninfo: {}\n", "never closed"),
    "swagger2.yaml": (
        b"swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "not an API description: no operations",
    ),
    "swagger1.yaml": (
        b"swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "unsupported OpenAPI version '1.2'",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_one_line_naming_file_and_line(name: str, tmp_path: Path) -> None:
    content, message = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_bytes(content)
    good = ROOT / "specs/sources/oxen.md"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["ingest", str(bad), str(good), "--out", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert str(bad) in errors[0] and message in errors[0]
    assert "Traceback" not in result.output + result.stderr
    assert (out / "oxen.yaml").exists(), "the good source is still processed"
    assert not (out / f"{name.rsplit('.', 1)[0]}.yaml").exists()


@pytest.mark.parametrize(
    ("name", "line"), [("broken.yaml", 3), ("unclosed.md", 3), ("broken.json", 1)]
)
def test_syntax_errors_name_the_line(name: str, line: int, tmp_path: Path) -> None:
    bad = tmp_path / name
    bad.write_bytes(BAD_INPUTS[name][0])
    with pytest.raises(SpecgenError) as caught:
        ingest_path(bad)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{bad}:{line}: ")


def test_missing_file_is_reported_and_others_processed(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "ingest",
            str(tmp_path / "nope.md"),
            str(ROOT / "specs/sources/oxen.md"),
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'nope.md'}: no such file" in result.stderr
    assert (tmp_path / "oxen.yaml").exists()


def test_ingest_never_overwrites_a_file_it_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "oxen.yaml"
    mine.write_text("my own notes\n")
    runner = CliRunner()
    result = runner.invoke(
        main, ["ingest", str(ROOT / "specs/sources/oxen.md"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "not written by specgen" in result.stderr
    assert mine.read_text() == "my own notes\n"
    forced = runner.invoke(
        main, ["ingest", str(ROOT / "specs/sources/oxen.md"), "--out", str(tmp_path), "--force"]
    )
    assert forced.exit_code == 0
    assert "x-source:" in mine.read_text()


def test_ingest_overwrites_its_own_output(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["ingest", str(ROOT / "specs/sources/oxen.md"), "--out", str(tmp_path)]
    assert runner.invoke(main, args).exit_code == 0
    assert runner.invoke(main, args).exit_code == 0


def test_vendor_option_overrides_the_file_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["ingest", str(ROOT / "specs/sources/oxen.md"), "--out", str(tmp_path), "--vendor", "acme"],
    )
    assert result.exit_code == 0
    assert yaml.safe_load((tmp_path / "oxen.yaml").read_text())["x-source"]["vendor"] == "acme"
    assert ingest_path(tmp_path / "oxen.yaml").vendor == "acme"
